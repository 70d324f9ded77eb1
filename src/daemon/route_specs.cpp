#include "vipd/daemon/route_specs.h"

namespace vipd::daemon {

namespace {

net::RouteKind routeKind(config::RouteType type) {
  switch (type) {
    case config::RouteType::Unicast:
      return net::RouteKind::Unicast;
    case config::RouteType::Blackhole:
      return net::RouteKind::Blackhole;
    case config::RouteType::Unreachable:
      return net::RouteKind::Unreachable;
    case config::RouteType::Prohibit:
      return net::RouteKind::Prohibit;
    case config::RouteType::Throw:
      return net::RouteKind::Throw;
  }
  return net::RouteKind::Unicast;
}

net::RuleKind ruleKind(config::RuleAction action) {
  switch (action) {
    case config::RuleAction::Table:
      return net::RuleKind::Table;
    case config::RuleAction::Goto:
      return net::RuleKind::Goto;
    case config::RuleAction::Blackhole:
      return net::RuleKind::Blackhole;
    case config::RuleAction::Unreachable:
      return net::RuleKind::Unreachable;
    case config::RuleAction::Prohibit:
      return net::RuleKind::Prohibit;
  }
  return net::RuleKind::Table;
}

std::optional<net::Prefix> prefixOf(const std::optional<config::IpPrefix>& prefix) {
  if (!prefix) return std::nullopt;
  return net::Prefix{prefix->address, prefix->length};
}

// A route without a next hop of its own (blackhole, ...) still names its
// device when one is given: `unreachable 198.51.100.0/24 dev eth0` is valid.
std::vector<net::NextHop> nextHopsOf(const config::VirtualRoute& route) {
  std::vector<net::NextHop> hops;
  if (!route.gateway && !route.device && !route.onLink) return hops;
  hops.push_back(net::NextHop{route.gateway, route.device, route.onLink});
  if (route.alternateGateway) {
    hops.push_back(net::NextHop{route.alternateGateway, route.device, route.onLink});
  }
  return hops;
}

}  // namespace

net::RouteSpec routeSpec(const config::VirtualRoute& route) {
  net::RouteSpec spec;
  spec.kind = routeKind(route.type);
  spec.destination = net::Prefix{route.destination.address, route.destination.length};
  spec.preferredSource = route.source;
  spec.nextHops = nextHopsOf(route);
  spec.table = route.table;
  spec.metric = route.metric;
  spec.protocol = route.protocol;
  std::optional<std::uint8_t> scope;
  if (route.scope) scope = static_cast<std::uint8_t>(*route.scope);
  spec.scope = net::routeScope(spec.kind, spec.nextHops, scope);
  return spec;
}

net::RuleSpec ruleSpec(const config::VirtualRule& rule) {
  net::RuleSpec spec;
  spec.family = rule.family;
  spec.from = prefixOf(rule.from);
  spec.to = prefixOf(rule.to);
  spec.inputInterface = rule.inputInterface;
  spec.outputInterface = rule.outputInterface;
  spec.fwmark = rule.fwmark;
  spec.fwmask = rule.fwmask;
  spec.priority = rule.priority;
  spec.kind = ruleKind(rule.action);
  spec.table = rule.table;
  spec.gotoTarget = rule.gotoTarget;
  return spec;
}

std::vector<net::RouteSpec> routeSpecs(const std::vector<config::VirtualRoute>& routes) {
  std::vector<net::RouteSpec> specs;
  specs.reserve(routes.size());
  for (const auto& route : routes) specs.push_back(routeSpec(route));
  return specs;
}

std::vector<net::RuleSpec> ruleSpecs(const std::vector<config::VirtualRule>& rules) {
  std::vector<net::RuleSpec> specs;
  specs.reserve(rules.size());
  for (const auto& rule : rules) specs.push_back(ruleSpec(rule));
  return specs;
}

}  // namespace vipd::daemon
