// The Daemon's SIGHUP reload: plan, resolve, then apply per instance.
#include <algorithm>

#include "vipd/daemon/daemon.h"
#include "vipd/daemon/logging.h"
#include "vipd/daemon/reload_plan.h"
#include "vipd/track/script_schedule.h"

namespace vipd::daemon {

std::optional<std::vector<Daemon::Prepared>> Daemon::prepareReload(
    const std::vector<PlannedChange>& plan, const config::Config& next) {
  std::vector<Prepared> prepared;
  try {
    for (const auto& change : plan) {
      if (change.change == InstanceChange::Unchanged || change.change == InstanceChange::Removed) {
        continue;
      }
      for (const auto& in : next.instances) {
        if (in.name != change.nextName()) continue;
        // Its interface or address is missing: it will wait, as at start.
        if (auto wait = hostWait(in, addresses_)) {
          prepared.push_back({&in, {}, {}, std::move(wait)});
        } else {
          prepared.push_back(prepare(in, next.global));
        }
        if (change.change != InstanceChange::Added) prepared.back().runningName = change.instance;
      }
    }
  } catch (const std::exception& e) {
    log_->error("reload failed, keeping the running configuration: {}", e.what());
    return std::nullopt;
  }
  return prepared;
}

bool Daemon::reload(config::Config next) {
  const auto plan = planReload(config_, next);
  // Phase 1, nothing changed yet: resolve what the host must answer.
  auto prepared = prepareReload(plan, next);
  if (!prepared) {
    pruneVmacs();  // those an added instance acquired before the failure
    return false;
  }
  watchLinksOf(next);
  if (next.trackFiles != config_.trackFiles) watchFiles(next, false);
  // NOTE the FIFOs and their readers are set up once: every notifier holds
  // their writers. Say so rather than silently keep the old ones.
  if (next.global.notifyFifo != config_.global.notifyFifo ||
      next.global.vrrpNotifyFifo != config_.global.vrrpNotifyFifo) {
    log_->warn(
        "reload: notify_fifo/vrrp_notify_fifo changes take effect at the next restart; "
        "the running FIFOs and readers are kept");
  }
  if (next.global.netlinkMonitorRcvBufs != config_.global.netlinkMonitorRcvBufs ||
      next.global.netlinkMonitorRcvBufsForce != config_.global.netlinkMonitorRcvBufsForce) {
    log_->warn("reload: vrrp_netlink_monitor_rcv_bufs changes take effect at the next restart");
  }
  // keepalived re-reads /proc at every reload [SRC core/track_process.c:
  // reload_track_processes]; so does vipd, with the new definitions.
  if (!next.trackProcesses.empty() || processes_) watchProcesses(next);
  // Dissolved before any member is stopped or replaced; rebuilt below.
  const bool regroup = SyncGroups::needRebuild(config_, next, plan);
  if (regroup) syncGroups_.release();
  scripts_->reload(track::scriptSchedule(next), scriptResolver(next.global));
  // Phase 2: stop what goes away first, so a VIP moving between instances is
  // released before it is claimed again.
  std::size_t counts[5] = {};
  for (const auto& change : plan) {
    ++counts[static_cast<std::size_t>(change.change)];
    if (change.change == InstanceChange::Unchanged) continue;
    log_->info("({}) reload: {}{}{}{}", change.instance, toString(change.change),
               change.detail.empty() ? "" : ": ", change.detail,
               change.renamedTo.empty() ? "" : " (now " + change.renamedTo + ")");
    if (change.change == InstanceChange::Removed || change.change == InstanceChange::Restarted) {
      destroy(change.instance);
      pending_.forget(change.instance);
    }
  }
  std::vector<Instance*> fresh;
  std::vector<std::string> failed;
  for (auto& p : *prepared) {
    const std::string name = p.config->name;
    if (!p.runningName.empty() && pending_.contains(p.runningName)) pending_.forget(p.runningName);
    if (p.wait) {
      // What ran goes; the new settings wait for the host. Should the host
      // have caught up meanwhile, retryPending() below starts it.
      if (!p.runningName.empty()) destroy(p.runningName);
      // A host query that fails here must not escape half-way through the reload (instances
      // already destroyed): the instance waits, and retryPending() asks again.
      bool ready = false;
      try {
        ready = pending_.ready(*p.config, loop_.now());
      } catch (const std::exception& e) {
        log_->warn("({}) pending: cannot check the host: {}", name, e.what());
        ready = true;
      }
      if (ready) pending_.hold(name, *p.wait, loop_.now());
      continue;
    }
    Instance* running = p.runningName.empty() ? nullptr : find(p.runningName);
    if (running != nullptr && running->canReconfigure(p.settings)) {
      running->reconfigure(std::move(p.settings), trackingFor(next, *p.config));
      if (!p.runningName.empty() && p.runningName != name) retireNotifier(p.runningName);
      attachNotifier(*running, *p.config, next);
      continue;
    }
    // The host changed under an updated instance (e.g. its advert source
    // address): only a restart can apply it.
    if (running != nullptr) destroy(p.runningName);
    try {
      fresh.push_back(&create(std::move(p)));
    } catch (const std::exception& e) {
      log_->error("reload: {}", e.what());
      failed.push_back(name);
    }
  }
  // Added or kept whatever the instances do; those no longer listed go
  // [SRC vrrp_daemon.c: clear_diff_saddresses, then start_vrrp adds the list].
  statics_.apply(next.global.staticAddresses);
  if (next.staticRoutes != config_.staticRoutes || next.staticRules != config_.staticRules) {
    log_->info("reload: static_routes / static_rules changed");
  }
  // Old lines out, new ones in; unchanged lines stay installed.
  staticRoutes_.apply(next.staticRoutes, next.staticRules);
  config_ = std::move(next);
  pruneVmacs();
  // Not running, so not "running config": the next reload tries it again.
  std::erase_if(config_.instances, [&](const auto& in) {
    return std::find(failed.begin(), failed.end(), in.name) != failed.end();
  });
  if (regroup) syncGroups_.build(config_, instances_, *resolver_, fifoWriters());
  refreshReceivePolicies();
  refreshTracking();
  reportRefusedScripts();
  for (auto* instance : fresh) startInstance(*instance);
  refreshNotifySettings();
  retryPending();
  log_->info("reload done: {} unchanged, {} updated, {} restarted, {} removed, {} added", counts[0],
             counts[1], counts[2], counts[3], counts[4]);
  releaseFreedMemory();
  return true;
}

}  // namespace vipd::daemon
