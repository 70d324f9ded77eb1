#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>

#include "vipd/exec/command.h"

namespace vipd::exec {
namespace {

TEST(OutcomeTest, OnlyExitZeroSucceeds) {
  Outcome outcome;
  EXPECT_TRUE(outcome.succeeded());
  outcome.exitCode = 1;
  EXPECT_FALSE(outcome.succeeded());
  Outcome timedOut;
  timedOut.kind = OutcomeKind::TimedOut;  // exit code 0 but too late: a failure
  EXPECT_FALSE(timedOut.succeeded());
}

TEST(OutcomeTest, DescribeNamesWhatHappened) {
  Outcome exited;
  exited.exitCode = 3;
  EXPECT_EQ(describe(exited), "exited code=3");
  Outcome signaled;
  signaled.kind = OutcomeKind::Signaled;
  signaled.signal = SIGKILL;
  EXPECT_EQ(describe(signaled), "killed signal=SIGKILL");
  Outcome timedOut;
  timedOut.kind = OutcomeKind::TimedOut;
  timedOut.signal = SIGTERM;
  EXPECT_EQ(describe(timedOut), "timed out, killed signal=SIGTERM");
  Outcome failed;
  failed.kind = OutcomeKind::SpawnFailed;
  failed.failedStep = "execve";
  failed.error = ENOENT;
  EXPECT_EQ(describe(failed), "spawn failed step=execve error=No such file or directory");
}

}  // namespace
}  // namespace vipd::exec
