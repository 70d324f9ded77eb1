#include "vipd/track/process_quorum.h"

#include <algorithm>

namespace vipd::track {

ProcessQuorum::ProcessQuorum(std::uint32_t quorum, std::uint32_t quorumMax,
                             core::Duration forkDelay, core::Duration terminateDelay)
    : min_(quorum), max_(quorumMax), forkDelay_(forkDelay), terminateDelay_(terminateDelay) {
  quorum_ = inRange(0);
}

bool ProcessQuorum::inRange(std::uint64_t count) const { return count >= min_ && count <= max_; }

std::optional<bool> ProcessQuorum::decide(bool quorum) {
  if (quorum == quorum_) return std::nullopt;
  quorum_ = quorum;
  return quorum;
}

void ProcessQuorum::start(std::uint32_t count) {
  count_ = count;
  quorum_ = inRange(count);
  forkDeadline_.reset();
  terminateDeadline_.reset();
}

std::optional<bool> ProcessQuorum::recount(std::uint32_t count, core::TimePoint now) {
  count_ = count;
  forkDeadline_.reset();
  terminateDeadline_.reset();
  const bool want = inRange(count);
  if (want || terminateDelay_ <= core::Duration::zero()) return decide(want);
  if (quorum_) terminateDeadline_ = now + terminateDelay_;
  return std::nullopt;
}

// [SRC check_process, check_process_fork]: only reaching quorum or passing
// quorum_max matters; a fork may wait for fork_delay, an exec never does.
std::optional<bool> ProcessQuorum::joined(ProcessJoined how, core::TimePoint now) {
  ++count_;
  const bool crossed = count_ == min_ || std::uint64_t{count_} == std::uint64_t{max_} + 1;
  if (!crossed) return std::nullopt;
  if (terminateDeadline_) {
    terminateDeadline_.reset();
  } else if (how == ProcessJoined::Forked && forkDelay_ > core::Duration::zero()) {
    if (!forkDeadline_) forkDeadline_ = now + forkDelay_;
    return std::nullopt;
  }
  return decide(inRange(count_));
}

// [SRC check_process_termination, remove_process_from_track]: only leaving
// quorum or coming back to quorum_max matters; an exit may wait for
// terminate_delay, an exec or rename never does.
std::optional<bool> ProcessQuorum::left(ProcessLeft how, core::TimePoint now) {
  if (count_ == 0) return std::nullopt;  // not counted: nothing to undo
  const std::uint32_t before = count_--;
  const bool crossed = before == min_ || count_ == max_;
  if (!crossed) return std::nullopt;
  if (forkDeadline_) {
    forkDeadline_.reset();
  } else if (how == ProcessLeft::Exited && terminateDelay_ > core::Duration::zero()) {
    if (!terminateDeadline_) terminateDeadline_ = now + terminateDelay_;
    return std::nullopt;
  }
  return decide(inRange(count_));
}

std::optional<core::TimePoint> ProcessQuorum::deadline() const {
  if (forkDeadline_ && terminateDeadline_) return std::min(*forkDeadline_, *terminateDeadline_);
  return forkDeadline_ ? forkDeadline_ : terminateDeadline_;
}

std::optional<bool> ProcessQuorum::expire(core::TimePoint now) {
  bool due = false;
  for (auto* deadline : {&forkDeadline_, &terminateDeadline_}) {
    if (*deadline && **deadline <= now) {
      deadline->reset();
      due = true;
    }
  }
  if (!due) return std::nullopt;
  return decide(inRange(count_));
}

}  // namespace vipd::track
