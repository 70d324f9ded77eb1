#pragma once

#include <sys/types.h>

#include <string>

#include "vipd/exec/command.h"
#include "vipd/util/unique_fd.h"

namespace vipd::exec::detail {

/// A started child: its own process group (pgid == pid), a pidfd that turns
/// readable when it exits, and the read end of its stdout+stderr pipe
/// (non-blocking). On failure pid is -1 and error/step say what failed.
struct SpawnResult {
  pid_t pid = -1;
  util::UniqueFd pidfd;
  util::UniqueFd output;
  int error = 0;
  std::string step;
};

/// Forks and execs `command` as the issue and keepalived specify: setpgid(0,0),
/// PR_SET_PDEATHSIG=SIGTERM, every signal at its default and none blocked,
/// user switch, stdin /dev/null, stdout+stderr the pipe, no other descriptor,
/// environment exactly PATH=kScriptPath.
///
/// Blocks only until the child has called execve (a status pipe closed by
/// O_CLOEXEC tells success from failure), so a failed exec or setuid is
/// reported here, with the step and errno, and the child is already reaped.
SpawnResult spawnChild(const Command& command);

}  // namespace vipd::exec::detail
