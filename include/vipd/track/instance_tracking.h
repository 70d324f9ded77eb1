#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/core/event.h"
#include "vipd/track/priority.h"

namespace vipd::track {

/// One tracker as keepalived attaches it to an instance: the reference's
/// weight if given, else the definition's (interfaces: 0), after the sync
/// group and address-owner rules (see resolveTrackers).
struct ResolvedTracker {
  TrackerKind kind = TrackerKind::Interface;
  std::string name;
  std::int32_t weight = 0;
  bool reverse = false;
  /// Scripts: `init_fail` (start BAD rather than INIT).
  bool initFail = false;
  /// Attached through the instance's vrrp_sync_group.
  bool fromGroup = false;

  friend bool operator==(const ResolvedTracker&, const ResolvedTracker&) = default;
};

/// The trackers of `instance`, in order: its own track_interface, track_script,
/// track_file, track_process entries, then those of its sync group not
/// already present. keepalived's rules [SRC vrrp.c:vrrp_complete_instance,
/// sync_group_tracking_init, add_vrrp_to_track_process]:
/// - a sync-group member without `sync_group_tracking_weight`, or an address
///   owner (priority 255): weighted interfaces get weight 0 (owner outside a
///   sync group: dropped), weighted scripts are dropped, files with weight 1
///   (the default) get weight 0 and other weighted files are dropped;
///   processes keep their weights (keepalived does not restrict them; an
///   owner's priority cannot change anyway);
/// - the group's own trackers keep their weights on every member, unless some
///   member is an address owner (then weight 0);
/// - an object tracked by both the instance and its group takes the group's
///   weight, unless the instance's weight is 0; for a process keepalived
///   takes only the weight and keeps the instance's reverse flag.
/// A reference with `weight N` uses its own reverse flag; without a weight it
/// inherits the definition's.
std::vector<ResolvedTracker> resolveTrackers(const config::Config& config,
                                             const config::VrrpInstance& instance);

/// What a tracker update changed for the instance; empty when nothing did.
struct TrackingUpdate {
  /// The new effective priority, if it changed.
  std::optional<std::uint8_t> priority;
  std::vector<core::FaultId> raised;
  std::vector<core::FaultId> cleared;

  bool empty() const { return !priority && raised.empty() && cleared.empty(); }
  /// As core events: PriorityChanged, then FaultRaised, then FaultCleared (so
  /// an instance leaving FAULT already has its new priority).
  std::vector<core::Event> events() const;

  friend bool operator==(const TrackingUpdate&, const TrackingUpdate&) = default;
};

/// The tracking state of one vrrp_instance: turns tracker results into its
/// effective priority and faults. Pure; the daemon feeds it debounced link
/// changes (LinkStates), script status changes (ScriptResult), file values
/// (parseTrackFileValue) and process quorum changes (ProcessTable), and
/// forwards the returned events to the core.
///
/// FaultIds are 1 + the tracker's index in trackers(): stable for a given
/// configuration. FaultId 0 stays free for the instance's own interface,
/// which the daemon tracks.
///
/// Initial state: interfaces up, scripts INIT (or BAD with init_fail), files
/// 0, processes with quorum. The daemon sends initial() to the core, then
/// feeds the real states.
class InstanceTracking {
 public:
  InstanceTracking(std::uint8_t basePriority, std::vector<ResolvedTracker> trackers);
  static InstanceTracking fromConfig(const config::Config& config,
                                     const config::VrrpInstance& instance);

  /// The starting point: the priority and every fault active now.
  TrackingUpdate initial() const;

  /// A script's status changed (GOOD = true). Unknown names change nothing.
  TrackingUpdate scriptChanged(std::string_view name, bool good);
  /// An interface's effective (debounced) link state changed.
  TrackingUpdate interfaceChanged(std::string_view name, bool up);
  /// A track file's new value.
  TrackingUpdate fileValue(std::string_view name, std::int32_t value);
  /// A vrrp_track_process gained (true) or lost its quorum.
  TrackingUpdate processChanged(std::string_view name, bool quorum);

  std::uint8_t priority() const { return current_.priority; }
  /// True while some tracked script has not reported yet (INIT): keepalived
  /// keeps such an instance in INIT until its scripts have run, so a start-up
  /// never reports a FAULT that the first check would have cleared
  /// [SRC vrrp_scheduler.c:vrrp_init_state, num_script_init].
  bool awaitingScripts() const;
  /// Active faults, ascending.
  std::vector<core::FaultId> faults() const;
  std::optional<core::FaultId> faultId(TrackerKind kind, std::string_view name) const;
  /// The tracker behind a FaultId (for logs); nullptr if unknown.
  const ResolvedTracker* tracker(core::FaultId id) const;
  const std::vector<ResolvedTracker>& trackers() const { return trackers_; }

 private:
  TrackerState* find(TrackerKind kind, std::string_view name);
  TrackingUpdate recompute();

  std::uint8_t base_;
  std::vector<ResolvedTracker> trackers_;
  std::vector<TrackerState> states_;
  PriorityResult current_;
};

}  // namespace vipd::track
