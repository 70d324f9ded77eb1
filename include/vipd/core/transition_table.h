#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "vipd/core/types.h"

namespace vipd::core {

/// What the table is keyed on: an Event refined by the router's view of it.
/// Adverts are classified by comparing with our effective priority and
/// primary address (RFC 5798 §6.4.2/§6.4.3); a firing Master_Down_Timer by
/// what armed it. Stale timer events never reach the table.
enum class Trigger : std::uint8_t {
  Start,
  StartFaulted,  ///< Start while a fault is active.
  Shutdown,
  OwnerTakeover,  ///< Follow-up: entered Backup as priority-255 owner.
  AdverTimer,
  MasterDownTimer,              ///< Armed from Master_Down_Interval.
  MasterDownAfterPriorityZero,  ///< Armed from Skew_Time after a priority-0 advert.
  MasterDownPreempting,         ///< Expired while discarding a lower-priority master.
  Advert,                       ///< Any advert in Initialize or Fault (not classified).
  AdvertPriorityZero,
  AdvertHigherPriority,
  AdvertEqualPriorityHigherAddress,
  AdvertEqualPriorityLowerAddress,    ///< Lower or equal address.
  AdvertLowerPriority,                ///< In Backup: preempt on, no preempt delay pending.
  AdvertLowerPriorityNoPreempt,       ///< Backup only: keepalived `nopreempt`.
  AdvertLowerPriorityPreemptDelayed,  ///< Backup only: keepalived `preempt_delay` pending.
  PriorityChanged,
  SyncForceMaster,          ///< The sync group follows another member to Master.
  SyncForceBackup,          ///< The sync group follows another member out of Master.
  SyncFault,                ///< Another member has a fault.
  SyncFaultCleared,         ///< No member has a fault any more (and neither do we).
  MasterDownHeldBySync,     ///< Master_Down_Timer fired, but the sync group is not ready.
  MaintenanceOn,            ///< The operator drained the instance.
  MaintenanceOff,           ///< The drain ended.
  MasterDownInMaintenance,  ///< Master_Down_Timer fired while drained: stay Backup.
  FaultActive,              ///< After the update at least one fault is active.
  FaultsCleared,            ///< After the update no fault is active.
};
inline constexpr std::size_t kTriggerCount = 27;

/// Named action recipes a row runs (see router_procedures.cpp for each).
enum class Procedure : std::uint8_t {
  Ignore,
  StartAsBackup,       ///< Arm Master_Down_Timer, start preempt delay; owner → OwnerTakeover.
  BecomeMaster,        ///< Advert, VIPs, GARP, arm Adver_Timer.
  AdvertiseOnTimer,    ///< Advert, re-arm Adver_Timer.
  AnswerPriorityZero,  ///< Advert at once, re-arm Adver_Timer.
  AssertOverLowerPriority,  ///< Advert (unless lower_prio_no_advert), GARP, MasterRxLowerPriority.
  YieldToAdvert,            ///< Remove VIPs, parting advert, learn interval, arm down timer.
  ResignMaster,             ///< Cancel Adver_Timer, priority-0 advert, remove VIPs.
  LeaveBackup,              ///< Cancel Master_Down_Timer.
  SetDownTimerToSkew,       ///< Master_Down_Timer = Skew_Time.
  AcceptAdvert,             ///< Learn interval (v3), reset Master_Down_Timer.
  DeclinePreemption,        ///< As AcceptAdvert, then PreemptDeclined (nopreempt).
  HoldOffPreempt,           ///< Start preempt delay if not running; as DeclinePreemption.
  DiscardAdvert,            ///< Remember we are preempting; the down timer will fire.
  EnterBackupFromFault,     ///< Own interval, arm Master_Down_Timer; owner → OwnerTakeover.
  WaitForGroup,             ///< Want Master, re-arm Master_Down_Timer (sync group not ready).
  LeaveMasterForGroup,      ///< Cancel Adver_Timer, remove VIPs, arm Master_Down_Timer; no advert.
  ResignToBackup,           ///< Priority-0 advert, remove VIPs, arm Master_Down_Timer.
  StayDrained,              ///< Stop wanting Master; re-arm Master_Down_Timer.
};

/// One row: in `state`, on `trigger`, run `procedure` and go to `next`,
/// announcing `cause` (present exactly when next != state).
struct TransitionRow {
  State state;
  Trigger trigger;
  State next;
  Procedure procedure;
  std::optional<Cause> cause;
  std::string_view reference;  ///< The RFC / keepalived rule this row implements.
};

/// The whole state machine. Every (state, trigger) the router can produce has
/// exactly one row; the router treats a missing row as a bug.
std::span<const TransitionRow> transitionTable();

/// The row for (state, trigger), or nullptr.
const TransitionRow* findRow(State state, Trigger trigger);

std::string_view toString(Trigger trigger);
std::string_view toString(Procedure procedure);

}  // namespace vipd::core
