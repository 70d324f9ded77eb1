#include "vipd/daemon/reload_plan.h"

#include <gtest/gtest.h>

#include "daemon_test_support.h"
#include "vipd/config/parser.h"

namespace vipd::daemon {
namespace {

using testing::parseConfig;

/// One instance A with `extra` lines, plus B unchanged.
std::string twoInstances(const std::string& extraA, const std::string& globals = "") {
  return globals + R"(
vrrp_instance A {
    interface eth0
    virtual_router_id 51
    priority 100
)" + extraA +
         R"(
    virtual_ipaddress { 192.0.2.100/24 }
}
vrrp_instance B {
    interface eth0
    virtual_router_id 52
    virtual_ipaddress { 192.0.2.101/24 }
}
)";
}

/// The change planned for A; B (multicast, untouched) must stay unchanged
/// unless the multicast group itself changed.
PlannedChange changeOf(const std::string& before, const std::string& after,
                       InstanceChange expectedForB = InstanceChange::Unchanged) {
  auto plan = planReload(parseConfig(before), parseConfig(after));
  EXPECT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan.at(1).instance, "B");
  EXPECT_EQ(plan.at(1).change, expectedForB) << plan.at(1).detail;
  return plan.at(0);
}

const std::string kOtherGroup = "global_defs {\n vrrp_mcast_group4 224.0.0.19\n}\n";

TEST(ReloadPlanTest, IdenticalConfigChangesNothing) {
  for (const auto& c : planReload(parseConfig(twoInstances("")), parseConfig(twoInstances("")))) {
    EXPECT_EQ(c.change, InstanceChange::Unchanged) << c.instance;
  }
}

TEST(ReloadPlanTest, MovedLinesAndCommentsAreNotChanges) {
  auto change = changeOf(twoInstances(""), "# a comment\n\n\n" + twoInstances("  ! another\n"));
  EXPECT_EQ(change.change, InstanceChange::Unchanged) << change.detail;
}

TEST(ReloadPlanTest, PriorityAndIntervalChangesUpdateInPlace) {
  auto change = changeOf(twoInstances(""), twoInstances("advert_int 2\n"));
  EXPECT_EQ(change.change, InstanceChange::Updated);
  EXPECT_EQ(change.detail, "advert_int");
  auto again = changeOf(twoInstances(""), R"(
vrrp_instance A {
    interface eth0
    virtual_router_id 51
    priority 150
    virtual_ipaddress { 192.0.2.100/24
                        192.0.2.102/24 }
}
vrrp_instance B {
    interface eth0
    virtual_router_id 52
    virtual_ipaddress { 192.0.2.101/24 }
})");
  EXPECT_EQ(again.change, InstanceChange::Updated);
  EXPECT_EQ(again.detail, "priority, virtual_ipaddress");
}

const std::string kRoutesA =
    "virtual_routes {\n 198.51.100.0/24 via 192.0.2.254\n}\n"
    "virtual_rules {\n from 192.0.2.100 table 100\n}\n";

TEST(ReloadPlanTest, ChangedRoutesAndRulesUpdateInPlaceSoAMasterSwapsThem) {
  auto added = changeOf(twoInstances(""), twoInstances(kRoutesA));
  EXPECT_EQ(added.change, InstanceChange::Updated);
  EXPECT_EQ(added.detail, "virtual_routes, virtual_rules");
  std::string otherRoute = kRoutesA;
  otherRoute.replace(otherRoute.find("198.51.100.0/24"), 15, "198.51.100.0/25");
  auto changed = changeOf(twoInstances(kRoutesA), twoInstances(otherRoute));
  EXPECT_EQ(changed.change, InstanceChange::Updated);
  EXPECT_EQ(changed.detail, "virtual_routes");
}

TEST(ReloadPlanTest, RoutesOnOtherLinesAreNotAChange) {
  auto change = changeOf(twoInstances(kRoutesA), "\n\n# moved\n" + twoInstances("\n" + kRoutesA));
  EXPECT_EQ(change.change, InstanceChange::Unchanged) << change.detail;
}

TEST(ReloadPlanTest, StaticRoutesDoNotTouchAnyInstance) {
  const std::string statics = "static_routes {\n 203.0.113.0/24 via 192.0.2.254\n}\n";
  auto change = changeOf(twoInstances(""), statics + twoInstances(""));
  EXPECT_EQ(change.change, InstanceChange::Unchanged) << change.detail;
}

