#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/core/types.h"
#include "vipd/track/process_match.h"
#include "vipd/track/process_quorum.h"

namespace vipd::track {

/// A process as a full /proc scan finds it (zombies left out).
struct ScannedProcess {
  std::int32_t pid = 0;
  ProcessIdentity identity;
};

/// A vrrp_track_process gained (true) or lost its quorum.
struct QuorumChange {
  std::string tracker;
  bool quorum = false;

  friend bool operator==(const QuorumChange&, const QuorumChange&) = default;
};

/// Which processes count for which vrrp_track_process, and each tracker's
/// quorum (ProcessQuorum). Fed by a full /proc scan at start and after lost
/// events, and in between by the kernel's process events, each with what
/// /proc said about the process then [SRC core/track_process.c]:
/// - exec: the new program is matched against every tracker; it joins the
///   ones it matches and leaves the others;
/// - rename (comm change): the same, for the trackers that compare comm;
/// - fork of a counted process: the child counts wherever the parent does,
///   unread (fork_delay may apply);
/// - exit: the process leaves every tracker (terminate_delay may apply).
/// Only processes count, not threads: the caller passes thread-group ids.
///
/// NOTE: keepalived counts a process again when it execs the same matching
/// program (and once more at each such exec, until it exits); here a PID
/// counts at most once per tracker.
///
/// Pure: times are passed in; the caller arms one timer at nextDeadline()
/// and calls expire() then.
class ProcessTable {
 public:
  explicit ProcessTable(std::vector<config::TrackProcess> trackers);

  /// Start (or reload): counts from a scan, each quorum decided at once.
  void start(const std::vector<ScannedProcess>& processes);
  /// After lost events: counts from a new scan (ProcessQuorum::recount).
  std::vector<QuorumChange> rescan(const std::vector<ScannedProcess>& processes,
                                   core::TimePoint now);

  std::vector<QuorumChange> exec(std::int32_t pid, const ProcessIdentity& identity,
                                 core::TimePoint now);
  std::vector<QuorumChange> renamed(std::int32_t pid, std::string_view comm, core::TimePoint now);
  std::vector<QuorumChange> forked(std::int32_t parent, std::int32_t child, core::TimePoint now);
  std::vector<QuorumChange> exited(std::int32_t pid, core::TimePoint now);

  /// The earliest pending delay of any tracker.
  std::optional<core::TimePoint> nextDeadline() const;
  /// Decides every tracker whose delay has run out, in configuration order.
  std::vector<QuorumChange> expire(core::TimePoint now);

  /// False for an unknown tracker.
  bool hasQuorum(std::string_view tracker) const;
  std::uint32_t count(std::string_view tracker) const;
  /// True while `pid` counts for some tracker.
  bool counts(std::int32_t pid) const { return members_.count(pid) > 0; }
  const std::vector<config::TrackProcess>& trackers() const { return trackers_; }

 private:
  using Membership = std::vector<bool>;

  const ProcessQuorum* find(std::string_view tracker) const;
  /// Joins or leaves each tracker i for which `wanted(i)` has a value.
  template <typename Wanted>
  std::vector<QuorumChange> update(std::int32_t pid, core::TimePoint now, Wanted wanted);
  void report(std::size_t tracker, std::optional<bool> change, std::vector<QuorumChange>& out);
  std::vector<std::uint32_t> load(const std::vector<ScannedProcess>& processes);

  std::vector<config::TrackProcess> trackers_;
  std::vector<ProcessQuorum> quorums_;
  /// PID → which trackers it counts for (by index); only PIDs counting somewhere.
  std::map<std::int32_t, Membership> members_;
};

}  // namespace vipd::track
