#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <vector>

#include "vipd/daemon/prober.h"

namespace vipd::fakes {

/// A Prober that connects nowhere: it records each attempt, and the test
/// decides how and when each ends (succeed(), fail(), timeOut()).
class FakeProber final : public daemon::Prober {
 public:
  struct Started {
    ProbeId id = 0;
    config::NativeProbe probe;
    daemon::Scheduler::Clock::time_point deadline;
    DoneCallback onDone;
    bool cancelled = false;
    bool finished = false;
    bool active() const { return !cancelled && !finished; }
  };

  ProbeId start(const config::NativeProbe& probe, daemon::Scheduler::Clock::time_point deadline,
                DoneCallback onDone) override {
    const ProbeId id = next_++;
    attempts_.push_back(Started{id, probe, deadline, std::move(onDone)});
    return id;
  }

  void cancel(ProbeId id) override {
    cancelled_.push_back(id);
    if (auto* started = find(id); started && !started->finished) started->cancelled = true;
  }

  /// Every start() so far, in order.
  const std::vector<Started>& attempts() const { return attempts_; }
  /// The most recent start(); precondition: there was one.
  const Started& last() const { return attempts_.back(); }
  /// The ids passed to cancel(), in order.
  const std::vector<ProbeId>& cancelled() const { return cancelled_; }
  std::size_t active() const {
    std::size_t count = 0;
    for (const auto& started : attempts_) count += started.active() ? 1 : 0;
    return count;
  }

  /// Ends an active attempt, calling its done callback (which may start more).
  void complete(ProbeId id, daemon::ProbeStatus status, std::string detail) {
    auto* started = find(id);
    assert(started && started->active());
    started->finished = true;
    auto onDone = started->onDone;  // start() from the callback may move attempts_
    if (onDone) onDone(daemon::ProbeOutcome{status, std::move(detail)});
  }
  void succeed(ProbeId id) { complete(id, daemon::ProbeStatus::Success, "connected"); }
  void fail(ProbeId id, std::string detail = "connection refused") {
    complete(id, daemon::ProbeStatus::Failure, std::move(detail));
  }
  /// Ends the latest attempt.
  void succeedLast() { succeed(last().id); }
  void failLast(std::string detail = "connection refused") { fail(last().id, std::move(detail)); }

 private:
  Started* find(ProbeId id) {
    for (auto& started : attempts_) {
      if (started.id == id) return &started;
    }
    return nullptr;
  }

  ProbeId next_ = 1;
  std::vector<Started> attempts_;
  std::vector<ProbeId> cancelled_;
};

}  // namespace vipd::fakes
