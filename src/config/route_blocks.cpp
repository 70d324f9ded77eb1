// The route and rule blocks: `virtual_routes` / `virtual_rules` of an
// instance, `static_routes` / `static_rules` at the top level.

#include "draft.h"
#include "route_syntax.h"

namespace vipd::config::detail {

void parseRouteBlock(ParseContext& context, const Line& opener, std::vector<VirtualRoute>& out) {
  forEachBlockLine(context, opener, [&](const Line& entry) {
    if (auto route = parseRoute(entry, context.diagnostics)) out.push_back(std::move(*route));
  });
}

void parseRuleBlock(ParseContext& context, const Line& opener, std::vector<VirtualRule>& out) {
  forEachBlockLine(context, opener, [&](const Line& entry) {
    if (auto rule = parseRule(entry, context.diagnostics)) out.push_back(std::move(*rule));
  });
}

void parseStaticRoutes(ParseContext& context, const Line& line, Document& document) {
  if (openBlock(context, line)) parseRouteBlock(context, line, document.staticRoutes);
}

void parseStaticRules(ParseContext& context, const Line& line, Document& document) {
  if (openBlock(context, line)) parseRuleBlock(context, line, document.staticRules);
}

}  // namespace vipd::config::detail
