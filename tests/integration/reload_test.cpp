// Config reload (SIGHUP) on a running pair, observed from outside: the
// addresses each host holds, the adverts on the wire (seen by a bystander)
// and the daemons' logs.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>

#include "pair_lab.h"
#include "rtnl.h"

namespace vipd::lab {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// One vrrp_instance of the lab's configs: VRRPv3 at 100 ms on eth0.
struct InstanceText {
  std::string name;
  int vrid;
  int priority;
  std::string vip;  ///< One or more, separated by spaces.
};

std::string configText(const std::vector<InstanceText>& instances) {
  std::string text = "global_defs {\n    vrrp_version 3\n}\n";
  for (const auto& in : instances) {
    text += "vrrp_instance " + in.name + " {\n    interface eth0\n    virtual_router_id " +
            std::to_string(in.vrid) + "\n    priority " + std::to_string(in.priority) +
            "\n    advert_int 0.1\n    virtual_ipaddress {\n";
    std::istringstream vips(in.vip);
    for (std::string vip; vips >> vip;) text += "        " + vip + "/24\n";
    text += "    }\n}\n";
  }
  return text;
}

constexpr auto kSettle = 3s;  // far above Master_Down_Interval (0.3 s + skew)

class ReloadTest : public PairLabTest {
 protected:
  ReloadTest() : PairLabTest("reload") {}

  void startBoth(const std::vector<InstanceText>& h1, const std::vector<InstanceText>& h2) {
    c1_ = startVipd(*lab_, *h1_, configText(h1), "h1-vipd");
    c2_ = startVipd(*lab_, *h2_, configText(h2), "h2-vipd");
  }

