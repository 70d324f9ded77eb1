#pragma once

#include <cstdint>
#include <optional>

#include "vipd/config/model.h"
#include "vipd/core/types.h"

namespace vipd::track {

/// How a process started to count for a tracker.
enum class ProcessJoined : std::uint8_t {
  /// It exec'd a matching program, or was renamed to a matching comm.
  Matched,
  /// A counted process forked it (its child counts too, unread).
  Forked,
};

/// How a process stopped counting for a tracker.
enum class ProcessLeft : std::uint8_t {
  /// It exited.
  Exited,
  /// It exec'd another program or was renamed.
  Unmatched,
};

/// The quorum of one vrrp_track_process: the number of matching processes,
/// whether it is within [quorum, quorum_max], and the delays before a
/// change counts. keepalived's rules [SRC core/track_process.c:
/// check_process, check_process_fork, check_process_termination,
/// remove_process_from_track, process_{gained,lost}_quorum_timer_thread]:
///
/// | change that crosses a limit       | pending timer      | effect                              |
/// |-----------------------------------|--------------------|-------------------------------------|
/// | Matched (exec, rename)            | terminate: cancel  | decided at once                     |
/// | Forked                            | terminate: cancel  | decided at once                     |
/// | Forked, fork_delay > 0            | none               | decided when fork_delay has passed  |
/// | Exited                            | fork: cancel       | decided at once                     |
/// | Exited, terminate_delay > 0       | none               | decided when terminate_delay passed |
/// | Unmatched (exec, rename)          | fork: cancel       | decided at once                     |
///
/// A count change crosses a limit when it reaches quorum from below, goes
/// past quorum_max, leaves quorum downwards or comes back to quorum_max. A
/// timer decides on the count when it fires; a change that crosses no limit
/// only counts. A second crossing while a timer is pending keeps the
/// earlier deadline (keepalived would run both timers; they decide alike).
///
/// Pure: times are passed in; the caller arms a timer at deadline() and
/// calls expire() then.
class ProcessQuorum {
 public:
  ProcessQuorum(std::uint32_t quorum, std::uint32_t quorumMax, core::Duration forkDelay,
                core::Duration terminateDelay);
  explicit ProcessQuorum(const config::TrackProcess& tracker)
      : ProcessQuorum(tracker.quorum, tracker.quorumMax, tracker.forkDelay,
                      tracker.terminateDelay) {}

  /// The count of a full /proc scan at start (or reload): decided at once,
  /// no delay [SRC vrrp_track.c:initialise_process_tracking_priorities].
  void start(std::uint32_t count);
  /// The count of a scan after lost events: pending timers are dropped; a
  /// quorum gained counts at once, one lost after terminate_delay
  /// [SRC core/track_process.c:reinitialise_track_processes].
  std::optional<bool> recount(std::uint32_t count, core::TimePoint now);

  /// One more / one fewer matching process. Return the new quorum state
  /// if it changed now.
  std::optional<bool> joined(ProcessJoined how, core::TimePoint now);
  std::optional<bool> left(ProcessLeft how, core::TimePoint now);

  /// When a pending delay runs out; nullopt: none pending.
  std::optional<core::TimePoint> deadline() const;
  /// Decides on the count once the pending delay has run out; early or
  /// repeated calls do nothing.
  std::optional<bool> expire(core::TimePoint now);

  bool hasQuorum() const { return quorum_; }
  std::uint32_t count() const { return count_; }

 private:
  bool inRange(std::uint64_t count) const;
  std::optional<bool> decide(bool quorum);

  std::uint32_t min_;
  std::uint32_t max_;
  core::Duration forkDelay_;
  core::Duration terminateDelay_;
  std::uint32_t count_ = 0;
  bool quorum_ = false;
  std::optional<core::TimePoint> forkDeadline_;
  std::optional<core::TimePoint> terminateDeadline_;
};

}  // namespace vipd::track
