#include "fakes/fake_process_runner.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

namespace vipd::fakes {
namespace {

exec::Command command(std::string name) {
  exec::Command cmd;
  cmd.name = std::move(name);
  cmd.argv = {"/bin/true"};
  return cmd;
}

TEST(FakeProcessRunnerTest, RecordsCommandsAndCompletesWithChosenOutcome) {
  FakeProcessRunner runner;
  std::vector<std::string> done;
  auto a =
      runner.run(command("a"), [&](const exec::Outcome& o) { done.push_back(exec::describe(o)); });
  auto b =
      runner.run(command("b"), [&](const exec::Outcome& o) { done.push_back(exec::describe(o)); });
  EXPECT_NE(a, b);
  EXPECT_EQ(runner.running(), 2u);
  EXPECT_EQ(runner.last().command.name, "b");
  runner.exitWith(b, 1);
  runner.timeOut(a);
  EXPECT_EQ(done, (std::vector<std::string>{"exited code=1", "timed out"}));
  EXPECT_EQ(runner.running(), 0u);
}

TEST(FakeProcessRunnerTest, CancelAndKillAllAreRecorded) {
  FakeProcessRunner runner;
  auto id = runner.run(command("a"), nullptr);
  runner.cancel(id);
  runner.killAll(SIGTERM);
  EXPECT_EQ(runner.running(), 0u);
  EXPECT_EQ(runner.cancelled(), (std::vector<exec::ProcessRunner::RunId>{id}));
  EXPECT_EQ(runner.signalsSent(), (std::vector<int>{SIGTERM}));
}

TEST(FakeProcessRunnerTest, OutputLinesReachTheCommandCallback) {
  FakeProcessRunner runner;
  std::vector<std::string> lines;
  auto cmd = command("a");
  cmd.onOutput = [&](std::string_view line) { lines.emplace_back(line); };
  auto id = runner.run(std::move(cmd), nullptr);
  runner.emitLine(id, "hello");
  EXPECT_EQ(lines, (std::vector<std::string>{"hello"}));
}

TEST(FakeProcessRunnerTest, DoneCallbackMayStartTheNextRun) {
  FakeProcessRunner runner;
  int runs = 0;
  std::function<void(const exec::Outcome&)> again = [&](const exec::Outcome&) {
    if (++runs < 3) runner.run(command("again"), again);
  };
  runner.run(command("again"), again);
  runner.exitWith(runner.last().id, 0);
  runner.exitWith(runner.last().id, 0);
  runner.exitWith(runner.last().id, 0);
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(runner.runs().size(), 3u);
}

}  // namespace
}  // namespace vipd::fakes
