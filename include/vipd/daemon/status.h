#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "vipd/daemon/daemon_counters.h"
#include "vipd/daemon/instance.h"

namespace vipd::daemon {

/// The documents the control socket answers with (`vipctl status`,
/// `vipctl stats`, `--json`), built from the running instances. Field names
/// are snake_case and stable: scripts parse them. Times are seconds (double)
/// or RFC 3339 UTC strings; addresses are strings.
///
/// `now` is the loop's monotonic clock, the one Instance records with.

/// One instance's state: identity, state, priorities, the master it hears,
/// VIPs, time in state, last transition and its cause, maintenance.
nlohmann::json instanceStatus(const Instance& instance, Scheduler::Clock::time_point now);

/// One instance's counters: adverts, drops by reason, transitions by cause,
/// announcements, the last takeover's timing and the failover histogram.
nlohmann::json instanceStats(const Instance& instance);

/// {"instances": [instanceStatus…]} in configuration order.
nlohmann::json statusDocument(const std::vector<std::unique_ptr<Instance>>& instances,
                              Scheduler::Clock::time_point now);
/// {"instances": [instanceStats…], "unattributed_drops": {reason: count…},
/// "log_lines_overwritten": N, "state_file_errors": N}: the instances in
/// configuration order, then the daemon's own counters (DaemonCounters),
/// every drop reason.
nlohmann::json statsDocument(const std::vector<std::unique_ptr<Instance>>& instances,
                             const DaemonCounters& daemon = {});

/// RFC 3339 UTC with milliseconds: "2026-12-04T20:15:12.345Z".
std::string rfc3339(std::chrono::system_clock::time_point at);

}  // namespace vipd::daemon
