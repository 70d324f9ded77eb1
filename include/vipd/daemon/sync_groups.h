#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/core/sync_group.h"
#include "vipd/daemon/daemon_counters.h"
#include "vipd/daemon/instance.h"
#include "vipd/daemon/reload_plan.h"
#include "vipd/daemon/scheduler.h"
#include "vipd/exec/process_runner.h"
#include "vipd/notify/fifo_writer.h"
#include "vipd/notify/notifier.h"
#include "vipd/notify/script_resolver.h"

namespace vipd::daemon {

/// keepalived's `vrrp_sync_group`s in the running daemon (reference §1.7):
/// one core::SyncGroup per configured group over its member Instances'
/// Routers. A member's events go through its group (Instance::setEventSink),
/// which decides for every member; each member then performs its actions,
/// and a group transition runs the group's notifies: `GROUP NAME STATE 0`,
/// STOP once every member stopped (reference §2.1, §2.3).
///
/// NOTE: lives on the event-loop thread. References the Instances it groups,
/// which must outlive their grouping (release() or build() ends it); owns
/// the group notifiers and keeps them until their scripts have run.
class SyncGroups {
 public:
  struct Deps {
    Scheduler& scheduler;
    exec::ProcessRunner& runner;
  };

  SyncGroups(Deps deps, std::shared_ptr<spdlog::logger> log);
  /// Disconnects the members (no actions, no notifies: the daemon is going).
  ~SyncGroups();
  SyncGroups(const SyncGroups&) = delete;
  SyncGroups& operator=(const SyncGroups&) = delete;

  /// Groups `config`'s vrrp_sync_groups over `instances`, matched by name,
  /// after release() of any previous grouping. A member with no running
  /// instance (it failed to start) is left out, logged. The groups' scripts
  /// are resolved by `resolver` now; FIFO lines go to `fifos`.
  ///
  /// Limitation: a group built over running instances (a reload) starts in
  /// the state its members are in now, without a notify, and does not move
  /// them together until their next event; only the fault rule is applied
  /// at once (a member with a fault puts the others in FAULT).
  void build(const config::Config& config, const std::vector<std::unique_ptr<Instance>>& instances,
             notify::ScriptResolver& resolver, std::vector<notify::FifoWriter*> fifos);
  /// Dissolves every group: members handle their own events again, are no
  /// longer held back from MASTER and leave a group FAULT. The groups send
  /// no notify; scripts they queued still run.
  void release();

  /// Whether a reload from `running` to `next` (per `plan`) must rebuild the
  /// groups: their members or notify scripts changed, or a member instance
  /// is not left unchanged (a restarted one is a new Router).
  static bool needRebuild(const config::Config& running, const config::Config& next,
                          const std::vector<PlannedChange>& plan);

  /// Every group notify script queued so far has run.
  bool idle() const;
  /// Stops waiting for group notify scripts (shutdown timeout).
  void cancelAll();

  /// notify_timeout of every group's scripts: its own, else the global one
  /// (after a reload that changed only vrrp_notify_timeout).
  void setNotifyTimeouts(const config::Config& config);
  /// Each group's notify counters, in configuration order; they go on
  /// across a rebuild of the same-named group.
  std::vector<NotifyReport> notifyReports() const;
  void clearStats();
  /// The groups' notify scripts that were refused.
  std::vector<notify::RefusedScript> refusals() const;
  /// Every notify queue, retired ones included (shutdown bounds).
  void forEachQueue(const std::function<void(const notify::NotifyQueue&)>& visit) const;

  std::size_t size() const { return groups_.size(); }
  const core::SyncGroup& group(std::size_t index) const { return groups_[index]->core; }

 private:
  struct Group {
    core::SyncGroup core;
    std::vector<Instance*> members;
    std::unique_ptr<notify::Notifier> notifier;
  };

  void add(const config::SyncGroup& in, const std::vector<std::unique_ptr<Instance>>& instances,
           notify::ScriptResolver& resolver, const std::vector<notify::FifoWriter*>& fifos,
           std::chrono::seconds notifyTimeout);
  void onEvent(Group& group, std::size_t member, const core::Event& event);
  void apply(Group& group, const core::SyncOutput& out, core::State before);
  void notifyGroup(Group& group, const core::GroupTransition& transition);
  void retire(std::unique_ptr<notify::Notifier> notifier);

  Deps deps_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::unique_ptr<Group>> groups_;
  /// Notifiers of dissolved groups whose scripts have not all run yet.
  std::vector<std::unique_ptr<notify::Notifier>> retired_;
  /// The counters of the groups release() dissolved, by name, for build().
  std::map<std::string, notify::NotifyStats> releasedStats_;
};

}  // namespace vipd::daemon
