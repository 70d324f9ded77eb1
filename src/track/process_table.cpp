#include "vipd/track/process_table.h"

#include <algorithm>

namespace vipd::track {

ProcessTable::ProcessTable(std::vector<config::TrackProcess> trackers)
    : trackers_(std::move(trackers)) {
  quorums_.reserve(trackers_.size());
  for (const auto& t : trackers_) quorums_.emplace_back(t);
}

std::vector<std::uint32_t> ProcessTable::load(const std::vector<ScannedProcess>& processes) {
  members_.clear();
  std::vector<std::uint32_t> counts(trackers_.size(), 0);
  for (const ScannedProcess& p : processes) {
    Membership membership(trackers_.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < trackers_.size(); ++i) {
      if (!matchesProcess(trackers_[i], p.identity)) continue;
      membership[i] = true;
      any = true;
      ++counts[i];
    }
    if (any) members_[p.pid] = std::move(membership);
  }
  return counts;
}

void ProcessTable::start(const std::vector<ScannedProcess>& processes) {
  const auto counts = load(processes);
  for (std::size_t i = 0; i < quorums_.size(); ++i) quorums_[i].start(counts[i]);
}

std::vector<QuorumChange> ProcessTable::rescan(const std::vector<ScannedProcess>& processes,
                                               core::TimePoint now) {
  const auto counts = load(processes);
  std::vector<QuorumChange> changes;
  for (std::size_t i = 0; i < quorums_.size(); ++i) {
    report(i, quorums_[i].recount(counts[i], now), changes);
  }
  return changes;
}

void ProcessTable::report(std::size_t tracker, std::optional<bool> change,
                          std::vector<QuorumChange>& out) {
  if (change) out.push_back(QuorumChange{trackers_[tracker].name, *change});
}

// `wanted(i)`: true to count pid for tracker i, false not to, nullopt to
// leave it as it is. Joining is always a match here (forks join directly).
template <typename Wanted>
std::vector<QuorumChange> ProcessTable::update(std::int32_t pid, core::TimePoint now,
                                               Wanted wanted) {
  std::vector<QuorumChange> changes;
  auto it = members_.find(pid);
  Membership membership =
      it == members_.end() ? Membership(trackers_.size(), false) : std::move(it->second);
  for (std::size_t i = 0; i < trackers_.size(); ++i) {
    const std::optional<bool> want = wanted(i);
    if (!want || *want == membership[i]) continue;
    membership[i] = *want;
    report(i,
           *want ? quorums_[i].joined(ProcessJoined::Matched, now)
                 : quorums_[i].left(ProcessLeft::Unmatched, now),
           changes);
  }
  const bool any = std::find(membership.begin(), membership.end(), true) != membership.end();
  if (any) {
    members_[pid] = std::move(membership);
  } else if (it != members_.end()) {
    members_.erase(it);
  }
  return changes;
}

// [SRC check_process]: after an exec every tracker looks at the new program.
std::vector<QuorumChange> ProcessTable::exec(std::int32_t pid, const ProcessIdentity& identity,
                                             core::TimePoint now) {
  return update(pid, now, [&](std::size_t i) -> std::optional<bool> {
    return matchesProcess(trackers_[i], identity);
  });
}

// [SRC check_process_comm_change]: full_command trackers ignore renames.
std::vector<QuorumChange> ProcessTable::renamed(std::int32_t pid, std::string_view comm,
                                                core::TimePoint now) {
  const ProcessIdentity identity{std::string(comm), {}};
  return update(pid, now, [&](std::size_t i) -> std::optional<bool> {
    if (trackers_[i].fullCommand) return std::nullopt;
    return matchesProcess(trackers_[i], identity);
  });
}

// [SRC check_process_fork]: the child inherits the parent's program and name.
std::vector<QuorumChange> ProcessTable::forked(std::int32_t parent, std::int32_t child,
                                               core::TimePoint now) {
  std::vector<QuorumChange> changes;
  const auto from = members_.find(parent);
  if (from == members_.end() || parent == child) return changes;
  const Membership inherited = from->second;
  Membership& membership = members_[child];
  if (membership.empty()) membership.assign(trackers_.size(), false);
  for (std::size_t i = 0; i < trackers_.size(); ++i) {
    if (!inherited[i] || membership[i]) continue;
    membership[i] = true;
    report(i, quorums_[i].joined(ProcessJoined::Forked, now), changes);
  }
  return changes;
}

// [SRC check_process_termination]
std::vector<QuorumChange> ProcessTable::exited(std::int32_t pid, core::TimePoint now) {
  std::vector<QuorumChange> changes;
  const auto it = members_.find(pid);
  if (it == members_.end()) return changes;
  for (std::size_t i = 0; i < trackers_.size(); ++i) {
    if (it->second[i]) report(i, quorums_[i].left(ProcessLeft::Exited, now), changes);
  }
  members_.erase(it);
  return changes;
}

std::optional<core::TimePoint> ProcessTable::nextDeadline() const {
  std::optional<core::TimePoint> earliest;
  for (const ProcessQuorum& q : quorums_) {
    const auto d = q.deadline();
    if (d && (!earliest || *d < *earliest)) earliest = d;
  }
  return earliest;
}

std::vector<QuorumChange> ProcessTable::expire(core::TimePoint now) {
  std::vector<QuorumChange> changes;
  for (std::size_t i = 0; i < quorums_.size(); ++i) report(i, quorums_[i].expire(now), changes);
  return changes;
}

const ProcessQuorum* ProcessTable::find(std::string_view tracker) const {
  for (std::size_t i = 0; i < trackers_.size(); ++i) {
    if (trackers_[i].name == tracker) return &quorums_[i];
  }
  return nullptr;
}

bool ProcessTable::hasQuorum(std::string_view tracker) const {
  const ProcessQuorum* q = find(tracker);
  return q != nullptr && q->hasQuorum();
}

std::uint32_t ProcessTable::count(std::string_view tracker) const {
  const ProcessQuorum* q = find(tracker);
  return q == nullptr ? 0 : q->count();
}

}  // namespace vipd::track
