#pragma once

#include <map>
#include <utility>

#include "vipd/daemon/scheduler.h"

namespace vipd::fakes {

/// A Scheduler whose time only the test moves. advanceTo() runs every timer
/// due by then, in deadline then arming order, at its own deadline.
class FakeScheduler final : public daemon::Scheduler {
 public:
  Clock::time_point now() const override { return now_; }

  TimerId armTimer(Clock::time_point deadline, Callback callback) override {
    TimerId id = next_++;
    timers_.emplace(std::make_pair(deadline, id), std::move(callback));
    return id;
  }

  void cancelTimer(TimerId id) override {
    std::erase_if(timers_, [id](const auto& entry) { return entry.first.second == id; });
  }

  void advanceTo(Clock::time_point to) {
    while (!timers_.empty() && timers_.begin()->first.first <= to) {
      auto node = timers_.extract(timers_.begin());
      if (node.key().first > now_) now_ = node.key().first;
      node.mapped()();
    }
    if (to > now_) now_ = to;
  }
  void advance(Clock::duration by) { advanceTo(now_ + by); }

  std::size_t pending() const { return timers_.size(); }
  /// The earliest pending deadline; precondition: pending() > 0.
  Clock::time_point nextDeadline() const { return timers_.begin()->first.first; }

 private:
  Clock::time_point now_{std::chrono::hours(1)};
  TimerId next_ = 1;
  std::map<std::pair<Clock::time_point, TimerId>, Callback> timers_;
};

}  // namespace vipd::fakes
