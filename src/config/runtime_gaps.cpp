// What vipd parses and checks but does not act on yet. A configuration that
// relies on one of these must not look as if it worked, so each use site gets
// an Unsupported warning (an error with --strict).

#include <algorithm>
#include <array>

#include "draft.h"

namespace vipd::config::detail {

namespace {

struct Gap {
  std::string_view keyword;
  /// Completes "vipd does not ... yet".
  std::string_view missing;
};

constexpr std::array kGaps = {
    Gap{"garp_group", "pace GARPs per interface group"},
    Gap{"vrrp_startup_delay", "delay the start of its instances"},
};

}  // namespace

bool isRuntimeGap(std::string_view keyword) {
  return std::any_of(kGaps.begin(), kGaps.end(),
                     [&](const Gap& gap) { return gap.keyword == keyword; });
}

void reportNotRunYet(Diagnostics& diagnostics, const Token& keyword, std::string_view consequence) {
  std::string_view missing = "implement it";
  for (const Gap& gap : kGaps) {
    if (gap.keyword == keyword.text) missing = gap.missing;
  }
  std::string message = keyword.text + " is parsed and checked but vipd does not " +
                        std::string(missing) + " yet; " + std::string(consequence);
  diagnostics.unsupported(keyword.where, message);
}

}  // namespace vipd::config::detail
