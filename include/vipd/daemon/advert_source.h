#pragma once

#include <span>
#include <string>

#include "vipd/net/address_manager_types.h"
#include "vipd/net/link_layer_socket.h"
#include "vipd/proto/result.h"
#include "vipd/util/ip_address.h"

namespace vipd::daemon {

/// The address an instance sends its adverts from when the configuration names none
/// (unicast_src_ip / mcast_src_ip), chosen from the interface's addresses.
///
/// IPv4: the first primary (non-secondary) address that is not one of our VIPs, as keepalived.
/// IPv6 (RFC 5798 §5.1.2.1: the link-local address): kernel order is not a rule, and keepalived
/// takes whichever link-local it meets first, so adding one can move the source of every
/// advert after a restart [reference §5 item 9; keepalived GH#1419, GH#2573]. vipd picks, among
/// the link-local addresses that are not tentative and not a VIP: the one the kernel derives
/// from the interface MAC (EUI-64, RFC 4291 §2.5.1), which survives restarts and other
/// addresses coming and going; else the numerically lowest. Deterministic: the same addresses
/// give the same choice in any order.
///
/// @param vips  the instance's VIPs and eVIPs (never a source).
/// @return the address, or why there is none: "no IPv6 link-local address",
///         "its IPv6 link-local address is tentative (duplicate address detection)", "no
///         primary IPv4 address".
proto::Result<util::IpAddress, std::string> chooseAdvertSource(
    util::Family family, std::span<const net::InterfaceAddress> addresses,
    const net::MacAddress& mac, std::span<const util::IpAddress> vips);

/// fe80::/64 with the modified EUI-64 interface identifier of `mac` (RFC 4291 appendix A).
util::IpAddress eui64LinkLocal(const net::MacAddress& mac);

}  // namespace vipd::daemon
