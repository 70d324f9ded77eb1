#pragma once

#include <string>

#include "vipd/config/model.h"

namespace vipd::config {

/// Writes `config` as canonical keepalived.conf text (`vipd --dump-config`):
/// `global_defs`, `interface_up_down_delays`, then every `garp_group`,
/// `vrrp_script`, `track_file`, `vrrp_track_process`, `vrrp_instance` and
/// `vrrp_sync_group` in model order, one keyword per line in a fixed order,
/// indented by 4 spaces, with every value explicit (defaults and derivations
/// already applied by the parser).
///
/// Guarantee: parsing the text gives back `config` (apart from the
/// SourceLocation fields), so dumping is idempotent, and it draws no warning
/// that the original configuration did not draw. A value that keepalived
/// syntax cannot state explicitly is written in the form that re-derives it:
/// flags without a BOOL argument (vrrp_strict, check_unicast_src, init_fail,
/// ...) appear only when on, a zero garp_master_refresh_repeat appears as
/// vrrp_min_garp, a zero fork_delay or terminate_delay is left out (keepalived
/// refuses 0), and an unset router_id, script_user or FIFO is left out; so
/// is a zero vrrp_startup_delay and an empty interface_up_down_delays, which
/// would warn that vipd does not run them. Commands kept only as argv
/// (vrrp_script, notify_fifo_script) are re-quoted to split into the same argv.
///
/// Precondition: `config` came from the parser (or satisfies its rules);
/// a model the parser could never produce may not round-trip.
std::string dumpConfig(const Config& config);

}  // namespace vipd::config
