// vipd and keepalived 2.2 (the Debian package) as the two routers of one
// VRRP instance: each must accept the other's adverts (no dual master, not a
// single complaint in either log) and fail over both ways.
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

bool keepalivedInstalled() {
  try {
    testing::shell("command -v keepalived");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

struct InteropCase {
  Agent master;  ///< Which agent runs the priority-150 router; the other runs 100.
  int version;
  Family family;
  Transport transport;
};

std::string describe(const InteropCase& c) {
  return std::string(c.master == Agent::Vipd ? "VipdMaster" : "KeepalivedMaster") + "_V" +
         std::to_string(c.version) + "_" + std::string(toString(c.family)) + "_" +
         std::string(toString(c.transport));
}
std::string caseName(const ::testing::TestParamInfo<InteropCase>& info) {
  return describe(info.param);
}
void PrintTo(const InteropCase& c, std::ostream* os) { *os << describe(c); }

class InteropTest : public ::testing::TestWithParam<InteropCase> {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for network namespaces";
    // The interop suite exists to run against keepalived: in CI a missing
    // package is a failure, not a skip.
    ASSERT_TRUE(keepalivedInstalled())
        << "keepalived 2.2 is not installed (apt install keepalived)";
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
    if (HasFailure()) std::cout << scenario_->allLogs();
  }

  std::unique_ptr<Scenario> scenario_;
};

constexpr std::size_t kMaster = 0;  // h1, priority 150
constexpr std::size_t kBackup = 1;  // h2, priority 100

// Fails over both ways twice: a graceful stop (priority 0 from the master,
// the peer takes over after its skew) and a pulled cable (silence, the peer's
// Master_Down timer with the learned interval); each time the master comes
// back and preempts, so each side both yields to and takes over from the other.
TEST_P(InteropTest, PeersAcceptEachOtherAndFailOverBothWays) {
  const auto& c = GetParam();
  const Agent other = c.master == Agent::Vipd ? Agent::Keepalived : Agent::Vipd;
  VrrpSetup setup{c.family, c.transport, c.version,
                  c.version == 2 ? milliseconds(1000) : milliseconds(200), true};
  scenario_ = std::make_unique<Scenario>(
      "io", setup, std::vector<NodeSpec>{{"h1", 150, c.master}, {"h2", 100, other}});
  auto& s = *scenario_;

  {
    SCOPED_TRACE("start: the higher priority is elected");
    s.startAll();
    ASSERT_TRUE(ok(s.settlesOn(kMaster)));
    ASSERT_TRUE(ok(s.clientReachesVip()));
  }
  {
    SCOPED_TRACE("graceful stop of the master: priority 0");
    ASSERT_TRUE(ok(s.terminate(kMaster)));
    ASSERT_TRUE(ok(s.settlesOn(kBackup)));
    ASSERT_TRUE(ok(s.clientReachesVip()));
  }
  {
    SCOPED_TRACE("the master restarts and preempts");
    s.start(kMaster);
    ASSERT_TRUE(ok(s.settlesOn(kMaster)));
    ASSERT_TRUE(ok(s.clientReachesVip()));
  }
  {
    SCOPED_TRACE("the master's cable is pulled: it goes FAULT, the peer times out");
    s.setCable(kMaster, false);
    ASSERT_TRUE(ok(s.settlesOn(kBackup)));
    ASSERT_TRUE(ok(s.clientReachesVip()));
    EXPECT_TRUE(waitFor([&] { return !s.holds(kMaster); }, s.takeoverTimeout()))
        << s.node(kMaster).name << " kept the VIP on a dead link";
  }
  {
    SCOPED_TRACE("the cable is back: the master preempts");
    s.setCable(kMaster, true);
    ASSERT_TRUE(ok(s.settlesOn(kMaster)));
    ASSERT_TRUE(ok(s.clientReachesVip()));
  }
  // TearDown checks both logs for complaints.
}

std::vector<InteropCase> cases() {
  std::vector<InteropCase> all;
  for (auto master : {Agent::Vipd, Agent::Keepalived}) {
    all.push_back({master, 2, Family::V4, Transport::Multicast});
    all.push_back({master, 3, Family::V4, Transport::Multicast});
    all.push_back({master, 3, Family::V4, Transport::Unicast});
    all.push_back({master, 3, Family::V6, Transport::Multicast});
    all.push_back({master, 3, Family::V6, Transport::Unicast});
  }
  return all;
}

INSTANTIATE_TEST_SUITE_P(Keepalived, InteropTest, ::testing::ValuesIn(cases()), caseName);

}  // namespace
}  // namespace vipd::lab
