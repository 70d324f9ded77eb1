// keepalived's vrrp_sync_group over core::Router members. The routers keep
// their own state machines; the group only decides, before each event,
// whether a member may become Master, and afterwards which forced moves
// (Sync* events) the other members get.
#include "vipd/core/sync_group.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace vipd::core {

SyncGroup::SyncGroup(std::string name, std::vector<Router*> members)
    : name_(std::move(name)), members_(std::move(members)) {
  if (std::find(members_.begin(), members_.end(), nullptr) != members_.end()) {
    throw std::invalid_argument("vrrp_sync_group " + name_ + ": null member");
  }
  state_ = derivedState();
}

SyncOutput SyncGroup::handle(std::size_t member, const Event& event, TimePoint now) {
  SyncOutput out;
  const State before = members_[member]->state();
  feed(member, event, now, out);
  follow(member, before, now, out);
  reconcileFaults(now, out);
  updateState(out);
  return out;
}

SyncOutput SyncGroup::settle(TimePoint now) {
  SyncOutput out;
  reconcileFaults(now, out);
  updateState(out);
  return out;
}

void SyncGroup::updateState(SyncOutput& out) {
  const State next = derivedState();
  if (next != state_) {
    out.group.push_back(GroupTransition{state_, next});
    state_ = next;
  }
}

// Every event reaches a member through here, so its hold is always current.
void SyncGroup::feed(std::size_t member, const Event& event, TimePoint now, SyncOutput& out) {
  Router& router = *members_[member];
  router.setSyncHold(!mayBecomeMaster(member));
  Actions actions = router.handle(event, now);
  if (!actions.empty()) out.members.push_back(MemberActions{member, std::move(actions)});
}

// keepalived vrrp_sync_can_goto_master: true when the group is already
// Master, or every other member wants Master ("prefer backup state to avoid
// thrashing").
bool SyncGroup::mayBecomeMaster(std::size_t member) const {
  if (state_ == State::Master) return true;
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (i != member && !members_[i]->wantsMaster()) return false;
  }
  return true;
}

// keepalived VRRP_TSM: BACKUP/FAULT -> MASTER runs vrrp_sync_master, MASTER ->
// BACKUP runs vrrp_sync_backup; both return at once when the group is already
// in that state. Forced members react no further (no cascade in keepalived).
void SyncGroup::follow(std::size_t member, State before, TimePoint now, SyncOutput& out) {
  const State after = members_[member]->state();
  if (after == before) return;
  const bool toMaster = after == State::Master && state_ != State::Master;
  const bool toBackup =
      before == State::Master && after == State::Backup && state_ != State::Backup;
  if (!toMaster && !toBackup) return;
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (i == member) continue;
    if (toMaster) feed(i, SyncForceMaster{}, now, out);
    if (toBackup) feed(i, SyncForceBackup{}, now, out);
  }
}

// keepalived down_instance/try_up_instance count members with a tracked
// fault (num_member_fault): the first puts the others in Fault
// (vrrp_sync_fault), and a member leaves Fault only when no other member
// has one. Here each member holds a group fault exactly while another member
// has a tracked fault, so clearing order does not matter.
void SyncGroup::reconcileFaults(TimePoint now, SyncOutput& out) {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (otherHasTrackedFault(i) && !members_[i]->groupFaulted()) feed(i, SyncFault{}, now, out);
  }
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (!otherHasTrackedFault(i) && members_[i]->groupFaulted()) {
      feed(i, SyncFaultCleared{}, now, out);
    }
  }
}

bool SyncGroup::otherHasTrackedFault(std::size_t member) const {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (i != member && members_[i]->trackedFaulted()) return true;
  }
  return false;
}

State SyncGroup::derivedState() const {
  const auto any = [this](auto predicate) {
    return std::any_of(members_.begin(), members_.end(),
                       [&](const Router* r) { return predicate(*r); });
  };
  if (!any([](const Router& r) { return r.state() != State::Initialize; })) {
    return State::Initialize;
  }
  if (any([](const Router& r) { return r.trackedFaulted(); })) return State::Fault;
  if (any([](const Router& r) { return r.state() == State::Master; })) return State::Master;
  return State::Backup;
}

}  // namespace vipd::core
