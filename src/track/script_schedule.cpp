#include "vipd/track/script_schedule.h"

#include <algorithm>

#include "vipd/track/instance_tracking.h"

namespace vipd::track {

namespace {

bool tracks(const std::vector<ResolvedTracker>& trackers, const std::string& script) {
  return std::any_of(trackers.begin(), trackers.end(), [&](const ResolvedTracker& t) {
    return t.kind == TrackerKind::Script && t.name == script;
  });
}

}  // namespace

std::vector<ScheduledScript> scriptSchedule(const config::Config& config) {
  std::vector<std::vector<ResolvedTracker>> perInstance;
  perInstance.reserve(config.instances.size());
  for (const config::VrrpInstance& instance : config.instances) {
    perInstance.push_back(resolveTrackers(config, instance));
  }
  std::vector<ScheduledScript> schedule;
  for (const config::VrrpScript& script : config.scripts) {
    ScheduledScript entry{script, {}};
    for (std::size_t i = 0; i < config.instances.size(); ++i) {
      if (tracks(perInstance[i], script.name)) entry.trackedBy.push_back(config.instances[i].name);
    }
    if (!entry.trackedBy.empty()) schedule.push_back(std::move(entry));
  }
  return schedule;
}

}  // namespace vipd::track
