#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vipd/daemon/unattributed_drops.h"
#include "vipd/notify/notify_queue.h"
#include "vipd/notify/script_resolver.h"

namespace vipd::daemon {

/// Counters of one vrrp_script or vipd_check, for the log and `vipctl stats`.
struct ScriptStats {
  std::uint64_t runs = 0;
  std::uint64_t failures = 0;  ///< non-zero exit, signal, spawn failure, failed probe, timeout
  std::uint64_t timeouts = 0;
  /// vipd_check attempts repeated after a failure (its `retry`).
  std::uint64_t retries = 0;
  /// Intervals skipped because the previous run was still going (checks
  /// never pile up, reference §5 item 5).
  std::uint64_t late = 0;
  std::optional<std::chrono::steady_clock::duration> lastRuntime;
};

/// One running vrrp_script or vipd_check as `vipctl stats` reports it.
struct ScriptReport {
  std::string name;
  std::string kind;    ///< "vrrp_script" or "vipd_check"
  std::string status;  ///< "INIT", "GOOD" or "BAD"
  ScriptStats stats;
};

/// The notify scripts of one instance or sync group: how their runs ended.
struct NotifyReport {
  std::string type;  ///< "instance" or "group", as the generic notify's TYPE argument
  std::string name;
  notify::NotifyStats stats;
};

/// A configured script the daemon does not run (refused at load or reload),
/// never dropped silently (reference §5 item 7).
struct RefusedScriptReport {
  notify::RefusedScript script;
  /// For a vrrp_script: the instances that track it and run without it.
  std::vector<std::string> trackedBy{};
};

/// Counters of the daemon as a whole, belonging to no instance: reported by
/// `vipctl stats` and the metrics next to the instances' own.
struct DaemonCounters {
  /// Packets no instance owns, by reason (UnattributedDrops).
  DropCounts unattributedDrops{};
  /// Log lines lost because the writer fell behind: the queue keeps the
  /// event loop from ever waiting on a slow log and overwrites its oldest
  /// line when full, so a lost line must at least be counted.
  std::uint64_t logLinesOverwritten = 0;
  /// The running vrrp_scripts and vipd_checks, in configuration order.
  std::vector<ScriptReport> scripts{};
  /// Per instance, then per sync group.
  std::vector<NotifyReport> notifies{};
  /// Scripts that do not run, and why (also in `vipctl status`).
  std::vector<RefusedScriptReport> refusedScripts{};
  /// Writes of the state file that failed (InstallLedger): what was
  /// installed meanwhile may be left behind if the daemon is killed.
  std::uint64_t stateFileErrors = 0;
};

}  // namespace vipd::daemon
