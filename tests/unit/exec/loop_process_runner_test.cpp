#include "vipd/exec/loop_process_runner.h"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "vipd/daemon/event_loop.h"

namespace vipd::exec {
namespace {

using namespace std::chrono_literals;

// These tests spawn real /bin/sh children and drive a real EventLoop until a
// condition holds, bounded by a deadline: no test sleeps.

/// State of a process from /proc/PID/stat; '\0' when it does not exist.
char processState(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return '\0';
  auto paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() ? '\0' : stat[paren + 2];
}

/// Gone, or a zombie that is not ours (a killed orphan waiting for init).
bool processGone(pid_t pid) {
  char state = processState(pid);
  return state == '\0' || state == 'Z' || state == 'X';
}

/// Zombie children of this process, from /proc.
std::vector<pid_t> ourZombies() {
  std::vector<pid_t> zombies;
  struct CloseDir {
    void operator()(DIR* dir) const { closedir(dir); }
  };
  std::unique_ptr<DIR, CloseDir> proc(opendir("/proc"));
  const std::string self = std::to_string(getpid());
  while (auto* entry = readdir(proc.get())) {
    pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (pid <= 0) continue;
    std::ifstream in(std::string("/proc/") + entry->d_name + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) continue;
    auto paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream rest(stat.substr(paren + 2));
    char state;
    std::string ppid;
    rest >> state >> ppid;
    if (state == 'Z' && ppid == self) zombies.push_back(pid);
  }
  return zombies;
}

class LoopProcessRunnerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    runner_.reset();  // kills and reaps whatever a failed test left running
    EXPECT_TRUE(ourZombies().empty());
    errno = 0;
    EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
  }

  Command sh(std::string script) {
    Command command;
    command.name = "test";
    command.argv = {"/bin/sh", "-c", std::move(script)};
    command.onOutput = [this](std::string_view line) { lines_.emplace_back(line); };
    return command;
  }

  /// Runs the loop until `done` holds or `limit` passes; returns done().
  bool runUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) loop_.runOnce(20ms);
    return done();
  }

  Outcome runToEnd(Command command) {
    std::optional<Outcome> outcome;
    runner_->run(std::move(command), [&](const Outcome& o) { outcome = o; });
    EXPECT_TRUE(runUntil([&] { return outcome.has_value(); })) << "the run never ended";
    return outcome.value_or(Outcome{});
  }

  daemon::EventLoop loop_;
  LoopReactor<daemon::EventLoop> reactor_{loop_};
  std::unique_ptr<LoopProcessRunner> runner_ = std::make_unique<LoopProcessRunner>(reactor_);
  std::vector<std::string> lines_;
};

TEST_F(LoopProcessRunnerTest, ExitCodeIsReported) {
  auto outcome = runToEnd(sh("exit 3"));
  EXPECT_EQ(outcome.kind, OutcomeKind::Exited);
  EXPECT_EQ(outcome.exitCode, 3);
  EXPECT_FALSE(outcome.succeeded());
  EXPECT_TRUE(runToEnd(sh("true")).succeeded());
  EXPECT_EQ(runner_->running(), 0u);
}

TEST_F(LoopProcessRunnerTest, DeathBySignalIsReported) {
  auto outcome = runToEnd(sh("kill -USR1 $$"));
  EXPECT_EQ(outcome.kind, OutcomeKind::Signaled);
  EXPECT_EQ(outcome.signal, SIGUSR1);
}

TEST_F(LoopProcessRunnerTest, RuntimeIsMeasured) {
  auto outcome = runToEnd(sh("true"));
  EXPECT_GT(outcome.runtime.count(), 0);
  EXPECT_LT(outcome.runtime, 10s);
}

TEST_F(LoopProcessRunnerTest, TimeoutKillsTheWholeGroup) {
  auto command = sh("sleep 100 & echo $!; echo $$; sleep 100");
  command.timeout = 300ms;
  auto outcome = runToEnd(std::move(command));
  EXPECT_EQ(outcome.kind, OutcomeKind::TimedOut);
  EXPECT_EQ(outcome.signal, SIGTERM);
  EXPECT_FALSE(outcome.succeeded());
  EXPECT_GE(outcome.runtime, 300ms);
  ASSERT_EQ(lines_.size(), 2u);
  pid_t grandchild = std::stoi(lines_[0]);
  pid_t child = std::stoi(lines_[1]);
  EXPECT_TRUE(processGone(child));
  // SIGKILL was sent before the leader was reaped; delivery is asynchronous.
  EXPECT_TRUE(runUntil([&] { return processGone(grandchild); }, 5s)) << "grandchild survived";
}

