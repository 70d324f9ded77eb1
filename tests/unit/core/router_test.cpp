// Behaviour of one router, stated with exact time points. Unless a test
// says otherwise: v3, 10.0.0.2, priority 100, 100 cs, down_timer_adverts 3,
// so Skew_Time = 156 × 100 / 256 = 60 cs and Master_Down_Interval = 360 cs.
#include <gtest/gtest.h>

#include <functional>

#include "router_harness.h"

namespace vipd::core::testing {
namespace {

using Lines = std::vector<std::string>;

class RouterTest : public ::testing::Test {
 protected:
  RouterHarness& make() { return harness_.emplace(config); }
  /// Starts at 0 and lets the Master_Down_Timer fire at 3.6 s.
  RouterHarness& makeMaster() {
    RouterHarness& h = make();
    h.start();
    h.fire(TimerId::MasterDown);
    return h;
  }

  RouterConfig config = defaultConfig();
  std::optional<RouterHarness> harness_;
};

// ---- Start ---------------------------------------------------------------------------------

TEST_F(RouterTest, StartsInBackupAndNotifiesBackup) {
  RouterHarness& h = make();
  EXPECT_EQ(h.start(),
            (Lines{"ArmTimer Master_Down_Timer @3600ms", "Notify INIT->BACKUP Startup prio=100"}));
  EXPECT_EQ(h.router().state(), State::Backup);
}

TEST_F(RouterTest, AddressOwnerNotifiesBackupThenBecomesMasterAtOnce) {
  config.priority = 255;
  RouterHarness& h = make();
  EXPECT_EQ(h.start(), (Lines{"Notify INIT->BACKUP Startup prio=255",
                              "SendAdvert prio=255 int=100cs BecameMaster", "AddVips accept",
                              "SendGratuitous BecameMaster", "ArmTimer Adver_Timer @1000ms",
                              "Notify BACKUP->MASTER AddressOwner prio=255"}));
  EXPECT_EQ(h.router().state(), State::Master);
}

TEST_F(RouterTest, MasterHintWithLowerPriorityWaitsLikeBackup) {
  config.startHint = StartHint::Master;
  config.priority = 200;  // skew 56 × 100 / 256 = 21 cs
  RouterHarness& h = make();
  EXPECT_EQ(h.start(),
            (Lines{"ArmTimer Master_Down_Timer @3210ms", "Notify INIT->BACKUP Startup prio=200"}));
}

TEST_F(RouterTest, FaultAtStartEntersFaultWithoutABackupNotification) {
  RouterHarness& h = make();
  h.raiseFault(1);
  EXPECT_EQ(h.start(), (Lines{"Notify INIT->FAULT FaultRaised prio=100"}));
  EXPECT_FALSE(h.router().timerDeadline(TimerId::MasterDown));
}

// ---- Backup → Master -----------------------------------------------------------------------

TEST_F(RouterTest, BackupBecomesMasterWhenMasterDownTimerFires) {
  RouterHarness& h = make();
  h.start();
  EXPECT_EQ(h.fire(TimerId::MasterDown),
            (Lines{"SendAdvert prio=100 int=100cs BecameMaster", "AddVips accept",
                   "SendGratuitous BecameMaster", "ArmTimer Adver_Timer @4600ms",
                   "Notify BACKUP->MASTER MasterDownTimer prio=100"}));
  EXPECT_EQ(h.now(), t(3600ms));
  EXPECT_TRUE(h.router().acceptsVipTraffic());
}

TEST_F(RouterTest, MasterDownIntervalUsesDownTimerAdverts) {
  config.downTimerAdverts = 5;
  RouterHarness& h = make();
  h.start();
  EXPECT_EQ(h.router().timerDeadline(TimerId::MasterDown), t(5600ms));  // 500 + 60 cs
}

TEST_F(RouterTest, V2MasterDownIntervalIsThreeSecondsPlusSkewInMicroseconds) {
  config.version = Version::V2;
  config.priority = 150;  // keepalived LAB: master after 3.41 s
  RouterHarness& h = make();
  EXPECT_EQ(h.start().front(), "ArmTimer Master_Down_Timer @3414.062ms");
}

TEST_F(RouterTest, MasterAdvertisesEveryIntervalWithItsPriority) {
  RouterHarness& h = makeMaster();
  EXPECT_EQ(h.fire(TimerId::Advert),
            (Lines{"SendAdvert prio=100 int=100cs Periodic", "ArmTimer Adver_Timer @5600ms"}));
  EXPECT_EQ(h.fire(TimerId::Advert),
            (Lines{"SendAdvert prio=100 int=100cs Periodic", "ArmTimer Adver_Timer @6600ms"}));
}

// ---- Backup receiving adverts --------------------------------------------------------------

TEST_F(RouterTest, BackupLearnsTheMastersIntervalFromV3Adverts) {
  RouterHarness& h = make();
  h.start();
  h.advanceTo(1s);
  // Master at 250 cs: 750 + 156 × 250 / 256 (= 152) cs after 1 s.
  EXPECT_EQ(h.advert("10.0.0.9", 200, 250), (Lines{"ArmTimer Master_Down_Timer @10020ms"}));
  EXPECT_EQ(h.router().masterAdverInterval(), Centiseconds{250});
}

TEST_F(RouterTest, BackupRevertsToItsOwnIntervalOnBecomingMaster) {
  RouterHarness& h = make();
  h.start();
  h.advert("10.0.0.9", 200, 250);
  h.fire(TimerId::MasterDown);
  EXPECT_EQ(h.router().masterAdverInterval(), Centiseconds{100});
  EXPECT_EQ(h.router().timerDeadline(TimerId::Advert), h.now() + 1s);
}

TEST_F(RouterTest, V2BackupDoesNotLearnTheAdvertisedInterval) {
  config.version = Version::V2;
  RouterHarness& h = make();
  h.start();
  h.advanceTo(1s);
  EXPECT_EQ(h.advert("10.0.0.9", 200, 300), (Lines{"ArmTimer Master_Down_Timer @4609.375ms"}));
  EXPECT_EQ(h.router().masterAdverInterval(), Centiseconds{100});
}

TEST_F(RouterTest, V3AdvertWithoutAnIntervalKeepsTheLearnedOne) {
  RouterHarness& h = make();
  h.start();
  h.advert("10.0.0.9", 200, 250);
  h.advert("10.0.0.9", 200, 0);  // proto rejects this; the core stays defensive
  EXPECT_EQ(h.router().masterAdverInterval(), Centiseconds{250});
}

TEST_F(RouterTest, PriorityZeroSetsTheDownTimerToSkewTime) {
  RouterHarness& h = make();
  h.start();
  h.advanceTo(2s);
  EXPECT_EQ(h.advert("10.0.0.9", 0), (Lines{"ArmTimer Master_Down_Timer @2600ms"}));
  EXPECT_EQ(h.fire(TimerId::MasterDown).back(),
            "Notify BACKUP->MASTER PriorityZeroReceived prio=100");
  EXPECT_EQ(h.now(), t(2600ms));
}

TEST_F(RouterTest, PriorityZeroSkewUsesTheLearnedInterval) {
  RouterHarness& h = make();
  h.start();
  h.advert("10.0.0.9", 200, 300);  // skew becomes 156 × 300 / 256 = 182 cs
  h.advanceTo(1s);
  EXPECT_EQ(h.advert("10.0.0.9", 0, 300), (Lines{"ArmTimer Master_Down_Timer @2820ms"}));
}

TEST_F(RouterTest, BackupWithPreemptIgnoresLowerPriorityAndPreemptsOnTimeout) {
  RouterHarness& h = make();
  h.start();
  h.advanceTo(1s);
  h.advert("10.0.0.9", 150);  // accepted: down timer @4.6 s
  for (auto at : {2s, 3s, 4s}) {
    h.advanceTo(at);
    EXPECT_EQ(h.setPriority(100), Lines{});
    EXPECT_EQ(h.advert("10.0.0.9", 50), Lines{}) << "discarded";
  }
  EXPECT_EQ(h.fire(TimerId::MasterDown).back(), "Notify BACKUP->MASTER Preempted prio=100");
  EXPECT_EQ(h.now(), t(4600ms));
}

// Every declined advert says so; the daemon decides how often to log it.
TEST_F(RouterTest, BackupWithNopreemptResetsTheDownTimerOnLowerPriorityAndSaysWhy) {
  config.preempt = false;
  RouterHarness& h = make();
  h.start();
  for (auto at : {1s, 2s, 3s, 4s, 5s}) {
    h.advanceTo(at);
    EXPECT_EQ(h.advert("10.0.0.9", 50),
              (Lines{fakes::describe(ArmTimer{TimerId::MasterDown, h.now() + 3600ms, 0}),
                     "PreemptDeclined from=10.0.0.9 theirs=50 ours=100 nopreempt"}));
  }
  EXPECT_EQ(h.router().state(), State::Backup);
}

TEST_F(RouterTest, BackupWithNopreemptSaysNothingAboutAHigherPriorityMaster) {
  config.preempt = false;
  RouterHarness& h = make();
  h.start();
  EXPECT_EQ(h.advert("10.0.0.9", 150), (Lines{"ArmTimer Master_Down_Timer @3600ms"}));
}

TEST_F(RouterTest, BackupDoesNotUseAddressesToBreakTies) {
  RouterHarness& h = make();
  h.start();
  EXPECT_EQ(h.advert("10.0.0.1", 100), (Lines{"ArmTimer Master_Down_Timer @3600ms"}));
  EXPECT_EQ(h.advert("10.0.0.9", 100), (Lines{"ArmTimer Master_Down_Timer @3600ms"}));
}

// ---- Preempt delay (keepalived) ------------------------------------------------------------

TEST_F(RouterTest, PreemptDelayHoldsOffPreemptionAfterStart) {
  config.preemptDelay = 5s;
  RouterHarness& h = make();
  h.start();
  EXPECT_EQ(h.router().preemptHoldUntil(), t(5s));
  // A lower-priority master adverts every second from 0.5 s: accepted until
  // 5 s, then discarded, so we take over 3.6 s after the one at 4.5 s.
  for (auto at = 500ms; at < 8000ms; at += 1000ms) {
    h.advanceTo(at);
    h.advert("10.0.0.9", 50);
  }
  EXPECT_EQ(h.router().timerDeadline(TimerId::MasterDown), t(8100ms));
  EXPECT_EQ(h.fire(TimerId::MasterDown).back(), "Notify BACKUP->MASTER Preempted prio=100");
}

TEST_F(RouterTest, PreemptDelayDeclinesWithTheTimeItEnds) {
  config.preemptDelay = 5s;
  RouterHarness& h = make();
  h.start();
  h.advanceTo(1s);
  EXPECT_EQ(
      h.advert("10.0.0.9", 50),
      (Lines{"ArmTimer Master_Down_Timer @4600ms",
             "PreemptDeclined from=10.0.0.9 theirs=50 ours=100 preempt_delay until @5000ms"}));
  h.advanceTo(5s);
  EXPECT_EQ(h.advert("10.0.0.9", 50), Lines{}) << "delay over: discarded, nothing declined";
}

TEST_F(RouterTest, PreemptDelayRestartsOnTheFirstLowerPriorityAdvertAfterABetterMaster) {
  config.preemptDelay = 2s;
  RouterHarness& h = make();
  h.start();
  h.advert("10.0.0.9", 200);  // a better master stops the startup delay
  EXPECT_EQ(h.router().preemptHoldUntil(), std::nullopt);
  h.advanceTo(10s);
  h.advert("10.0.0.9", 50);
  EXPECT_EQ(h.router().preemptHoldUntil(), t(12s));
  h.advanceTo(11s);
  h.advert("10.0.0.9", 50);
  EXPECT_EQ(h.router().preemptHoldUntil(), t(12s)) << "not extended";
  h.advanceTo(12s);
  EXPECT_EQ(h.advert("10.0.0.9", 50), Lines{}) << "delay over: discarded";
  EXPECT_EQ(h.router().timerDeadline(TimerId::MasterDown), t(14600ms));
}

// ---- Master receiving adverts --------------------------------------------------------------

TEST_F(RouterTest, MasterAnswersPriorityZeroAtOnce) {
  RouterHarness& h = makeMaster();
  h.advanceTo(4s);
  EXPECT_EQ(h.advert("10.0.0.9", 0), (Lines{"SendAdvert prio=100 int=100cs AnswerPriorityZero",
                                            "ArmTimer Adver_Timer @5000ms"}));
}

TEST_F(RouterTest, MasterYieldsToEqualPriorityFromAHigherAddress) {
  RouterHarness& h = makeMaster();
  EXPECT_EQ(h.advert("10.0.0.3", 100).back(),
            "Notify MASTER->BACKUP EqualPriorityHigherAddress prio=100");
}

// RFC 9568 §6.4.3 and keepalived treat the loser of a tie like a lower priority: the other
// master (a healed partition) hears at once that it lost, and clients hear the VIPs again.
TEST_F(RouterTest, MasterAnswersEqualPriorityFromALowerAddressAsALowerPriority) {
  RouterHarness& h = makeMaster();
  EXPECT_EQ(h.advert("10.0.0.1", 100),
            (Lines{"SendAdvert prio=100 int=100cs AssertMastership", "ArmTimer Adver_Timer @4600ms",
                   "SendGratuitous LowerPriorityAdvert",
                   "MasterRxLowerPriority from=10.0.0.1 theirs=100 ours=100"}));
  EXPECT_EQ(h.router().state(), State::Master);
}

TEST_F(RouterTest, Ipv6TieBreakComparesAddressesAsUnsignedBytes) {
  config.primaryAddress = ip("fe80::7f");
  RouterHarness& h = makeMaster();
  EXPECT_EQ(h.advert("fe80::80", 100).back(),
            "Notify MASTER->BACKUP EqualPriorityHigherAddress prio=100");
}

// The VIPs go before anything else (keepalived vrrp_state_leave_master); then the parting
// advert (at our own priority) makes a winner that never heard us as master re-announce them.
TEST_F(RouterTest, MasterYieldsToHigherPriorityRemovingItsVipsFirstThenAPartingAdvert) {
  RouterHarness& h = makeMaster();
  h.advanceTo(4s);
  EXPECT_EQ(h.advert("10.0.0.1", 101, 50),
            (Lines{"RemoveVips", "CancelTimer Adver_Timer", "SendAdvert prio=100 int=100cs Parting",
                   "ArmTimer Master_Down_Timer @5800ms",  // 150 + 156 × 50 / 256 (= 30) cs
                   "Notify MASTER->BACKUP HigherPriorityAdvert prio=100"}));
  EXPECT_FALSE(h.router().acceptsVipTraffic());
}

TEST_F(RouterTest, MasterReceivingLowerPriorityForcesANewElection) {
  RouterHarness& h = makeMaster();
  EXPECT_EQ(h.advert("10.0.0.9", 99),
            (Lines{"SendAdvert prio=100 int=100cs AssertMastership", "ArmTimer Adver_Timer @4600ms",
                   "SendGratuitous LowerPriorityAdvert",
                   "MasterRxLowerPriority from=10.0.0.9 theirs=99 ours=100"}));
  EXPECT_EQ(h.router().state(), State::Master);
}

// keepalived lower_prio_no_advert (forced by vrrp_strict): no advert in reply and the advert
// schedule is left alone; the announcements (garp_lower_prio_repeat, which strict mode sets to
// 0) and the MASTER_RX_LOWER_PRI notify stay [SRC vrrp.c:vrrp_state_master_rx].
TEST_F(RouterTest, MasterWithLowerPrioNoAdvertDoesNotAnswerWithAnAdvert) {
  config.lowerPriorityNoAdvert = true;
  RouterHarness& h = makeMaster();
  const auto advertDue = h.router().timerDeadline(TimerId::Advert);
  h.advanceTo(4s);
  EXPECT_EQ(h.advert("10.0.0.9", 99),
            (Lines{"SendGratuitous LowerPriorityAdvert",
                   "MasterRxLowerPriority from=10.0.0.9 theirs=99 ours=100"}));
  EXPECT_EQ(h.router().timerDeadline(TimerId::Advert), advertDue);
  EXPECT_EQ(h.router().state(), State::Master);
}

TEST_F(RouterTest, LowerPrioNoAdvertChangesNothingForABackupOrAHigherPriority) {
  config.lowerPriorityNoAdvert = true;
  RouterHarness& h = makeMaster();
  EXPECT_EQ(h.advert("10.0.0.1", 101).front(), "RemoveVips");
  EXPECT_EQ(h.router().state(), State::Backup);
}

// ---- Priority changes ----------------------------------------------------------------------

TEST_F(RouterTest, MasterWhosePriorityDropsAdvertisesTheNewPriority) {
  RouterHarness& h = makeMaster();
  EXPECT_EQ(h.setPriority(90), Lines{});
  EXPECT_EQ(h.fire(TimerId::Advert).front(), "SendAdvert prio=90 int=100cs Periodic");
}

TEST_F(RouterTest, BackupWhosePriorityRisesPreemptsFromTheNextAdvert) {
  RouterHarness& h = make();
  h.start();
  h.advanceTo(1s);
  h.advert("10.0.0.9", 150);  // accepted: down timer @4.6 s
  h.advanceTo(1500ms);
  h.setPriority(200);
  h.advanceTo(2s);
  EXPECT_EQ(h.advert("10.0.0.9", 150), Lines{}) << "now lower than ours: discarded";
  EXPECT_EQ(h.fire(TimerId::MasterDown).back(), "Notify BACKUP->MASTER Preempted prio=200");
  EXPECT_EQ(h.now(), t(4600ms));
}

TEST_F(RouterTest, TrackedPriorityIsClampedToOneThrough254) {
  RouterHarness& h = make();
  h.setPriority(0);
  EXPECT_EQ(h.router().priority(), 1);
  h.setPriority(255);
  EXPECT_EQ(h.router().priority(), 254);
}

TEST_F(RouterTest, OwnerPriorityNeverChanges) {
  config.priority = 255;
  RouterHarness& h = make();
  h.start();
  h.setPriority(50);
  EXPECT_EQ(h.router().priority(), 255);
  EXPECT_EQ(h.fire(TimerId::Advert).front(), "SendAdvert prio=255 int=100cs Periodic");
}

TEST_F(RouterTest, NewSkewTimeAppliesFromTheNextTimerReset) {
  RouterHarness& h = make();
  h.start();
  h.setPriority(200);
  EXPECT_EQ(h.router().timerDeadline(TimerId::MasterDown), t(3600ms)) << "unchanged";
  EXPECT_EQ(h.advert("10.0.0.9", 250), (Lines{"ArmTimer Master_Down_Timer @3210ms"}));
}

// ---- Faults --------------------------------------------------------------------------------

TEST_F(RouterTest, FaultOnMasterSendsPriorityZeroBeforeRemovingVips) {
  RouterHarness& h = makeMaster();
  EXPECT_EQ(h.raiseFault(4), (Lines{"CancelTimer Adver_Timer", "SendAdvert prio=0 int=100cs Resign",
                                    "RemoveVips", "Notify MASTER->FAULT FaultRaised prio=100"}));
}

TEST_F(RouterTest, NeverBecomesMasterWhileFaulted) {
  RouterHarness& h = make();
  h.start();
  const std::uint64_t downGeneration = h.generation(TimerId::MasterDown);
  h.raiseFault(1);
  EXPECT_EQ(h.advert("10.0.0.9", 0), Lines{});
  EXPECT_EQ(h.advert("10.0.0.9", 1), Lines{});
  h.advanceTo(10s);
  EXPECT_EQ(describe(h.handle(TimerExpired{TimerId::MasterDown, downGeneration})), Lines{});
  EXPECT_EQ(h.router().state(), State::Fault);
}

TEST_F(RouterTest, LeavesFaultOnlyWhenEveryFaultHasCleared) {
  RouterHarness& h = make();
  h.start();
  h.raiseFault(1);
  h.raiseFault(2);
  h.raiseFault(2);  // idempotent
  EXPECT_EQ(h.clearFault(2), Lines{});
  h.advanceTo(5s);
  EXPECT_EQ(h.clearFault(1), (Lines{"ArmTimer Master_Down_Timer @8600ms",
                                    "Notify FAULT->BACKUP FaultCleared prio=100"}));
}

TEST_F(RouterTest, LeavingFaultUsesOurOwnIntervalAgain) {
  RouterHarness& h = make();
  h.start();
  h.advert("10.0.0.9", 200, 300);
  h.raiseFault(1);
  h.clearFault(1);
  EXPECT_EQ(h.router().masterAdverInterval(), Centiseconds{100});
}

TEST_F(RouterTest, OwnerLeavingFaultTakesOverAtOnce) {
  config.priority = 255;
  RouterHarness& h = make();
  h.start();
  h.raiseFault(1);
  const Lines actions = h.clearFault(1);
  ASSERT_EQ(actions.size(), 6u);
  EXPECT_EQ(actions.front(), "Notify FAULT->BACKUP FaultCleared prio=255");
  EXPECT_EQ(actions.back(), "Notify BACKUP->MASTER AddressOwner prio=255");
}

// ---- Shutdown ------------------------------------------------------------------------------

TEST_F(RouterTest, ShutdownOfMasterSendsPriorityZeroRemovesVipsAndCancelsTimers) {
  RouterHarness& h = makeMaster();
  EXPECT_EQ(h.shutdown(), (Lines{"CancelTimer Adver_Timer", "SendAdvert prio=0 int=100cs Resign",
                                 "RemoveVips", "Notify MASTER->INIT Shutdown prio=100"}));
  EXPECT_FALSE(h.router().timerDeadline(TimerId::Advert));
  EXPECT_FALSE(h.router().timerDeadline(TimerId::MasterDown));
}

TEST_F(RouterTest, RestartsAfterShutdown) {
  RouterHarness& h = makeMaster();
  h.shutdown();
  h.advanceTo(10s);
  EXPECT_EQ(h.start(),
            (Lines{"ArmTimer Master_Down_Timer @13600ms", "Notify INIT->BACKUP Startup prio=100"}));
}

// ---- Timers --------------------------------------------------------------------------------

TEST_F(RouterTest, StaleTimerEventsAreIgnored) {
  RouterHarness& h = make();
  h.start();
  const std::uint64_t first = h.generation(TimerId::MasterDown);
  h.advanceTo(1s);
  h.advert("10.0.0.9", 200);  // re-armed for 4.6 s
  h.advanceTo(3600ms);
  EXPECT_EQ(describe(h.handle(TimerExpired{TimerId::MasterDown, first})), Lines{});
  EXPECT_EQ(h.router().state(), State::Backup);
  EXPECT_EQ(h.fire(TimerId::MasterDown).back(), "Notify BACKUP->MASTER MasterDownTimer prio=100");
}

TEST_F(RouterTest, CancelledTimerFiringIsIgnored) {
  RouterHarness& h = makeMaster();
  const std::uint64_t advert = h.generation(TimerId::Advert);
  h.advert("10.0.0.9", 200);  // Master → Backup cancels the Adver_Timer
  EXPECT_EQ(describe(h.handle(TimerExpired{TimerId::Advert, advert})), Lines{});
}

TEST_F(RouterTest, ATimerFiresOnlyOnce) {
  RouterHarness& h = makeMaster();
  const std::uint64_t advert = h.generation(TimerId::Advert);
  h.fire(TimerId::Advert);
  EXPECT_EQ(describe(h.handle(TimerExpired{TimerId::Advert, advert})), Lines{});
}

// ---- Accept mode ---------------------------------------------------------------------------

TEST_F(RouterTest, NoAcceptModeInstallsVipsWithoutAcceptingTraffic) {
  config.acceptMode = false;
  RouterHarness& h = make();
  h.start();
  EXPECT_EQ(h.fire(TimerId::MasterDown)[1], "AddVips no_accept");
  EXPECT_FALSE(h.router().acceptsVipTraffic());
}

TEST_F(RouterTest, OwnerAcceptsTrafficEvenWithoutAcceptMode) {
  config.acceptMode = false;
  config.priority = 255;
  RouterHarness& h = make();
  EXPECT_EQ(h.start()[2], "AddVips accept");
  EXPECT_TRUE(h.router().acceptsVipTraffic());
}

// ---- Reconfigure (config reload) ----------------------------------------------------------

TEST_F(RouterTest, ReconfigureKeepsStateAndTimersAndSendsNothing) {
  RouterHarness& h = makeMaster();
  const auto advertDue = h.router().timerDeadline(TimerId::Advert);
  RouterConfig next = config;
  next.advertInterval = Centiseconds{50};
  next.preemptDelay = 2s;
  h.router().reconfigure(next);
  EXPECT_EQ(h.router().state(), State::Master);
  EXPECT_EQ(h.router().timerDeadline(TimerId::Advert), advertDue);
  EXPECT_EQ(h.router().masterAdverInterval(), Centiseconds{50});
  // The running timer fires as armed; the next one uses the new interval.
  EXPECT_EQ(h.fire(TimerId::Advert),
            (Lines{"SendAdvert prio=100 int=50cs Periodic", "ArmTimer Adver_Timer @5100ms"}));
}

TEST_F(RouterTest, ReconfiguredBackupKeepsTheIntervalLearnedFromTheMaster) {
  RouterHarness& h = make();
  h.start();
  h.advert("10.0.0.9", 200, 250);
  RouterConfig next = config;
  next.advertInterval = Centiseconds{50};
  h.router().reconfigure(next);
  EXPECT_EQ(h.router().masterAdverInterval(), Centiseconds{250});
}

TEST_F(RouterTest, ReconfiguredPriorityTakesEffectThroughPriorityChanged) {
  RouterHarness& h = make();
  h.start();
  h.advert("10.0.0.9", 150);
  RouterConfig next = config;
  next.priority = 200;
  h.router().reconfigure(next);
  EXPECT_EQ(h.router().priority(), 100) << "the caller decides the effective priority";
  h.setPriority(200);
  // Now the 150 master is lower: with preempt, its advert is discarded.
  EXPECT_EQ(h.advert("10.0.0.9", 150), Lines{});
  EXPECT_EQ(h.fire(TimerId::MasterDown).back(), "Notify BACKUP->MASTER Preempted prio=200");
}

TEST_F(RouterTest, ReconfigureSwitchingPreemptOffStopsPreemption) {
  RouterHarness& h = make();
  h.start();
  h.advert("10.0.0.9", 50);
  RouterConfig next = config;
  next.preempt = false;
  h.router().reconfigure(next);
  h.advanceTo(2s);
  // nopreempt: a lower-priority master's advert restarts the down timer.
  EXPECT_EQ(h.advert("10.0.0.9", 50),
            (Lines{"ArmTimer Master_Down_Timer @5600ms",
                   "PreemptDeclined from=10.0.0.9 theirs=50 ours=100 nopreempt"}));
}

TEST_F(RouterTest, ReconfigureRefusesIdentityAndOwnerChanges) {
  RouterHarness& h = make();
  for (auto change : std::vector<std::function<void(RouterConfig&)>>{
           [](RouterConfig& c) { c.vrid = 8; },
           [](RouterConfig& c) { c.version = Version::V2; },
           [](RouterConfig& c) { c.primaryAddress = ip("10.0.0.3"); },
           [](RouterConfig& c) { c.priority = kOwnerPriority; },
       }) {
    RouterConfig next = config;
    change(next);
    EXPECT_FALSE(h.router().canReconfigure(next));
    EXPECT_THROW(h.router().reconfigure(next), std::invalid_argument);
  }
  RouterConfig next = config;
  next.priority = 254;
  EXPECT_TRUE(h.router().canReconfigure(next));
}

}  // namespace
}  // namespace vipd::core::testing
