// Two and three vipd hosts on one segment fail over and back: real
// processes, raw sockets and netlink in namespaces the test creates (root).
// Every check reads `ip addr` in each namespace; a settled period means
// "exactly one host holds the VIP in every sample".
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "agents.h"
#include "scenario.h"

namespace vipd::lab {
namespace {

using std::chrono::milliseconds;

::testing::AssertionResult ok(const Verdict& verdict) {
  if (verdict) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << verdict.detail;
}

/// How the master is taken out.
enum class Failure {
  KillAndCut,  ///< SIGKILL (no priority 0, VIP left behind) and its cable pulled.
  Freeze,      ///< SIGSTOP: silent, VIP still configured; SIGCONT brings it back.
  Terminate,   ///< SIGTERM: priority-0 advert, VIP removed, clean exit.
  LinkDown,    ///< Its own interface set down: FAULT, VIP removed.
};

std::string toString(Failure f) {
  switch (f) {
    case Failure::KillAndCut:
      return "KillAndCut";
    case Failure::Freeze:
      return "Freeze";
    case Failure::Terminate:
      return "Terminate";
    case Failure::LinkDown:
      return "LinkDown";
  }
  return "?";
}

struct FailoverCase {
  Family family;
  Transport transport;
  Failure failure;
  bool preempt;
  int version = 3;
  milliseconds advertInterval{200};
};

std::string describe(const FailoverCase& c) {
  return std::string(toString(c.family)) + "_" + std::string(toString(c.transport)) + "_" +
         toString(c.failure) + (c.preempt ? "_Preempt" : "_NoPreempt") + "_V" +
         std::to_string(c.version);
}
std::string caseName(const ::testing::TestParamInfo<FailoverCase>& info) {
  return describe(info.param);
}
void PrintTo(const FailoverCase& c, std::ostream* os) { *os << describe(c); }

/// Owns the scenario of one test; after the test, checks every agent's log
/// for complaints about its peers and prints all logs when anything failed.
template <class Param>
class ScenarioTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for network namespaces";
  }
  void TearDown() override {
    if (!scenario_) return;
    // Checked after every test, also one that stopped at a failed ASSERT:
    // a complaint usually explains that failure.
    for (std::size_t i = 0; i < scenario_->size(); ++i) {
      const auto& node = scenario_->node(i);
      EXPECT_EQ(scenario_->complaints(i), std::vector<std::string>{})
          << node.name << " (" << toString(node.agent) << ") complained about its peer's adverts";
    }
    if (::testing::Test::HasFailure()) std::cout << scenario_->allLogs();
  }

  std::unique_ptr<Scenario> scenario_;
};

class FailoverTest : public ScenarioTest<FailoverCase> {};

constexpr std::size_t kMaster = 0;  // h1, priority 150
constexpr std::size_t kBackup = 1;  // h2, priority 100

// The master fails, the backup takes over and serves the client; the master
// comes back and, with preemption, takes the VIP back (without, the backup
// keeps it). A frozen master that wakes up is a second master for a moment:
// the higher priority wins whatever the preempt setting (RFC 5798 §6.4.3).
TEST_P(FailoverTest, BackupTakesOverAndTheMasterComesBack) {
  const auto& c = GetParam();
  VrrpSetup setup{c.family, c.transport, c.version, c.advertInterval, c.preempt};
  scenario_ =
      std::make_unique<Scenario>("fo", setup, std::vector<NodeSpec>{{"h1", 150}, {"h2", 100}});
  auto& s = *scenario_;

  {
    SCOPED_TRACE("start: the higher priority is elected");
    if (c.preempt) {
      s.startAll();
    } else {
      // Without preemption, two routers started together may legitimately
      // elect the lower one (the first whose Master_Down timer fires, and
      // under load that need not be the shorter timer): start h1 alone.
      s.start(kMaster);
      ASSERT_TRUE(ok(s.settlesOn(kMaster)));
      s.start(kBackup);
    }
    ASSERT_TRUE(ok(s.settlesOn(kMaster)));
    ASSERT_TRUE(ok(s.clientReachesVip()));
  }

  {
    SCOPED_TRACE("failure: " + toString(c.failure) + " of the master");
    s.startProbing();
    switch (c.failure) {
      case Failure::KillAndCut:
        s.kill(kMaster);
        s.setCable(kMaster, false);
        break;
      case Failure::Freeze:
        s.freeze(kMaster);
        break;
      case Failure::Terminate:
        ASSERT_TRUE(ok(s.terminate(kMaster)));
        break;
      case Failure::LinkDown:
        s.setLink(kMaster, false);
        break;
    }
    ASSERT_TRUE(ok(s.settlesOn(kBackup)));
    const auto outage = s.stopProbing();
    RecordProperty("failover_outage_ms", static_cast<int>(outage.longestGap.count() / 1000));
    std::cout << "client-observed outage: " << outage.longestGap.count() / 1000 << " ms ("
              << outage.received << "/" << outage.sent << " replies)\n";
    ASSERT_TRUE(ok(s.clientReachesVip()));
    EXPECT_LT(outage.longestGap, s.takeoverTimeout());
    // A SIGKILLed or frozen vipd cannot remove its VIP (reference §3.6).
    if (c.failure == Failure::KillAndCut || c.failure == Failure::Freeze) {
      EXPECT_TRUE(s.holds(kMaster));
    }
  }

  std::size_t expected = c.preempt ? kMaster : kBackup;
  {
    SCOPED_TRACE("recovery of the old master");
    switch (c.failure) {
      case Failure::KillAndCut:
        // Restarted while still unplugged: it removes the VIP its killed
        // predecessor left (reference §3.6) and waits in FAULT.
        s.start(kMaster);
        EXPECT_TRUE(waitFor([&] { return !s.holds(kMaster); }, s.takeoverTimeout()))
            << "the restarted vipd did not remove the stale VIP";
        s.setCable(kMaster, true);
        break;
      case Failure::Freeze:
        s.thaw(kMaster);
        expected = kMaster;
        break;
      case Failure::Terminate:
        s.start(kMaster);
        break;
      case Failure::LinkDown:
        s.setLink(kMaster, true);
        break;
    }
    ASSERT_TRUE(ok(s.settlesOn(expected)));
    ASSERT_TRUE(ok(s.clientReachesVip()));
  }

  {
    SCOPED_TRACE("graceful stop of both: exit 0, no VIP left");
    const std::size_t other = expected == kMaster ? kBackup : kMaster;
    EXPECT_TRUE(ok(s.terminate(other)));
    EXPECT_TRUE(ok(s.terminate(expected)));
    EXPECT_FALSE(s.holds(kMaster));
    EXPECT_FALSE(s.holds(kBackup));
  }
}

