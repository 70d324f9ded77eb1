#include "vipd/core/transition_table.h"

#include <array>

namespace vipd::core {
namespace {

using S = State;
using T = Trigger;
using P = Procedure;
using C = Cause;
constexpr std::optional<Cause> kStay = std::nullopt;

// The VRRP state machine. Every (state, trigger) the router can produce is
// listed once; anything else is a bug. Stale timer events never get here.
// clang-format off
constexpr std::array kTable = {
  // ---- Initialize --------------------------------------------------------------------------
  TransitionRow{S::Initialize, T::Start, S::Backup, P::StartAsBackup, C::Startup,
      "RFC 5798 §6.4.1 with keepalived's order: every instance enters Backup; an owner goes on"},
  TransitionRow{S::Initialize, T::StartFaulted, S::Fault, P::Ignore, C::FaultRaised,
      "keepalived vrrp_init_state: a tracked fault at start means FAULT"},
  TransitionRow{S::Initialize, T::Shutdown, S::Initialize, P::Ignore, kStay,
      "not running: nothing to stop"},
  TransitionRow{S::Initialize, T::Advert, S::Initialize, P::Ignore, kStay,
      "not running: adverts are ignored"},
  TransitionRow{S::Initialize, T::PriorityChanged, S::Initialize, P::Ignore, kStay,
      "recorded; used from Start"},
  TransitionRow{S::Initialize, T::FaultActive, S::Initialize, P::Ignore, kStay,
      "recorded; Start then enters Fault"},
  TransitionRow{S::Initialize, T::FaultsCleared, S::Initialize, P::Ignore, kStay,
      "recorded"},
  TransitionRow{S::Initialize, T::SyncForceMaster, S::Initialize, P::Ignore, kStay,
      "not running: a stopped member does not follow the group"},
  TransitionRow{S::Initialize, T::SyncForceBackup, S::Initialize, P::Ignore, kStay,
      "not running: a stopped member does not follow the group"},
  TransitionRow{S::Initialize, T::SyncFault, S::Initialize, P::Ignore, kStay,
      "recorded; Start then enters Fault (keepalived vrrp_sync_fault on an INIT member)"},
  TransitionRow{S::Initialize, T::SyncFaultCleared, S::Initialize, P::Ignore, kStay,
      "recorded"},
  TransitionRow{S::Initialize, T::MaintenanceOn, S::Initialize, P::Ignore, kStay,
      "recorded; Start then never takes over"},
  TransitionRow{S::Initialize, T::MaintenanceOff, S::Initialize, P::Ignore, kStay,
      "recorded"},
  // ---- Backup ------------------------------------------------------------------------------
  TransitionRow{S::Backup, T::Start, S::Backup, P::Ignore, kStay,
      "already running"},
  TransitionRow{S::Backup, T::Shutdown, S::Initialize, P::LeaveBackup, C::Shutdown,
      "RFC 5798 §6.4.2: Shutdown: cancel Master_Down_Timer, go to Initialize"},
  TransitionRow{S::Backup, T::OwnerTakeover, S::Master, P::BecomeMaster, C::AddressOwner,
      "RFC 5798 §6.4.1: Priority 255: advert, GARP, Adver_Timer, Master"},
  TransitionRow{S::Backup, T::MasterDownTimer, S::Master, P::BecomeMaster, C::MasterDownTimer,
      "RFC 5798 §6.4.2: Master_Down_Timer fires: advert, GARP, Adver_Timer, Master"},
  TransitionRow{S::Backup, T::MasterDownAfterPriorityZero, S::Master, P::BecomeMaster,
      C::PriorityZeroReceived,
      "RFC 5798 §6.4.2: Skew_Time after the master's priority 0 elapsed: become Master"},
  TransitionRow{S::Backup, T::MasterDownPreempting, S::Master, P::BecomeMaster, C::Preempted,
      "RFC 5798 §6.4.2: lower-priority adverts were discarded, the timer fired: Master"},
  TransitionRow{S::Backup, T::AdvertPriorityZero, S::Backup, P::SetDownTimerToSkew, kStay,
      "RFC 5798 §6.4.2: Priority 0: set Master_Down_Timer to Skew_Time"},
  TransitionRow{S::Backup, T::AdvertHigherPriority, S::Backup, P::AcceptAdvert, kStay,
      "RFC 5798 §6.4.2: Priority >= local: learn interval, reset Master_Down_Timer"},
  TransitionRow{S::Backup, T::AdvertEqualPriorityHigherAddress, S::Backup, P::AcceptAdvert, kStay,
      "RFC 5798 §6.4.2: Priority >= local; addresses break ties only in Master"},
  TransitionRow{S::Backup, T::AdvertEqualPriorityLowerAddress, S::Backup, P::AcceptAdvert, kStay,
      "RFC 5798 §6.4.2: Priority >= local; addresses break ties only in Master"},
  TransitionRow{S::Backup, T::AdvertLowerPriority, S::Backup, P::DiscardAdvert, kStay,
      "RFC 5798 §6.4.2: Preempt_Mode and lower priority: discard; the timer will fire"},
  TransitionRow{S::Backup, T::AdvertLowerPriorityNoPreempt, S::Backup, P::DeclinePreemption,
      kStay, "RFC 5798 §6.4.2: Preempt_Mode False: learn interval, reset Master_Down_Timer"},
  TransitionRow{S::Backup, T::AdvertLowerPriorityPreemptDelayed, S::Backup, P::HoldOffPreempt,
      kStay, "keepalived preempt_delay: accept until the delay has passed"},
  TransitionRow{S::Backup, T::PriorityChanged, S::Backup, P::Ignore, kStay,
      "RFC 5798 §6.1: the new Skew_Time applies from the next timer reset"},
  TransitionRow{S::Backup, T::FaultActive, S::Fault, P::LeaveBackup, C::FaultRaised,
      "keepalived: a tracked fault means FAULT, never Master"},
  TransitionRow{S::Backup, T::FaultsCleared, S::Backup, P::Ignore, kStay,
      "no fault was active"},
  TransitionRow{S::Backup, T::SyncForceMaster, S::Master, P::BecomeMaster, C::SyncGroupMaster,
      "keepalived vrrp_sync_master -> vrrp_state_goto_master: advert, VIPs, GARP, like a takeover"},
  TransitionRow{S::Backup, T::SyncForceBackup, S::Backup, P::Ignore, kStay,
      "keepalived vrrp_sync_backup skips members already in BACKUP"},
  TransitionRow{S::Backup, T::SyncFault, S::Fault, P::LeaveBackup, C::SyncGroupFault,
      "keepalived vrrp_sync_fault: a BACKUP member goes to FAULT with the group"},
  TransitionRow{S::Backup, T::SyncFaultCleared, S::Backup, P::Ignore, kStay,
      "not in Fault: nothing to leave"},
  TransitionRow{S::Backup, T::MasterDownHeldBySync, S::Backup, P::WaitForGroup, kStay,
      "keepalived vrrp_sync_can_goto_master: stay BACKUP wanting MASTER, re-arm ms_down_timer"},
  TransitionRow{S::Backup, T::MaintenanceOn, S::Backup, P::StayDrained, kStay,
      "vipd drain: already Backup; never take over while drained"},
  TransitionRow{S::Backup, T::MaintenanceOff, S::Backup, P::EnterBackupFromFault, kStay,
      "vipd drain ended: own interval, Master_Down_Timer; an owner takes over"},
  TransitionRow{S::Backup, T::MasterDownInMaintenance, S::Backup, P::StayDrained, kStay,
      "vipd drain: no master heard, but a drained instance does not take over"},
  // ---- Master ------------------------------------------------------------------------------
  TransitionRow{S::Master, T::Start, S::Master, P::Ignore, kStay,
      "already running"},
  TransitionRow{S::Master, T::Shutdown, S::Initialize, P::ResignMaster, C::Shutdown,
      "RFC 5798 §6.4.3: Shutdown: cancel Adver_Timer, priority-0 advert, Initialize"},
  TransitionRow{S::Master, T::AdverTimer, S::Master, P::AdvertiseOnTimer, kStay,
      "RFC 5798 §6.4.3: Adver_Timer fires: advert, reset Adver_Timer"},
  TransitionRow{S::Master, T::AdvertPriorityZero, S::Master, P::AnswerPriorityZero, kStay,
      "RFC 5798 §6.4.3: Priority 0: advert, reset Adver_Timer"},
  TransitionRow{S::Master, T::AdvertHigherPriority, S::Backup, P::YieldToAdvert,
      C::HigherPriorityAdvert,
      "RFC 5798 §6.4.3: higher priority: learn interval, arm Master_Down_Timer, Backup"},
  TransitionRow{S::Master, T::AdvertEqualPriorityHigherAddress, S::Backup, P::YieldToAdvert,
      C::EqualPriorityHigherAddress,
      "RFC 5798 §6.4.3: equal priority, higher primary address: Backup"},
  TransitionRow{S::Master, T::AdvertEqualPriorityLowerAddress, S::Master,
      P::AssertOverLowerPriority, kStay,
      "RFC 9568 §6.4.3 + keepalived: the sender loses the tie, so as for a lower priority"},
  TransitionRow{S::Master, T::AdvertLowerPriority, S::Master, P::AssertOverLowerPriority, kStay,
      "RFC 9568 §6.4.3 + keepalived: advert at once, GARP, forcing new election"},
  TransitionRow{S::Master, T::PriorityChanged, S::Master, P::Ignore, kStay,
      "adverts carry the new priority from the next Adver_Timer"},
  TransitionRow{S::Master, T::FaultActive, S::Fault, P::ResignMaster, C::FaultRaised,
      "keepalived vrrp_state_leave_master: priority-0 advert, remove VIPs, FAULT"},
  TransitionRow{S::Master, T::FaultsCleared, S::Master, P::Ignore, kStay,
      "no fault was active"},
  TransitionRow{S::Master, T::SyncForceMaster, S::Master, P::Ignore, kStay,
      "keepalived vrrp_sync_master skips members already in MASTER"},
  TransitionRow{S::Master, T::SyncForceBackup, S::Backup, P::LeaveMasterForGroup,
      C::SyncGroupBackup,
      "keepalived vrrp_sync_backup -> vrrp_state_leave_master(advF false): no prio-0 advert"},
  TransitionRow{S::Master, T::SyncFault, S::Fault, P::ResignMaster, C::SyncGroupFault,
      "keepalived vrrp_sync_fault -> leave_master with wantstate FAULT: prio-0 advert, VIPs off"},
  TransitionRow{S::Master, T::SyncFaultCleared, S::Master, P::Ignore, kStay,
      "not in Fault: nothing to leave"},
  TransitionRow{S::Master, T::MaintenanceOn, S::Backup, P::ResignToBackup, C::Maintenance,
      "vipd drain: priority-0 advert (RFC 5798 §6.4.3 Shutdown), VIPs off, Backup"},
  TransitionRow{S::Master, T::MaintenanceOff, S::Master, P::Ignore, kStay,
      "not drained: a drained instance is never Master"},
  // ---- Fault -------------------------------------------------------------------------------
  TransitionRow{S::Fault, T::Start, S::Fault, P::Ignore, kStay,
      "already running"},
  TransitionRow{S::Fault, T::Shutdown, S::Initialize, P::Ignore, C::Shutdown,
      "no timer runs in Fault; just stop"},
  TransitionRow{S::Fault, T::Advert, S::Fault, P::Ignore, kStay,
      "keepalived: FAULT takes no part in elections"},
  TransitionRow{S::Fault, T::PriorityChanged, S::Fault, P::Ignore, kStay,
      "recorded"},
  TransitionRow{S::Fault, T::FaultActive, S::Fault, P::Ignore, kStay,
      "still faulted"},
  TransitionRow{S::Fault, T::FaultsCleared, S::Backup, P::EnterBackupFromFault, C::FaultCleared,
      "keepalived vrrp_state_leave_fault: BACKUP, own interval, Master_Down_Timer"},
  TransitionRow{S::Fault, T::SyncForceMaster, S::Fault, P::Ignore, kStay,
      "FAULT never goes to Master; the group is not Master while a member has a fault"},
  TransitionRow{S::Fault, T::SyncForceBackup, S::Fault, P::Ignore, kStay,
      "a faulted member leaves through SyncFaultCleared (keepalived num_member_fault)"},
  TransitionRow{S::Fault, T::SyncFault, S::Fault, P::Ignore, kStay,
      "already in Fault (keepalived vrrp_sync_fault skips FAULT members)"},
  TransitionRow{S::Fault, T::SyncFaultCleared, S::Backup, P::EnterBackupFromFault,
      C::SyncGroupBackup,
      "keepalived try_up_instance -> vrrp_sync_backup -> vrrp_state_leave_fault: BACKUP"},
  TransitionRow{S::Fault, T::MaintenanceOn, S::Fault, P::Ignore, kStay,
      "recorded; leaving Fault then never takes over"},
  TransitionRow{S::Fault, T::MaintenanceOff, S::Fault, P::Ignore, kStay,
      "recorded"},
};
// clang-format on

constexpr std::size_t kStateCount = 4;
static_assert(static_cast<std::size_t>(Trigger::FaultsCleared) + 1 == kTriggerCount);
static_assert(static_cast<std::size_t>(State::Fault) + 1 == kStateCount);
constexpr std::int16_t kNoRow = -1;
using Index = std::array<std::array<std::int16_t, kTriggerCount>, kStateCount>;

constexpr Index buildIndex() {
  Index index{};
  for (auto& perState : index) perState.fill(kNoRow);
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    auto& cell = index[static_cast<std::size_t>(kTable[i].state)]
                      [static_cast<std::size_t>(kTable[i].trigger)];
    // A duplicate (state, trigger) makes this non-constant: compile error.
    if (cell != kNoRow) throw "duplicate row in the transition table";
    cell = static_cast<std::int16_t>(i);
  }
  return index;
}

constexpr Index kIndex = buildIndex();

constexpr bool causesMatchTransitions() {
  for (const auto& row : kTable) {
    if ((row.next != row.state) != row.cause.has_value()) return false;
  }
  return true;
}
static_assert(causesMatchTransitions(), "a row has a cause iff it changes state");

}  // namespace

std::span<const TransitionRow> transitionTable() { return kTable; }

const TransitionRow* findRow(State state, Trigger trigger) {
  const auto s = static_cast<std::size_t>(state);
  const auto t = static_cast<std::size_t>(trigger);
  if (s >= kStateCount || t >= kTriggerCount) return nullptr;
  const std::int16_t i = kIndex[s][t];
  return i == kNoRow ? nullptr : &kTable[static_cast<std::size_t>(i)];
}

}  // namespace vipd::core
