#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace vipd::net {

/// What the daemon needs to know about one network interface: its identity,
/// its MAC (the GARP/NA sender address) and whether VRRP can run on it.
/// A plain value; AddressManager queries and NetlinkMonitor events fill it in.
struct LinkInfo {
  int ifindex = 0;
  std::string name;
  /// IFLA_ADDRESS when it is 6 bytes long (Ethernet-like links); zeros for
  /// links without one (tun, ip6gre, ...).
  std::array<std::uint8_t, 6> mac{};
  /// Administratively up (IFF_UP, `ip link set X up`).
  bool adminUp = false;
  /// Operationally up (IFF_RUNNING: up and carrier present, RFC 2863 "up").
  /// keepalived treats an interface as usable when both flags are set
  /// (keepalived vrrp_if.h IF_ISUP: IFF_UP && IFF_RUNNING).
  bool operUp = false;
  unsigned mtu = 0;

  /// Both admin and oper up: what keepalived's interface tracking calls "up".
  bool usable() const { return adminUp && operUp; }

  friend bool operator==(const LinkInfo&, const LinkInfo&) = default;
};

/// "ifindex=3 name=eth0 mac=02:00:00:00:00:01 admin=up oper=down mtu=1500",
/// for logs and test failure messages.
std::string toString(const LinkInfo& link);

}  // namespace vipd::net
