#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vipd/util/ip_address.h"

namespace vipd::net {

/// An address prefix as the kernel takes it (RTA_DST, FRA_SRC, ...).
struct Prefix {
  util::IpAddress address;
  std::uint8_t length = 32;

  friend bool operator==(const Prefix&, const Prefix&) = default;
};

/// rtm_type values vipd installs (linux/rtnetlink.h RTN_*).
enum class RouteKind : std::uint8_t { Unicast, Blackhole, Unreachable, Prohibit, Throw };

/// One next hop of a route.
struct NextHop {
  std::optional<util::IpAddress> gateway;
  /// Resolved to an ifindex when the request is built; nullopt: the kernel's pick.
  std::optional<std::string> device;
  bool onLink = false;

  friend bool operator==(const NextHop&, const NextHop&) = default;
};

/// A route as rtnetlink takes it: what NetlinkRouteManager sends in one
/// RTM_NEWROUTE / RTM_DELROUTE. Build it with routeScope() and friends so
/// that add and delete carry the same identity.
struct RouteSpec {
  RouteKind kind = RouteKind::Unicast;
  Prefix destination;
  /// RTA_PREFSRC.
  std::optional<util::IpAddress> preferredSource;
  /// Empty for a route without next hop (blackhole, ...); more than one is
  /// an equal-cost multipath route (RTA_MULTIPATH).
  std::vector<NextHop> nextHops;
  std::uint32_t table = 254;
  /// RTA_PRIORITY; nullopt: the kernel's default.
  std::optional<std::uint32_t> metric;
  std::uint8_t protocol = 18;
  /// rtm_scope (RT_SCOPE_*), always explicit: see routeScope().
  std::uint8_t scope = 0;

  util::Family family() const { return destination.address.family(); }

  friend bool operator==(const RouteSpec&, const RouteSpec&) = default;
};

/// FR_ACT_* of a rule.
enum class RuleKind : std::uint8_t { Table, Goto, Blackhole, Unreachable, Prohibit };

/// A policy rule as rtnetlink takes it (RTM_NEWRULE / RTM_DELRULE).
struct RuleSpec {
  util::Family family = util::Family::V4;
  std::optional<Prefix> from;
  std::optional<Prefix> to;
  std::optional<std::string> inputInterface;
  std::optional<std::string> outputInterface;
  std::optional<std::uint32_t> fwmark;
  std::optional<std::uint32_t> fwmask;
  std::optional<std::uint32_t> priority;
  RuleKind kind = RuleKind::Table;
  std::uint32_t table = 254;
  std::uint32_t gotoTarget = 0;

  friend bool operator==(const RuleSpec&, const RuleSpec&) = default;
};

/// The scope ip-route(8) gives a route when none is configured: link for a
/// unicast route none of whose next hops has a gateway, universe otherwise.
/// The kernel matches a delete on the scope too, so add and delete both send it.
std::uint8_t routeScope(RouteKind kind, const std::vector<NextHop>& nextHops,
                        std::optional<std::uint8_t> configured);

/// `ip route`-like text for log lines: "198.51.100.0/24 via 192.0.2.1 dev eth0 table 254".
std::string describe(const RouteSpec& route);
/// `ip rule`-like text: "from 192.0.2.0/24 priority 100 lookup 10".
std::string describe(const RuleSpec& rule);

/// Whether an errno from RTM_NEWROUTE / RTM_NEWRULE with NLM_F_EXCL means
/// "it is there already" (EEXIST), which an idempotent add counts as success.
bool meansAlreadyPresent(int kernelErrno);
/// Whether an errno from RTM_DELROUTE / RTM_DELRULE means "it is not there":
/// ESRCH (no such route), ENOENT (no such rule) or ENODEV (its device is
/// gone, and the kernel removed its routes with it).
bool meansAbsent(int kernelErrno);

}  // namespace vipd::net
