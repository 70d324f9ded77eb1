#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "vipd/core/action.h"
#include "vipd/core/event.h"
#include "vipd/core/router.h"
#include "vipd/core/types.h"

namespace vipd::core {

/// The actions one member must execute, in order.
struct MemberActions {
  std::size_t member = 0;  ///< Index into the group's member list.
  Actions actions;

  friend bool operator==(const MemberActions&, const MemberActions&) = default;
};

/// The group as a whole changed state: the daemon runs the group's notify
/// scripts and FIFO line `GROUP "name" STATE 0` (reference §2.1, §2.2).
/// `to` Initialize means every member stopped (keepalived notifies STOP).
struct GroupTransition {
  State from = State::Initialize;
  State to = State::Initialize;

  friend bool operator==(const GroupTransition&, const GroupTransition&) = default;
};

/// What one event caused: member actions in execution order (the member the
/// event was for first, then the members it pulled along), then the group
/// transition, if any (keepalived notifies the group after its members).
struct SyncOutput {
  std::vector<MemberActions> members;
  std::vector<GroupTransition> group;
};

/// keepalived's `vrrp_sync_group` (vrrp_sync.c, vrrp_scheduler.c VRRP_TSM and
/// try_up_instance/down_instance in 2.2.7) as pure logic over its members:
///
/// - A member whose Master_Down_Timer fires becomes Master only if every
///   other member wants Master too (or the group is already Master);
///   otherwise it stays Backup and re-arms (vrrp_sync_can_goto_master).
/// - A member that becomes Master takes the others with it (vrrp_sync_master).
/// - A member that leaves Master for Backup takes the others out of Master,
///   without priority-0 adverts (vrrp_sync_backup).
/// - A tracked fault on any member puts every member in Fault, masters
///   resigning with a priority-0 advert (vrrp_sync_fault); the group leaves
///   Fault only when no member has a fault (num_member_fault), all going Backup.
///
/// Group state: Initialize when every member is stopped; else Fault while a
/// member has a tracked fault; else Master when a member is Master; else Backup.
///
/// NOTE: references its members, does not own them; they must outlive the
/// group and get every event through handle(). No I/O; not thread-safe.
class SyncGroup {
 public:
  /// Precondition: no null pointer, no router twice. The group starts in the
  /// state its members are in (Initialize for new routers), so a group built
  /// over running routers (a reload) reports no transition it did not make.
  SyncGroup(std::string name, std::vector<Router*> members);

  /// Feeds `event` to member `member` and lets the others follow.
  /// Precondition: member < size(); `now` never goes backwards.
  SyncOutput handle(std::size_t member, const Event& event, TimePoint now);

  /// Applies the fault rule to the members as they are now, without an
  /// event: after the group was built over running routers, a member with a
  /// tracked fault puts the others in Fault at once (and one without lets
  /// them out). Precondition: `now` never goes backwards.
  SyncOutput settle(TimePoint now);

  const std::string& name() const { return name_; }
  State state() const { return state_; }
  std::size_t size() const { return members_.size(); }
  const Router& member(std::size_t index) const { return *members_[index]; }

 private:
  void feed(std::size_t member, const Event& event, TimePoint now, SyncOutput& out);
  bool mayBecomeMaster(std::size_t member) const;
  void follow(std::size_t member, State before, TimePoint now, SyncOutput& out);
  void reconcileFaults(TimePoint now, SyncOutput& out);
  void updateState(SyncOutput& out);
  bool otherHasTrackedFault(std::size_t member) const;
  State derivedState() const;

  std::string name_;
  std::vector<Router*> members_;
  State state_ = State::Initialize;
};

}  // namespace vipd::core
