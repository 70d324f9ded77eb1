#pragma once

#include <boost/outcome/result.hpp>
#include <system_error>
#include <type_traits>

namespace vipd::net {

/// Result of an address or link operation: a value, or a std::error_code.
///
/// Boost.Outcome with the `terminate` policy, as in vipd::proto::Result:
/// reading `.value()` of a failed result is a bug and aborts; callers test
/// `has_value()` (or `operator bool`) first.
///
/// Error codes come from three categories:
///  - std::system_category(): the kernel refused the request; the value is the
///    errno from its netlink ack (e.g. ENODEV "No such device"), never the
///    lossy libnl translation of it;
///  - netlinkErrorCategory() (NetlinkErrc): vipd rejected the request before
///    sending it (label rules, prefix length, ...);
///  - libnlErrorCategory(): libnl itself failed (out of memory, socket
///    trouble); the value is the positive NLE_* code.
template <class T>
using NetlinkResult =
    boost::outcome_v2::result<T, std::error_code, boost::outcome_v2::policy::terminate>;

/// Requests vipd refuses to send to the kernel.
enum class NetlinkErrc {
  /// ifindex is 0 or negative.
  InvalidIfindex = 1,
  /// Longer than 32 (IPv4) or 128 (IPv6).
  InvalidPrefixLength,
  /// IFA_LABEL longer than IFNAMSIZ - 1 (15) characters.
  LabelTooLong,
  /// An IPv4 label must start with the interface name ("eth0:vip"), the rule
  /// `ip addr add ... label` enforces (iproute2 ipaddress.c ipaddr_modify).
  /// The kernel itself accepts any label, which then breaks ifconfig-style
  /// alias tools; keepalived passes its label through unchecked.
  LabelMismatch,
  /// Labels exist only for IPv4; the kernel silently drops IFA_LABEL on IPv6
  /// (keepalived rejects it too: vrrp_ipaddress.c alloc_ipaddress).
  LabelNotSupported,
  /// A broadcast address on IPv6, or of the wrong family.
  BroadcastNotSupported,
  /// A non-global scope on IPv6: the kernel derives IPv6 scope from the
  /// address (keepalived: "Cannot specify scope for IPv6 addresses").
  ScopeNotSupported,
};

/// The category of NetlinkErrc, named "vipd.netlink".
const std::error_category& netlinkErrorCategory();
/// The category of libnl's own failures (NLE_* codes), named "libnl";
/// message() is nl_geterror().
const std::error_category& libnlErrorCategory();

std::error_code make_error_code(NetlinkErrc e);

}  // namespace vipd::net

template <>
struct std::is_error_code_enum<vipd::net::NetlinkErrc> : std::true_type {};
