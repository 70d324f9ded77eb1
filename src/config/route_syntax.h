#pragma once

// Internal to the config area: the text of a route or rule line, read by the
// parser and written by the dump, kept together so they stay each other's
// inverse [route_syntax.cpp].

#include <optional>
#include <string>

#include "parse_context.h"
#include "vipd/config/model.h"

namespace vipd::config::detail {

/// A line of virtual_routes / static_routes. An option vipd does not
/// implement is an error; a malformed value (an address, a number) is a
/// warning and the line is skipped, as keepalived skips it. nullopt: skipped.
std::optional<VirtualRoute> parseRoute(const Line& line, Diagnostics& diagnostics);
/// A line of virtual_rules / static_rules, with the same policy.
std::optional<VirtualRule> parseRule(const Line& line, Diagnostics& diagnostics);

/// The canonical line parseRoute() / parseRule() read back to the same value.
std::string routeText(const VirtualRoute& route);
std::string ruleText(const VirtualRule& rule);

}  // namespace vipd::config::detail
