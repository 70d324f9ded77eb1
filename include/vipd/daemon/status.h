#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "vipd/daemon/daemon_counters.h"
#include "vipd/daemon/instance.h"
#include "vipd/daemon/pending_instances.h"

namespace vipd::daemon {

/// The documents the control socket answers with (`vipctl status`,
/// `vipctl stats`, `--json`), built from the running instances. Field names
/// are snake_case and stable: scripts parse them. Times are seconds (double)
/// or RFC 3339 UTC strings; addresses are strings.
///
/// `now` is the loop's monotonic clock, the one Instance records with.

/// One instance's state: identity, state, priorities, the master it hears,
/// VIPs, time in state, last transition and its cause, maintenance, and the
/// preemption decision ("preempt": mode, delay left, why; preemption.h).
nlohmann::json instanceStatus(const Instance& instance, Scheduler::Clock::time_point now);

/// One instance's counters: adverts, drops by reason, transitions by cause,
/// announcements, lower-priority masters answered, the last takeover's timing
/// and the failover histogram, checksum forms received, and the peers heard
/// with the checksum form each uses.
nlohmann::json instanceStats(const Instance& instance, Scheduler::Clock::time_point now);

/// A pending instance (PendingView): its configured identity, state
/// "PENDING", what it waits for in "waiting_for", and since when
/// ("in_state_s"); no master, no VIPs present, no transition yet.
nlohmann::json pendingStatus(const PendingView& pending, Scheduler::Clock::time_point now);

/// {"instances": [instanceStatus…, pendingStatus…], "refused_scripts":
/// [refusedScriptJson…]}: the running instances in configuration order, then
/// the pending ones (every entry has "waiting_for", null for running
/// instances); a script that does not run is never dropped silently.
nlohmann::json statusDocument(const std::vector<std::unique_ptr<Instance>>& instances,
                              Scheduler::Clock::time_point now,
                              const std::vector<PendingView>& pending = {},
                              const std::vector<RefusedScriptReport>& refused = {});
/// {"instances": [instanceStats…], "unattributed_drops": {reason: count…},
/// "log_lines_overwritten": N, "state_file_errors": N, "scripts": [scriptJson…],
/// "notifies": [notifyJson…], "refused_scripts": [refusedScriptJson…]}: the instances in
/// configuration order, then the daemon's own counters (DaemonCounters),
/// every drop reason.
nlohmann::json statsDocument(const std::vector<std::unique_ptr<Instance>>& instances,
                             const DaemonCounters& daemon, Scheduler::Clock::time_point now);

/// {"name", "kind": "vrrp_script"|"vipd_check", "status": "INIT"|"GOOD"|"BAD",
/// "runs", "failures", "timeouts", "retries", "late", "last_runtime_s"}
/// (last_runtime_s null before the first run ends).
nlohmann::json scriptJson(const ScriptReport& script);
/// {"type": "instance"|"group", "name", "runs", "failures", "timeouts",
/// "last_runtime_s"}.
nlohmann::json notifyJson(const NotifyReport& notify);
/// {"script": "vrrp_script chk", "kind": "security"|"unavailable", "reason",
/// "tracked_by": [instance…]}.
nlohmann::json refusedScriptJson(const RefusedScriptReport& refused);

/// RFC 3339 UTC with milliseconds: "2026-12-04T20:15:12.345Z".
std::string rfc3339(std::chrono::system_clock::time_point at);

}  // namespace vipd::daemon
