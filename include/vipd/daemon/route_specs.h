#pragma once

#include <vector>

#include "vipd/config/model.h"
#include "vipd/net/route_types.h"

namespace vipd::daemon {

/// The netlink request of a configured route (`virtual_routes` /
/// `static_routes` line). Pure: the scope the kernel would pick is made
/// explicit (net::routeScope) so that the add and the later delete of the
/// same line carry the same identity; a `via A or B` route becomes two next
/// hops with the same device and onlink flag.
net::RouteSpec routeSpec(const config::VirtualRoute& route);
/// The netlink request of a configured rule (`virtual_rules` / `static_rules` line).
net::RuleSpec ruleSpec(const config::VirtualRule& rule);

std::vector<net::RouteSpec> routeSpecs(const std::vector<config::VirtualRoute>& routes);
std::vector<net::RuleSpec> ruleSpecs(const std::vector<config::VirtualRule>& rules);

}  // namespace vipd::daemon
