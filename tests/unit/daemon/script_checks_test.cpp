#include "vipd/daemon/script_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "fakes/fake_prober.h"
#include "fakes/fake_process_runner.h"
#include "fakes/fake_scheduler.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;

config::VrrpScript script(const std::string& name, std::uint32_t rise = 1, std::uint32_t fall = 1) {
  config::VrrpScript s;
  s.name = name;
  s.argv = {"/usr/local/bin/" + name};
  s.interval = 2s;
  s.timeout = 1s;
  s.rise = rise;
  s.fall = fall;
  return s;
}

/// A vipd_check: TCP_CHECK every 2 s, run timeout 3 s, `retry` retries 500 ms apart.
config::VrrpScript check(const std::string& name, std::uint32_t retry = 0, std::uint32_t rise = 1,
                         std::uint32_t fall = 1) {
  config::VrrpScript s;
  s.name = name;
  s.interval = 2s;
  s.timeout = 3s;
  s.rise = rise;
  s.fall = fall;
  config::NativeProbe probe;
  probe.connectIp = *util::IpAddress::parse("192.0.2.10");
  probe.connectPort = 80;
  probe.connectTimeout = 1s;
  probe.retry = retry;
  probe.delayBeforeRetry = 500ms;
  s.native = probe;
  return s;
}

class ScriptChecksTest : public ::testing::Test {
 protected:
  static std::vector<track::ScheduledScript> scheduleOf(
      const std::vector<config::VrrpScript>& scripts) {
    std::vector<track::ScheduledScript> schedule;
    for (const auto& s : scripts) schedule.push_back({s, {"VI_1"}});
    return schedule;
  }

  ScriptChecks::Resolver resolver(std::function<bool(const std::string&)> resolvable = nullptr) {
    return [this, resolvable](const config::VrrpScript& s) -> std::optional<exec::Command> {
      resolved_.push_back(s.name);
      if (resolvable && !resolvable(s.name)) return std::nullopt;
      exec::Command c;
      c.name = "vrrp_script " + s.name;
      c.argv = s.argv;
      return c;
    };
  }

  void make(std::vector<config::VrrpScript> scripts,
            std::function<bool(const std::string&)> resolvable = nullptr) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(logText_);
    sink->set_pattern("%l %v");
    auto log = std::make_shared<spdlog::logger>("test", sink);
    log->set_level(spdlog::level::debug);
    checks_ = std::make_unique<ScriptChecks>(scheduleOf(scripts), clock_, runner_, prober_,
                                             resolver(resolvable), log);
    checks_->start([this](const std::string& name, bool good) {
      changes_.push_back(name + (good ? " GOOD" : " BAD"));
    });
  }

  /// Ends the most recent run of the script with `code`.
  void finish(int code) { runner_.exitWith(runner_.last().id, code); }

  fakes::FakeScheduler clock_;
  fakes::FakeProcessRunner runner_;
  fakes::FakeProber prober_;
  std::unique_ptr<ScriptChecks> checks_;
  std::vector<std::string> changes_;
  std::vector<std::string> resolved_;
  std::ostringstream logText_;

  std::size_t linesWith(const std::string& text) const {
    std::istringstream in(logText_.str());
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) n += line.find(text) != std::string::npos;
    return n;
  }
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

// A hanging script is late at every interval; the warning says so once per
// kLateLogInterval with the count, not every interval (reference §5 item 14).
TEST_F(ScriptChecksTest, TheLateWarningIsThrottledAndCountsWhatItDidNotLog) {
  auto hanging = script("chk");
  hanging.timeout = 600s;
  make({hanging});
  for (int i = 0; i < 40; ++i) clock_.advance(2s);  // late at t=2, 4, ... 80
  EXPECT_EQ(runner_.runs().size(), 1u);
  EXPECT_EQ(checks_->stats("chk")->late, 40u);
  EXPECT_EQ(linesWith("still running after its interval"), 2u) << logText_.str();
  EXPECT_EQ(linesWith("not started again (late 1 time(s) in all, 0 not logged"), 1u);
  // t=62 is the first late interval 60 s after the one logged at t=2.
  EXPECT_EQ(linesWith("not started again (late 31 time(s) in all, 29 not logged"), 1u)
      << logText_.str();
  EXPECT_THAT(logText_.str(), ::testing::HasSubstr("warning vrrp_script chk still running"));
}

