#include "vipd/daemon/script_checks.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include "fakes/fake_process_runner.h"
#include "fakes/fake_scheduler.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;

config::VrrpScript script(const std::string& name, std::uint32_t rise = 1,
                          std::uint32_t fall = 1) {
  config::VrrpScript s;
  s.name = name;
  s.argv = {"/usr/local/bin/" + name};
  s.interval = 2s;
  s.timeout = 1s;
  s.rise = rise;
  s.fall = fall;
  return s;
}

class ScriptChecksTest : public ::testing::Test {
 protected:
  void make(std::vector<config::VrrpScript> scripts,
            std::function<bool(const std::string&)> resolvable = nullptr) {
    std::vector<track::ScheduledScript> schedule;
    for (auto& s : scripts) schedule.push_back({s, {"VI_1"}});
    auto resolve = [resolvable](const config::VrrpScript& s) -> std::optional<exec::Command> {
      if (resolvable && !resolvable(s.name)) return std::nullopt;
      exec::Command c;
      c.name = "vrrp_script " + s.name;
      c.argv = s.argv;
      return c;
    };
    auto log = std::make_shared<spdlog::logger>("test",
                                                std::make_shared<spdlog::sinks::null_sink_mt>());
    checks_ = std::make_unique<ScriptChecks>(schedule, clock_, runner_, resolve, log);
    checks_->start([this](const std::string& name, bool good) {
      changes_.push_back(name + (good ? " GOOD" : " BAD"));
    });
  }

  /// Ends the most recent run of the script with `code`.
  void finish(int code) { runner_.exitWith(runner_.last().id, code); }

  fakes::FakeScheduler clock_;
  fakes::FakeProcessRunner runner_;
  std::unique_ptr<ScriptChecks> checks_;
  std::vector<std::string> changes_;
};

TEST_F(ScriptChecksTest, RunsAtStartThenEveryIntervalWithItsTimeout) {
  make({script("chk")});
  ASSERT_EQ(runner_.runs().size(), 1u);
  EXPECT_EQ(runner_.last().command.argv, std::vector<std::string>{"/usr/local/bin/chk"});
  EXPECT_EQ(runner_.last().command.timeout, 1000ms);
  finish(0);
  clock_.advance(1999ms);
  EXPECT_EQ(runner_.runs().size(), 1u);
  clock_.advance(1ms);
  EXPECT_EQ(runner_.runs().size(), 2u);
}

TEST_F(ScriptChecksTest, ReportsOnlyStatusChangesThroughRiseAndFall) {
  make({script("chk", 2, 2)});
  finish(0);  // first run decides: GOOD
  for (int code : {1, 0, 1, 1, 0, 0}) {
    clock_.advance(2s);
    finish(code);
  }
  // 1 (fall 1 of 2), 0 (back up), 1, 1 (BAD), 0 (rise 1 of 2), 0 (GOOD).
  EXPECT_EQ(changes_, (std::vector<std::string>{"chk GOOD", "chk BAD", "chk GOOD"}));
}

TEST_F(ScriptChecksTest, ATimeoutIsAFailure) {
  make({script("chk")});
  runner_.timeOut(runner_.last().id);
  EXPECT_EQ(changes_, std::vector<std::string>{"chk BAD"});
  EXPECT_EQ(checks_->stats("chk")->timeouts, 1u);
  EXPECT_EQ(checks_->stats("chk")->failures, 1u);
}

TEST_F(ScriptChecksTest, ARunStillGoingAtTheNextIntervalIsNotStartedAgain) {
  make({script("chk")});
  clock_.advance(2s);
  clock_.advance(2s);
  EXPECT_EQ(runner_.runs().size(), 1u) << "never two runs of one script";
  EXPECT_EQ(checks_->stats("chk")->late, 2u);
  finish(0);
  clock_.advance(2s);
  EXPECT_EQ(runner_.runs().size(), 2u);
}

TEST_F(ScriptChecksTest, EachScriptRunsOnItsOwnAndUnresolvedOnesNever) {
  make({script("a"), script("b"), script("missing")},
       [](const std::string& name) { return name != "missing"; });
  EXPECT_EQ(checks_->names(), (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(runner_.runs().size(), 2u);
  runner_.exitWith(runner_.runs()[1].id, 3);
  runner_.exitWith(runner_.runs()[0].id, 0);
  EXPECT_EQ(changes_, (std::vector<std::string>{"b BAD", "a GOOD"}));
}

TEST_F(ScriptChecksTest, StopCancelsTheRunningScriptAndTheTimers) {
  make({script("chk")});
  const auto id = runner_.last().id;
  checks_->stop();
  EXPECT_EQ(runner_.cancelled(), std::vector<exec::ProcessRunner::RunId>{id});
  clock_.advance(10s);
  EXPECT_EQ(runner_.runs().size(), 1u);
  EXPECT_TRUE(changes_.empty());
}

}  // namespace
}  // namespace vipd::daemon
