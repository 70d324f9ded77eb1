#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace vipd::ctl {

/// `vipctl status`: one row per instance under a header — instance,
/// interface, VRID, family, state (with "maint" when drained), effective/base
/// priority, the master heard, advert interval, VIPs and whether they are
/// present, time in state, last transition and its cause (for a PENDING
/// instance: "waiting for ..." instead). Under the table, one line per
/// incompatible peer, one per BACKUP that does not preempt a lower-priority
/// master with the reason ("preempt"."why"), and the scripts that do not run,
/// with why ("refused scripts"), when there are any. Takes the daemon's status
/// document (daemon/status.h); missing fields print "-".
std::string formatStatus(const nlohmann::json& status);

/// `vipctl stats`: per instance, adverts, drops by reason and transitions
/// by cause (non-zero only), and the last takeover's timing; then the drops
/// no instance owns ("unattributed drops:", non-zero only) when the document
/// has them; then one line per health check (status, runs, failures,
/// timeouts, late, last runtime), per notify owner (runs, failures,
/// timeouts) and per refused script, when there are any.
std::string formatStats(const nlohmann::json& stats);

/// "42s", "5m12s", "3h04m", "2d03h": time in state at a glance.
std::string formatDuration(double seconds);

}  // namespace vipd::ctl
