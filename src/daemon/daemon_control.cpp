// Daemon: operator commands (vipctl maintenance, clear-stats).
#include <algorithm>
#include <stdexcept>

#include "vipd/daemon/control_commands.h"
#include "vipd/daemon/daemon.h"
#include "vipd/daemon/logging.h"
#include "vipd/daemon/metrics.h"
#include "vipd/daemon/status.h"

namespace vipd::daemon {

std::vector<std::string> Daemon::setMaintenance(bool on, const std::optional<std::string>& name) {
  std::vector<std::string> names;
  // A pending instance is drained (or released) too: it starts so.
  if (!name) {
    for (const auto& instance : instances_) names.push_back(instance->settings().name);
    for (const auto& entry : pending_.entries()) names.push_back(entry.name);
  } else if (find(*name) == nullptr && !pending_.contains(*name)) {
    throw std::invalid_argument("no instance named '" + *name + "'");
  } else if (const auto* group = config::syncGroupOf(config_, *name)) {
    names = group->members;  // a group moves together, drained or not
  } else {
    names.push_back(*name);
  }
  std::vector<Instance*> targets;
  for (const auto& n : names) {
    Instance* instance = find(n);
    if (instance != nullptr && instance->inMaintenance() != on) targets.push_back(instance);
    if (on) {
      maintenance_.insert(n);
    } else {
      maintenance_.erase(n);
    }
  }
  // Every member is marked before any acts, so that a sync group's masters
  // all resign with priority 0 rather than follow the first one silently.
  for (auto* instance : targets) instance->setMaintenance(on, false);
  std::vector<std::string> changed;
  for (auto* instance : targets) {
    instance->setMaintenance(on, true);
    changed.push_back(instance->settings().name);
  }
  return changed;
}

void Daemon::clearStats() {
  for (auto& instance : instances_) instance->clearStats();
  if (scripts_) scripts_->clearStats();
  for (auto& [name, notifier] : notifiers_) notifier->queue().clearStats();
  syncGroups_.clearStats();
  unattributed_.clear();
  logLinesOverwrittenBefore_ = logLinesOverwritten();
  stateFileErrorsBefore_ = ledger_.saveErrors();
  log_->info("statistics cleared");
}

DaemonCounters Daemon::counters() const {
  DaemonCounters out;
  out.unattributedDrops = unattributed_.counts();
  out.logLinesOverwritten = logLinesOverwritten() - logLinesOverwrittenBefore_;
  if (scripts_) out.scripts = scripts_->reports();
  for (const auto& instance : instances_) {
    const auto& name = instance->settings().name;
    if (auto it = notifiers_.find(name); it != notifiers_.end()) {
      out.notifies.push_back({"instance", name, it->second->queue().stats()});
    }
  }
  auto groups = syncGroups_.notifyReports();
  out.notifies.insert(out.notifies.end(), groups.begin(), groups.end());
  out.refusedScripts = refusedScripts();
  out.stateFileErrors = ledger_.saveErrors() - stateFileErrorsBefore_;
  return out;
}

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

nlohmann::json applyMaintenance(Daemon& daemon, bool on, const std::optional<std::string>& name) {
  std::vector<std::string> changed;
  try {
    changed = daemon.setMaintenance(on, name);
  } catch (const std::invalid_argument& e) {
    throw ControlError(e.what());
  }
  const std::string mode = on ? "on" : "off";
  return {{"changed", changed},
          {"message", changed.empty() ? "maintenance already " + mode
                                      : "maintenance " + mode + ": " + joined(changed)}};
}

}  // namespace

ControlHandlers controlHandlers(Daemon& daemon, Scheduler& clock,
                                std::function<nlohmann::json()> reload) {
  ControlHandlers h;
  h.status = [&daemon, &clock] {
    return statusDocument(daemon.instances(), clock.now(), daemon.pendingInstances(),
                          daemon.refusedScripts());
  };
  h.stats = [&daemon, &clock] {
    return statsDocument(daemon.instances(), daemon.counters(), clock.now());
  };
  h.clearStats = [&daemon] {
    daemon.clearStats();
    return nlohmann::json{{"message", "statistics cleared"}};
  };
  h.reload = std::move(reload);
  h.maintenance = [&daemon](bool on, const std::optional<std::string>& name) {
    return applyMaintenance(daemon, on, name);
  };
  h.setLogLevel = [](spdlog::level::level_enum level) {
    setLogLevel(level);
    return nlohmann::json{
        {"message", fmt::format("log level {}", spdlog::level::to_string_view(level))}};
  };
  h.metrics = [&daemon] {
    return prometheusText(daemon.instances(), daemon.counters(), daemon.pendingInstances());
  };
  return h;
}

}  // namespace vipd::daemon