  bool holds(const Host& h, const std::string& vip) { return lab_->hasAddress(h, vip); }
};

const InstanceText kA1{"VI_A", 51, 150, "192.0.2.100"};
const InstanceText kB1{"VI_B", 52, 150, "192.0.2.101"};
const InstanceText kA2{"VI_A", 51, 100, "192.0.2.100"};
const InstanceText kB2{"VI_B", 52, 100, "192.0.2.101"};

// Reload with the same instances (the file edited only in comments and
// layout): no transition, no extra advert, the VIPs never leave.
TEST_F(ReloadTest, UnchangedConfigCausesNoTransitionAndNoExtraAdvert) {
  startBoth({kA1, kB1}, {kA2, kB2});
  std::this_thread::sleep_for(kSettle);
  ASSERT_TRUE(holds(*h1_, "192.0.2.100") && holds(*h1_, "192.0.2.101"));
  const auto transitions1 = countInLog(c1_, "entering");
  const auto transitions2 = countInLog(c2_, "entering");

  tap_->clear();
  const auto clearedAt = Clock::now();
  const auto reloadAt = clearedAt + 1s;
  std::this_thread::sleep_until(reloadAt);
  reloadWith(*lab_, c1_, "# edited\n\n" + configText({kA1, kB1}));
  reloadWith(*lab_, c2_, "! edited too\n" + configText({kA2, kB2}));
  ASSERT_TRUE(logShows(c1_, "reload done: 2 unchanged, 0 updated"));
  ASSERT_TRUE(logShows(c2_, "reload done: 2 unchanged, 0 updated"));
  std::this_thread::sleep_for(1s);
  // The window is 2 s plus however long the reloads took to be logged (more
  // under load): at most one advert per 100 ms of it, and one at each edge.
  const auto endAt = Clock::now();
  const auto window = endAt - clearedAt;
  const auto maxAdverts = static_cast<std::size_t>(window / 100ms) + 2;

  EXPECT_EQ(countInLog(c1_, "entering"), transitions1);
  EXPECT_EQ(countInLog(c2_, "entering"), transitions2);
  EXPECT_TRUE(holds(*h1_, "192.0.2.100") && holds(*h1_, "192.0.2.101"));
  EXPECT_FALSE(holds(*h2_, "192.0.2.100") || holds(*h2_, "192.0.2.101"));
  // Every advert of the 2 s around the reload came from h1 at its interval:
  // an extra one (a burst on reload) would show as a gap well under 100 ms.
  std::map<int, std::vector<Clock::time_point>> byVrid;
  for (const auto& a : tap_->seen()) {
    // The tap's thread may hand over, after clear(), adverts that the kernel
    // received before it: count by the kernel's receive time.
    if (a.at < clearedAt || a.at > endAt) continue;
    EXPECT_EQ(a.source, "192.0.2.1") << "h2 advertised";
    byVrid[a.vrid].push_back(a.at);
  }
  ASSERT_EQ(byVrid.size(), 2u);
  for (const auto& [vrid, times] : byVrid) {
    EXPECT_GE(times.size(), 15u) << "VRID " << vrid << " stopped advertising";
    EXPECT_LE(times.size(), maxAdverts) << "VRID " << vrid << " sent extra adverts";
    for (std::size_t i = 1; i < times.size(); ++i) {
      EXPECT_GE(times[i] - times[i - 1], 60ms) << "VRID " << vrid << " extra advert #" << i;
    }
  }
}

TEST_F(ReloadTest, PriorityChangeMovesMastershipOfThatInstanceOnly) {
  startBoth({kA1, kB1}, {kA2, kB2});
  ASSERT_TRUE(waitFor([&] { return holds(*h1_, "192.0.2.100") && holds(*h1_, "192.0.2.101"); },
                      kSettle));
  auto a2 = kA2;
  a2.priority = 200;
  reloadWith(*lab_, c2_, configText({a2, kB2}));
  ASSERT_TRUE(logShows(c2_, "(VI_A) reload: updated: priority"));
  EXPECT_TRUE(waitFor([&] { return holds(*h2_, "192.0.2.100") && !holds(*h1_, "192.0.2.100"); },
                      kSettle));
  EXPECT_TRUE(holds(*h1_, "192.0.2.101"));
  EXPECT_FALSE(holds(*h2_, "192.0.2.101"));
  EXPECT_EQ(countInLog(c1_, "(VI_B) entering"), 2u) << "VI_B: BACKUP then MASTER, nothing since";
}

TEST_F(ReloadTest, BrokenConfigKeepsTheRunningOne) {
  startBoth({kA1, kB1}, {kA2, kB2});
  ASSERT_TRUE(waitFor([&] { return holds(*h1_, "192.0.2.100"); }, kSettle));
  const auto transitions = countInLog(c1_, "entering");
  auto broken = configText({kA1, kB1});
  broken.replace(broken.find("priority 150"), 12, "priority 300");
  reloadWith(*lab_, c1_, broken);
  ASSERT_TRUE(logShows(c1_, "keeping the running configuration"));
  EXPECT_NE(readLog(c1_).find("priority expects"), std::string::npos)
      << "the log names the error";
  tap_->clear();
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(lab_->waitExit(c1_, 0ms) == false) << "vipd exited";
  EXPECT_TRUE(holds(*h1_, "192.0.2.100") && holds(*h1_, "192.0.2.101"));
  EXPECT_EQ(countInLog(c1_, "entering"), transitions);
  EXPECT_GE(tap_->seen().size(), 15u) << "h1 kept advertising";
}

TEST_F(ReloadTest, AddedInstanceStartsAndRemovedOneReleasesItsVip) {
  startBoth({kA1, kB1}, {kA2, kB2});
  ASSERT_TRUE(waitFor([&] { return holds(*h1_, "192.0.2.101"); }, kSettle));
  const InstanceText c1{"VI_C", 53, 150, "192.0.2.102"};
  const InstanceText c2{"VI_C", 53, 100, "192.0.2.102"};
  reloadWith(*lab_, c1_, configText({kA1, c1}));
  reloadWith(*lab_, c2_, configText({kA2, c2}));
  ASSERT_TRUE(logShows(c1_, "reload done: 1 unchanged, 0 updated, 0 restarted, 1 removed, 1 added"));
  EXPECT_TRUE(waitFor([&] { return holds(*h1_, "192.0.2.102"); }, kSettle));
  EXPECT_FALSE(holds(*h1_, "192.0.2.101"));
  EXPECT_FALSE(holds(*h2_, "192.0.2.101")) << "the removed instance's VIP went nowhere";
  EXPECT_FALSE(holds(*h2_, "192.0.2.102"));
  EXPECT_TRUE(holds(*h1_, "192.0.2.100"));
}

// A master whose VIP list changes keeps the VIPs common to both lists
// installed throughout: traffic to them is never interrupted by a reload.
TEST_F(ReloadTest, VipListChangeOnTheMasterLeavesCommonVipsInPlace) {
  startBoth({kA1, kB1}, {kA2, kB2});
  ASSERT_TRUE(waitFor([&] { return holds(*h1_, "192.0.2.100"); }, kSettle));
  AddressWatch common(*h1_->ns, "192.0.2.100");
  auto a1 = kA1;
  auto a2 = kA2;
  a1.vip = a2.vip = "192.0.2.100 192.0.2.103";
  reloadWith(*lab_, c2_, configText({a2, kB2}));
  reloadWith(*lab_, c1_, configText({a1, kB1}));
  ASSERT_TRUE(logShows(c1_, "(VI_A) reload: updated: virtual_ipaddress"));
  EXPECT_TRUE(waitFor([&] { return holds(*h1_, "192.0.2.103"); }, 2s));
  EXPECT_FALSE(common.waitRemoved(1s)) << "192.0.2.100 was removed during the reload";
  EXPECT_TRUE(holds(*h1_, "192.0.2.100"));
  EXPECT_FALSE(holds(*h2_, "192.0.2.103"));
  EXPECT_EQ(countInLog(c1_, "(VI_A) entering"), 2u) << "no transition";
}

// A new VRID is a new virtual router: the instance restarts (priority 0 for
// the old VRID, INIT for the new one) and the election runs again.
TEST_F(ReloadTest, IdentityChangeRestartsTheInstance) {
  startBoth({kA1, kB1}, {kA2, kB2});
  ASSERT_TRUE(waitFor([&] { return holds(*h1_, "192.0.2.101"); }, kSettle));
  auto b1 = kB1;
  auto b2 = kB2;
  b1.vrid = b2.vrid = 62;
  reloadWith(*lab_, c2_, configText({kA2, b2}));
  reloadWith(*lab_, c1_, configText({kA1, b1}));
  ASSERT_TRUE(logShows(c1_, "(VI_B) reload: restarted: virtual_router_id"));
  EXPECT_TRUE(logShows(c1_, "(VI_B) entering MASTER", 2));
  EXPECT_TRUE(waitFor([&] { return holds(*h1_, "192.0.2.101") && !holds(*h2_, "192.0.2.101"); },
                      kSettle));
  std::this_thread::sleep_for(500ms);
  EXPECT_FALSE(holds(*h2_, "192.0.2.101"));
  bool sawNewVrid = false;
  for (const auto& a : tap_->seen()) sawNewVrid = sawNewVrid || a.vrid == 62;
  EXPECT_TRUE(sawNewVrid);
}

}  // namespace
}  // namespace vipd::lab
