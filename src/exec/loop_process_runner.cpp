#include "vipd/exec/loop_process_runner.h"

#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>

#include "exec_log.h"
#include "spawn.h"

namespace vipd::exec {

namespace {
constexpr std::size_t kReadChunk = 16 * 1024;
}

struct LoopProcessRunner::Run {
  Run(Command cmd, DoneCallback done, LineSplitter::Limits limits)
      : command(std::move(cmd)),
        onDone(std::move(done)),
        splitter(limits, command.onOutput ? command.onOutput : logOutputLine(command.name)) {}

  Command command;
  DoneCallback onDone;
  LineSplitter splitter;
  pid_t pid = -1;
  util::UniqueFd pidfd;
  util::UniqueFd output;
  daemon::Scheduler::Clock::time_point started;
  std::optional<daemon::Scheduler::TimerId> timeoutTimer;
  std::optional<daemon::Scheduler::TimerId> graceTimer;
  std::optional<daemon::Scheduler::TimerId> failureTimer;  // SpawnFailed delivery
  std::optional<Outcome> spawnFailure;
  bool timedOut = false;
  bool cancelled = false;
};

LoopProcessRunner::LoopProcessRunner(Reactor& reactor, Options options)
    : reactor_(reactor), options_(options) {}

LoopProcessRunner::~LoopProcessRunner() {
  for (auto& [id, run] : runs_) {
    cancelTimers(*run);
    if (run->pid < 0) continue;
    reactor_.removeReader(run->pidfd.get());
    reapNow(*run);
  }
}

LoopProcessRunner::Run* LoopProcessRunner::find(RunId id) {
  auto it = runs_.find(id);
  return it == runs_.end() ? nullptr : it->second.get();
}

std::size_t LoopProcessRunner::running() const {
  std::size_t count = 0;
  for (const auto& [id, run] : runs_) count += run->pid > 0 ? 1 : 0;
  return count;
}

ProcessRunner::RunId LoopProcessRunner::run(Command command, DoneCallback onDone) {
  RunId id = nextId_++;
  auto run = std::make_unique<Run>(std::move(command), std::move(onDone), options_.limits);
  run->started = reactor_.now();
  auto child = detail::spawnChild(run->command);
  if (child.pid < 0) return reportLater(id, std::move(run), child.error, child.step);
  run->pid = child.pid;
  run->pidfd = std::move(child.pidfd);
  run->output = std::move(child.output);
  try {
    reactor_.addReader(run->pidfd.get(), [this, id] { onExit(id); });
    reactor_.addReader(run->output.get(), [this, id] { readOutput(id); });
  } catch (const std::system_error& e) {
    // Unwatched, the child would never be reaped: kill and reap it now.
    reactor_.removeReader(run->pidfd.get());
    reapNow(*run);
    return reportLater(id, std::move(run), e.code().value(), "epoll_ctl (watch child)");
  }
  if (run->command.timeout.count() > 0) {
    run->timeoutTimer =
        reactor_.armTimer(run->started + run->command.timeout, [this, id] { onTimeout(id); });
  }
  execLog()->debug("script started name={} pid={} argv0={}", run->command.name, run->pid,
                   run->command.argv[0]);
  runs_.emplace(id, std::move(run));
  return id;
}

ProcessRunner::RunId LoopProcessRunner::reportLater(RunId id, std::unique_ptr<Run> run, int error,
                                                    std::string step) {
  Outcome outcome;
  outcome.kind = OutcomeKind::SpawnFailed;
  outcome.error = error;
  outcome.failedStep = std::move(step);
  run->pid = -1;
  run->spawnFailure = std::move(outcome);
  // Reported from the loop, never from inside run() (see ProcessRunner).
  run->failureTimer = reactor_.armTimer(reactor_.now(), [this, id] { deliverSpawnFailure(id); });
  runs_.emplace(id, std::move(run));
  return id;
}

void LoopProcessRunner::reapNow(Run& run) {
  stopReading(run);
  kill(-run.pid, SIGKILL);
  siginfo_t info{};
  // SIGKILL cannot be caught, so this waits only for the kernel to finish
  // the exit (long only for a process stuck in uninterruptible sleep).
  while (waitid(P_PIDFD, static_cast<id_t>(run.pidfd.get()), &info, WEXITED) < 0 &&
         errno == EINTR) {
  }
  run.pidfd.reset();
}

void LoopProcessRunner::deliverSpawnFailure(RunId id) {
  auto node = runs_.extract(id);
  if (node.empty()) return;
  Run& run = *node.mapped();
  run.spawnFailure->runtime = reactor_.now() - run.started;
  execLog()->warn("script not started name={} argv0={} result=\"{}\"", run.command.name,
                  run.command.argv.empty() ? "" : run.command.argv[0], describe(*run.spawnFailure));
  if (run.onDone) run.onDone(*run.spawnFailure);
}

void LoopProcessRunner::readOutput(RunId id) {
  Run* run = find(id);
  if (!run || !run->output) return;
  // One chunk per wake-up: a chatty script cannot starve the other descriptors.
  std::array<char, kReadChunk> buffer;
  ssize_t n = read(run->output.get(), buffer.data(), buffer.size());
  if (n > 0) {
    run->splitter.feed({buffer.data(), static_cast<std::size_t>(n)});
  } else if (n == 0) {
    stopReading(*run);  // every writer closed; the exit is reported via the pidfd
  } else if (errno != EAGAIN && errno != EINTR) {
    execLog()->warn("script output read failed name={} pid={} error=\"{}\"", run->command.name,
                    run->pid, std::strerror(errno));
    stopReading(*run);
  }
}

void LoopProcessRunner::stopReading(Run& run) {
  if (!run.output) return;
  reactor_.removeReader(run.output.get());
  run.output.reset();
}

void LoopProcessRunner::drain(Run& run) {
  std::array<char, kReadChunk> buffer;
  std::size_t budget = options_.drainBytes;
  while (run.output && budget > 0) {
    ssize_t n = read(run.output.get(), buffer.data(), std::min(buffer.size(), budget));
    if (n <= 0) break;  // EOF, or EAGAIN: a background process holds the pipe
    run.splitter.feed({buffer.data(), static_cast<std::size_t>(n)});
    budget -= static_cast<std::size_t>(n);
  }
  int unread = 0;
  if (run.output && ioctl(run.output.get(), FIONREAD, &unread) == 0 && unread > 0) {
    run.splitter.countUnread(static_cast<std::size_t>(unread));
  }
  stopReading(run);
  run.splitter.finish();
}

void LoopProcessRunner::cancelTimers(Run& run) {
  for (auto* timer : {&run.timeoutTimer, &run.graceTimer, &run.failureTimer}) {
    if (*timer) reactor_.cancelTimer(**timer);
    timer->reset();
  }
}

namespace {

Outcome outcomeOf(const siginfo_t& info, bool timedOut) {
  Outcome outcome;
  if (info.si_code == CLD_EXITED) {
    outcome.kind = OutcomeKind::Exited;
    outcome.exitCode = info.si_status;
  } else {
    outcome.kind = OutcomeKind::Signaled;
    outcome.signal = info.si_status;
  }
  // A run that outlived its timeout failed, whatever ended it.
  if (timedOut) outcome.kind = OutcomeKind::TimedOut;
  return outcome;
}

}  // namespace

void LoopProcessRunner::onExit(RunId id) {
  Run* run = find(id);
  if (!run) return;
  // Before reaping: the unreaped leader keeps the group id ours.
  if (run->timedOut || run->cancelled) kill(-run->pid, SIGKILL);
  siginfo_t info{};
  if (waitid(P_PIDFD, static_cast<id_t>(run->pidfd.get()), &info, WEXITED | WNOHANG) < 0) {
    if (errno == EINTR) return;  // level-triggered: we are called again
    // ECHILD: someone else reaped it (SIGCHLD set to SIG_IGN?). Report, not hang.
    execLog()->error("script reap failed name={} pid={} error=\"{}\"", run->command.name, run->pid,
                     std::strerror(errno));
    info.si_code = CLD_KILLED;
    info.si_status = 0;
  } else if (info.si_pid == 0) {
    return;  // woken for a stale event; not exited yet
  }
  reactor_.removeReader(run->pidfd.get());
  if (!run->cancelled) drain(*run);
  cancelTimers(*run);
  auto node = runs_.extract(id);
  Outcome outcome = outcomeOf(info, run->timedOut);
  outcome.runtime = reactor_.now() - run->started;
  outcome.output = run->splitter.stats();
  if (run->cancelled) return;
  logFinished(run->command.name, run->pid, outcome);
  // Last: the callback may start or cancel runs.
  if (run->onDone) run->onDone(outcome);
}

void LoopProcessRunner::onTimeout(RunId id) {
  Run* run = find(id);
  if (!run) return;
  run->timeoutTimer.reset();
  run->timedOut = true;
  bool killNow = run->command.killGrace.count() <= 0;
  execLog()->warn("script timed out name={} pid={} timeout_ms={} signal={}", run->command.name,
                  run->pid, run->command.timeout.count(), killNow ? "SIGKILL" : "SIGTERM");
  kill(-run->pid, killNow ? SIGKILL : SIGTERM);
  if (!killNow) {
    run->graceTimer = reactor_.armTimer(reactor_.now() + run->command.killGrace,
                                        [this, id] { onGraceExpired(id); });
  }
}

void LoopProcessRunner::onGraceExpired(RunId id) {
  Run* run = find(id);
  if (!run) return;
  run->graceTimer.reset();
  execLog()->warn("script ignored SIGTERM name={} pid={} signal=SIGKILL", run->command.name,
                  run->pid);
  kill(-run->pid, SIGKILL);
}

void LoopProcessRunner::cancel(RunId id) {
  Run* run = find(id);
  if (!run) return;
  cancelTimers(*run);
  if (run->pid < 0) {
    runs_.erase(id);
    return;
  }
  // The caller may be going away: no more output or done callbacks. The
  // pidfd stays watched so that the child is still reaped.
  run->cancelled = true;
  run->onDone = nullptr;
  stopReading(*run);
  kill(-run->pid, SIGKILL);
}

void LoopProcessRunner::killAll(int signo) {
  for (auto& [id, run] : runs_) {
    if (run->pid > 0) kill(-run->pid, signo);
  }
}

}  // namespace vipd::exec
