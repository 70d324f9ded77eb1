#pragma once

#include <map>
#include <memory>
#include <string>

#include "vipd/exec/line_splitter.h"
#include "vipd/exec/process_runner.h"
#include "vipd/exec/reactor.h"

namespace vipd::exec {

/// ProcessRunner on the event loop: fork/exec (see spawnChild in
/// src/exec/spawn.h for the child's set-up), a pidfd per child watched by the
/// loop for its exit (no SIGCHLD, no races with other children), reaping with
/// waitid(P_PIDFD), and the output pipe read non-blockingly into a LineSplitter.
///
/// Lifetime of a run: it ends when the direct child exits. Then the pipe is
/// drained without blocking (at most Options::drainBytes, the rest is counted
/// as dropped) and closed. A script that daemonizes leaves its background
/// process running, as keepalived does; if that process still holds the pipe,
/// its next write gets EPIPE/SIGPIPE. A timed-out or cancelled run is
/// different: its whole group is SIGKILLed before the leader is reaped, while
/// the unreaped leader still pins the group id, so no other process can be hit.
///
/// NOTE: single-threaded; every call from the loop thread. The reactor must
/// outlive the runner. Destroying the runner SIGKILLs every group and reaps the
/// children (blocking briefly) without calling their callbacks.
class LoopProcessRunner final : public ProcessRunner {
 public:
  struct Options {
    LineSplitter::Limits limits;
    /// Read at most this much from the pipe once the child has exited.
    std::size_t drainBytes = 64 * 1024;
  };

  explicit LoopProcessRunner(Reactor& reactor) : LoopProcessRunner(reactor, Options{}) {}
  LoopProcessRunner(Reactor& reactor, Options options);
  ~LoopProcessRunner() override;
  LoopProcessRunner(const LoopProcessRunner&) = delete;
  LoopProcessRunner& operator=(const LoopProcessRunner&) = delete;

  RunId run(Command command, DoneCallback onDone) override;
  void cancel(RunId id) override;
  void killAll(int signo) override;
  std::size_t running() const override;

 private:
  struct Run;

  RunId reportLater(RunId id, std::unique_ptr<Run> run, int error, std::string step);
  void reapNow(Run& run);
  void deliverSpawnFailure(RunId id);
  void readOutput(RunId id);
  void onExit(RunId id);
  void onTimeout(RunId id);
  void onGraceExpired(RunId id);
  void stopReading(Run& run);
  void drain(Run& run);
  void cancelTimers(Run& run);
  Run* find(RunId id);

  Reactor& reactor_;
  Options options_;
  std::map<RunId, std::unique_ptr<Run>> runs_;
  RunId nextId_ = 1;
};

}  // namespace vipd::exec