TEST_F(LoopProcessRunnerTest, TimeoutEscalatesToSigkillWhenSigtermIsIgnored) {
  auto command = sh("trap '' TERM; sleep 100 & echo $!; sleep 100");
  command.timeout = 200ms;
  command.killGrace = 200ms;
  auto outcome = runToEnd(std::move(command));
  EXPECT_EQ(outcome.kind, OutcomeKind::TimedOut);
  EXPECT_EQ(outcome.signal, SIGKILL);
  EXPECT_GE(outcome.runtime, 400ms);
  ASSERT_EQ(lines_.size(), 1u);
  pid_t grandchild = std::stoi(lines_[0]);
  EXPECT_TRUE(runUntil([&] { return processGone(grandchild); }, 5s)) << "grandchild survived";
}

TEST_F(LoopProcessRunnerTest, GrandchildIgnoringSigtermDiesWhenTheTimedOutLeaderExits) {
  // The leader dies of the timeout's SIGTERM; the grandchild ignores it. The
  // group is SIGKILLed before the leader is reaped, not after the long grace.
  auto command = sh("(trap '' TERM; exec sleep 100) & echo $!; sleep 100");
  command.timeout = 200ms;
  command.killGrace = 60s;
  auto outcome = runToEnd(std::move(command));
  EXPECT_EQ(outcome.kind, OutcomeKind::TimedOut);
  EXPECT_EQ(outcome.signal, SIGTERM);
  EXPECT_LT(outcome.runtime, 10s);
  ASSERT_EQ(lines_.size(), 1u);
  pid_t grandchild = std::stoi(lines_[0]);
  EXPECT_TRUE(runUntil([&] { return processGone(grandchild); }, 5s)) << "grandchild survived";
}

TEST_F(LoopProcessRunnerTest, ZeroKillGraceSigkillsAtTheTimeout) {
  auto command = sh("trap '' TERM; sleep 100");
  command.timeout = 100ms;
  command.killGrace = 0ms;
  auto outcome = runToEnd(std::move(command));
  EXPECT_EQ(outcome.kind, OutcomeKind::TimedOut);
  EXPECT_EQ(outcome.signal, SIGKILL);
}

TEST_F(LoopProcessRunnerTest, OutputLinesAreCapturedInOrderAcrossReads) {
  auto outcome =
      runToEnd(sh("echo one; echo two >&2; printf 'thr'; sleep 0.05; printf 'ee\\nfour'"));
  EXPECT_TRUE(outcome.succeeded());
  EXPECT_EQ(lines_, (std::vector<std::string>{"one", "two", "three", "four"}));
  EXPECT_EQ(outcome.output.lines, 4u);
}

TEST_F(LoopProcessRunnerTest, MegabytesOfOutputAreCappedAndCounted) {
  constexpr std::uint64_t kTotal = 4'000'000;
  auto outcome = runToEnd(sh("yes 0123456789 | head -c " + std::to_string(kTotal)));
  EXPECT_TRUE(outcome.succeeded());
  const auto& out = outcome.output;
  EXPECT_LE(out.bytesKept, 64u * 1024u);
  EXPECT_EQ(out.lines, 64u * 1024u / 10u);
  EXPECT_EQ(lines_.size(), out.lines);
  EXPECT_EQ(out.bytesKept + out.lines + out.bytesDropped, kTotal);
}

TEST_F(LoopProcessRunnerTest, LongLineIsTruncated) {
  auto outcome = runToEnd(sh("head -c 10000 /dev/zero | tr '\\0' x; echo; echo short"));
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_EQ(lines_[0], std::string(4096, 'x'));
  EXPECT_EQ(lines_[1], "short");
  EXPECT_EQ(outcome.output.linesTruncated, 1u);
  EXPECT_EQ(outcome.output.bytesDropped, 10000u - 4096u);
}

