// One case per row of the transition table: reach the row's state at t = 10 s
// with the default configuration (v3, 10.0.0.2, priority 100, 100 cs, so
// Master_Down_Interval = 3.6 s and Skew_Time = 0.6 s), apply the stimulus,
// and compare the actions and the resulting state with the row.
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "router_harness.h"

namespace vipd::core::testing {
namespace {

using Lines = std::vector<std::string>;

struct RowCase {
  State state;
  Trigger trigger;
  State setup;  // state reached at 10 s before the stimulus
  Lines (*stimulus)(RouterHarness&);
  Lines expected;
  void (*configure)(RouterConfig&) = nullptr;
};

// gtest prints parameters in test listings; say which row, not the bytes.
void PrintTo(const RowCase& c, std::ostream* out) {
  *out << toString(c.state) << " x " << toString(c.trigger);
}

// Becoming Master at 13.6 s (the default Master_Down_Interval after a start at 10 s).
const Lines kBecomeMasterAt13600 = {"SendAdvert prio=100 int=100cs BecameMaster", "AddVips accept",
                                    "SendGratuitous BecameMaster", "ArmTimer Adver_Timer @14600ms"};

// Sync-group events come from SyncGroup, not from the harness's shortcuts.
Lines feed(RouterHarness& h, const Event& event) { return fakes::describe(h.handle(event)); }

Lines with(Lines lines, std::string last) {
  lines.push_back(std::move(last));
  return lines;
}

// clang-format off
const RowCase kRows[] = {
  // Initialize
  {State::Initialize, Trigger::Start, State::Initialize, [](RouterHarness& h) { return h.start(); },
   {"ArmTimer Master_Down_Timer @13600ms", "Notify INIT->BACKUP Startup prio=100"}},
  {State::Initialize, Trigger::StartFaulted, State::Initialize,
   [](RouterHarness& h) { h.raiseFault(1); return h.start(); },
   {"Notify INIT->FAULT FaultRaised prio=100"}},
  {State::Initialize, Trigger::Shutdown, State::Initialize, [](RouterHarness& h) { return h.shutdown(); }, {}},
  {State::Initialize, Trigger::Advert, State::Initialize,
   [](RouterHarness& h) { return h.advert("10.0.0.9", 200); }, {}},
  {State::Initialize, Trigger::PriorityChanged, State::Initialize,
   [](RouterHarness& h) { return h.setPriority(150); }, {}},
  {State::Initialize, Trigger::FaultActive, State::Initialize, [](RouterHarness& h) { return h.raiseFault(1); }, {}},
  {State::Initialize, Trigger::FaultsCleared, State::Initialize, [](RouterHarness& h) { return h.clearFault(1); }, {}},
  // Backup
  {State::Backup, Trigger::Start, State::Backup, [](RouterHarness& h) { return h.start(); }, {}},
  {State::Backup, Trigger::Shutdown, State::Backup, [](RouterHarness& h) { return h.shutdown(); },
   {"CancelTimer Master_Down_Timer", "Notify BACKUP->INIT Shutdown prio=100"}},
  {State::Backup, Trigger::OwnerTakeover, State::Initialize, [](RouterHarness& h) { return h.start(); },
   {"Notify INIT->BACKUP Startup prio=255", "SendAdvert prio=255 int=100cs BecameMaster",
    "AddVips accept", "SendGratuitous BecameMaster", "ArmTimer Adver_Timer @11000ms",
    "Notify BACKUP->MASTER AddressOwner prio=255"},
   [](RouterConfig& c) { c.priority = 255; }},
  {State::Backup, Trigger::MasterDownTimer, State::Backup,
   [](RouterHarness& h) { return h.fire(TimerId::MasterDown); },
   with(kBecomeMasterAt13600, "Notify BACKUP->MASTER MasterDownTimer prio=100")},
  {State::Backup, Trigger::MasterDownAfterPriorityZero, State::Backup,
   [](RouterHarness& h) { h.advert("10.0.0.9", 0); return h.fire(TimerId::MasterDown); },
   {"SendAdvert prio=100 int=100cs BecameMaster", "AddVips accept", "SendGratuitous BecameMaster",
    "ArmTimer Adver_Timer @11600ms", "Notify BACKUP->MASTER PriorityZeroReceived prio=100"}},
  {State::Backup, Trigger::MasterDownPreempting, State::Backup,
   [](RouterHarness& h) { h.advert("10.0.0.9", 50); return h.fire(TimerId::MasterDown); },
   with(kBecomeMasterAt13600, "Notify BACKUP->MASTER Preempted prio=100")},
  {State::Backup, Trigger::AdvertPriorityZero, State::Backup,
   [](RouterHarness& h) { return h.advert("10.0.0.9", 0); }, {"ArmTimer Master_Down_Timer @10600ms"}},
  {State::Backup, Trigger::AdvertHigherPriority, State::Backup,
   [](RouterHarness& h) { return h.advert("10.0.0.9", 200, 200); },
   {"ArmTimer Master_Down_Timer @17210ms"}},  // learned 200 cs: 600 + 121 cs
  {State::Backup, Trigger::AdvertEqualPriorityHigherAddress, State::Backup,
   [](RouterHarness& h) { return h.advert("10.0.0.9", 100); }, {"ArmTimer Master_Down_Timer @13600ms"}},
  {State::Backup, Trigger::AdvertEqualPriorityLowerAddress, State::Backup,
   [](RouterHarness& h) { return h.advert("10.0.0.1", 100); }, {"ArmTimer Master_Down_Timer @13600ms"}},
  {State::Backup, Trigger::AdvertLowerPriority, State::Backup,
   [](RouterHarness& h) { return h.advert("10.0.0.9", 50); }, {}},
  {State::Backup, Trigger::AdvertLowerPriorityNoPreempt, State::Backup,
   [](RouterHarness& h) { return h.advert("10.0.0.9", 50); },
   {"ArmTimer Master_Down_Timer @13600ms", "PreemptDeclined from=10.0.0.9 theirs=50 ours=100 nopreempt"},
   [](RouterConfig& c) { c.preempt = false; }},
  {State::Backup, Trigger::AdvertLowerPriorityPreemptDelayed, State::Backup,
   [](RouterHarness& h) { return h.advert("10.0.0.9", 50); },
   {"ArmTimer Master_Down_Timer @13600ms",
    "PreemptDeclined from=10.0.0.9 theirs=50 ours=100 preempt_delay until @15000ms"},
   [](RouterConfig& c) { c.preemptDelay = std::chrono::seconds{5}; }},
  {State::Backup, Trigger::PriorityChanged, State::Backup, [](RouterHarness& h) { return h.setPriority(150); }, {}},
  {State::Backup, Trigger::FaultActive, State::Backup, [](RouterHarness& h) { return h.raiseFault(1); },
   {"CancelTimer Master_Down_Timer", "Notify BACKUP->FAULT FaultRaised prio=100"}},
  {State::Backup, Trigger::FaultsCleared, State::Backup, [](RouterHarness& h) { return h.clearFault(9); }, {}},
  // Master
  {State::Master, Trigger::Start, State::Master, [](RouterHarness& h) { return h.start(); }, {}},
  {State::Master, Trigger::Shutdown, State::Master, [](RouterHarness& h) { return h.shutdown(); },
   {"CancelTimer Adver_Timer", "SendAdvert prio=0 int=100cs Resign", "RemoveVips",
    "Notify MASTER->INIT Shutdown prio=100"}},
  {State::Master, Trigger::AdverTimer, State::Master, [](RouterHarness& h) { return h.fire(TimerId::Advert); },
   {"SendAdvert prio=100 int=100cs Periodic", "ArmTimer Adver_Timer @12000ms"}},
  {State::Master, Trigger::AdvertPriorityZero, State::Master,
   [](RouterHarness& h) { return h.advert("10.0.0.9", 0); },
   {"SendAdvert prio=100 int=100cs AnswerPriorityZero", "ArmTimer Adver_Timer @11000ms"}},
  {State::Master, Trigger::AdvertHigherPriority, State::Master,
   [](RouterHarness& h) { return h.advert("10.0.0.9", 200, 200); },
   {"RemoveVips", "CancelTimer Adver_Timer", "SendAdvert prio=100 int=100cs Parting",
    "ArmTimer Master_Down_Timer @17210ms",
    "Notify MASTER->BACKUP HigherPriorityAdvert prio=100"}},
  {State::Master, Trigger::AdvertEqualPriorityHigherAddress, State::Master,
   [](RouterHarness& h) { return h.advert("10.0.0.9", 100); },
   {"RemoveVips", "CancelTimer Adver_Timer", "SendAdvert prio=100 int=100cs Parting",
    "ArmTimer Master_Down_Timer @13600ms",
    "Notify MASTER->BACKUP EqualPriorityHigherAddress prio=100"}},
  {State::Master, Trigger::AdvertEqualPriorityLowerAddress, State::Master,
   [](RouterHarness& h) { return h.advert("10.0.0.1", 100); },
   {"SendAdvert prio=100 int=100cs AssertMastership", "ArmTimer Adver_Timer @11000ms",
    "SendGratuitous LowerPriorityAdvert", "MasterRxLowerPriority from=10.0.0.1 theirs=100 ours=100"}},
  {State::Master, Trigger::AdvertLowerPriority, State::Master,
   [](RouterHarness& h) { return h.advert("10.0.0.1", 50); },
   {"SendAdvert prio=100 int=100cs AssertMastership", "ArmTimer Adver_Timer @11000ms",
    "SendGratuitous LowerPriorityAdvert", "MasterRxLowerPriority from=10.0.0.1 theirs=50 ours=100"}},
  {State::Master, Trigger::PriorityChanged, State::Master, [](RouterHarness& h) { return h.setPriority(80); }, {}},
  {State::Master, Trigger::FaultActive, State::Master, [](RouterHarness& h) { return h.raiseFault(1); },
   {"CancelTimer Adver_Timer", "SendAdvert prio=0 int=100cs Resign", "RemoveVips",
    "Notify MASTER->FAULT FaultRaised prio=100"}},
  {State::Master, Trigger::FaultsCleared, State::Master, [](RouterHarness& h) { return h.clearFault(9); }, {}},
  // Fault
  {State::Fault, Trigger::Start, State::Fault, [](RouterHarness& h) { return h.start(); }, {}},
  {State::Fault, Trigger::Shutdown, State::Fault, [](RouterHarness& h) { return h.shutdown(); },
   {"Notify FAULT->INIT Shutdown prio=100"}},
  {State::Fault, Trigger::Advert, State::Fault, [](RouterHarness& h) { return h.advert("10.0.0.9", 200); }, {}},
  {State::Fault, Trigger::PriorityChanged, State::Fault, [](RouterHarness& h) { return h.setPriority(150); }, {}},
  {State::Fault, Trigger::FaultActive, State::Fault, [](RouterHarness& h) { return h.raiseFault(2); }, {}},
  {State::Fault, Trigger::FaultsCleared, State::Fault, [](RouterHarness& h) { return h.clearFault(1); },
   {"ArmTimer Master_Down_Timer @13600ms", "Notify FAULT->BACKUP FaultCleared prio=100"}},
  // Sync group (keepalived vrrp_sync.c; see sync_group_test.cpp for whole groups)
  {State::Initialize, Trigger::SyncForceMaster, State::Initialize,
   [](RouterHarness& h) { return feed(h, SyncForceMaster{}); }, {}},
  {State::Initialize, Trigger::SyncForceBackup, State::Initialize,
   [](RouterHarness& h) { return feed(h, SyncForceBackup{}); }, {}},
  {State::Initialize, Trigger::SyncFault, State::Initialize,
   [](RouterHarness& h) { return feed(h, SyncFault{}); }, {}},  // Start then enters Fault
  {State::Initialize, Trigger::SyncFaultCleared, State::Initialize,
   [](RouterHarness& h) { return feed(h, SyncFaultCleared{}); }, {}},
  {State::Backup, Trigger::SyncForceMaster, State::Backup,
   [](RouterHarness& h) { return feed(h, SyncForceMaster{}); },
   {"CancelTimer Master_Down_Timer", "SendAdvert prio=100 int=100cs BecameMaster", "AddVips accept",
    "SendGratuitous BecameMaster", "ArmTimer Adver_Timer @11000ms",
    "Notify BACKUP->MASTER SyncGroupMaster prio=100"}},
  {State::Backup, Trigger::SyncForceBackup, State::Backup,
   [](RouterHarness& h) { return feed(h, SyncForceBackup{}); }, {}},
  {State::Backup, Trigger::SyncFault, State::Backup,
   [](RouterHarness& h) { return feed(h, SyncFault{}); },
   {"CancelTimer Master_Down_Timer", "Notify BACKUP->FAULT SyncGroupFault prio=100"}},
  {State::Backup, Trigger::SyncFaultCleared, State::Backup,
   [](RouterHarness& h) { return feed(h, SyncFaultCleared{}); }, {}},
  {State::Backup, Trigger::MasterDownHeldBySync, State::Backup,
   [](RouterHarness& h) { h.router().setSyncHold(true); return h.fire(TimerId::MasterDown); },
   {"ArmTimer Master_Down_Timer @17200ms"}},  // fired at 13.6 s, + 3.6 s
  {State::Master, Trigger::SyncForceMaster, State::Master,
   [](RouterHarness& h) { return feed(h, SyncForceMaster{}); }, {}},
  {State::Master, Trigger::SyncForceBackup, State::Master,
   [](RouterHarness& h) { return feed(h, SyncForceBackup{}); },
   {"CancelTimer Adver_Timer", "RemoveVips", "ArmTimer Master_Down_Timer @13600ms",
    "Notify MASTER->BACKUP SyncGroupBackup prio=100"}},
  {State::Master, Trigger::SyncFault, State::Master,
   [](RouterHarness& h) { return feed(h, SyncFault{}); },
   {"CancelTimer Adver_Timer", "SendAdvert prio=0 int=100cs Resign", "RemoveVips",
    "Notify MASTER->FAULT SyncGroupFault prio=100"}},
  {State::Master, Trigger::SyncFaultCleared, State::Master,
   [](RouterHarness& h) { return feed(h, SyncFaultCleared{}); }, {}},
  {State::Fault, Trigger::SyncForceMaster, State::Fault,
   [](RouterHarness& h) { return feed(h, SyncForceMaster{}); }, {}},
  {State::Fault, Trigger::SyncForceBackup, State::Fault,
   [](RouterHarness& h) { return feed(h, SyncForceBackup{}); }, {}},
  {State::Fault, Trigger::SyncFault, State::Fault,
   [](RouterHarness& h) { return feed(h, SyncFault{}); }, {}},
  {State::Fault, Trigger::SyncFaultCleared, State::Fault,
   [](RouterHarness& h) { feed(h, SyncFault{}); h.clearFault(1); return feed(h, SyncFaultCleared{}); },
   {"ArmTimer Master_Down_Timer @13600ms", "Notify FAULT->BACKUP SyncGroupBackup prio=100"}},
  // Operator drain (vipd only)
  {State::Initialize, Trigger::MaintenanceOn, State::Initialize,
   [](RouterHarness& h) { return h.maintenance(true); }, {}},
  {State::Initialize, Trigger::MaintenanceOff, State::Initialize,
   [](RouterHarness& h) { return h.maintenance(false); }, {}},
  {State::Backup, Trigger::MaintenanceOn, State::Backup,
   [](RouterHarness& h) { return h.maintenance(true); }, {"ArmTimer Master_Down_Timer @13600ms"}},
  {State::Backup, Trigger::MaintenanceOff, State::Backup,
   [](RouterHarness& h) { h.maintenance(true); return h.maintenance(false); },
   {"ArmTimer Master_Down_Timer @13600ms"}},
  {State::Backup, Trigger::MasterDownInMaintenance, State::Backup,
   [](RouterHarness& h) { h.maintenance(true); return h.fire(TimerId::MasterDown); },
   {"ArmTimer Master_Down_Timer @17200ms"}},
  {State::Master, Trigger::MaintenanceOn, State::Master,
   [](RouterHarness& h) { return h.maintenance(true); },
   {"CancelTimer Adver_Timer", "SendAdvert prio=0 int=100cs Resign", "RemoveVips",
    "ArmTimer Master_Down_Timer @13600ms", "Notify MASTER->BACKUP Maintenance prio=100"}},
  {State::Master, Trigger::MaintenanceOff, State::Master,
   [](RouterHarness& h) { return h.maintenance(false); }, {}},
  {State::Fault, Trigger::MaintenanceOn, State::Fault,
   [](RouterHarness& h) { return h.maintenance(true); }, {}},
  {State::Fault, Trigger::MaintenanceOff, State::Fault,
   [](RouterHarness& h) { return h.maintenance(false); }, {}},
};
// clang-format on

// Brings a fresh router to `state` at exactly t = 10 s.
void reachAtTenSeconds(RouterHarness& h, State state) {
  switch (state) {
    case State::Initialize:
      h.advanceTo(10s);
      break;
    case State::Backup:
      h.advanceTo(10s);
      h.start();
      break;
    case State::Master:
      h.advanceTo(6400ms);
      h.start();
      h.fire(TimerId::MasterDown);  // 6.4 s + 3.6 s
      break;
    case State::Fault:
      h.advanceTo(10s);
      h.start();
      h.raiseFault(1);
      break;
  }
}

class TransitionRowTest : public ::testing::TestWithParam<RowCase> {};

TEST_P(TransitionRowTest, ActionsAndNextStateMatchTheRow) {
  const RowCase& c = GetParam();
  const TransitionRow* row = findRow(c.state, c.trigger);
  ASSERT_NE(row, nullptr);
  SCOPED_TRACE(row->reference);
  RouterConfig config = defaultConfig();
  if (c.configure != nullptr) c.configure(config);
  RouterHarness h(config);
  reachAtTenSeconds(h, c.setup);
  ASSERT_EQ(h.router().state(), c.setup);
  ASSERT_EQ(h.now(), t(10s));

  EXPECT_EQ(c.stimulus(h), c.expected);
  EXPECT_EQ(h.router().state(), row->next);
}

std::string rowName(const ::testing::TestParamInfo<RowCase>& info) {
  return std::string(toString(info.param.state)) + "_" + std::string(toString(info.param.trigger));
}

INSTANTIATE_TEST_SUITE_P(EveryRow, TransitionRowTest, ::testing::ValuesIn(kRows), rowName);

TEST(TransitionRowCoverageTest, EveryRowOfTheTableHasACase) {
  std::set<std::pair<State, Trigger>> covered;
  for (const RowCase& c : kRows) covered.emplace(c.state, c.trigger);
  for (const TransitionRow& row : transitionTable()) {
    EXPECT_TRUE(covered.count({row.state, row.trigger}))
        << "no case for " << toString(row.state) << " x " << toString(row.trigger);
  }
  EXPECT_EQ(covered.size(), transitionTable().size());
}

}  // namespace
}  // namespace vipd::core::testing
