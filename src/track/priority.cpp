#include "vipd/track/priority.h"

#include <algorithm>

#include "vipd/core/timing.h"

namespace vipd::track {

namespace {

// track_file statuses are clamped to [-254, 253]; -254 means FAULT.
constexpr std::int64_t kFileFault = -254;
constexpr std::int64_t kFileMax = 253;

std::int64_t multiplier(const TrackerState& t) { return t.reverse ? -1 : 1; }

// Interfaces, scripts and processes: up/down (GOOD/BAD, quorum or not),
// scripts with an optional INIT.
Contribution upDownContribution(const TrackerState& t) {
  if (t.weight == 0) {
    // INIT holds the instance down (num_script_init); otherwise the
    // instance is down when the state differs from "up xor reverse".
    const bool fault = !t.up || *t.up == t.reverse;
    return {0, fault};
  }
  if (!t.up) return {};
  const bool applies = *t.up ? t.weight > 0 : t.weight < 0;
  return {applies ? std::int64_t{t.weight} * multiplier(t) : 0, false};
}

Contribution fileContribution(const TrackerState& t) {
  if (t.weight == 0) {
    // !!last_status == (weight_multiplier == 1) ⇒ FAULT
    return {0, (t.fileValue != 0) != t.reverse};
  }
  const std::int64_t status =
      std::clamp(std::int64_t{t.fileValue} * t.weight * multiplier(t), kFileFault, kFileMax);
  if (status == kFileFault) return {0, true};
  return {status, false};
}

}  // namespace

Contribution contribution(const TrackerState& tracker) {
  return tracker.kind == TrackerKind::File ? fileContribution(tracker)
                                           : upDownContribution(tracker);
}

PriorityResult computePriority(std::uint8_t base, std::span<const TrackerState> trackers) {
  const bool owner = base == core::kOwnerPriority;
  PriorityResult result;
  std::int64_t total = base;
  for (std::size_t i = 0; i < trackers.size(); ++i) {
    if (owner && trackers[i].weight != 0) continue;
    const Contribution c = contribution(trackers[i]);
    total += c.delta;
    if (c.fault) result.faulting.push_back(i);
  }
  result.priority = owner ? core::kOwnerPriority
                          : static_cast<std::uint8_t>(std::clamp<std::int64_t>(total, 1, 254));
  return result;
}

}  // namespace vipd::track
