// Sync groups (keepalived vrrp_sync_group) as specifications: two or three
// members with the default configuration (v3, 10.0.0.2, priority 100, 100 cs:
// Master_Down_Interval 3.6 s), started at t = 10 s.
#include <gtest/gtest.h>

#include "sync_harness.h"

namespace vipd::core::testing {
namespace {

using Lines = std::vector<std::string>;

// Both members started at 10 s, Master_Down_Timers due at 13.6 s.
SyncHarness started(std::size_t members = 2) {
  SyncHarness h(members);
  h.advanceTo(10s);
  h.startAll();
  return h;
}

// Both members Master at 13.6 s: m0 fired first and waited, m1 completed the set.
SyncHarness masters() {
  SyncHarness h = started();
  h.fire(0, TimerId::MasterDown);
  h.fire(1, TimerId::MasterDown);
  return h;
}

TEST(SyncGroupTest, StartingMembersEnterBackupAndTheGroupNotifiesBackup) {
  SyncHarness h;
  h.advanceTo(10s);
  EXPECT_EQ(h.startAll(), (Lines{"m0: ArmTimer Master_Down_Timer @13600ms",
                                 "m0: Notify INIT->BACKUP Startup prio=100", "GROUP INIT->BACKUP",
                                 "m1: ArmTimer Master_Down_Timer @13600ms",
                                 "m1: Notify INIT->BACKUP Startup prio=100"}));
  EXPECT_EQ(h.group().state(), State::Backup);
}

TEST(SyncGroupTest, MemberWhoseTimerFiresFirstWaitsForTheOthers) {
  SyncHarness h = started();
  // keepalived vrrp_sync_can_goto_master: m1 does not want MASTER yet.
  EXPECT_EQ(h.fire(0, TimerId::MasterDown), (Lines{"m0: ArmTimer Master_Down_Timer @17200ms"}));
  EXPECT_EQ(h.member(0).state(), State::Backup);
  EXPECT_TRUE(h.member(0).wantsMaster());
  EXPECT_FALSE(h.member(1).wantsMaster());
}

TEST(SyncGroupTest, LastMemberToWantMasterTakesTheGroupToMaster) {
  SyncHarness h = started();
  h.fire(0, TimerId::MasterDown);
  EXPECT_EQ(h.fire(1, TimerId::MasterDown),
            (Lines{"m1: SendAdvert prio=100 int=100cs BecameMaster", "m1: AddVips accept",
                   "m1: SendGratuitous BecameMaster", "m1: ArmTimer Adver_Timer @14600ms",
                   "m1: Notify BACKUP->MASTER MasterDownTimer prio=100",
                   "m0: CancelTimer Master_Down_Timer",
                   "m0: SendAdvert prio=100 int=100cs BecameMaster", "m0: AddVips accept",
                   "m0: SendGratuitous BecameMaster", "m0: ArmTimer Adver_Timer @14600ms",
                   "m0: Notify BACKUP->MASTER SyncGroupMaster prio=100", "GROUP BACKUP->MASTER"}));
}

TEST(SyncGroupTest, AcceptingAnAdvertWithdrawsTheWishForMaster) {
  SyncHarness h = started();
  h.fire(0, TimerId::MasterDown);
  // keepalived vrrp_state_backup sets wantstate BACKUP on an accepted advert.
  EXPECT_EQ(h.advert(0, "10.0.0.9", 200), (Lines{"m0: ArmTimer Master_Down_Timer @17200ms"}));
  EXPECT_FALSE(h.member(0).wantsMaster());
  EXPECT_EQ(h.fire(1, TimerId::MasterDown), (Lines{"m1: ArmTimer Master_Down_Timer @17200ms"}));
  EXPECT_EQ(h.group().state(), State::Backup);
}

TEST(SyncGroupTest, ADiscardedLowerPriorityAdvertKeepsTheWish) {
  SyncHarness h = started();
  h.fire(0, TimerId::MasterDown);
  EXPECT_EQ(h.advert(0, "10.0.0.9", 50), Lines{});
  EXPECT_TRUE(h.member(0).wantsMaster());
}

TEST(SyncGroupTest, MasterYieldingToAHigherPriorityTakesTheOthersOutOfMaster) {
  SyncHarness h = masters();
  h.advanceTo(14s);
  // keepalived vrrp_sync_backup -> vrrp_state_leave_master(isync, false): no prio-0 advert.
  EXPECT_EQ(
      h.advert(1, "10.0.0.9", 200),
      (Lines{"m1: RemoveVips", "m1: CancelTimer Adver_Timer",
             "m1: SendAdvert prio=100 int=100cs Parting", "m1: ArmTimer Master_Down_Timer @17600ms",
             "m1: Notify MASTER->BACKUP HigherPriorityAdvert prio=100",
             "m0: CancelTimer Adver_Timer", "m0: RemoveVips",
             "m0: ArmTimer Master_Down_Timer @17600ms",
             "m0: Notify MASTER->BACKUP SyncGroupBackup prio=100", "GROUP MASTER->BACKUP"}));
}

TEST(SyncGroupTest, FaultOnOneMasterResignsEveryMember) {
  SyncHarness h = masters();
  h.advanceTo(14s);
  EXPECT_EQ(h.feed(0, FaultRaised{1}),
            (Lines{"m0: CancelTimer Adver_Timer", "m0: SendAdvert prio=0 int=100cs Resign",
                   "m0: RemoveVips", "m0: Notify MASTER->FAULT FaultRaised prio=100",
                   "m1: CancelTimer Adver_Timer", "m1: SendAdvert prio=0 int=100cs Resign",
                   "m1: RemoveVips", "m1: Notify MASTER->FAULT SyncGroupFault prio=100",
                   "GROUP MASTER->FAULT"}));
  EXPECT_TRUE(h.member(1).faulted());
  EXPECT_FALSE(h.member(1).trackedFaulted());
}

TEST(SyncGroupTest, FaultOnABackupMemberTakesTheGroupToFault) {
  SyncHarness h = started();
  h.advanceTo(11s);
  EXPECT_EQ(
      h.feed(1, FaultRaised{4}),
      (Lines{"m1: CancelTimer Master_Down_Timer", "m1: Notify BACKUP->FAULT FaultRaised prio=100",
             "m0: CancelTimer Master_Down_Timer",
             "m0: Notify BACKUP->FAULT SyncGroupFault prio=100", "GROUP BACKUP->FAULT"}));
}

TEST(SyncGroupTest, GroupLeavesFaultWhenTheLastMemberFaultClears) {
  SyncHarness h = started(3);
  h.advanceTo(11s);
  h.feed(0, FaultRaised{1});
  h.feed(2, FaultRaised{1});
  h.advanceTo(12s);
  // keepalived try_up_instance: num_member_fault is still 1.
  EXPECT_EQ(h.feed(0, FaultCleared{1}), Lines{});
  EXPECT_EQ(h.member(0).state(), State::Fault);
  EXPECT_EQ(h.feed(2, FaultCleared{1}),
            (Lines{"m2: ArmTimer Master_Down_Timer @15600ms",
                   "m2: Notify FAULT->BACKUP FaultCleared prio=100",
                   "m0: ArmTimer Master_Down_Timer @15600ms",
                   "m0: Notify FAULT->BACKUP SyncGroupBackup prio=100",
                   "m1: ArmTimer Master_Down_Timer @15600ms",
                   "m1: Notify FAULT->BACKUP SyncGroupBackup prio=100", "GROUP FAULT->BACKUP"}));
}

TEST(SyncGroupTest, MemberStartedWhileAnotherIsFaultedStartsInFault) {
  SyncHarness h;
  h.advanceTo(10s);
  h.feed(0, FaultRaised{1});
  EXPECT_EQ(h.feed(1, Start{}),
            (Lines{"m1: Notify INIT->FAULT FaultRaised prio=100", "GROUP INIT->FAULT"}));
}

TEST(SyncGroupTest, OwnersWaitForEachOtherThenTakeOverTogether) {
  RouterConfig owner = memberConfig(0);
  owner.priority = 255;
  RouterConfig owner2 = memberConfig(1);
  owner2.priority = 255;
  SyncHarness h({owner, owner2});
  h.advanceTo(10s);
  EXPECT_EQ(h.feed(0, Start{}),
            (Lines{"m0: ArmTimer Master_Down_Timer @13000ms",
                   "m0: Notify INIT->BACKUP Startup prio=255", "GROUP INIT->BACKUP"}));
  EXPECT_EQ(
      h.feed(1, Start{}),
      (Lines{"m1: Notify INIT->BACKUP Startup prio=255",
             "m1: SendAdvert prio=255 int=100cs BecameMaster", "m1: AddVips accept",
             "m1: SendGratuitous BecameMaster", "m1: ArmTimer Adver_Timer @11000ms",
             "m1: Notify BACKUP->MASTER AddressOwner prio=255", "m0: CancelTimer Master_Down_Timer",
             "m0: SendAdvert prio=255 int=100cs BecameMaster", "m0: AddVips accept",
             "m0: SendGratuitous BecameMaster", "m0: ArmTimer Adver_Timer @11000ms",
             "m0: Notify BACKUP->MASTER SyncGroupMaster prio=255", "GROUP BACKUP->MASTER"}));
}

TEST(SyncGroupTest, StoppingEveryMemberStopsTheGroup) {
  SyncHarness h = masters();
  h.advanceTo(14s);
  h.feed(0, Shutdown{});
  EXPECT_EQ(h.group().state(), State::Master);
  EXPECT_EQ(
      h.feed(1, Shutdown{}),
      (Lines{"m1: CancelTimer Adver_Timer", "m1: SendAdvert prio=0 int=100cs Resign",
             "m1: RemoveVips", "m1: Notify MASTER->INIT Shutdown prio=100", "GROUP MASTER->INIT"}));
}

TEST(SyncGroupTest, MemberRestartedUnderAMasterGroupIsNotHeld) {
  SyncHarness h = masters();
  h.advanceTo(14s);
  h.feed(0, Shutdown{});
  h.feed(0, Start{});
  // keepalived vrrp_sync_can_goto_master: the group is already MASTER.
  EXPECT_EQ(h.fire(0, TimerId::MasterDown),
            (Lines{"m0: SendAdvert prio=100 int=100cs BecameMaster", "m0: AddVips accept",
                   "m0: SendGratuitous BecameMaster", "m0: ArmTimer Adver_Timer @18600ms",
                   "m0: Notify BACKUP->MASTER MasterDownTimer prio=100"}));
}

// A reload builds a group over routers that already run: it starts in their
// state (no spurious GROUP transition) and settle() applies the fault rule.
TEST(SyncGroupTest, GroupBuiltOverRunningRoutersStartsInTheirStateAndSettlesFaults) {
  Router faulted(memberConfig(0));
  Router healthy(memberConfig(1));
  faulted.handle(Start{}, t(10s));
  healthy.handle(Start{}, t(10s));
  faulted.handle(FaultRaised{1}, t(11s));
  SyncGroup group("G1", {&faulted, &healthy});
  EXPECT_EQ(group.state(), State::Fault);
  const SyncOutput out = group.settle(t(12s));
  ASSERT_EQ(out.members.size(), 1u);
  EXPECT_EQ(out.members[0].member, 1u);
  EXPECT_TRUE(out.group.empty());
  EXPECT_EQ(healthy.state(), State::Fault);
  EXPECT_TRUE(group.settle(t(12s)).members.empty()) << "settling twice changes nothing";
}

// Every sync event in every state has a row (the router throws otherwise).
TEST(SyncGroupTest, EverySyncEventInEveryStateHasARow) {
  const Event events[] = {SyncForceMaster{}, SyncForceBackup{}, SyncFault{}, SyncFaultCleared{}};
  for (State state : {State::Initialize, State::Backup, State::Master, State::Fault}) {
    for (const Event& event : events) {
      SCOPED_TRACE(std::string(toString(state)) + ", " + fakes::describe(event));
      RouterHarness r;
      r.advanceTo(1s);
      if (state != State::Initialize) r.start();
      if (state == State::Master) r.fire(TimerId::MasterDown);
      if (state == State::Fault) r.raiseFault(1);
      ASSERT_EQ(r.router().state(), state);
      EXPECT_NO_THROW(r.handle(event));
      EXPECT_NO_THROW(r.handle(SyncFaultCleared{}));
      r.router().setSyncHold(true);
      EXPECT_NO_THROW(r.fire(TimerId::MasterDown));
    }
  }
}

}  // namespace
}  // namespace vipd::core::testing
