// Elections between a few routers on the simulated LAN, with zero latency so
// every time point is exact. v3, 100 cs: Master_Down_Interval is 3.6 s at
// priority 100 (skew 60 cs) and 3.21 s at priority 200 (skew 21 cs).
#include <gtest/gtest.h>

#include "fakes/sim_network.h"
#include "router_harness.h"

namespace vipd::core::testing {
namespace {

using fakes::NodeId;

class ElectionScenarioTest : public ::testing::Test {
 protected:
  NodeId add(std::string_view address, std::uint8_t priority) {
    RouterConfig config = defaultConfig();
    config.primaryAddress = ip(address);
    config.priority = priority;
    return net.addRouter(config);
  }
  void startAt(Duration when, NodeId node) {
    net.at(t(when), [this, node] { net.start(node); });
  }
  State stateOf(NodeId node) const { return net.router(node)->state(); }
  void TearDown() override { EXPECT_EQ(net.violations(), std::vector<std::string>{}); }

  fakes::SimNetwork net{1};
};

TEST_F(ElectionScenarioTest, EqualPrioritiesStartingTogetherElectTheHigherAddress) {
  const NodeId low = add("10.0.0.1", 100);
  const NodeId high = add("10.0.0.2", 100);
  startAt(0s, low);
  startAt(0s, high);
  net.runUntil(t(3600ms));  // both time out together, the lower address yields
  EXPECT_EQ(stateOf(high), State::Master);
  EXPECT_EQ(stateOf(low), State::Backup);
  EXPECT_EQ(net.transitions(Cause::EqualPriorityHigherAddress), 1u);
}

TEST_F(ElectionScenarioTest, HigherPriorityWinsTheFirstElection) {
  const NodeId a = add("10.0.0.1", 200);
  const NodeId b = add("10.0.0.2", 100);
  startAt(0s, a);
  startAt(0s, b);
  net.runUntil(t(10s));
  EXPECT_EQ(net.becameMasterAt(a), t(3210ms));
  EXPECT_FALSE(net.becameMasterAt(b));
}

TEST_F(ElectionScenarioTest, CrashedMasterIsReplacedOneMasterDownIntervalAfterItsLastAdvert) {
  const NodeId a = add("10.0.0.1", 200);
  const NodeId b = add("10.0.0.2", 100);
  startAt(0s, a);
  startAt(0s, b);
  net.at(t(10s), [&] { net.crash(a); });
  net.runUntil(t(20s));
  // a's adverts: 3.21 s, 4.21 s, …, 9.21 s; then nothing.
  EXPECT_EQ(net.becameMasterAt(b), t(9210ms + 3600ms));
  EXPECT_EQ(net.transitions(Cause::MasterDownTimer), 2u);
}

TEST_F(ElectionScenarioTest, GracefulShutdownHandsOverAfterSkewTime) {
  const NodeId a = add("10.0.0.1", 200);
  const NodeId b = add("10.0.0.2", 100);
  startAt(0s, a);
  startAt(0s, b);
  net.at(t(10s), [&] { net.shutdown(a); });
  net.runUntil(t(20s));
  EXPECT_EQ(net.becameMasterAt(b), t(10600ms));
  EXPECT_EQ(net.transitions(Cause::PriorityZeroReceived), 1u);
}

TEST_F(ElectionScenarioTest, PartitionMakesTwoMastersAndHealingKeepsTheHigherPriority) {
  const NodeId a = add("10.0.0.1", 200);
  const NodeId b = add("10.0.0.2", 100);
  startAt(0s, a);
  startAt(0s, b);
  net.at(t(10s), [&] { net.setSegment(b, 1); });
  net.at(t(20s), [&] { net.heal(); });
  net.runUntil(t(19s));
  EXPECT_EQ(net.becameMasterAt(b), t(12810ms));  // a's last advert at 9.21 s
  EXPECT_EQ(stateOf(a), State::Master);
  net.runUntil(t(20210ms));  // a's first advert after the heal
  EXPECT_EQ(stateOf(a), State::Master);
  EXPECT_EQ(stateOf(b), State::Backup);
}

TEST_F(ElectionScenarioTest, RestartedOwnerTakesOverAtOnce) {
  const NodeId owner = add("10.0.0.1", 255);
  const NodeId b = add("10.0.0.2", 100);
  startAt(0s, owner);
  startAt(0s, b);
  net.at(t(10500ms), [&] { net.crash(owner); });
  net.at(t(20s), [&] { net.start(owner); });
  net.runUntil(t(19s));
  EXPECT_EQ(net.becameMasterAt(b), t(13600ms));  // owner's last advert at 10 s
  net.runUntil(t(20s));
  EXPECT_EQ(net.becameMasterAt(owner), t(20s));
  EXPECT_EQ(stateOf(b), State::Backup);
}

TEST_F(ElectionScenarioTest, FaultedMasterResignsAndComesBackAsBackupThenPreempts) {
  const NodeId a = add("10.0.0.1", 200);
  const NodeId b = add("10.0.0.2", 100);
  startAt(0s, a);
  startAt(0s, b);
  net.at(t(10s), [&] { net.raiseFault(a, 1); });
  net.at(t(15s), [&] { net.clearFault(a, 1); });
  net.runUntil(t(14s));
  EXPECT_EQ(stateOf(a), State::Fault);
  EXPECT_EQ(net.becameMasterAt(b), t(10600ms));  // after a's priority-0 advert
  net.runUntil(t(30s));
  // a re-enters Backup at 15 s, discards b's lower adverts, preempts 3.21 s later.
  EXPECT_EQ(net.becameMasterAt(a), t(18210ms));
  EXPECT_EQ(stateOf(b), State::Backup);
  EXPECT_EQ(net.transitions(Cause::Preempted), 1u);
}

}  // namespace
}  // namespace vipd::core::testing
