#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vipd/exec/command.h"
#include "vipd/exec/process_runner.h"
#include "vipd/notify/notify_event.h"

namespace vipd::notify {

/// What the runs of one queue came to, for `vipctl stats` and the metrics.
struct NotifyStats {
  /// Runs that ended (cancelled ones at shutdown are not counted).
  std::uint64_t runs = 0;
  /// Runs that did not exit 0: non-zero exit, signal, spawn failure, timeout.
  std::uint64_t failures = 0;
  /// Runs killed at the timeout (counted in failures too).
  std::uint64_t timeouts = 0;
  std::optional<std::chrono::steady_clock::duration> lastRuntime;
};

/// Runs one instance's (or group's) notify scripts strictly one after another,
/// in the order the transitions happened: the next run starts only when the
/// previous one has ended. keepalived forks them all at once, so they overlap
/// and may finish out of order [GH#996, GH#1055; reference §5 item 6]; the
/// argv each script gets is unchanged.
///
/// Every run gets a sequence number (1, 2, ... per queue) and a timeout, and
/// one log line when it ends: sequence, script, state, exit status, runtime.
/// notify_stop gets the same timeout as the others; keepalived SIGKILLs it
/// after 1 s, which users see as "notify_stop works intermittently" [GH#2239].
///
/// NOTE: single-threaded (the loop's thread). Never blocks: runs are
/// asynchronous on the exec::ProcessRunner, which must outlive the queue.
/// Destroying the queue cancels its running script (SIGKILL to its group).
class NotifyQueue {
 public:
  struct Options {
    /// Per run; at expiry the script's group gets SIGTERM, SIGKILL 1 s later.
    std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  };

  /// `owner` names the instance or group in log lines.
  NotifyQueue(exec::ProcessRunner& runner, std::string owner, Options options);
  NotifyQueue(exec::ProcessRunner& runner, std::string owner)
      : NotifyQueue(runner, std::move(owner), Options{}) {}
  ~NotifyQueue();
  NotifyQueue(const NotifyQueue&) = delete;
  NotifyQueue& operator=(const NotifyQueue&) = delete;

  /// Queues the commands of one transition to `state`, in order; starts the
  /// first at once if nothing is running. Each command's timeout is replaced
  /// by Options::timeout. An empty list does nothing.
  void enqueue(NotifyState state, std::vector<exec::Command> commands);

  /// Nothing running and nothing waiting.
  bool idle() const { return running_ == 0 && pending_.empty(); }
  /// Runs waiting behind the running one.
  std::size_t pending() const { return pending_.size(); }
  /// Called each time the last queued run ends (never from enqueue() or
  /// cancelAll()); the daemon waits for this at shutdown, bounded by a timer.
  void onIdle(std::function<void()> callback) { onIdle_ = std::move(callback); }

  /// Drops the waiting runs and SIGKILLs the running one (its end is not
  /// logged as a result, and onIdle is not called: the caller knows).
  void cancelAll();

  /// The sequence number the last queued run got (0: none yet).
  std::uint64_t lastSequence() const { return nextSequence_ - 1; }

  /// notify_timeout changed (a reload): applies to the runs queued from now on.
  void setTimeout(std::chrono::milliseconds timeout) { options_.timeout = timeout; }
  std::chrono::milliseconds timeout() const { return options_.timeout; }

  const NotifyStats& stats() const { return stats_; }
  /// Zeroes the counters (vipctl clear-stats).
  void clearStats() { stats_ = {}; }
  /// Continues the counters of the queue this one replaces (a reload that
  /// gives the instance a new notifier).
  void continueStats(const NotifyStats& previous) { stats_ = previous; }

 private:
  struct Job {
    std::uint64_t sequence = 0;
    NotifyState state = NotifyState::Backup;
    exec::Command command;
  };

  void startNext();
  void finished(const Job& job, const exec::Outcome& outcome);

  exec::ProcessRunner& runner_;
  std::string owner_;
  Options options_;
  std::deque<Job> pending_;
  exec::ProcessRunner::RunId running_ = 0;  // 0: none
  std::uint64_t nextSequence_ = 1;
  std::function<void()> onIdle_;
  NotifyStats stats_;
};

}  // namespace vipd::notify
