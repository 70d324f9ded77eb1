#pragma once

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "vipd/exec/command.h"

namespace vipd::exec {

/// Runs scripts without blocking the caller. Trackers and notifiers take one by
/// reference; unit tests pass fakes::FakeProcessRunner.
///
/// NOTE: single-threaded, like the event loop it runs on. The done callback is
/// never called from inside run(), cancel() or killAll(): always later, from
/// the loop, so callers need not be re-entrant.
class ProcessRunner {
 public:
  using RunId = std::uint64_t;
  using DoneCallback = std::function<void(const Outcome&)>;

  virtual ~ProcessRunner() = default;

  /// Starts `command` and calls `onDone` exactly once when it has ended and
  /// been reaped (or could not be started: SpawnFailed), unless cancelled.
  /// Returns an id unique for the runner's lifetime (never 0).
  virtual RunId run(Command command, DoneCallback onDone) = 0;

  /// SIGKILLs the run's process group; `onDone` will not be called. The child
  /// is still reaped. Unknown or finished ids are ignored.
  virtual void cancel(RunId id) = 0;

  /// Sends `signo` to every running process group (SIGTERM at shutdown, as
  /// keepalived does). Runs end normally afterwards: their callbacks are called.
  virtual void killAll(int signo) = 0;

  /// Direct children started and not yet reaped, cancelled ones included.
  virtual std::size_t running() const = 0;
};

}  // namespace vipd::exec
