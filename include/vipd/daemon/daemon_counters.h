#pragma once

#include <cstdint>

#include "vipd/daemon/unattributed_drops.h"

namespace vipd::daemon {

/// Counters of the daemon as a whole, belonging to no instance: reported by
/// `vipctl stats` and the metrics next to the instances' own.
struct DaemonCounters {
  /// Packets no instance owns, by reason (UnattributedDrops).
  DropCounts unattributedDrops{};
  /// Log lines lost because the writer fell behind: the queue keeps the
  /// event loop from ever waiting on a slow log and overwrites its oldest
  /// line when full, so a lost line must at least be counted.
  std::uint64_t logLinesOverwritten = 0;
  /// Writes of the state file that failed (InstallLedger): what was
  /// installed meanwhile may be left behind if the daemon is killed.
  std::uint64_t stateFileErrors = 0;
};

}  // namespace vipd::daemon
