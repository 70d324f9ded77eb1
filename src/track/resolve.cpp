// Which trackers keepalived attaches to an instance, with which weights
// [SRC vrrp.c:vrrp_complete_instance, sync_group_tracking_init,
//  add_vrrp_to_track_process; vrrp_track.c:alloc_track_script, alloc_track_process;
//  trackers/track_file.c:add_obj_to_track_file].

#include <algorithm>

#include "vipd/core/timing.h"
#include "vipd/track/instance_tracking.h"

namespace vipd::track {

namespace {

template <typename T>
const T* findByName(const std::vector<T>& items, const std::string& name) {
  const auto it =
      std::find_if(items.begin(), items.end(), [&](const T& item) { return item.name == name; });
  return it == items.end() ? nullptr : &*it;
}

bool hasOwnerMember(const config::Config& config, const config::SyncGroup& group) {
  return std::any_of(group.members.begin(), group.members.end(), [&](const std::string& m) {
    const config::VrrpInstance* member = findByName(config.instances, m);
    return member != nullptr && member->priority == core::kOwnerPriority;
  });
}

// The reference's weight overrides the definition's; its reverse flag only
// comes with a weight (keepalived's "weight N [reverse|noreverse]").
ResolvedTracker fromReference(TrackerKind kind, const config::TrackedObject& ref,
                              std::int32_t defWeight, bool defReverse) {
  ResolvedTracker t{kind, ref.name, ref.weight.value_or(defWeight),
                    ref.weight ? ref.reverse : defReverse};
  return t;
}

// nullopt: the definition was dropped by the config area (it warned).
std::optional<ResolvedTracker> resolve(const config::Config& config, TrackerKind kind,
                                       const config::TrackedObject& ref) {
  if (kind == TrackerKind::Interface) return fromReference(kind, ref, 0, false);
  if (kind == TrackerKind::Script) {
    const config::VrrpScript* script = findByName(config.scripts, ref.name);
    if (script == nullptr) return std::nullopt;
    ResolvedTracker t = fromReference(kind, ref, script->weight, script->reverse);
    // NOTE keepalived 2.2's alloc_track_script resets init_state to INIT when
    // a script is tracked, which defeats init_fail; vipd honours init_fail.
    t.initFail = script->initFail;
    return t;
  }
  if (kind == TrackerKind::Process) {
    const config::TrackProcess* process = findByName(config.trackProcesses, ref.name);
    if (process == nullptr) return std::nullopt;
    return fromReference(kind, ref, process->weight, process->reverse);
  }
  const config::TrackFile* file = findByName(config.trackFiles, ref.name);
  if (file == nullptr) return std::nullopt;
  return fromReference(kind, ref, file->weight, file->reverse);
}

// [SRC vrrp.c:vrrp_complete_instance]: "not running floating priorities" on a
// sync member without sync_group_tracking_weight, and never on an owner.
std::optional<ResolvedTracker> applyNoWeightRule(ResolvedTracker t, bool syncNoWeight) {
  if (t.weight == 0) return t;
  switch (t.kind) {
    case TrackerKind::Interface:
      if (!syncNoWeight) return std::nullopt;  // owner: stop tracking it
      t.weight = 0;
      return t;
    case TrackerKind::Script:
      return std::nullopt;  // "ignoring tracked script with weights"
    case TrackerKind::File:
      if (t.weight != 1) return std::nullopt;
      t.weight = 0;  // weight 1 is the default: "specify weight 0"
      return t;
    case TrackerKind::Process:
      // Not in keepalived's list: the weight stays (an owner's priority is
      // fixed at 255 anyway, so only a sync member's priority moves).
      return t;
  }
  return std::nullopt;
}

void addUnique(std::vector<ResolvedTracker>& list, ResolvedTracker t) {
  const auto same = std::find_if(list.begin(), list.end(), [&](const ResolvedTracker& o) {
    return o.kind == t.kind && o.name == t.name;
  });
  if (same == list.end()) {
    list.push_back(std::move(t));
  } else if (t.fromGroup && same->weight != 0) {
    // Tracked by instance and group: the group's weight wins unless the
    // instance's is 0 [SRC trackers/track_file.c:add_obj_to_track_file]. For
    // a process keepalived copies the weight only, not the reverse flag
    // [SRC vrrp.c:add_vrrp_to_track_process].
    same->weight = t.weight;
    if (t.kind != TrackerKind::Process) same->reverse = t.reverse;
  }
  // A duplicate reference in one block is ignored, as keepalived does.
}

using TrackedList = std::vector<config::TrackedObject>;

void addOwn(const config::Config& config, const config::VrrpInstance& instance,
            const config::SyncGroup* group, std::vector<ResolvedTracker>& out) {
  const bool syncNoWeight = group != nullptr && !group->trackingWeight;
  const bool restricted = syncNoWeight || instance.priority == core::kOwnerPriority;
  const std::pair<TrackerKind, const TrackedList*> lists[] = {
      {TrackerKind::Interface, &instance.trackInterfaces},
      {TrackerKind::Script, &instance.trackScripts},
      {TrackerKind::File, &instance.trackFiles},
      {TrackerKind::Process, &instance.trackProcesses}};
  for (const auto& [kind, list] : lists) {
    for (const config::TrackedObject& ref : *list) {
      auto t = resolve(config, kind, ref);
      if (t && restricted) t = applyNoWeightRule(*t, syncNoWeight);
      if (t) addUnique(out, std::move(*t));
    }
  }
}

void addGroup(const config::Config& config, const config::SyncGroup& group,
              std::vector<ResolvedTracker>& out) {
  const bool ownerMember = hasOwnerMember(config, group);
  const std::pair<TrackerKind, const TrackedList*> lists[] = {
      {TrackerKind::Interface, &group.trackInterfaces},
      {TrackerKind::Script, &group.trackScripts},
      {TrackerKind::File, &group.trackFiles},
      {TrackerKind::Process, &group.trackProcesses}};
  for (const auto& [kind, list] : lists) {
    for (const config::TrackedObject& ref : *list) {
      auto t = resolve(config, kind, ref);
      if (!t) continue;
      if (ownerMember)
        t->weight = 0;  // "Cannot have weighted track ... with member having priority 255"
      t->fromGroup = true;
      addUnique(out, std::move(*t));
    }
  }
}

}  // namespace

std::vector<ResolvedTracker> resolveTrackers(const config::Config& config,
                                             const config::VrrpInstance& instance) {
  std::vector<ResolvedTracker> trackers;
  const config::SyncGroup* group = config::syncGroupOf(config, instance.name);
  addOwn(config, instance, group, trackers);
  if (group != nullptr) addGroup(config, *group, trackers);
  return trackers;
}

}  // namespace vipd::track
