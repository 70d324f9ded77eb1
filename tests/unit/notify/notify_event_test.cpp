#include "vipd/notify/notify_event.h"

#include <gtest/gtest.h>

#include "notify_script.h"

namespace vipd::notify {
namespace {

using Argv = std::vector<std::string>;

using testing::script;

// Reference §2.2 and [SRC vrrp_notify.c:notify_fifo]: `TYPE "NAME" STATE PRIO\n`.
TEST(FifoLineTest, InstanceLineQuotesTheNameAndCarriesThePriority) {
  EXPECT_EQ(fifoLine(Subject::Instance, "VI_1", NotifyState::Master, 150),
            "INSTANCE \"VI_1\" MASTER 150\n");
  EXPECT_EQ(fifoLine(Subject::Instance, "VI_1", NotifyState::Stop, 0),
            "INSTANCE \"VI_1\" STOP 0\n");
}

TEST(FifoLineTest, GroupLineAlwaysCarriesZero) {
  EXPECT_EQ(fifoLine(Subject::Group, "G1", NotifyState::Backup, 200), "GROUP \"G1\" BACKUP 0\n");
}

TEST(FifoLineTest, EveryStateHasKeepalivedsUppercaseWord) {
  const std::pair<NotifyState, std::string_view> table[] = {
      {NotifyState::Master, "MASTER"},
      {NotifyState::Backup, "BACKUP"},
      {NotifyState::Fault, "FAULT"},
      {NotifyState::Stop, "STOP"},
      {NotifyState::Deleted, "DELETED"},
      {NotifyState::MasterRxLowerPri, "MASTER_RX_LOWER_PRI"},
      {NotifyState::MasterPriority, "MASTER_PRIORITY"},
      {NotifyState::BackupPriority, "BACKUP_PRIORITY"},
  };
  for (const auto& [state, word] : table) {
    SCOPED_TRACE(word);
    EXPECT_EQ(stateName(state), word);
    EXPECT_EQ(fifoLine(Subject::Instance, "x", state, 1),
              "INSTANCE \"x\" " + std::string(word) + " 1\n");
  }
}

TEST(NotifyArgvsTest, SpecificScriptGetsOnlyItsConfiguredArgvThenGenericGetsFourMore) {
  config::NotifyScripts scripts;
  scripts.master = script({"/etc/vipd/n.sh", "master_script", "A"});
  scripts.generic = script({"/x/notify.sh"});
  EXPECT_EQ(notifyArgvs(scripts, Subject::Instance, "VI_1", NotifyState::Master, 150),
            (std::vector<Argv>{{"/etc/vipd/n.sh", "master_script", "A"},
                               {"/x/notify.sh", "INSTANCE", "VI_1", "MASTER", "150"}}));
}

TEST(NotifyArgvsTest, EachStatePicksItsOwnSpecificScript) {
  config::NotifyScripts scripts;
  scripts.master = script({"/m"});
  scripts.backup = script({"/b"});
  scripts.fault = script({"/f"});
  scripts.stop = script({"/s"});
  const std::pair<NotifyState, std::string> table[] = {{NotifyState::Master, "/m"},
                                                       {NotifyState::Backup, "/b"},
                                                       {NotifyState::Fault, "/f"},
                                                       {NotifyState::Stop, "/s"}};
  for (const auto& [state, program] : table) {
    SCOPED_TRACE(program);
    EXPECT_EQ(notifyArgvs(scripts, Subject::Instance, "VI_1", state, 100),
              (std::vector<Argv>{{program}}));
  }
  EXPECT_TRUE(notifyArgvs(scripts, Subject::Instance, "VI_1", NotifyState::Deleted, 1).empty());
}

TEST(NotifyArgvsTest, GenericOnlyKeepsItsOwnArgumentsFirst) {
  config::NotifyScripts scripts;
  scripts.generic = script({"/x/generic", "A"});
  EXPECT_EQ(notifyArgvs(scripts, Subject::Instance, "VI_1", NotifyState::Stop, 150),
            (std::vector<Argv>{{"/x/generic", "A", "INSTANCE", "VI_1", "STOP", "150"}}));
}

TEST(NotifyArgvsTest, GroupGenericGetsGroupAndPriorityZero) {
  config::NotifyScripts scripts;
  scripts.generic = script({"/x/notify.sh"});
  EXPECT_EQ(notifyArgvs(scripts, Subject::Group, "G1", NotifyState::Fault, 99),
            (std::vector<Argv>{{"/x/notify.sh", "GROUP", "G1", "FAULT", "0"}}));
}

TEST(NotifyArgvsTest, NothingConfiguredRunsNothing) {
  EXPECT_TRUE(notifyArgvs({}, Subject::Instance, "VI_1", NotifyState::Master, 1).empty());
}

TEST(NotifyArgvsTest, DeletedRunsNotifyDeletedThenGenericWithDeleted) {
  config::NotifyScripts scripts;
  scripts.notifyDeleted = true;
  scripts.deleted = script({"/d", "gone"});
  scripts.generic = script({"/g"});
  EXPECT_EQ(notifyArgvs(scripts, Subject::Instance, "VI_1", NotifyState::Deleted, 90),
            (std::vector<Argv>{{"/d", "gone"}, {"/g", "INSTANCE", "VI_1", "DELETED", "90"}}));
}

// Not a transition: only its own script runs [K5 §VRRP instance(s)].
TEST(NotifyArgvsTest, MasterRxLowerPriRunsOnlyItsOwnScript) {
  config::NotifyScripts scripts;
  scripts.masterRxLowerPri = script({"/rx", "lower"});
  scripts.generic = script({"/g"});
  EXPECT_EQ(notifyArgvs(scripts, Subject::Instance, "VI_1", NotifyState::MasterRxLowerPri, 150),
            (std::vector<Argv>{{"/rx", "lower"}}));
}

// Priority changes are FIFO lines only [SRC vrrp_notify.c:send_instance_priority_notifies].
TEST(NotifyArgvsTest, PriorityChangesRunNoScript) {
  config::NotifyScripts scripts;
  scripts.master = script({"/m"});
  scripts.backup = script({"/b"});
  scripts.generic = script({"/g"});
  for (auto state : {NotifyState::MasterPriority, NotifyState::BackupPriority}) {
    SCOPED_TRACE(stateName(state));
    EXPECT_FALSE(isTransition(state));
    EXPECT_TRUE(notifyArgvs(scripts, Subject::Instance, "VI_1", state, 150).empty());
  }
  EXPECT_TRUE(isTransition(NotifyState::Stop));
  EXPECT_FALSE(isTransition(NotifyState::MasterRxLowerPri));
}

TEST(ReportsPriorityChangesTest, InstanceThenSyncGroupThenGlobal) {
  EXPECT_FALSE(reportsPriorityChanges(std::nullopt, std::nullopt, false));
  EXPECT_TRUE(reportsPriorityChanges(std::nullopt, std::nullopt, true));
  EXPECT_TRUE(reportsPriorityChanges(std::nullopt, true, false));
  EXPECT_FALSE(reportsPriorityChanges(std::nullopt, false, true));
  EXPECT_FALSE(reportsPriorityChanges(false, true, true));
  EXPECT_TRUE(reportsPriorityChanges(true, false, false));
}

TEST(ReportedStateTest, DeletedIsReportedAsFaultWithoutNotifyDeleted) {
  EXPECT_EQ(reportedState(NotifyState::Deleted, false), NotifyState::Fault);
  EXPECT_EQ(reportedState(NotifyState::Deleted, true), NotifyState::Deleted);
  EXPECT_EQ(reportedState(NotifyState::Master, false), NotifyState::Master);
}

}  // namespace
}  // namespace vipd::notify
