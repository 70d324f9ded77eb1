#pragma once

#include <string>

#include "vipd/config/model.h"

namespace vipd::config {

/// Writes `config` as canonical keepalived.conf text (`vipd --dump-config`):
/// `global_defs`, then the names of the tracked vrrp_script / track_file
/// blocks, then every `vrrp_instance`, one keyword per line in a fixed order,
/// indented by 4 spaces, with every value explicit (defaults and derivations
/// already applied by the parser).
///
/// Guarantee: parsing the text gives back `config` (apart from the
/// SourceLocation fields), so dumping is idempotent. A value that keepalived
/// syntax cannot state explicitly is written in the form that re-derives it:
/// flags without a BOOL argument (vrrp_strict, check_unicast_src, ...) appear
/// only when on, a zero garp_master_refresh_repeat appears as vrrp_min_garp,
/// and an unset router_id is left out.
///
/// Precondition: `config` came from the parser (or satisfies its rules);
/// a model the parser could never produce may not round-trip.
std::string dumpConfig(const Config& config);

}  // namespace vipd::config
