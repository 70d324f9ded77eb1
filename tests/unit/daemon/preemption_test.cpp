// The preemption decision in words (preemption.h): pure, with a hand-moved clock.
#include "vipd/daemon/preemption.h"

#include <gtest/gtest.h>

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;

util::IpAddress addr(const char* text) { return *util::IpAddress::parse(text); }

const PreemptClock::time_point kT0{};

core::RouterConfig preemptConfig() {
  core::RouterConfig c;
  c.primaryAddress = addr("192.0.2.1");
  c.priority = 150;
  return c;
}

TEST(PreemptionTextTest, NopreemptNamesTheMasterThePrioritiesAndTheKeyword) {
  const DeclinedPreemption d{addr("192.0.2.2"), 100, 150, core::PreemptHold::NoPreempt, {}, kT0};
  EXPECT_EQ(describeDeclined(d, kT0 + 5s),
            "not preempting 192.0.2.2 (priority 100 < ours 150): nopreempt");
}

TEST(PreemptionTextTest, PreemptDelaySaysHowMuchIsLeftAtTheTimeAsked) {
  const DeclinedPreemption d{addr("2001:db8::2"),      100,       150,
                             core::PreemptHold::Delay, kT0 + 12s, kT0};
  EXPECT_EQ(describeDeclined(d, kT0 + 1s + 700ms),
            "not preempting 2001:db8::2 (priority 100 < ours 150): preempt_delay: 10.3 s left");
  EXPECT_EQ(describeDeclined(d, kT0 + 20s),
            "not preempting 2001:db8::2 (priority 100 < ours 150): preempt_delay: 0.0 s left");
}

TEST(PreemptionTextTest, AnEpisodeStartsWithANewMasterReasonOrAfterASilence) {
  const core::PreemptDeclined same{addr("192.0.2.2"), 100, 150, core::PreemptHold::NoPreempt, {}};
  EXPECT_TRUE(startsEpisode(std::nullopt, same, kT0, 3s));
  const DeclinedPreemption last{addr("192.0.2.2"), 100, 150, core::PreemptHold::NoPreempt, {}, kT0};
  EXPECT_FALSE(startsEpisode(last, same, kT0 + 1s, 3s));
  EXPECT_TRUE(startsEpisode(last, same, kT0 + 4s, 3s)) << "silent longer than the gap";
  auto other = same;
  other.master = addr("192.0.2.3");
  EXPECT_TRUE(startsEpisode(last, other, kT0 + 1s, 3s));
  auto delayed = same;
  delayed.hold = core::PreemptHold::Delay;
  EXPECT_TRUE(startsEpisode(last, delayed, kT0 + 1s, 3s));
}

TEST(PreemptionTextTest, APreemptionNamesTheRuleThatMadeIt) {
  auto c = preemptConfig();
  EXPECT_EQ(describePreempted(addr("192.0.2.2"), 100, 150, c),
            "preempted 192.0.2.2 (priority 100 < ours 150): preempt is on (the default)");
  c.preemptDelay = 2500ms;
  EXPECT_EQ(describePreempted(addr("192.0.2.2"), 100, 150, c),
            "preempted 192.0.2.2 (priority 100 < ours 150): preempt_delay 2.5 s passed");
  c = preemptConfig();
  c.startHint = core::StartHint::Master;
  EXPECT_EQ(describePreempted(addr("192.0.2.2"), 100, 150, c),
            "preempted 192.0.2.2 (priority 100 < ours 150): state MASTER always preempts "
            "(nopreempt needs state BACKUP)");
  c.priority = 255;
  EXPECT_EQ(describePreempted(addr("192.0.2.2"), 100, 255, c),
            "preempted 192.0.2.2 (priority 100 < ours 255): the address owner (priority 255) "
            "always preempts");
}

TEST(PreemptionTextTest, YieldingExplainsNopreemptOnlyWhereItIsSet) {
  auto c = preemptConfig();
  EXPECT_EQ(describeYielded(addr("192.0.2.9"), 200, 150, c), "");
  c.preempt = false;
  EXPECT_EQ(describeYielded(addr("192.0.2.9"), 150, 150, c),
            "192.0.2.9 (priority 150 = ours 150) took over although nopreempt is set here: "
            "nopreempt holds only on the router that would preempt (set it there, with state "
            "BACKUP)");
}

TEST(PreemptionStatusTest, ModesFollowKeepalivedsRules) {
  auto c = preemptConfig();
  EXPECT_EQ(preemptionStatus(core::Router(c), {}, {}, kT0).mode, "preempt");
  c.preempt = false;
  EXPECT_EQ(preemptionStatus(core::Router(c), {}, {}, kT0).mode, "nopreempt");
  c = preemptConfig();
  c.preemptDelay = 5s;
  EXPECT_EQ(preemptionStatus(core::Router(c), {}, {}, kT0).mode, "delayed");
  c.startHint = core::StartHint::Master;  // normalized: preempts at once
  EXPECT_EQ(preemptionStatus(core::Router(c), {}, {}, kT0).mode, "preempt");
}

TEST(PreemptionStatusTest, ABackupExplainsARecentDeclineAndForgetsAnOldOne) {
  auto c = preemptConfig();
  c.preempt = false;
  core::Router router(c);
  router.handle(core::Start{}, kT0);
  const DeclinedPreemption d{addr("192.0.2.2"), 100, 150, core::PreemptHold::NoPreempt, {}, kT0};
  const auto now = preemptionStatus(router, d, {}, kT0 + 1s);
  ASSERT_TRUE(now.why);
  EXPECT_EQ(*now.why, "not preempting 192.0.2.2 (priority 100 < ours 150): nopreempt");
  EXPECT_FALSE(now.delayRemainingSeconds);
  EXPECT_FALSE(preemptionStatus(router, d, {}, kT0 + 10s).why) << "past Master_Down_Interval";
}

TEST(PreemptionStatusTest, TheRunningDelayIsCountedDown) {
  auto c = preemptConfig();
  c.preemptDelay = 5s;
  core::Router router(c);
  router.handle(core::Start{}, kT0);
  const auto s = preemptionStatus(router, {}, {}, kT0 + 2s);
  ASSERT_TRUE(s.delayRemainingSeconds);
  EXPECT_DOUBLE_EQ(*s.delayRemainingSeconds, 3.0);
  EXPECT_FALSE(preemptionStatus(router, {}, {}, kT0 + 6s).delayRemainingSeconds);
}

}  // namespace
}  // namespace vipd::daemon