TEST(ReloadPlanTest, IdentityChangesRestart) {
  auto toUnicast = changeOf(twoInstances(""),
                            twoInstances("unicast_src_ip 192.0.2.1\nunicast_peer { 192.0.2.2 }\n"));
  EXPECT_EQ(toUnicast.change, InstanceChange::Restarted);
  EXPECT_EQ(toUnicast.detail, "unicast_src_ip, unicast_peer, unicast_ttl");
  auto version = changeOf(twoInstances(""), twoInstances("version 3\n"));
  EXPECT_EQ(version.change, InstanceChange::Restarted);
  EXPECT_EQ(version.detail, "version");
  auto group = changeOf(twoInstances(""), twoInstances("", kOtherGroup), InstanceChange::Restarted);
  EXPECT_EQ(group.change, InstanceChange::Restarted);
  EXPECT_EQ(group.detail, "vrrp_mcast_group");
}

TEST(ReloadPlanTest, BecomingTheAddressOwnerRestarts) {
  auto before = parseConfig(twoInstances(""));
  auto after = before;
  after.instances[0].priority = 255;
  auto plan = planReload(before, after);
  EXPECT_EQ(plan.at(0).change, InstanceChange::Restarted);
  EXPECT_EQ(plan.at(0).detail, "priority 255 (address owner)");
}

TEST(ReloadPlanTest, InterfaceOrVridChangeRestarts) {
  auto before = parseConfig(twoInstances(""));
  auto after = before;
  after.instances[0].interface = "eth1";
  after.instances[0].virtualRouterId = 9;
  auto plan = planReload(before, after);
  EXPECT_EQ(plan.at(0).change, InstanceChange::Restarted);
  EXPECT_EQ(plan.at(0).detail, "interface, virtual_router_id");
}

TEST(ReloadPlanTest, RemovedAndAddedInstancesByName) {
  auto before = parseConfig(twoInstances(""));
  auto after = before;
  after.instances.erase(after.instances.begin());
  after.instances.push_back(before.instances[0]);
  after.instances.back().name = "C";
  after.instances.back().virtualRouterId = 53;
  auto plan = planReload(before, after);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].instance, "A");
  EXPECT_EQ(plan[0].change, InstanceChange::Removed);
  EXPECT_EQ(plan[1].change, InstanceChange::Unchanged);
  EXPECT_EQ(plan[2].instance, "C");
  EXPECT_EQ(plan[2].change, InstanceChange::Added);
}

// keepalived matches instances by virtual router, not by name (reference
// §3.5): renaming one must not cost a failover.
TEST(ReloadPlanTest, ARenamedInstanceOfTheSameVirtualRouterIsUpdatedNotReplaced) {
  auto before = parseConfig(twoInstances(""));
  auto after = before;
  after.instances[0].name = "A2";
  auto plan = planReload(before, after);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].instance, "A");
  EXPECT_EQ(plan[0].renamedTo, "A2");
  EXPECT_EQ(plan[0].nextName(), "A2");
  EXPECT_EQ(plan[0].change, InstanceChange::Updated);
  EXPECT_EQ(plan[0].detail, "name");
  after.instances[0].priority = 120;
  plan = planReload(before, after);
  EXPECT_EQ(plan[0].detail, "priority");
  EXPECT_EQ(plan[0].renamedTo, "A2");
}

TEST(ReloadPlanTest, ANewNameOnAnotherVirtualRouterIsRemoveAndAdd) {
  auto before = parseConfig(twoInstances(""));
  auto after = before;
  after.instances[0].name = "A2";
  after.instances[0].virtualRouterId = 60;
  auto plan = planReload(before, after);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].change, InstanceChange::Removed);
  EXPECT_EQ(plan[2].instance, "A2");
  EXPECT_EQ(plan[2].change, InstanceChange::Added);
}

TEST(ReloadPlanTest, AMulticastGroupChangeDoesNotTouchUnicastInstances) {
  const std::string unicast = "unicast_src_ip 192.0.2.1\nunicast_peer { 192.0.2.2 }\n";
  auto change = changeOf(twoInstances(unicast), twoInstances(unicast, kOtherGroup),
                         InstanceChange::Restarted);
  EXPECT_EQ(change.change, InstanceChange::Unchanged);
}

}  // namespace
}  // namespace vipd::daemon
