// ProcessQuorum: counting, [quorum, quorum_max] and the fork/terminate
// delays as keepalived's track_process.c applies them, with time moved by
// the test.

#include "vipd/track/process_quorum.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"

namespace vipd::track {
namespace {

using namespace std::chrono_literals;
using J = ProcessJoined;
using L = ProcessLeft;
constexpr std::uint32_t kUnlimited = config::TrackProcess::kUnlimited;

class ProcessQuorumTest : public ::testing::Test {
 protected:
  ProcessQuorum make(std::uint32_t quorum, std::uint32_t max = kUnlimited,
                     core::Duration forkDelay = 0s, core::Duration terminateDelay = 0s) {
    return ProcessQuorum(quorum, max, forkDelay, terminateDelay);
  }
  core::TimePoint now() const { return clock_.now(); }
  fakes::FakeClock clock_;
};

TEST_F(ProcessQuorumTest, StartDecidesAtOnceFromTheScan) {
  auto q = make(2, 3, 5s, 5s);
  q.start(2);
  EXPECT_TRUE(q.hasQuorum());
  q.start(4);
  EXPECT_FALSE(q.hasQuorum());
  q.start(1);
  EXPECT_FALSE(q.hasQuorum());
  EXPECT_EQ(q.deadline(), std::nullopt);
}

TEST_F(ProcessQuorumTest, QuorumIsGainedAtTheQuorumthProcessAndLostBelowIt) {
  auto q = make(2);
  q.start(0);
  EXPECT_EQ(q.joined(J::Matched, now()), std::nullopt);
  EXPECT_EQ(q.joined(J::Matched, now()), true);
  EXPECT_EQ(q.joined(J::Forked, now()), std::nullopt);  // 3: still up
  EXPECT_EQ(q.left(L::Exited, now()), std::nullopt);
  EXPECT_EQ(q.left(L::Exited, now()), false);
  EXPECT_EQ(q.count(), 1u);
}

TEST_F(ProcessQuorumTest, GoingPastQuorumMaxLosesTheQuorumAndComingBackRegainsIt) {
  auto q = make(1, 1);
  q.start(1);
  EXPECT_EQ(q.joined(J::Matched, now()), false);
  EXPECT_EQ(q.left(L::Exited, now()), true);
}

TEST_F(ProcessQuorumTest, QuorumMaxZeroMeansTheProcessMustNotRun) {
  auto q = make(0, 0);
  q.start(0);
  EXPECT_TRUE(q.hasQuorum());
  EXPECT_EQ(q.joined(J::Matched, now()), false);
  EXPECT_EQ(q.left(L::Unmatched, now()), true);
}

TEST_F(ProcessQuorumTest, AForkGainsTheQuorumOnlyAfterForkDelay) {
  auto q = make(2, kUnlimited, 3s, 0s);
  q.start(1);
  EXPECT_EQ(q.joined(J::Forked, now()), std::nullopt);
  EXPECT_EQ(q.deadline(), now() + 3s);
  clock_.advance(2999ms);
  EXPECT_EQ(q.expire(now()), std::nullopt);
  clock_.advance(1ms);
  EXPECT_EQ(q.expire(now()), true);
  EXPECT_EQ(q.deadline(), std::nullopt);
}

TEST_F(ProcessQuorumTest, AnExecGainsTheQuorumAtOnceDespiteForkDelay) {
  auto q = make(1, kUnlimited, 3s, 0s);
  q.start(0);
  EXPECT_EQ(q.joined(J::Matched, now()), true);
  EXPECT_EQ(q.deadline(), std::nullopt);
}

TEST_F(ProcessQuorumTest, AnExitDuringForkDelayCancelsIt) {
  auto q = make(2, kUnlimited, 3s, 5s);
  q.start(1);
  q.joined(J::Forked, now());
  EXPECT_EQ(q.left(L::Exited, now()), std::nullopt);  // decided: still no quorum
  EXPECT_EQ(q.deadline(), std::nullopt);
  EXPECT_FALSE(q.hasQuorum());
}

TEST_F(ProcessQuorumTest, AnExitLosesTheQuorumOnlyAfterTerminateDelay) {
  auto q = make(1, kUnlimited, 0s, 2s);
  q.start(1);
  EXPECT_EQ(q.left(L::Exited, now()), std::nullopt);
  EXPECT_TRUE(q.hasQuorum());
  clock_.advance(2s);
  EXPECT_EQ(q.expire(now()), false);
}

// The restart case terminate_delay exists for [K5: "avoid down/up bounce
// after terminate/parent refork"].
TEST_F(ProcessQuorumTest, ARestartWithinTerminateDelayNeverLosesTheQuorum) {
  auto q = make(1, kUnlimited, 0s, 2s);
  q.start(1);
  q.left(L::Exited, now());
  clock_.advance(1s);
  EXPECT_EQ(q.joined(J::Matched, now()), std::nullopt);  // cancels the delay
  EXPECT_EQ(q.deadline(), std::nullopt);
  clock_.advance(5s);
  EXPECT_EQ(q.expire(now()), std::nullopt);
  EXPECT_TRUE(q.hasQuorum());
}

TEST_F(ProcessQuorumTest, AnExecAwayLosesTheQuorumAtOnceDespiteTerminateDelay) {
  auto q = make(1, kUnlimited, 0s, 2s);
  q.start(1);
  EXPECT_EQ(q.left(L::Unmatched, now()), false);
}

TEST_F(ProcessQuorumTest, AForkPastQuorumMaxWaitsForForkDelay) {
  auto q = make(1, 1, 1s, 0s);
  q.start(1);
  EXPECT_EQ(q.joined(J::Forked, now()), std::nullopt);
  EXPECT_TRUE(q.hasQuorum());
  // The child exec's something else before the delay: never lost.
  EXPECT_EQ(q.left(L::Unmatched, now()), std::nullopt);
  EXPECT_EQ(q.deadline(), std::nullopt);
  EXPECT_TRUE(q.hasQuorum());
}

TEST_F(ProcessQuorumTest, ChangesThatCrossNoLimitOnlyCount) {
  auto q = make(2, 4, 1s, 1s);
  q.start(3);
  EXPECT_EQ(q.joined(J::Forked, now()), std::nullopt);
  EXPECT_EQ(q.left(L::Exited, now()), std::nullopt);
  EXPECT_EQ(q.deadline(), std::nullopt);
  EXPECT_EQ(q.count(), 3u);
}

TEST_F(ProcessQuorumTest, ASecondCrossingDuringForkDelayKeepsTheFirstDeadline) {
  auto q = make(2, 2, 3s, 0s);
  q.start(1);
  const core::TimePoint first = now() + 3s;
  q.joined(J::Forked, now());  // 2: reaches quorum
  clock_.advance(1s);
  q.joined(J::Forked, now());  // 3: past quorum_max
  EXPECT_EQ(q.deadline(), first);
  clock_.advanceTo(first);
  EXPECT_EQ(q.expire(now()), std::nullopt);  // decided on 3: no quorum, as before
  EXPECT_FALSE(q.hasQuorum());
}

TEST_F(ProcessQuorumTest, ACancelledForkDelayStartsAfreshAtTheNextFork) {
  auto q = make(1, 2, 3s, 0s);
  q.start(0);
  q.joined(J::Matched, now());  // 1: up
  q.left(L::Unmatched, now());  // 0: down
  q.joined(J::Matched, now());  // 1: up
  EXPECT_TRUE(q.hasQuorum());
  q.joined(J::Matched, now());  // 2
  q.joined(J::Forked, now());   // 3 > max: fork_delay
  clock_.advance(1s);
  q.left(L::Exited, now());    // 2: cancels it, decided at once (still up)
  q.joined(J::Forked, now());  // 3 again
  EXPECT_EQ(q.deadline(), now() + 3s);
}

TEST_F(ProcessQuorumTest, ARecountAfterLostEventsGainsAtOnceAndLosesAfterTerminateDelay) {
  auto q = make(1, kUnlimited, 2s, 4s);
  q.start(0);
  EXPECT_EQ(q.recount(2, now()), true);
  EXPECT_EQ(q.recount(0, now()), std::nullopt);
  EXPECT_EQ(q.deadline(), now() + 4s);
  clock_.advance(4s);
  EXPECT_EQ(q.expire(now()), false);
}

TEST_F(ProcessQuorumTest, ARecountDropsPendingDelays) {
  auto q = make(2, kUnlimited, 2s, 0s);
  q.start(1);
  q.joined(J::Forked, now());
  EXPECT_EQ(q.recount(1, now()), std::nullopt);
  EXPECT_EQ(q.deadline(), std::nullopt);
  EXPECT_FALSE(q.hasQuorum());
}

TEST_F(ProcessQuorumTest, LeavingWithNothingCountedChangesNothing) {
  auto q = make(0, 0);
  q.start(0);
  EXPECT_EQ(q.left(L::Exited, now()), std::nullopt);
  EXPECT_EQ(q.count(), 0u);
}

}  // namespace
}  // namespace vipd::track
