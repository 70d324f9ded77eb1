// The action recipes named by the transition table's Procedure column.
// Procedures emit actions and update timers and learned values; they never
// change state_ (apply() does, from the table).
#include "vipd/core/router.h"

namespace vipd::core {

std::optional<Trigger> Router::run(Procedure procedure, Context& ctx) {
  switch (procedure) {
    case Procedure::Ignore:
      break;
    case Procedure::StartAsBackup:
      return startAsBackup(ctx);
    case Procedure::BecomeMaster:
      becomeMaster(ctx);
      break;
    case Procedure::AdvertiseOnTimer:
      advertise(ctx, AdvertReason::Periodic);
      break;
    case Procedure::AnswerPriorityZero:
      advertise(ctx, AdvertReason::AnswerPriorityZero);
      break;
    case Procedure::AssertOverLowerPriority:
      assertOverLowerPriority(ctx);
      break;
    case Procedure::YieldToAdvert:
      yieldToAdvert(ctx);
      break;
    case Procedure::ResignMaster:
      resignMaster(ctx);
      break;
    case Procedure::LeaveBackup:
      wantsMaster_ = false;
      cancel(ctx, TimerId::MasterDown);
      break;
    case Procedure::SetDownTimerToSkew:
      setDownTimerToSkew(ctx);
      break;
    case Procedure::AcceptAdvert:
      acceptAdvert(ctx);
      break;
    case Procedure::DeclinePreemption:
      acceptAdvert(ctx);
      declinePreemption(ctx, PreemptHold::NoPreempt);
      break;
    case Procedure::HoldOffPreempt:
      holdOffPreempt(ctx);
      break;
    case Procedure::DiscardAdvert:
      discardedLowerPriority_ = true;
      break;
    case Procedure::EnterBackupFromFault:
      return enterBackupFromFault(ctx);
    case Procedure::WaitForGroup:
      waitForGroup(ctx);
      break;
    case Procedure::LeaveMasterForGroup:
      leaveMasterForGroup(ctx);
      break;
    case Procedure::ResignToBackup:
      resignToBackup(ctx);
      break;
    case Procedure::StayDrained:
      stayDrained(ctx);
      break;
  }
  return std::nullopt;
}

// keepalived vrrp_init_state: Backup with our own interval; an owner takes
// over at once (RFC 5798 §6.4.1), others wait Master_Down_Interval. The
// preempt delay runs from start (keepalived: "after startup").
std::optional<Trigger> Router::startAsBackup(Context& ctx) {
  masterAdverInterval_ = config_.advertInterval;
  preemptHoldUntil_.reset();
  if (config_.preemptDelay > Duration{0}) preemptHoldUntil_ = ctx.now + config_.preemptDelay;
  return takeOverIfOwner(ctx);
}

// keepalived vrrp_state_leave_fault: as at start, but no startup preempt delay
// (it starts again on the first lower-priority advert).
std::optional<Trigger> Router::enterBackupFromFault(Context& ctx) {
  masterAdverInterval_ = config_.advertInterval;
  preemptHoldUntil_.reset();
  return takeOverIfOwner(ctx);
}

// RFC 5798 §6.4.1: an owner takes over at once. In a sync group that is not
// ready the owner waits like any Backup, wanting Master (keepalived
// try_up_instance: "If the sync group can't go to master, we must go to backup").
std::optional<Trigger> Router::takeOverIfOwner(Context& ctx) {
  wantsMaster_ = false;
  if (isOwner() && !syncHold_ && !maintenance_) return Trigger::OwnerTakeover;
  armDownTimer(ctx, masterDownInterval(), DownReason::Interval);
  wantsMaster_ = isOwner() && !maintenance_;
  return std::nullopt;
}

// keepalived vrrp_state_goto_master with a sync group that cannot go Master
// (vrrp_sync_can_goto_master false): keep wanting Master and try again after
// another Master_Down_Interval; the member that completes the set takes the
// group to Master, which then brings us along with SyncForceMaster.
void Router::waitForGroup(Context& ctx) {
  armDownTimer(ctx, masterDownInterval(), DownReason::Interval);
  wantsMaster_ = true;
}

// keepalived vrrp_sync_backup -> vrrp_state_leave_master(isync, false): no
// priority-0 advert (the new master already advertises), VIPs removed, own
// interval, Master_Down_Timer from Master_Down_Interval.
void Router::leaveMasterForGroup(Context& ctx) {
  cancel(ctx, TimerId::Advert);
  // A drained member hands over at once, as one drained alone does.
  if (maintenance_) {
    ctx.out->push_back(SendAdvert{kResignPriority, config_.advertInterval, AdvertReason::Resign});
  }
  ctx.out->push_back(RemoveVips{});
  masterAdverInterval_ = config_.advertInterval;
  preemptHoldUntil_.reset();
  armDownTimer(ctx, masterDownInterval(), DownReason::Interval);
}

// Drain (vipd): a Master resigns as at shutdown (priority 0, so a backup
// takes over after Skew_Time) but stays in the election as a Backup.
void Router::resignToBackup(Context& ctx) {
  resignMaster(ctx);
  masterAdverInterval_ = config_.advertInterval;
  preemptHoldUntil_.reset();
  armDownTimer(ctx, masterDownInterval(), DownReason::Interval);
}

// A drained Backup keeps listening, so the status can show who is master;
// the timer is re-armed only to keep that view, never to take over.
void Router::stayDrained(Context& ctx) {
  wantsMaster_ = false;
  armDownTimer(ctx, masterDownInterval(), DownReason::Interval);
}

// RFC 5798 §6.4.2 "Master_Down_Timer fires" in keepalived's order (§2.3):
// advert, VIPs, GARP; the master uses its own interval again.
void Router::becomeMaster(Context& ctx) {
  wantsMaster_ = false;  // wantsMaster() now follows from the state
  cancel(ctx, TimerId::MasterDown);
  masterAdverInterval_ = config_.advertInterval;
  preemptHoldUntil_.reset();
  discardedLowerPriority_ = false;
  ctx.out->push_back(SendAdvert{priority_, config_.advertInterval, AdvertReason::BecameMaster});
  ctx.out->push_back(AddVips{config_.acceptMode || isOwner()});
  ctx.out->push_back(SendGratuitous{GratuitousReason::BecameMaster});
  arm(ctx, TimerId::Advert, ctx.now + Duration{config_.advertInterval});
}

void Router::advertise(Context& ctx, AdvertReason reason) {
  ctx.out->push_back(SendAdvert{priority_, config_.advertInterval, reason});
  arm(ctx, TimerId::Advert, ctx.now + Duration{config_.advertInterval});
}

// RFC 9568 §6.4.3 sends an advert at once (a healed partition: the other
// master must hear that it lost); keepalived also re-announces the VIPs
// (garp_lower_prio_repeat; the daemon sends none when it is 0) and raises
// MASTER_RX_LOWER_PRI ("forcing new election"). keepalived's
// lower_prio_no_advert keeps only the advert back [SRC vrrp.c:vrrp_state_master_rx],
// and the regular Adver_Timer keeps running.
void Router::assertOverLowerPriority(Context& ctx) {
  if (!config_.lowerPriorityNoAdvert) advertise(ctx, AdvertReason::AssertMastership);
  ctx.out->push_back(SendGratuitous{GratuitousReason::LowerPriorityAdvert});
  ctx.out->push_back(MasterRxLowerPriority{ctx.advert->source, ctx.advert->priority, priority_});
}

// RFC 5798 §6.4.3: cancel Adver_Timer, take Master_Adver_Interval from the
// advert (v3), recompute Skew_Time and Master_Down_Interval, arm the timer.
// The VIPs go first, as in keepalived's vrrp_state_leave_master (§2.3), so
// that two hosts never answer for them longer than it takes to notice.
//
// Then vipd sends one parting advert at its own priority (keepalived sends
// nothing). After a healed partition the winner may never have heard this
// master (it yields at the winner's first advert), so nothing would make the
// winner re-announce and clients would keep this host's MAC for the VIP. The
// parting advert is a lower-priority advert to the winner, which answers with
// an advert and a gratuitous ARP / NA burst (RFC 9568 §6.4.3; keepalived's
// garp_lower_prio_repeat). To backups it is an ordinary advert.
void Router::yieldToAdvert(Context& ctx) {
  ctx.out->push_back(RemoveVips{});
  cancel(ctx, TimerId::Advert);
  ctx.out->push_back(SendAdvert{priority_, config_.advertInterval, AdvertReason::Parting});
  learnInterval(*ctx.advert);
  preemptHoldUntil_.reset();
  armDownTimer(ctx, masterDownInterval(), DownReason::Interval);
}

// RFC 5798 §6.4.3 Shutdown, and keepalived's MASTER → FAULT: priority-0
// advert first so backups take over after Skew_Time, then drop the VIPs.
void Router::resignMaster(Context& ctx) {
  cancel(ctx, TimerId::Advert);
  ctx.out->push_back(SendAdvert{kResignPriority, config_.advertInterval, AdvertReason::Resign});
  ctx.out->push_back(RemoveVips{});
}

void Router::setDownTimerToSkew(Context& ctx) {
  armDownTimer(ctx, skewTime(), DownReason::PriorityZero);
}

// RFC 5798 §6.4.2 (+ RFC 9568: recompute Skew_Time too). A master at least
// as good as us also stops a running preempt delay (keepalived).
void Router::acceptAdvert(Context& ctx) {
  wantsMaster_ = false;  // keepalived vrrp_state_backup: "we want to be in BACKUP state"
  learnInterval(*ctx.advert);
  preemptHoldUntil_.reset();
  armDownTimer(ctx, masterDownInterval(), DownReason::Interval);
}

// keepalived preempt_delay: the first lower-priority advert starts the delay
// (unless it runs since start); until it passes we behave like nopreempt.
void Router::holdOffPreempt(Context& ctx) {
  if (!preemptHoldUntil_) preemptHoldUntil_ = ctx.now + config_.preemptDelay;
  wantsMaster_ = false;  // as acceptAdvert: the advert was accepted
  learnInterval(*ctx.advert);
  armDownTimer(ctx, masterDownInterval(), DownReason::Interval);
  declinePreemption(ctx, PreemptHold::Delay);
}

// The decision not to preempt is the one users misread most (reference §5
// item 11): say whom we let be and why; the daemon logs it once.
void Router::declinePreemption(Context& ctx, PreemptHold hold) {
  std::optional<TimePoint> until;
  if (hold == PreemptHold::Delay) until = preemptHoldUntil_;
  ctx.out->push_back(
      PreemptDeclined{ctx.advert->source, ctx.advert->priority, priority_, hold, until});
}

// RFC 5798 §6.4.2: a v3 Backup adopts the master's interval. v2 has no
// learning (RFC 3768; keepalived drops mismatched v2 adverts earlier).
void Router::learnInterval(const AdvertReceived& advert) {
  if (config_.version != Version::V3 || advert.intervalCs == 0) return;
  masterAdverInterval_ = Centiseconds{advert.intervalCs};
}

void Router::armDownTimer(Context& ctx, Duration in, DownReason reason) {
  downReason_ = reason;
  discardedLowerPriority_ = false;
  arm(ctx, TimerId::MasterDown, ctx.now + in);
}

}  // namespace vipd::core
