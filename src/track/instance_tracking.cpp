#include "vipd/track/instance_tracking.h"

#include <algorithm>
#include <iterator>

namespace vipd::track {

namespace {

TrackerState initialState(const ResolvedTracker& t) {
  TrackerState s{t.kind, t.weight, t.reverse};
  if (t.kind == TrackerKind::Script) {
    s.up = t.initFail ? std::optional<bool>(false) : std::nullopt;
  }
  return s;
}

core::FaultId idOf(std::size_t index) { return static_cast<core::FaultId>(index + 1); }

std::vector<core::FaultId> toIds(const std::vector<std::size_t>& indices) {
  std::vector<core::FaultId> ids;
  ids.reserve(indices.size());
  for (std::size_t i : indices) ids.push_back(idOf(i));
  return ids;
}

std::vector<core::FaultId> minus(const std::vector<std::size_t>& a,
                                 const std::vector<std::size_t>& b) {
  std::vector<std::size_t> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return toIds(out);
}

}  // namespace

std::vector<core::Event> TrackingUpdate::events() const {
  std::vector<core::Event> out;
  if (priority) out.emplace_back(core::PriorityChanged{*priority});
  for (core::FaultId id : raised) out.emplace_back(core::FaultRaised{id});
  for (core::FaultId id : cleared) out.emplace_back(core::FaultCleared{id});
  return out;
}

InstanceTracking::InstanceTracking(std::uint8_t basePriority, std::vector<ResolvedTracker> trackers)
    : base_(basePriority), trackers_(std::move(trackers)) {
  states_.reserve(trackers_.size());
  for (const ResolvedTracker& t : trackers_) states_.push_back(initialState(t));
  current_ = computePriority(base_, states_);
}

InstanceTracking InstanceTracking::fromConfig(const config::Config& config,
                                              const config::VrrpInstance& instance) {
  return InstanceTracking(instance.priority, resolveTrackers(config, instance));
}

TrackingUpdate InstanceTracking::initial() const {
  return TrackingUpdate{current_.priority, toIds(current_.faulting), {}};
}

TrackerState* InstanceTracking::find(TrackerKind kind, std::string_view name) {
  for (std::size_t i = 0; i < trackers_.size(); ++i) {
    if (trackers_[i].kind == kind && trackers_[i].name == name) return &states_[i];
  }
  return nullptr;
}

TrackingUpdate InstanceTracking::recompute() {
  PriorityResult next = computePriority(base_, states_);
  TrackingUpdate u;
  if (next.priority != current_.priority) u.priority = next.priority;
  u.raised = minus(next.faulting, current_.faulting);
  u.cleared = minus(current_.faulting, next.faulting);
  current_ = std::move(next);
  return u;
}

TrackingUpdate InstanceTracking::scriptChanged(std::string_view name, bool good) {
  TrackerState* s = find(TrackerKind::Script, name);
  if (s == nullptr) return {};
  s->up = good;
  return recompute();
}

TrackingUpdate InstanceTracking::interfaceChanged(std::string_view name, bool up) {
  TrackerState* s = find(TrackerKind::Interface, name);
  if (s == nullptr) return {};
  s->up = up;
  return recompute();
}

TrackingUpdate InstanceTracking::processChanged(std::string_view name, bool quorum) {
  TrackerState* s = find(TrackerKind::Process, name);
  if (s == nullptr) return {};
  s->up = quorum;
  return recompute();
}

TrackingUpdate InstanceTracking::fileValue(std::string_view name, std::int32_t value) {
  TrackerState* s = find(TrackerKind::File, name);
  if (s == nullptr) return {};
  s->fileValue = value;
  return recompute();
}

std::vector<core::FaultId> InstanceTracking::faults() const { return toIds(current_.faulting); }

bool InstanceTracking::awaitingScripts() const {
  for (const auto& state : states_) {
    if (state.kind == TrackerKind::Script && !state.up) return true;
  }
  return false;
}

std::optional<core::FaultId> InstanceTracking::faultId(TrackerKind kind,
                                                       std::string_view name) const {
  for (std::size_t i = 0; i < trackers_.size(); ++i) {
    if (trackers_[i].kind == kind && trackers_[i].name == name) return idOf(i);
  }
  return std::nullopt;
}

const ResolvedTracker* InstanceTracking::tracker(core::FaultId id) const {
  if (id == 0 || id > trackers_.size()) return nullptr;
  return &trackers_[id - 1];
}

}  // namespace vipd::track
