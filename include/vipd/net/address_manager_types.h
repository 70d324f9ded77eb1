#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "vipd/util/ip_address.h"

namespace vipd::net {

/// Address scope (ifa_scope), with the kernel's numbering (rtnetlink.h
/// RT_SCOPE_*). Values outside the named ones (user-defined scopes from
/// /etc/iproute2/rt_scopes) can still be held and round-trip unchanged.
enum class Scope : std::uint8_t {
  Global = 0,  ///< RT_SCOPE_UNIVERSE
  Site = 200,
  Link = 253,
  Host = 254,
  Nowhere = 255,
};

/// "global", "site", "link", "host", "nowhere", or the number.
std::string scopeName(Scope scope);
/// Parses the names scopeName() prints (the keywords of keepalived's
/// `scope` VIP option and of `ip addr ... scope`), or a number 0..255.
std::optional<Scope> parseScope(std::string_view text);

/// Lifetime value meaning "forever" (INFINITY_LIFE_TIME, 0xFFFFFFFF).
inline constexpr std::uint32_t kForeverLifetime = 0xFFFFFFFFu;

/// One address on one interface: what `ip addr add` takes, and what a query
/// or a monitor event reports.
///
/// Identity: the kernel knows an address by (ifindex, address, prefix
/// length) for IPv4, and by (ifindex, address) for IPv6; see sameAddress().
/// The other fields are attributes. Fields marked "reported" are filled in
/// from the kernel by queries and events and are ignored by add().
struct InterfaceAddress {
  using Scope = net::Scope;

  int ifindex = 0;
  util::IpAddress address;
  /// 0..32 for IPv4, 0..128 for IPv6 (keepalived's default for a VIP without
  /// "/len" is 32 / 128; the config layer applies it).
  std::uint8_t prefixLength = 0;
  /// IPv4 only (IFA_LABEL). Empty: the kernel uses the interface name.
  /// Must start with the interface name and be at most 15 characters.
  std::string label;
  /// IPv4: sent as ifa_scope. IPv6: must be Global on add (the kernel derives
  /// the scope from the address); reported as Link for fe80::/10.
  Scope scope = Scope::Global;
  /// IPv6: IFA_F_NODAD, the address is usable at once instead of "tentative"
  /// for the DAD period. true by default, as keepalived sets it on every IPv6
  /// VIP unless the VIP says `-nodad` (vrrp_ipaddress.c netlink_ipaddress:
  /// "HA/VRRP setups have their own DAD-like functionality"). Ignored for IPv4.
  bool noDad = true;
  /// IFA_F_NOPREFIXROUTE: do not install the prefix route of the address
  /// (keepalived VIP option `noprefixroute`). Off by default.
  bool noPrefixRoute = false;
  /// IPv4 only (IFA_BROADCAST). nullopt: none is sent, which is what
  /// keepalived does unless the VIP has `brd` (vrrp_ipaddress.c
  /// netlink_ipaddress adds IFA_BROADCAST only when sin_brd is set).
  std::optional<util::IpAddress> broadcast;
  /// Preferred lifetime in seconds (kForeverLifetime = forever). On add,
  /// nullopt means keepalived's default: 0 (the address is "deprecated", so
  /// the kernel does not pick it as a source address) for an IPv6 /128, and
  /// forever otherwise (vrrp_ipaddress.c netlink_ipaddress, RFC 3484). The
  /// valid lifetime is always forever. Reported: the remaining lifetime.
  std::optional<std::uint32_t> preferredLifetime;

  /// Reported: IFA_F_SECONDARY. An IPv4 address in the subnet of an earlier
  /// ("primary") one. VRRP's IPv4 source is the first non-secondary address.
  bool secondary = false;
  /// Reported: IFA_F_TENTATIVE (DAD in progress, or failed). Not usable as a
  /// source address yet.
  bool tentative = false;

  friend bool operator==(const InterfaceAddress&, const InterfaceAddress&) = default;
};

/// True when a and b name the same kernel address: same ifindex and address,
/// and for IPv4 the same prefix length (the kernel keeps 192.0.2.1/24 and
/// 192.0.2.1/32 apart; an IPv6 address exists once per interface).
bool sameAddress(const InterfaceAddress& a, const InterfaceAddress& b);

/// The preferred lifetime add() sends: `preferredLifetime`, or keepalived's
/// default when it is nullopt (see InterfaceAddress::preferredLifetime).
std::uint32_t effectivePreferredLifetime(const InterfaceAddress& address);

/// Checks what add() checks before talking to the kernel; success or a
/// NetlinkErrc. `interfaceName` is the name of `address.ifindex`; it is only
/// used when the address has a label. Shared by NetlinkAddressManager and
/// the fake, so both refuse the same requests.
std::error_code validateForAdd(const InterfaceAddress& address, std::string_view interfaceName);

/// "192.0.2.10/24 ifindex=3 label=eth0:vip scope=global", for logs.
std::string toString(const InterfaceAddress& address);

}  // namespace vipd::net
