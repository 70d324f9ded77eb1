// Operator drain (Maintenance event, `vipctl maintenance`): a drained Master
// hands over with priority 0 and a drained instance never becomes Master.
// Defaults as router_test.cpp: v3, 10.0.0.2, priority 100, 100 cs, so
// Skew_Time = 60 cs and Master_Down_Interval = 360 cs.
#include <gtest/gtest.h>

#include "router_harness.h"
#include "sync_harness.h"

namespace vipd::core::testing {
namespace {

using Lines = std::vector<std::string>;

RouterHarness master(RouterConfig config = defaultConfig()) {
  RouterHarness h(config);
  h.start();
  h.fire(TimerId::MasterDown);
  return h;
}

TEST(RouterMaintenanceTest, DrainedMasterResignsWithPriorityZeroAndStaysBackup) {
  RouterHarness h = master();
  EXPECT_EQ(
      h.maintenance(true),
      (Lines{"CancelTimer Adver_Timer", "SendAdvert prio=0 int=100cs Resign", "RemoveVips",
             "ArmTimer Master_Down_Timer @7200ms", "Notify MASTER->BACKUP Maintenance prio=100"}));
  EXPECT_EQ(h.router().state(), State::Backup);
  EXPECT_TRUE(h.router().inMaintenance());
}

TEST(RouterMaintenanceTest, DrainedBackupNeverTakesOverWhenTheMasterIsSilent) {
  RouterHarness h(defaultConfig());
  h.start();
  h.maintenance(true);
  EXPECT_EQ(h.fire(TimerId::MasterDown), (Lines{"ArmTimer Master_Down_Timer @7200ms"}));
  EXPECT_EQ(h.fire(TimerId::MasterDown), (Lines{"ArmTimer Master_Down_Timer @10800ms"}));
  EXPECT_EQ(h.router().state(), State::Backup);
}

TEST(RouterMaintenanceTest, DrainedBackupDoesNotPreemptALowerPriorityMaster) {
  RouterHarness h(defaultConfig());
  h.start();
  h.maintenance(true);
  h.advert("10.0.0.9", 50);
  h.fire(TimerId::MasterDown);
  EXPECT_EQ(h.router().state(), State::Backup);
}

TEST(RouterMaintenanceTest, DrainEndedBackupTakesOverAfterMasterDownInterval) {
  RouterHarness h(defaultConfig());
  h.start();
  h.maintenance(true);
  h.advanceTo(5s);
  EXPECT_EQ(h.maintenance(false), (Lines{"ArmTimer Master_Down_Timer @8600ms"}));
  EXPECT_EQ(h.fire(TimerId::MasterDown).back(), "Notify BACKUP->MASTER MasterDownTimer prio=100");
}

TEST(RouterMaintenanceTest, OwnerIsHeldWhileDrainedAndTakesOverWhenReleased) {
  RouterConfig config = defaultConfig();
  config.priority = 255;
  RouterHarness h(config);
  h.maintenance(true);  // before start: recorded
  EXPECT_EQ(h.start(),
            (Lines{"ArmTimer Master_Down_Timer @3000ms", "Notify INIT->BACKUP Startup prio=255"}));
  EXPECT_EQ(h.maintenance(false).back(), "Notify BACKUP->MASTER AddressOwner prio=255");
}

TEST(RouterMaintenanceTest, FaultClearedWhileDrainedLeadsToBackupOnly) {
  RouterHarness h(defaultConfig());
  h.start();
  h.raiseFault(1);
  h.maintenance(true);
  h.clearFault(1);
  EXPECT_EQ(h.router().state(), State::Backup);
  h.fire(TimerId::MasterDown);
  EXPECT_EQ(h.router().state(), State::Backup);
}

// A sync group marks every member first (act = false), then acts on each:
// every Master member resigns with priority 0, none follows the group back.
TEST(RouterMaintenanceTest, SyncGroupMembersAllResignWithPriorityZero) {
  SyncHarness h;
  h.advanceTo(10s);
  h.startAll();
  h.fire(0, TimerId::MasterDown);
  h.fire(1, TimerId::MasterDown);
  ASSERT_EQ(h.group().state(), State::Master);
  h.feed(0, Maintenance{true, false});
  h.feed(1, Maintenance{true, false});
  const Lines out = h.feed(0, Maintenance{true});
  const auto resigns = std::count_if(out.begin(), out.end(), [](const std::string& line) {
    return line.find("SendAdvert prio=0") != std::string::npos;
  });
  EXPECT_EQ(resigns, 2) << ::testing::PrintToString(out);
  h.feed(1, Maintenance{true});
  EXPECT_EQ(h.group().state(), State::Backup);
  h.advanceTo(30s);
  h.fire(0, TimerId::MasterDown);
  h.fire(1, TimerId::MasterDown);
  EXPECT_EQ(h.group().state(), State::Backup);
}

}  // namespace
}  // namespace vipd::core::testing