TEST_F(ScriptChecksTest, EachRunsRuntimeIsLoggedAtDebugAndKept) {
  make({script("chk")});
  exec::Outcome outcome;
  outcome.kind = exec::OutcomeKind::Exited;
  outcome.runtime = 250ms;
  runner_.complete(runner_.last().id, outcome);
  EXPECT_THAT(logText_.str(),
              ::testing::HasSubstr("debug vrrp_script chk: exited code=0 in 250.0 ms"));
  ASSERT_TRUE(checks_->stats("chk")->lastRuntime);
  EXPECT_EQ(*checks_->stats("chk")->lastRuntime, 250ms);
}

TEST_F(ScriptChecksTest, ReportsListEveryScriptWithItsStatusAndCounters) {
  make({script("a"), check("web")});
  runner_.exitWith(runner_.runs()[0].id, 1);  // a: BAD
  clock_.advance(2s);                         // a runs again
  const auto reports = checks_->reports();
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].name, "a");
  EXPECT_EQ(reports[0].kind, "vrrp_script");
  EXPECT_EQ(reports[0].status, "BAD");
  EXPECT_EQ(reports[0].stats.runs, 2u);
  EXPECT_EQ(reports[0].stats.failures, 1u);
  EXPECT_EQ(reports[1].name, "web");
  EXPECT_EQ(reports[1].kind, "vipd_check");
  EXPECT_EQ(reports[1].status, "INIT");
}

