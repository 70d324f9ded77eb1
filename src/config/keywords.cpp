// supportedKeywords(): the union of the block tables, minus the runtime gaps.

#include "vipd/config/keywords.h"

#include <algorithm>

#include "draft.h"

namespace vipd::config {

namespace {

/// "garp_group interfaces" lies in a gap because garp_group does.
bool inRuntimeGap(const SupportedKeyword& entry) {
  const std::string_view outermost = entry.block.substr(0, entry.block.find(' '));
  return detail::isRuntimeGap(entry.keyword) ||
         (!outermost.empty() && detail::isRuntimeGap(outermost));
}

}  // namespace

std::vector<SupportedKeyword> supportedKeywords() {
  std::vector<SupportedKeyword> all;
  detail::listRootKeywords(all);
  detail::appendKeywords(all, "global_defs", detail::globalDefsKeywords());
  detail::listInstanceKeywords(all);
  detail::listScriptBlockKeywords(all);
  detail::listCheckBlockKeywords(all);
  detail::listTrackProcessKeywords(all);
  detail::listSyncGroupKeywords(all);
  detail::listGarpGroupKeywords(all);
  std::erase_if(all, inRuntimeGap);
  return all;
}

}  // namespace vipd::config
