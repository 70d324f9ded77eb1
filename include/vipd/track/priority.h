#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace vipd::track {

enum class TrackerKind : std::uint8_t { Interface, Script, File, Process };

/// One tracker of an instance with its effective weight (after the
/// per-reference override and the sync-group/owner rules) and its state.
struct TrackerState {
  TrackerKind kind = TrackerKind::Interface;
  std::int32_t weight = 0;
  bool reverse = false;
  /// Interface: link up. Script: GOOD. Process: quorum reached. nullopt: a
  /// script that has not reported yet (INIT). Ignored for files.
  std::optional<bool> up = true;
  /// File: the value read (see parseTrackFileValue).
  std::int32_t fileValue = 0;
};

/// What one tracker does to its instance.
struct Contribution {
  std::int64_t delta = 0;  ///< added to the base priority
  bool fault = false;      ///< the instance must be in FAULT
};

/// keepalived's rule for one tracker; `m` is -1 with reverse, else 1:
/// - interface / script / process, weight 0: FAULT when down/BAD/without
///   quorum (reverse: when up/GOOD/with quorum). A script in INIT with
///   weight 0 also keeps the instance down
///   [SRC vrrp_track.c:process_script_update_priority, initialise_track_script_state;
///    vrrp_track.c:initialise_interface_tracking_priorities,
///    initialise_process_tracking_priorities, process_update_track_process_status].
/// - weight W > 0: W×m while up/GOOD, 0 while down/BAD;
///   weight W < 0: W×m while down/BAD, 0 while up/GOOD. So reverse flips the
///   sign of what is applied, not when it is applied: `weight 10 reverse`
///   subtracts 10 while the script succeeds. A script in INIT adds nothing.
/// - file, weight 0: FAULT when the value is non-zero (reverse: when it is 0).
///   Weighted: value×W×m clamped to [-254, 253]; -254 (a product ≤ -254)
///   means FAULT and adds nothing, else the product is added
///   [SRC trackers/track_file.c:update_track_file_status,
///    process_update_vrrp_track_file_status].
Contribution contribution(const TrackerState& tracker);

/// Effective priority and the trackers that fault the instance.
struct PriorityResult {
  std::uint8_t priority = 0;
  /// Indices into the trackers passed in, ascending.
  std::vector<std::size_t> faulting;

  friend bool operator==(const PriorityResult&, const PriorityResult&) = default;
};

/// base + Σ contributions, clamped to [1, 254] [SRC vrrp_track.c:
/// vrrp_set_effective_priority]. An address owner (base 255) keeps 255 and
/// its weighted trackers count for nothing (keepalived drops them); its
/// weight-0 trackers can still fault it.
PriorityResult computePriority(std::uint8_t base, std::span<const TrackerState> trackers);

}  // namespace vipd::track
