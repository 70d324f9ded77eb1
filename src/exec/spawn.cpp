#include "spawn.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string_view>
#include <vector>

namespace vipd::exec::detail {

namespace {

// Everything the child needs is prepared before fork(): between fork and
// execve the child of a multi-threaded process (spdlog has a thread) may only
// make async-signal-safe calls, so no allocation, no logging, no NSS.

enum class Step : int {
  Setpgid,
  Pdeathsig,
  Signals,
  Stdio,
  Setgroups,
  Setgid,
  Setuid,
  CloseFds,
  Execve
};

constexpr std::array<const char*, 9> kStepNames{"setpgid",     "prctl(PR_SET_PDEATHSIG)",
                                                "sigprocmask", "dup2",
                                                "setgroups",   "setgid",
                                                "setuid",      "close_range",
                                                "execve"};

/// What a failing child writes into the status pipe before _exit(127).
struct ChildFailure {
  Step step;
  int error;
};

struct ChildPlan {
  const char* path = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  int devNull = -1;
  int outWrite = -1;
  int statusWrite = -1;
  pid_t parent = -1;
  bool setUser = false;
  uid_t uid = 0;
  bool setGroup = false;
  gid_t gid = 0;
  int maxFd = 1024;  // close loop bound if close_range is missing
};

[[noreturn]] void failChild(const ChildPlan& plan, Step step) {
  ChildFailure failure{step, errno};
  (void)!write(plan.statusWrite, &failure, sizeof failure);
  _exit(127);
}

/// Signals: all dispositions to default, then an empty mask. The daemon blocks
/// TERM/INT/HUP for its signalfd, and the mask survives execve: a script
/// inheriting it could not be stopped with SIGTERM.
void resetSignals(const ChildPlan& plan) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  // SIGKILL, SIGSTOP and glibc's internal signals refuse; that is fine.
  for (int signo = 1; signo < NSIG; ++signo) sigaction(signo, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, nullptr) != 0) failChild(plan, Step::Signals);
}

void setupStdio(const ChildPlan& plan) {
  // The sources are all >= 3 (spawnChild ensures it), so no dup2 overwrites
  // another source; dup2 clears O_CLOEXEC on the copy.
  if (dup2(plan.devNull, 0) < 0 || dup2(plan.outWrite, 1) < 0 || dup2(plan.outWrite, 2) < 0) {
    failChild(plan, Step::Stdio);
  }
}

void dropPrivileges(const ChildPlan& plan) {
  // Groups first: after setuid we could no longer change them. The script
  // gets its gid as the only supplementary group (keepalived: setgroups(1)),
  // or none, so it never keeps root's groups.
  if (plan.setGroup || plan.setUser) {
    if (plan.setGroup ? setgroups(1, &plan.gid) != 0 : setgroups(0, nullptr) != 0) {
      failChild(plan, Step::Setgroups);
    }
  }
  if (plan.setGroup && setgid(plan.gid) != 0) failChild(plan, Step::Setgid);
  if (plan.setUser && setuid(plan.uid) != 0) failChild(plan, Step::Setuid);
}

/// Leaves only 0-2 and the status pipe (moved to 3, close-on-exec) open.
void closeOtherFds(ChildPlan& plan) {
  if (plan.statusWrite != 3) {
    if (dup2(plan.statusWrite, 3) < 0) failChild(plan, Step::CloseFds);
    plan.statusWrite = 3;
  }
  if (fcntl(3, F_SETFD, FD_CLOEXEC) != 0) failChild(plan, Step::CloseFds);
  if (close_range(4, ~0U, 0) == 0) return;
  for (int fd = 4; fd < plan.maxFd; ++fd) close(fd);  // kernels before 5.9
}

[[noreturn]] void runChild(ChildPlan plan) {
  if (setpgid(0, 0) != 0) failChild(plan, Step::Setpgid);
  if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) failChild(plan, Step::Pdeathsig);
  // The daemon may have died before prctl took effect; then nobody reaps us.
  if (getppid() != plan.parent) _exit(127);
  resetSignals(plan);
  setupStdio(plan);
  dropPrivileges(plan);
  closeOtherFds(plan);
  execve(plan.path, plan.argv, plan.envp);
  failChild(plan, Step::Execve);
}

