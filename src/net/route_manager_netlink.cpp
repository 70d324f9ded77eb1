// NetlinkRouteManager: routes and rules through libnl-route-3.

#include <linux/fib_rules.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/netlink.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <system_error>

#include "netlink_log.h"
#include "vipd/net/route_manager.h"

namespace vipd::net {
namespace {

struct RouteObjectDeleter {
  void operator()(rtnl_route* route) const { rtnl_route_put(route); }
  void operator()(rtnl_rule* rule) const { rtnl_rule_put(rule); }
  void operator()(nl_addr* addr) const { nl_addr_put(addr); }
};
using RoutePtr = std::unique_ptr<rtnl_route, RouteObjectDeleter>;
using RulePtr = std::unique_ptr<rtnl_rule, RouteObjectDeleter>;
using RouteAddrPtr = std::unique_ptr<nl_addr, RouteObjectDeleter>;

int routeAf(util::Family family) { return family == util::Family::V4 ? AF_INET : AF_INET6; }

RouteAddrPtr routeNlAddr(const util::IpAddress& ip, std::uint8_t length) {
  const auto bytes = ip.bytes();
  RouteAddrPtr addr(nl_addr_build(routeAf(ip.family()), bytes.data(), bytes.size()));
  if (addr) nl_addr_set_prefixlen(addr.get(), length);
  return addr;
}

std::uint8_t rtnType(RouteKind kind) {
  switch (kind) {
    case RouteKind::Unicast:
      return RTN_UNICAST;
    case RouteKind::Blackhole:
      return RTN_BLACKHOLE;
    case RouteKind::Unreachable:
      return RTN_UNREACHABLE;
    case RouteKind::Prohibit:
      return RTN_PROHIBIT;
    case RouteKind::Throw:
      return RTN_THROW;
  }
  return RTN_UNICAST;
}

std::uint8_t ruleAction(RuleKind kind) {
  switch (kind) {
    case RuleKind::Table:
      return FR_ACT_TO_TBL;
    case RuleKind::Goto:
      return FR_ACT_GOTO;
    case RuleKind::Blackhole:
      return FR_ACT_BLACKHOLE;
    case RuleKind::Unreachable:
      return FR_ACT_UNREACHABLE;
    case RuleKind::Prohibit:
      return FR_ACT_PROHIBIT;
  }
  return FR_ACT_TO_TBL;
}

NetlinkResult<void> addNextHop(rtnl_route* route, const NextHop& hop) {
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  if (nh == nullptr) return libnlError(NLE_NOMEM);
  if (hop.device) {
    const unsigned ifindex = if_nametoindex(hop.device->c_str());
    if (ifindex == 0) {
      rtnl_route_nh_free(nh);
      return std::error_code(ENODEV, std::system_category());
    }
    rtnl_route_nh_set_ifindex(nh, static_cast<int>(ifindex));
  }
  if (hop.gateway) {
    RouteAddrPtr gateway = routeNlAddr(*hop.gateway, hop.gateway->isV4() ? 32 : 128);
    if (!gateway) {
      rtnl_route_nh_free(nh);
      return libnlError(NLE_NOMEM);
    }
    rtnl_route_nh_set_gateway(nh, gateway.get());
  }
  if (hop.onLink) rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
  rtnl_route_add_nexthop(route, nh);  // the route owns it now
  return boost::outcome_v2::success();
}

NetlinkResult<RoutePtr> buildRoute(const RouteSpec& spec) {
  RoutePtr route(rtnl_route_alloc());
  RouteAddrPtr destination = routeNlAddr(spec.destination.address, spec.destination.length);
  if (!route || !destination) return libnlError(NLE_NOMEM);
  rtnl_route_set_family(route.get(), static_cast<std::uint8_t>(routeAf(spec.family())));
  if (int rc = rtnl_route_set_dst(route.get(), destination.get()); rc < 0) {
    return libnlError(rc);
  }
  rtnl_route_set_type(route.get(), rtnType(spec.kind));
  rtnl_route_set_table(route.get(), spec.table);
  rtnl_route_set_protocol(route.get(), spec.protocol);
  rtnl_route_set_scope(route.get(), spec.scope);
  if (spec.metric) rtnl_route_set_priority(route.get(), *spec.metric);
  if (spec.preferredSource) {
    RouteAddrPtr source =
        routeNlAddr(*spec.preferredSource, spec.preferredSource->isV4() ? 32 : 128);
    if (!source) return libnlError(NLE_NOMEM);
    if (int rc = rtnl_route_set_pref_src(route.get(), source.get()); rc < 0) {
      return libnlError(rc);
    }
  }
  for (const NextHop& hop : spec.nextHops) {
    if (auto added = addNextHop(route.get(), hop); !added) return added.error();
  }
  return route;
}

NetlinkResult<RulePtr> buildRule(const RuleSpec& spec) {
  RulePtr rule(rtnl_rule_alloc());
  if (!rule) return libnlError(NLE_NOMEM);
  rtnl_rule_set_family(rule.get(), routeAf(spec.family));
  for (const auto& [prefix, set] :
       {std::pair{&spec.from, &rtnl_rule_set_src}, std::pair{&spec.to, &rtnl_rule_set_dst}}) {
    if (!*prefix) continue;
    RouteAddrPtr addr = routeNlAddr((*prefix)->address, (*prefix)->length);
    if (!addr) return libnlError(NLE_NOMEM);
    if (int rc = set(rule.get(), addr.get()); rc < 0) return libnlError(rc);
  }
  if (spec.inputInterface) rtnl_rule_set_iif(rule.get(), spec.inputInterface->c_str());
  if (spec.outputInterface) rtnl_rule_set_oif(rule.get(), spec.outputInterface->c_str());
  if (spec.fwmark) rtnl_rule_set_mark(rule.get(), *spec.fwmark);
  if (spec.fwmask) rtnl_rule_set_mask(rule.get(), *spec.fwmask);
  if (spec.priority) rtnl_rule_set_prio(rule.get(), *spec.priority);
  rtnl_rule_set_action(rule.get(), ruleAction(spec.kind));
  if (spec.kind == RuleKind::Table) rtnl_rule_set_table(rule.get(), spec.table);
  if (spec.kind == RuleKind::Goto) rtnl_rule_set_goto(rule.get(), spec.gotoTarget);
  return rule;
}

}  // namespace

NetlinkRouteManager::NetlinkRouteManager() = default;
NetlinkRouteManager::~NetlinkRouteManager() = default;

NetlinkResult<AddOutcome> NetlinkRouteManager::addRoute(const RouteSpec& spec) {
  socket_.beginRequest();
  auto route = buildRoute(spec);
  if (!route) return route.error();
  const int rc = rtnl_route_add(socket_.get(), route.value().get(), NLM_F_EXCL);
  if (rc >= 0) return AddOutcome::Added;
  if (meansAlreadyPresent(socket_.kernelErrno())) return AddOutcome::AlreadyPresent;
  return socket_.errorFrom(rc);
}

NetlinkResult<RemoveOutcome> NetlinkRouteManager::removeRoute(const RouteSpec& spec) {
  socket_.beginRequest();
  auto route = buildRoute(spec);
  // A device that is gone took its routes with it.
  if (!route && route.error() == std::error_code(ENODEV, std::system_category())) {
    return RemoveOutcome::WasAbsent;
  }
  if (!route) return route.error();
  const int rc = rtnl_route_delete(socket_.get(), route.value().get(), 0);
  if (rc >= 0) return RemoveOutcome::Removed;
  if (meansAbsent(socket_.kernelErrno())) return RemoveOutcome::WasAbsent;
  return socket_.errorFrom(rc);
}

NetlinkResult<AddOutcome> NetlinkRouteManager::addRule(const RuleSpec& spec) {
  socket_.beginRequest();
  auto rule = buildRule(spec);
  if (!rule) return rule.error();
  const int rc = rtnl_rule_add(socket_.get(), rule.value().get(), NLM_F_EXCL);
  if (rc >= 0) return AddOutcome::Added;
  if (meansAlreadyPresent(socket_.kernelErrno())) return AddOutcome::AlreadyPresent;
  return socket_.errorFrom(rc);
}

NetlinkResult<RemoveOutcome> NetlinkRouteManager::removeRule(const RuleSpec& spec) {
  socket_.beginRequest();
  auto rule = buildRule(spec);
  if (!rule) return rule.error();
  const int rc = rtnl_rule_delete(socket_.get(), rule.value().get(), 0);
  if (rc >= 0) return RemoveOutcome::Removed;
  if (meansAbsent(socket_.kernelErrno())) return RemoveOutcome::WasAbsent;
  return socket_.errorFrom(rc);
}

}  // namespace vipd::net