TEST_F(LoopProcessRunnerTest, ChildGetsOnlyStdinStdoutStderr) {
  // A descriptor without O_CLOEXEC, as a careless library might leave one.
  int leaky = open("/dev/null", O_RDONLY);
  ASSERT_GE(leaky, 3);
  ASSERT_EQ(fcntl(leaky, F_GETFD) & FD_CLOEXEC, 0);
  // ls runs as a child of the shell and lists the shell's descriptors.
  auto outcome = runToEnd(sh("ls /proc/$$/fd; readlink /proc/$$/fd/0"));
  close(leaky);
  EXPECT_TRUE(outcome.succeeded());
  EXPECT_EQ(lines_, (std::vector<std::string>{"0", "1", "2", "/dev/null"}));
}

TEST_F(LoopProcessRunnerTest, ChildHasNoBlockedOrIgnoredSignals) {
  loop_.onSignal(SIGTERM, [] {});  // blocks SIGTERM in this process, as the daemon does
  struct sigaction ignore {
  }, saved{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGUSR2, &ignore, &saved);
  auto outcome = runToEnd(sh("exec grep -E '^Sig(Blk|Ign):' /proc/self/status"));
  sigaction(SIGUSR2, &saved, nullptr);
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  sigprocmask(SIG_UNBLOCK, &term, nullptr);
  EXPECT_TRUE(outcome.succeeded());
  EXPECT_EQ(lines_,
            (std::vector<std::string>{"SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"}));
}

TEST_F(LoopProcessRunnerTest, EnvironmentIsExactlyTheMinimalPath) {
  setenv("VIPD_TEST_SECRET", "leak", 1);
  Command command = sh("");
  command.argv = {"/usr/bin/env"};
  auto outcome = runToEnd(std::move(command));
  unsetenv("VIPD_TEST_SECRET");
  EXPECT_TRUE(outcome.succeeded());
  EXPECT_EQ(lines_, (std::vector<std::string>{std::string("PATH=") + kScriptPath}));
}

TEST_F(LoopProcessRunnerTest, ChildIsItsOwnProcessGroupLeader) {
  auto outcome = runToEnd(sh("echo $$; ps -o pgid= -p $$"));
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_EQ(std::stoi(lines_[0]), std::stoi(lines_[1]));
  EXPECT_NE(std::stoi(lines_[1]), getpgrp());
}

TEST_F(LoopProcessRunnerTest, RunsAsTheConfiguredUserAndGroupOnly) {
  if (geteuid() != 0) GTEST_SKIP() << "switching users needs root";
  auto command = sh("id -u; id -g; id -G");
  command.uid = 65534;
  command.gid = 65534;
  auto outcome = runToEnd(std::move(command));
  EXPECT_TRUE(outcome.succeeded());
  EXPECT_EQ(lines_, (std::vector<std::string>{"65534", "65534", "65534"}));
}

// The daemon's own identity (root's scripts): no set*id call at all, so it
// needs no CAP_SETGID (dropped after start) and keeps its groups, as in
// keepalived. Before, setgroups({gid}) replaced them.
TEST_F(LoopProcessRunnerTest, TheDaemonsOwnUserAndGroupAreNotSwitchedTo) {
  if (geteuid() != 0) GTEST_SKIP() << "changing the test's groups needs root";
  std::vector<gid_t> saved(static_cast<std::size_t>(getgroups(0, nullptr)));
  getgroups(static_cast<int>(saved.size()), saved.data());
  const gid_t extra[] = {4};  // "adm": any group but the gid itself
  ASSERT_EQ(setgroups(1, extra), 0);
  auto command = sh("id -G");
  command.uid = geteuid();
  command.gid = getegid();
  auto outcome = runToEnd(std::move(command));
  setgroups(saved.size(), saved.data());
  EXPECT_TRUE(outcome.succeeded());
  EXPECT_EQ(lines_, (std::vector<std::string>{std::to_string(getegid()) + " 4"}));
}

TEST_F(LoopProcessRunnerTest, MissingProgramIsASpawnFailureReportedLater) {
  Command command = sh("");
  command.argv = {"/nonexistent/vipd-script"};
  std::optional<Outcome> outcome;
  runner_->run(std::move(command), [&](const Outcome& o) { outcome = o; });
  EXPECT_FALSE(outcome.has_value()) << "reported from inside run()";
  EXPECT_EQ(runner_->running(), 0u);
  ASSERT_TRUE(runUntil([&] { return outcome.has_value(); }));
  EXPECT_EQ(outcome->kind, OutcomeKind::SpawnFailed);
  EXPECT_EQ(outcome->failedStep, "execve");
  EXPECT_EQ(outcome->error, ENOENT);
  EXPECT_EQ(describe(*outcome), "spawn failed step=execve error=No such file or directory");
}

