#pragma once

// The configuration keywords vipd implements, listed from the parser's own
// keyword tables (so a documentation check cannot drift from the parser).

#include <string_view>
#include <vector>

namespace vipd::config {

/// A keyword and the block it is written in.
struct SupportedKeyword {
  /// The enclosing blocks, outermost first, separated by spaces
  /// ("vrrp_instance", "vipd_check HTTP_GET url"); empty at the top level.
  std::string_view block;
  std::string_view keyword;
};

/// Every keyword the parser accepts and acts on, block by block, in table
/// order. Left out: the keywords it recognises only to warn that vipd ignores
/// them ("RECOGNISED BUT NOT SUPPORTED" in vipd.conf(5)), and those it parses
/// and checks but does not act on yet (garp_group, vrrp_startup_delay), with
/// the keywords of their blocks. Words inside value blocks (the options of a
/// virtual_ipaddress line, `weight` of a track_script entry) are values, not
/// keywords, and are not listed.
std::vector<SupportedKeyword> supportedKeywords();

}  // namespace vipd::config
