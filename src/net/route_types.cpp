#include "vipd/net/route_types.h"

#include <linux/rtnetlink.h>

#include <cerrno>

namespace vipd::net {

namespace {

std::string prefixWords(const Prefix& prefix) {
  return prefix.address.toString() + "/" + std::to_string(prefix.length);
}

const char* routeKindWord(RouteKind kind) {
  switch (kind) {
    case RouteKind::Unicast:
      return "";
    case RouteKind::Blackhole:
      return "blackhole ";
    case RouteKind::Unreachable:
      return "unreachable ";
    case RouteKind::Prohibit:
      return "prohibit ";
    case RouteKind::Throw:
      return "throw ";
  }
  return "";
}

}  // namespace

std::uint8_t routeScope(RouteKind kind, const std::vector<NextHop>& nextHops,
                        std::optional<std::uint8_t> configured) {
  if (configured) return *configured;
  if (kind != RouteKind::Unicast) return RT_SCOPE_UNIVERSE;
  for (const NextHop& hop : nextHops) {
    if (hop.gateway) return RT_SCOPE_UNIVERSE;
  }
  return RT_SCOPE_LINK;
}

std::string describe(const RouteSpec& route) {
  std::string text = routeKindWord(route.kind) + prefixWords(route.destination);
  if (route.preferredSource) text += " src " + route.preferredSource->toString();
  for (const NextHop& hop : route.nextHops) {
    if (route.nextHops.size() > 1) text += " nexthop";
    if (hop.gateway) text += " via " + hop.gateway->toString();
    if (hop.device) text += " dev " + *hop.device;
    if (hop.onLink) text += " onlink";
  }
  text += " table " + std::to_string(route.table);
  if (route.metric) text += " metric " + std::to_string(*route.metric);
  text += " proto " + std::to_string(route.protocol) + " scope " + std::to_string(route.scope);
  return text;
}

std::string describe(const RuleSpec& rule) {
  std::string text = rule.family == util::Family::V6 ? "inet6" : "inet";
  text += " from " + (rule.from ? prefixWords(*rule.from) : std::string("all"));
  if (rule.to) text += " to " + prefixWords(*rule.to);
  if (rule.inputInterface) text += " iif " + *rule.inputInterface;
  if (rule.outputInterface) text += " oif " + *rule.outputInterface;
  if (rule.fwmark) {
    text += " fwmark " + std::to_string(*rule.fwmark);
    if (rule.fwmask) text += "/" + std::to_string(*rule.fwmask);
  }
  if (rule.priority) text += " priority " + std::to_string(*rule.priority);
  switch (rule.kind) {
    case RuleKind::Table:
      return text + " lookup " + std::to_string(rule.table);
    case RuleKind::Goto:
      return text + " goto " + std::to_string(rule.gotoTarget);
    case RuleKind::Blackhole:
      return text + " blackhole";
    case RuleKind::Unreachable:
      return text + " unreachable";
    case RuleKind::Prohibit:
      return text + " prohibit";
  }
  return text;
}

bool meansAlreadyPresent(int kernelErrno) { return kernelErrno == EEXIST; }

bool meansAbsent(int kernelErrno) {
  return kernelErrno == ESRCH || kernelErrno == ENOENT || kernelErrno == ENODEV;
}

}  // namespace vipd::net
