#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace vipd::ctl {

/// `vipctl status`: one row per instance under a header — instance,
/// interface, VRID, family, state (with "maint" when drained), effective/base
/// priority, the master heard, advert interval, VIPs and whether they are
/// present, time in state, last transition and its cause. Under the table,
/// one line per incompatible peer, then one per BACKUP that does not
/// preempt a lower-priority master, with the reason ("preempt"."why"). Takes
/// the daemon's status document (daemon/status.h); missing fields print "-".
std::string formatStatus(const nlohmann::json& status);

/// `vipctl stats`: per instance, adverts, drops by reason and transitions
/// by cause (non-zero only), and the last takeover's timing; then the drops
/// no instance owns ("unattributed drops:", non-zero only) when the document
/// has them.
std::string formatStats(const nlohmann::json& stats);

/// "42s", "5m12s", "3h04m", "2d03h": time in state at a glance.
std::string formatDuration(double seconds);

}  // namespace vipd::ctl
