// Printable names for the core's enums (logs, notify arguments, test output).
#include "vipd/core/action.h"
#include "vipd/core/router_config.h"
#include "vipd/core/transition_table.h"
#include "vipd/core/types.h"

namespace vipd::core {

std::string_view toString(Version version) { return version == Version::V2 ? "v2" : "v3"; }

std::string_view toString(State state) {
  switch (state) {
    case State::Initialize:
      return "INIT";
    case State::Backup:
      return "BACKUP";
    case State::Master:
      return "MASTER";
    case State::Fault:
      return "FAULT";
  }
  return "?";
}

std::string_view toString(Cause cause) {
  switch (cause) {
    case Cause::Startup:
      return "Startup";
    case Cause::AddressOwner:
      return "AddressOwner";
    case Cause::MasterDownTimer:
      return "MasterDownTimer";
    case Cause::PriorityZeroReceived:
      return "PriorityZeroReceived";
    case Cause::Preempted:
      return "Preempted";
    case Cause::HigherPriorityAdvert:
      return "HigherPriorityAdvert";
    case Cause::EqualPriorityHigherAddress:
      return "EqualPriorityHigherAddress";
    case Cause::FaultRaised:
      return "FaultRaised";
    case Cause::FaultCleared:
      return "FaultCleared";
    case Cause::SyncGroupMaster:
      return "SyncGroupMaster";
    case Cause::SyncGroupBackup:
      return "SyncGroupBackup";
    case Cause::SyncGroupFault:
      return "SyncGroupFault";
    case Cause::Maintenance:
      return "Maintenance";
    case Cause::Shutdown:
      return "Shutdown";
  }
  return "?";
}

std::string_view toString(TimerId timer) {
  return timer == TimerId::Advert ? "Adver_Timer" : "Master_Down_Timer";
}

std::string_view toString(AdvertReason reason) {
  switch (reason) {
    case AdvertReason::BecameMaster:
      return "BecameMaster";
    case AdvertReason::Periodic:
      return "Periodic";
    case AdvertReason::AnswerPriorityZero:
      return "AnswerPriorityZero";
    case AdvertReason::AssertMastership:
      return "AssertMastership";
    case AdvertReason::Resign:
      return "Resign";
    case AdvertReason::Parting:
      return "Parting";
  }
  return "?";
}

std::string_view toString(GratuitousReason reason) {
  return reason == GratuitousReason::BecameMaster ? "BecameMaster" : "LowerPriorityAdvert";
}

std::string_view toString(Trigger trigger) {
  switch (trigger) {
    case Trigger::Start:
      return "Start";
    case Trigger::StartFaulted:
      return "StartFaulted";
    case Trigger::Shutdown:
      return "Shutdown";
    case Trigger::OwnerTakeover:
      return "OwnerTakeover";
    case Trigger::AdverTimer:
      return "AdverTimer";
    case Trigger::MasterDownTimer:
      return "MasterDownTimer";
    case Trigger::MasterDownAfterPriorityZero:
      return "MasterDownAfterPriorityZero";
    case Trigger::MasterDownPreempting:
      return "MasterDownPreempting";
    case Trigger::Advert:
      return "Advert";
    case Trigger::AdvertPriorityZero:
      return "AdvertPriorityZero";
    case Trigger::AdvertHigherPriority:
      return "AdvertHigherPriority";
    case Trigger::AdvertEqualPriorityHigherAddress:
      return "AdvertEqualPriorityHigherAddress";
    case Trigger::AdvertEqualPriorityLowerAddress:
      return "AdvertEqualPriorityLowerAddress";
    case Trigger::AdvertLowerPriority:
      return "AdvertLowerPriority";
    case Trigger::AdvertLowerPriorityNoPreempt:
      return "AdvertLowerPriorityNoPreempt";
    case Trigger::AdvertLowerPriorityPreemptDelayed:
      return "AdvertLowerPriorityPreemptDelayed";
    case Trigger::PriorityChanged:
      return "PriorityChanged";
    case Trigger::SyncForceMaster:
      return "SyncForceMaster";
    case Trigger::SyncForceBackup:
      return "SyncForceBackup";
    case Trigger::SyncFault:
      return "SyncFault";
    case Trigger::SyncFaultCleared:
      return "SyncFaultCleared";
    case Trigger::MasterDownHeldBySync:
      return "MasterDownHeldBySync";
    case Trigger::MaintenanceOn:
      return "MaintenanceOn";
    case Trigger::MaintenanceOff:
      return "MaintenanceOff";
    case Trigger::MasterDownInMaintenance:
      return "MasterDownInMaintenance";
    case Trigger::FaultActive:
      return "FaultActive";
    case Trigger::FaultsCleared:
      return "FaultsCleared";
  }
  return "?";
}

std::string_view toString(Procedure procedure) {
  switch (procedure) {
    case Procedure::Ignore:
      return "Ignore";
    case Procedure::StartAsBackup:
      return "StartAsBackup";
    case Procedure::BecomeMaster:
      return "BecomeMaster";
    case Procedure::AdvertiseOnTimer:
      return "AdvertiseOnTimer";
    case Procedure::AnswerPriorityZero:
      return "AnswerPriorityZero";
    case Procedure::AssertOverLowerPriority:
      return "AssertOverLowerPriority";
    case Procedure::YieldToAdvert:
      return "YieldToAdvert";
    case Procedure::ResignMaster:
      return "ResignMaster";
    case Procedure::LeaveBackup:
      return "LeaveBackup";
    case Procedure::SetDownTimerToSkew:
      return "SetDownTimerToSkew";
    case Procedure::AcceptAdvert:
      return "AcceptAdvert";
    case Procedure::DeclinePreemption:
      return "DeclinePreemption";
    case Procedure::HoldOffPreempt:
      return "HoldOffPreempt";
    case Procedure::DiscardAdvert:
      return "DiscardAdvert";
    case Procedure::EnterBackupFromFault:
      return "EnterBackupFromFault";
    case Procedure::WaitForGroup:
      return "WaitForGroup";
    case Procedure::LeaveMasterForGroup:
      return "LeaveMasterForGroup";
    case Procedure::ResignToBackup:
      return "ResignToBackup";
    case Procedure::StayDrained:
      return "StayDrained";
  }
  return "?";
}

std::string_view toString(PreemptHold hold) {
  return hold == PreemptHold::NoPreempt ? "nopreempt" : "preempt_delay";
}

std::string_view toString(ConfigError error) {
  switch (error) {
    case ConfigError::VridOutOfRange:
      return "virtual_router_id must be 1..255";
    case ConfigError::PriorityZero:
      return "priority must be 1..255";
    case ConfigError::V2RequiresIpv4:
      return "VRRP version 2 is IPv4 only";
    case ConfigError::AdvertIntervalOutOfRange:
      return "advert_int must be 0.01..40.95 s (v3) or 1..255 s (v2)";
    case ConfigError::V2AdvertIntervalNotWholeSeconds:
      return "VRRP version 2 advert_int must be whole seconds";
    case ConfigError::DownTimerAdvertsOutOfRange:
      return "down_timer_adverts must be 1..100";
    case ConfigError::PreemptDelayOutOfRange:
      return "preempt_delay must be 0..1000 s";
  }
  return "?";
}

}  // namespace vipd::core
