#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vipd/config/diagnostic.h"
#include "vipd/config/model.h"
#include "vipd/net/address_manager.h"
#include "vipd/util/ip_address.h"

namespace vipd::daemon {

/// What of the host an instance still lacks before it can start. At boot an
/// interface (a bond, a VLAN, a USB NIC) or an address (from DHCP, from the
/// network manager) often comes after the daemon; keepalived then fails the
/// instance (FAULT) or the whole daemon (`bind ... failed 99`, GH#2645);
/// vipd keeps the instance pending until it is there.
struct HostWait {
  enum class Kind : std::uint8_t {
    /// `interface` (or a VIP's `dev`) does not exist.
    Interface,
    /// The configured unicast_src_ip / mcast_src_ip is on no interface.
    SourceAddress,
    /// ... it is, but still tentative (IPv6 DAD): bind() would fail.
    SourceDad,
    /// No source configured and the interface has no primary IPv4 address
    /// or no IPv6 link-local address to send from.
    InterfaceAddress,
  };
  Kind kind = Kind::Interface;
  /// The interface waited for, or the one that needs an address.
  std::string interface;
  /// SourceAddress / SourceDad: the address.
  std::optional<util::IpAddress> address;
  util::Family family = util::Family::V4;
  /// SourceAddress / SourceDad: "unicast_src_ip" or "mcast_src_ip".
  std::string keyword;

  friend bool operator==(const HostWait&, const HostWait&) = default;
};

/// "interface eth1", "address 192.0.2.11 (unicast_src_ip)", "an IPv6
/// link-local address on eth1": completes "waiting for ...".
std::string toString(const HostWait& wait);

/// The advert source vipd picks when none is configured, from the
/// interface's addresses (with `mac`, the interface's): chooseAdvertSource()
/// with the instance's VIPs and eVIPs; nullopt when there is none yet.
std::optional<util::IpAddress> defaultSource(const config::VrrpInstance& instance,
                                             const std::vector<net::InterfaceAddress>& addresses,
                                             const net::MacAddress& mac);

/// What `instance` still waits for on this host; nullopt when it can start
/// now. Checked in order: the interface, the interfaces of VIPs with a
/// `dev`, then the source address (configured: on any interface and not
/// tentative, since the unicast socket binds to it; default: as
/// defaultSource()). Throws std::system_error when the host cannot be asked
/// (netlink fails for another reason than "no such device").
std::optional<HostWait> hostWait(const config::VrrpInstance& instance, net::AddressManager& host);

/// The checks of `config` against this host's links and addresses, for
/// `vipd -t` and the start-up log, as diagnostics naming the config line:
///  - error: a unicast_peer that is an address of this host (a swapped
///    unicast_src_ip and unicast_peer, GH#2216, or this node listed among
///    its own peers): its adverts would go to itself;
///  - warning: whatever hostWait() would wait for (an interface or the
///    source address not there now): vipd waits for it, at boot it may
///    come later, so it is not an error.
/// An address that can never be local (loopback, multicast, ...) is a
/// configuration error already (config/complete.cpp). Throws
/// std::system_error when the host cannot be asked.
std::vector<config::Diagnostic> checkHost(const config::Config& config, net::AddressManager& host);

}  // namespace vipd::daemon