TEST_F(LoopProcessRunnerTest, RelativeProgramIsRefused) {
  Command command = sh("");
  command.argv = {"sh", "-c", "true"};
  auto outcome = runToEnd(std::move(command));
  EXPECT_EQ(outcome.kind, OutcomeKind::SpawnFailed);
  EXPECT_EQ(outcome.error, EINVAL);
}

TEST_F(LoopProcessRunnerTest, CancelKillsTheGroupWithoutCallingBack) {
  bool called = false;
  auto id = runner_->run(sh("sleep 100 & echo $!; echo $$; sleep 100"),
                         [&](const Outcome&) { called = true; });
  ASSERT_TRUE(runUntil([&] { return lines_.size() == 2; }));
  pid_t grandchild = std::stoi(lines_[0]);
  pid_t child = std::stoi(lines_[1]);
  runner_->cancel(id);
  EXPECT_EQ(runner_->running(), 1u) << "counted until reaped";
  ASSERT_TRUE(runUntil([&] { return runner_->running() == 0; }));
  EXPECT_FALSE(called);
  EXPECT_TRUE(processGone(child));
  EXPECT_TRUE(runUntil([&] { return processGone(grandchild); }, 5s));
  runner_->cancel(id);  // unknown by now: ignored
}

TEST_F(LoopProcessRunnerTest, KillAllSignalsEveryRunAndTheyEndNormally) {
  std::vector<Outcome> outcomes;
  auto collect = [&](const Outcome& o) { outcomes.push_back(o); };
  runner_->run(sh("echo a; sleep 100"), collect);
  runner_->run(sh("echo b; sleep 100"), collect);
  EXPECT_EQ(runner_->running(), 2u);
  ASSERT_TRUE(runUntil([&] { return lines_.size() == 2; }));
  runner_->killAll(SIGTERM);
  ASSERT_TRUE(runUntil([&] { return outcomes.size() == 2; }));
  for (const auto& outcome : outcomes) {
    EXPECT_EQ(outcome.kind, OutcomeKind::Signaled);
    EXPECT_EQ(outcome.signal, SIGTERM);
  }
}

TEST_F(LoopProcessRunnerTest, DaemonizedGrandchildDoesNotKeepTheRunAlive) {
  // The background sleep inherits the output pipe and keeps it open.
  auto outcome = runToEnd(sh("sleep 100 & echo $!; echo done"));
  EXPECT_TRUE(outcome.succeeded());
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_EQ(lines_[1], "done");
  EXPECT_LT(outcome.runtime, 5s);
  pid_t grandchild = std::stoi(lines_[0]);
  EXPECT_FALSE(processGone(grandchild)) << "a normal exit leaves background processes alone";
  kill(grandchild, SIGKILL);
}

TEST_F(LoopProcessRunnerTest, DestroyingTheRunnerKillsAndReapsEverything) {
  bool called = false;
  runner_->run(sh("echo $$; sleep 100"), [&](const Outcome&) { called = true; });
  ASSERT_TRUE(runUntil([&] { return lines_.size() == 1; }));
  pid_t child = std::stoi(lines_[0]);
  runner_.reset();
  EXPECT_FALSE(called);
  EXPECT_EQ(processState(child), '\0') << "reaped, not a zombie";
}

TEST_F(LoopProcessRunnerTest, DoneCallbackMayStartTheNextRun) {
  int finished = 0;
  std::function<void(const Outcome&)> again = [&](const Outcome&) {
    if (++finished < 3) runner_->run(sh("echo run"), again);
  };
  runner_->run(sh("echo run"), again);
  ASSERT_TRUE(runUntil([&] { return finished == 3; }));
  EXPECT_EQ(lines_.size(), 3u);
}

TEST_F(LoopProcessRunnerTest, OutputWithoutCallbackGoesToTheLog) {
  Command command = sh("echo logged");
  command.onOutput = nullptr;
  auto outcome = runToEnd(std::move(command));
  EXPECT_TRUE(outcome.succeeded());
  EXPECT_EQ(outcome.output.lines, 1u);
  EXPECT_TRUE(lines_.empty());
}

}  // namespace
}  // namespace vipd::exec
