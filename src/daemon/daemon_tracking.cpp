// The Daemon's health checks and trackers: vrrp_scripts, watched links,
// track files and processes, and each instance's tracking state.
#include <algorithm>
#include <system_error>

#include "vipd/daemon/daemon.h"
#include "vipd/daemon/logging.h"
#include "vipd/track/script_schedule.h"

namespace vipd::daemon {

// Scripts whose command cannot be built are left out, as keepalived
// disables them: the instances then do not track them at all. vipd_checks
// run no command: ScriptChecks probes them without the resolver.
void Daemon::prepareScripts() {
  scripts_ =
      std::make_unique<ScriptChecks>(track::scriptSchedule(config_), loop_, *runner_, *prober_,
                                     scriptResolver(config_.global), logger("vrrp"));
  reportRefusedScripts();
}

// keepalived checks scripts at load and reload only [GH#2438]; so does vipd.
ScriptChecks::Resolver Daemon::scriptResolver(const config::GlobalDefs& global) {
  resolver_ = std::make_unique<notify::ScriptResolver>(notify::ScriptPolicy::fromGlobals(global),
                                                       files_, accounts_);
  // A refused script has no check, so every reload resolves it again: the
  // list is rebuilt with each resolver.
  scriptRefusals_.clear();
  return [this](const config::VrrpScript& script) {
    const std::string name = "vrrp_script " + script.name;
    auto resolution = resolver_->resolve(name, script.argv, script.user);
    if (!resolution.command) {
      scriptRefusals_.push_back({name, resolution.refusal, resolution.refusalKind});
    }
    return std::move(resolution.command);
  };
}

namespace {

// The instances that track vrrp_script `name`, directly or through their
// sync group.
std::vector<std::string> trackersOf(const config::Config& config, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& in : config.instances) {
    for (const auto& t : track::resolveTrackers(config, in)) {
      if (t.kind == track::TrackerKind::Script && t.name == name) {
        out.push_back(in.name);
        break;
      }
    }
  }
  return out;
}

std::string joinedNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

// keepalived drops a refused track script from its instances with one line
// that does not say what that changes [GH#901, GH#2184]; a weight-0 script
// then never faults the instance. Said at error, with the instances.
void Daemon::reportRefusedScripts() const {
  for (const auto& refused : refusedScripts()) {
    if (refused.trackedBy.empty()) continue;
    log_->error("{} will not run: {}; {} track(s) it and run(s) without it (see vipctl status)",
                refused.script.script, refused.script.reason, joinedNames(refused.trackedBy));
  }
}

std::vector<RefusedScriptReport> Daemon::refusedScripts() const {
  std::vector<RefusedScriptReport> out;
  const std::string prefix = "vrrp_script ";
  for (const auto& refused : scriptRefusals_) {
    out.push_back({refused, trackersOf(config_, refused.script.substr(prefix.size()))});
  }
  for (const auto& instance : instances_) {
    auto it = notifiers_.find(instance->settings().name);
    if (it == notifiers_.end()) continue;
    for (const auto& refused : it->second->refusals()) out.push_back({refused, {}});
  }
  for (const auto& refused : syncGroups_.refusals()) out.push_back({refused, {}});
  for (const auto& fifo : fifos_) {
    if (auto refused = fifo->refusedReader()) out.push_back({*refused, {}});
  }
  return out;
}

// Trackers can change without their instance changing (a vrrp_script's
// weight, a sync group's track_script): re-derive them for every instance.
void Daemon::refreshTracking() {
  for (auto& instance : instances_) {
    for (const auto& in : config_.instances) {
      if (in.name != instance->settings().name) continue;
      auto tracking = trackingFor(config_, in);
      if (tracking.trackers() != instance->tracking().trackers()) {
        log_->info("({}) reload: trackers changed", in.name);
        instance->setTracking(std::move(tracking));
      }
    }
  }
}

// Every interface an instance depends on: its own and its track_interface
// entries (and its sync group's), with the state at start-up.
void Daemon::watchLinks() {
  links_ = std::make_unique<LinkWatch>(
      config_.global.interfaceDelays, loop_,
      [this](const std::string& interface, bool up) { onLinkChange(interface, up); });
  watchLinksOf(config_);
}

void Daemon::watchFiles(const config::Config& config, bool atStart) {
  if (trackFiles_) loop_.removeReader(trackFiles_->fd());
  trackFiles_.reset();
  if (config.trackFiles.empty()) return;
  trackFiles_ = std::make_unique<FileWatch>(
      config.trackFiles, atStart, [this](const std::string& file, std::int32_t value) {
        for (auto& instance : instances_) instance->onFileValue(file, value);
      });
  loop_.addReader(trackFiles_->fd(), [this] { trackFiles_->onReadable(); });
}

// keepalived drops its vrrp_track_process blocks when the kernel has no
// process events; vipd keeps the trackers on the scan it made at start
// (and at each reload), and says so.
void Daemon::watchProcesses(const config::Config& config) {
  processes_.reset();
  if (config.trackProcesses.empty()) {
    closeProcessConnector();
    return;
  }
  if (!procConnector_) {
    try {
      procConnector_ = std::make_unique<net::ProcConnector>();
      loop_.addReader(procConnector_->fd(), [this] {
        const auto events = procConnector_->readEvents();
        if (processes_) processes_->onEvents(events);
      });
    } catch (const std::system_error& e) {
      log_->error("track_process: no process events ({}); quorums follow /proc as read at start "
                  "and reload only",
                  e.what());
    }
  }
  processes_ = std::make_unique<ProcessWatch>(
      config.trackProcesses, loop_, procFs_,
      [this](const std::string& tracker, bool quorum) {
        for (auto& instance : instances_) instance->onProcessQuorum(tracker, quorum);
      },
      logger("vrrp"));
  // A rebuild (reload) drops pending delays and counts afresh: running
  // instances learn the quorums now; new ones get them with their tracking.
  for (auto& instance : instances_) {
    for (const auto& t : instance->tracking().trackers()) {
      if (t.kind == track::TrackerKind::Process) {
        instance->onProcessQuorum(t.name, processes_->hasQuorum(t.name));
      }
    }
  }
}

void Daemon::closeProcessConnector() {
  if (!procConnector_) return;
  loop_.removeReader(procConnector_->fd());
  procConnector_.reset();
}

void Daemon::watchLinksOf(const config::Config& config) {
  for (const auto& in : config.instances) {
    if (in.interface) watchLink(*in.interface);
    for (const auto& t : track::resolveTrackers(config, in)) {
      if (t.kind == track::TrackerKind::Interface) watchLink(t.name);
    }
  }
}

void Daemon::watchLink(const std::string& name) {
  if (links_->watches(name)) return;
  auto link = addresses_.linkByName(name);
  if (link) {
    links_->setInitial(link.value().ifindex, name, link.value().usable());
  } else {
    links_->setInitial(0, name, false);
  }
}

void Daemon::onLinkChange(const std::string& interface, bool up) {
  log_->info("interface {} is {}", interface, up ? "up" : "down");
  for (auto& instance : instances_) {
    if (instance->settings().interface.baseName == interface) instance->onLinkState(up);
    instance->onInterfaceChanged(interface, up);
  }
}

track::InstanceTracking Daemon::trackingFor(const config::Config& config,
                                            const config::VrrpInstance& in) const {
  const auto runnable = scripts_->names();
  auto trackers = track::resolveTrackers(config, in);
  std::erase_if(trackers, [&](const track::ResolvedTracker& t) {
    return t.kind == track::TrackerKind::Script &&
           std::find(runnable.begin(), runnable.end(), t.name) == runnable.end();
  });
  track::InstanceTracking tracking(in.priority, std::move(trackers));
  for (const auto& t : tracking.trackers()) {
    if (t.kind == track::TrackerKind::Interface) {
      tracking.interfaceChanged(t.name, links_->effectiveUp(t.name));
    } else if (t.kind == track::TrackerKind::File && trackFiles_) {
      tracking.fileValue(t.name, trackFiles_->value(t.name));
    } else if (t.kind == track::TrackerKind::Process && processes_) {
      tracking.processChanged(t.name, processes_->hasQuorum(t.name));
    }
  }
  for (const auto& name : runnable) {
    const auto status = scripts_->status(name);
    if (status && *status != track::ScriptStatus::Init) {
      tracking.scriptChanged(name, *status == track::ScriptStatus::Good);
    }
  }
  return tracking;
}

}  // namespace vipd::daemon