std::vector<FailoverCase> fastCases() {
  std::vector<FailoverCase> cases;
  for (auto family : {Family::V4, Family::V6}) {
    for (auto transport : {Transport::Multicast, Transport::Unicast}) {
      for (auto failure :
           {Failure::KillAndCut, Failure::Freeze, Failure::Terminate, Failure::LinkDown}) {
        for (bool preempt : {true, false}) cases.push_back({family, transport, failure, preempt});
      }
    }
  }
  return cases;
}

// VRRPv3 at 200 ms adverts: master-down is about 0.7 s.
INSTANTIATE_TEST_SUITE_P(V3, FailoverTest, ::testing::ValuesIn(fastCases()), caseName);

// VRRPv2 has whole-second intervals (master-down about 3.6 s): two cases.
INSTANTIATE_TEST_SUITE_P(
    V2, FailoverTest,
    ::testing::Values(FailoverCase{Family::V4, Transport::Multicast, Failure::Terminate, true, 2,
                                   milliseconds(1000)},
                      FailoverCase{Family::V4, Transport::Unicast, Failure::KillAndCut, true, 2,
                                   milliseconds(1000)}),
    caseName);

// ---- Three hosts ---------------------------------------------------------------------------

struct ElectionCase {
  Family family;
  Transport transport;
};

std::string describe(const ElectionCase& c) {
  return std::string(toString(c.family)) + "_" + std::string(toString(c.transport));
}
std::string electionName(const ::testing::TestParamInfo<ElectionCase>& info) {
  return describe(info.param);
}
void PrintTo(const ElectionCase& c, std::ostream* os) { *os << describe(c); }

class ThreeHostFailoverTest : public ScenarioTest<ElectionCase> {};

// The highest priority wins wherever it sits in the list; when it stops the
// next highest takes over (the lowest yields to it even if its timer fires
// too); when it returns it preempts.
TEST_P(ThreeHostFailoverTest, HighestPriorityHoldsTheVipAndTheNextHighestStandsIn) {
  const auto& c = GetParam();
  VrrpSetup setup{c.family, c.transport, 3, milliseconds(200), true};
  scenario_ = std::make_unique<Scenario>(
      "el", setup, std::vector<NodeSpec>{{"h1", 100}, {"h2", 200}, {"h3", 150}});
  auto& s = *scenario_;
  const auto h2 = s.indexOf("h2");
  const auto h3 = s.indexOf("h3");

  s.startAll();
  ASSERT_TRUE(ok(s.settlesOn(h2)));
  ASSERT_TRUE(ok(s.clientReachesVip()));

  ASSERT_TRUE(ok(s.terminate(h2)));
  ASSERT_TRUE(ok(s.settlesOn(h3)));
  ASSERT_TRUE(ok(s.clientReachesVip()));

  s.start(h2);
  ASSERT_TRUE(ok(s.settlesOn(h2)));
  ASSERT_TRUE(ok(s.clientReachesVip()));
}

INSTANTIATE_TEST_SUITE_P(V3, ThreeHostFailoverTest,
                         ::testing::Values(ElectionCase{Family::V4, Transport::Multicast},
                                           ElectionCase{Family::V4, Transport::Unicast},
                                           ElectionCase{Family::V6, Transport::Multicast},
                                           ElectionCase{Family::V6, Transport::Unicast}),
                         electionName);

}  // namespace
}  // namespace vipd::lab