TEST_F(ScriptChecksTest, ClearStatsZeroesTheCountersAndKeepsTheStatus) {
  make({script("chk")});
  finish(1);
  checks_->clearStats();
  EXPECT_EQ(checks_->stats("chk")->runs, 0u);
  EXPECT_EQ(checks_->stats("chk")->failures, 0u);
  EXPECT_FALSE(checks_->stats("chk")->lastRuntime);
  EXPECT_EQ(checks_->reports()[0].status, "BAD");
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

TEST_F(ScriptChecksTest, VipdCheckProbesAtStartThenEveryIntervalAndRunsNoCommand) {
  make({check("web")});
  EXPECT_TRUE(resolved_.empty()) << "a vipd_check resolves no command and no script user";
  EXPECT_TRUE(runner_.runs().empty());
  EXPECT_EQ(checks_->names(), std::vector<std::string>{"web"});
  ASSERT_EQ(prober_.attempts().size(), 1u);
  EXPECT_EQ(prober_.last().probe.connectPort, 80);
  EXPECT_EQ(prober_.last().deadline, clock_.now() + 3s) << "the run ends at its timeout";
  prober_.succeedLast();
  EXPECT_EQ(changes_, std::vector<std::string>{"web GOOD"});
  clock_.advance(1999ms);
  EXPECT_EQ(prober_.attempts().size(), 1u);
  clock_.advance(1ms);
  EXPECT_EQ(prober_.attempts().size(), 2u);
}

TEST_F(ScriptChecksTest, VipdCheckReportsOnlyStatusChangesThroughRiseAndFall) {
  make({check("web", 0, 2, 2)});
  prober_.succeedLast();  // the first run decides: GOOD
  for (bool up : {false, true, false, false, true, true}) {
    clock_.advance(2s);
    up ? prober_.succeedLast() : prober_.failLast();
  }
  EXPECT_EQ(changes_, (std::vector<std::string>{"web GOOD", "web BAD", "web GOOD"}));
  EXPECT_EQ(checks_->stats("web")->runs, 7u);
  EXPECT_EQ(checks_->stats("web")->failures, 3u);
}

// keepalived's checkers: a failure is only a failure after `retry` more
// attempts, delay_before_retry apart, have failed too.
TEST_F(ScriptChecksTest, VipdCheckFailsOnlyAfterRetryPlusOneFailedAttempts) {
  make({check("web", 2)});
  prober_.failLast();
  EXPECT_TRUE(changes_.empty());
  clock_.advance(499ms);
  EXPECT_EQ(prober_.attempts().size(), 1u) << "waits delay_before_retry";
  clock_.advance(1ms);
  ASSERT_EQ(prober_.attempts().size(), 2u);
  EXPECT_EQ(prober_.last().deadline, prober_.attempts()[0].deadline) << "one run, one deadline";
  prober_.failLast();
  clock_.advance(500ms);
  ASSERT_EQ(prober_.attempts().size(), 3u);
  prober_.failLast("connection reset");
  EXPECT_EQ(changes_, std::vector<std::string>{"web BAD"});
  EXPECT_EQ(checks_->stats("web")->retries, 2u);
  EXPECT_EQ(checks_->stats("web")->failures, 1u) << "one failed run, not three";
  clock_.advance(1s);
  EXPECT_EQ(prober_.attempts().size(), 4u) << "the next run at its interval";
}

TEST_F(ScriptChecksTest, VipdCheckRetryThatSucceedsIsASuccess) {
  make({check("web", 1)});
  prober_.failLast();
  clock_.advance(500ms);
  prober_.succeedLast();
  EXPECT_EQ(changes_, std::vector<std::string>{"web GOOD"});
  EXPECT_EQ(checks_->stats("web")->failures, 0u);
}

TEST_F(ScriptChecksTest, VipdCheckAttemptStillGoingAtTheTimeoutIsCancelledAndFails) {
  make({check("web")});
  const auto id = prober_.last().id;
  clock_.advance(2999ms);
  EXPECT_TRUE(changes_.empty());
  EXPECT_EQ(prober_.attempts().size(), 1u) << "the 2 s interval found it still running";
  EXPECT_EQ(checks_->stats("web")->late, 1u);
  clock_.advance(1ms);
  EXPECT_EQ(prober_.cancelled(), std::vector<Prober::ProbeId>{id});
  EXPECT_EQ(changes_, std::vector<std::string>{"web BAD"});
  EXPECT_EQ(checks_->stats("web")->timeouts, 1u);
}

TEST_F(ScriptChecksTest, VipdCheckTimingOutAtItsIntervalEndsBeforeTheNextRun) {
  auto c = check("web");
  c.timeout = c.interval;
  make({c});
  const auto first = prober_.last().id;
  clock_.advance(2s);
  EXPECT_EQ(prober_.cancelled(), std::vector<Prober::ProbeId>{first});
  EXPECT_EQ(changes_, std::vector<std::string>{"web BAD"});
  ASSERT_EQ(prober_.attempts().size(), 2u) << "the next run started on time";
  EXPECT_TRUE(prober_.last().active());
  EXPECT_EQ(checks_->stats("web")->late, 0u);
}

TEST_F(ScriptChecksTest, VipdCheckTimeoutEndsTheRunDuringARetryDelay) {
  auto slow = check("web", 5);
  slow.native->delayBeforeRetry = 2s;
  make({slow});
  prober_.failLast();  // t=0
  clock_.advance(2s);  // retry 1 at t=2 (and the interval is late)
  ASSERT_EQ(prober_.attempts().size(), 2u);
  prober_.failLast();
  clock_.advance(1s);  // t=3: the timeout, during the delay before retry 2
  EXPECT_EQ(changes_, std::vector<std::string>{"web BAD"});
  EXPECT_EQ(checks_->stats("web")->timeouts, 1u);
  clock_.advance(999ms);
  EXPECT_EQ(prober_.attempts().size(), 2u) << "the pending retry was cancelled";
  clock_.advance(1ms);  // t=4: the next run
  EXPECT_EQ(prober_.attempts().size(), 3u);
}

TEST_F(ScriptChecksTest, StopCancelsTheRunningProbeAndItsTimers) {
  make({check("web", 1)});
  prober_.failLast();
  checks_->stop();
  clock_.advance(10s);
  EXPECT_EQ(prober_.attempts().size(), 1u) << "no retry, no next run";
  EXPECT_TRUE(changes_.empty());
}

TEST_F(ScriptChecksTest, ReloadKeepsAnUnchangedVipdCheckAndRestartsAChangedOne) {
  make({check("same"), check("moved")});
  ASSERT_EQ(prober_.attempts().size(), 2u);
  prober_.succeed(prober_.attempts()[0].id);
  prober_.succeed(prober_.attempts()[1].id);
  auto moved = check("moved");
  moved.native->connectPort = 8080;
  checks_->reload(scheduleOf({check("same"), moved}), resolver());
  ASSERT_EQ(prober_.attempts().size(), 3u) << "only the changed check starts again";
  EXPECT_EQ(prober_.last().probe.connectPort, 8080);
  EXPECT_EQ(checks_->status("same"), track::ScriptStatus::Good) << "kept with its status";
  EXPECT_EQ(checks_->status("moved"), track::ScriptStatus::Init) << "restarted from INIT";
  EXPECT_EQ(checks_->stats("same")->runs, 1u);
}

}  // namespace
}  // namespace vipd::daemon
