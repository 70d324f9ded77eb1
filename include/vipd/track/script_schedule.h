#pragma once

#include <string>
#include <vector>

#include "vipd/config/model.h"

namespace vipd::track {

/// A vrrp_script the daemon must run: once per `interval` however many
/// instances track it (keepalived runs one thread per script), first at
/// startup [SRC vrrp_scheduler.c:vrrp_init_script, vrrp_script_thread]. A run
/// still going when the next is due is skipped, not doubled.
struct ScheduledScript {
  config::VrrpScript script;
  /// Instances that track it (directly or through their sync group), in
  /// config order: the ones to tell when its status changes.
  std::vector<std::string> trackedBy;

  friend bool operator==(const ScheduledScript&, const ScheduledScript&) = default;
};

/// The scripts to run, in definition order: only those some instance ends up
/// tracking after resolveTrackers (a weighted script dropped by the sync-group
/// or owner rules is not run; keepalived frees it as "not used")
/// [SRC vrrp.c:vrrp_complete_init].
std::vector<ScheduledScript> scriptSchedule(const config::Config& config);

}  // namespace vipd::track
