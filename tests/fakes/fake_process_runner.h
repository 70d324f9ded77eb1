#pragma once

#include <cassert>
#include <string_view>
#include <utility>
#include <vector>

#include "vipd/exec/process_runner.h"

namespace vipd::fakes {

/// A ProcessRunner that runs nothing: it records each command, and the test
/// decides how and when each run ends (complete(), exitWith(), timeOut()).
///
/// Unlike the real runner, a cancelled run counts as gone at once (the real
/// one counts it in running() until the killed child is reaped).
class FakeProcessRunner final : public exec::ProcessRunner {
 public:
  struct Started {
    RunId id = 0;
    exec::Command command;
    DoneCallback onDone;
    bool cancelled = false;
    bool finished = false;
    bool active() const { return !cancelled && !finished; }
  };

  RunId run(exec::Command command, DoneCallback onDone) override {
    RunId id = next_++;
    runs_.push_back(Started{id, std::move(command), std::move(onDone)});
    return id;
  }

  void cancel(RunId id) override {
    cancelled_.push_back(id);
    if (auto* started = find(id); started && !started->finished) started->cancelled = true;
  }

  void killAll(int signo) override { signals_.push_back(signo); }

  std::size_t running() const override {
    std::size_t count = 0;
    for (const auto& started : runs_) count += started.active() ? 1 : 0;
    return count;
  }

  /// Every run() so far, in order, finished or not.
  const std::vector<Started>& runs() const { return runs_; }
  /// The most recent run(); precondition: there was one.
  const Started& last() const { return runs_.back(); }
  /// The ids passed to cancel() (also unknown ones), in order.
  const std::vector<RunId>& cancelled() const { return cancelled_; }
  /// The signals passed to killAll(), in order.
  const std::vector<int>& signalsSent() const { return signals_; }

  /// Passes `line` to the run's output callback, as if the script printed it.
  void emitLine(RunId id, std::string_view line) {
    auto* started = find(id);
    assert(started && started->active());
    if (started->command.onOutput) started->command.onOutput(line);
  }

  /// Ends an active run with `outcome`, calling its done callback (which may
  /// start new runs).
  void complete(RunId id, exec::Outcome outcome) {
    auto* started = find(id);
    assert(started && started->active());
    started->finished = true;
    auto onDone = started->onDone;  // run() from the callback may move runs_
    if (onDone) onDone(outcome);
  }

  void exitWith(RunId id, int code) {
    exec::Outcome outcome;
    outcome.kind = exec::OutcomeKind::Exited;
    outcome.exitCode = code;
    complete(id, outcome);
  }

  void timeOut(RunId id) {
    exec::Outcome outcome;
    outcome.kind = exec::OutcomeKind::TimedOut;
    complete(id, outcome);
  }

 private:
  Started* find(RunId id) {
    for (auto& started : runs_) {
      if (started.id == id) return &started;
    }
    return nullptr;
  }

  RunId next_ = 1;
  std::vector<Started> runs_;
  std::vector<RunId> cancelled_;
  std::vector<int> signals_;
};

}  // namespace vipd::fakes