SpawnResult failure(const char* step, int error = errno) {
  SpawnResult result;
  result.error = error;
  result.step = step;
  return result;
}

/// Moves fd above stdio, so the child's dup2 onto 0-2 never clobbers a source
/// (the daemon may run with 0-2 closed).
bool aboveStdio(util::UniqueFd& fd) {
  if (fd.get() > 2) return true;
  int moved = fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
  if (moved < 0) return false;
  fd.reset(moved);
  return true;
}

/// pidfd_open(2) by syscall: glibc 2.36's <sys/pidfd.h> lacks extern "C"
/// (fixed in 2.37), so its declaration does not link from C++.
int openPidfd(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0U)); }

/// Reaps a child that failed before execve (it _exits at once).
void reapFailedChild(pid_t pid) {
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

SpawnResult spawnChild(const Command& command) {
  if (command.argv.empty() || command.argv[0].empty() || command.argv[0][0] != '/') {
    return failure("argv[0] must be an absolute path", EINVAL);
  }
  std::vector<char*> argv;
  for (const auto& arg : command.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  static const std::string kPathEntry = std::string("PATH=") + kScriptPath;
  std::array<char*, 2> envp{const_cast<char*>(kPathEntry.c_str()), nullptr};

  util::UniqueFd devNull(open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!devNull || !aboveStdio(devNull)) return failure("open /dev/null");
  std::array<int, 2> out{};
  if (pipe2(out.data(), O_CLOEXEC) != 0) return failure("pipe2 (output)");
  util::UniqueFd outRead(out[0]), outWrite(out[1]);
  // Only our end is non-blocking: a script writing to a full pipe must wait.
  if (fcntl(outRead.get(), F_SETFL, O_NONBLOCK) != 0) return failure("fcntl O_NONBLOCK");
  std::array<int, 2> status{};
  if (pipe2(status.data(), O_CLOEXEC) != 0) return failure("pipe2 (status)");
  util::UniqueFd statusRead(status[0]), statusWrite(status[1]);
  if (!aboveStdio(outWrite) || !aboveStdio(statusWrite)) return failure("fcntl F_DUPFD_CLOEXEC");

  ChildPlan plan;
  plan.path = argv[0];
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.devNull = devNull.get();
  plan.outWrite = outWrite.get();
  plan.statusWrite = statusWrite.get();
  plan.parent = getpid();
  // Only for a real change of identity: a script running as the daemon's
  // own user and group (root's scripts) keeps its groups, as in keepalived,
  // and so needs no CAP_SETGID, which the daemon drops when no script runs as
  // another user or group.
  const bool switching =
      (command.uid && *command.uid != geteuid()) || (command.gid && *command.gid != getegid());
  plan.setUser = switching && command.uid.has_value();
  plan.uid = command.uid.value_or(0);
  plan.setGroup = switching && command.gid.has_value();
  plan.gid = command.gid.value_or(0);
  long openMax = sysconf(_SC_OPEN_MAX);
  plan.maxFd = openMax > 0 && openMax < 65536 ? static_cast<int>(openMax) : 65536;

  // All signals blocked across fork: no parent handler can run in the child
  // before it has reset the dispositions.
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  pid_t pid = fork();
  if (pid == 0) runChild(plan);
  int forkErrno = errno;
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  if (pid < 0) return failure("fork", forkErrno);

  // Also from here, so the group exists before spawnChild returns and a kill
  // of -pid cannot miss (fails harmlessly once the child has exec'd).
  setpgid(pid, pid);
  outWrite.reset();
  statusWrite.reset();
  devNull.reset();

  SpawnResult result;
  // pidfd_open cannot race with pid reuse: the child is ours and unreaped.
  result.pidfd.reset(openPidfd(pid));
  if (!result.pidfd) {
    int error = errno;
    kill(pid, SIGKILL);
    reapFailedChild(pid);
    return failure("pidfd_open", error);
  }
  ChildFailure childFailure{};
  ssize_t n;
  do {
    n = read(statusRead.get(), &childFailure, sizeof childFailure);
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof childFailure)) {
    reapFailedChild(pid);
    return failure(kStepNames[static_cast<std::size_t>(childFailure.step)], childFailure.error);
  }
  // n == 0: the status pipe closed at a successful execve.
  result.pid = pid;
  result.output = std::move(outRead);
  return result;
}

}  // namespace vipd::exec::detail
