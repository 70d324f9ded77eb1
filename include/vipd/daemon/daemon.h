#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/daemon/daemon_counters.h"
#include "vipd/daemon/event_loop.h"
#include "vipd/daemon/file_watch.h"
#include "vipd/daemon/install_ledger.h"
#include "vipd/daemon/instance.h"
#include "vipd/daemon/link_watch.h"
#include "vipd/daemon/loop_prober.h"
#include "vipd/daemon/pending_instances.h"
#include "vipd/daemon/process_watch.h"
#include "vipd/daemon/recording_managers.h"
#include "vipd/daemon/reload_plan.h"
#include "vipd/daemon/script_checks.h"
#include "vipd/daemon/static_addresses.h"
#include "vipd/daemon/static_routes.h"
#include "vipd/daemon/sync_groups.h"
#include "vipd/daemon/unattributed_drops.h"
#include "vipd/exec/loop_process_runner.h"
#include "vipd/exec/reactor.h"
#include "vipd/exec/script_security.h"
#include "vipd/net/address_manager_netlink.h"
#include "vipd/net/netlink_monitor.h"
#include "vipd/net/proc_connector.h"
#include "vipd/net/route_manager.h"
#include "vipd/net/vmac.h"
#include "vipd/notify/fifo_channel.h"
#include "vipd/notify/notifier.h"
#include "vipd/notify/script_resolver.h"
#include "vipd/proto/decode.h"

namespace vipd::daemon {

/// The running daemon: turns a validated configuration into instances,
/// their sockets and the netlink monitor, and wires them to the loop.
///
/// NOTE: single-threaded, on the loop's thread. Owns every socket and
/// instance it creates; the loop must outlive it.
class Daemon {
 public:
  /// `stateFile`: where what the daemon installs is recorded (InstallLedger);
  /// empty: nowhere.
  Daemon(config::Config config, EventLoop& loop, std::string stateFile = {});
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  /// Removes what the state file says a previous run left behind (but the
  /// VMACs and static entries this configuration keeps), resolves
  /// interfaces, opens sockets, cleans up stale VIPs, adds the static
  /// addresses, installs static_routes / static_rules and starts every
  /// instance. Throws std::runtime_error naming the instance on any setup
  /// failure (nothing has been started then).
  void start();
  /// Graceful stop, keepalived's order (reference §2.3): health checks are
  /// cancelled, masters send priority 0 and remove their VIPs (and routes),
  /// static_rules / static_routes and the static addresses are removed, STOP
  /// notifies run; `done` is called from the loop once every notify script
  /// has run (then the FIFO readers are stopped), or after kStopDrainLimit at
  /// the latest.
  void stop(std::function<void()> done);
  /// Applies a validated, reloaded configuration (SIGHUP) per planReload():
  /// unchanged instances are not touched; updated ones change in place;
  /// removed ones stop gracefully; restarted and added ones start in INIT.
  /// Everything the host must answer (interfaces, addresses) is resolved
  /// before anything changes: if that fails, nothing changes and false is
  /// returned, with the reason logged.
  bool reload(config::Config next);

  const std::vector<std::unique_ptr<Instance>>& instances() const { return instances_; }
  /// The instances of the configuration that wait for their interface or
  /// address (PendingInstances): not running, not FAULT.
  std::vector<PendingView> pendingInstances() const;
  /// Operator drain (`vipctl maintenance`): `name` with the members of its
  /// sync group, or every instance when empty. Drained masters hand over
  /// with priority 0; drained instances stay BACKUP, across reloads, until
  /// released. Returns the instances that changed (those already in that
  /// mode are left alone). Throws std::invalid_argument for an unknown name.
  std::vector<std::string> setMaintenance(bool on, const std::optional<std::string>& name);
  /// Zeroes every instance's counters and the unattributed drops (keepalived's STATS_CLEAR).
  void clearStats();
  /// Received packets no single instance owns (see UnattributedDrops).
  const UnattributedDrops& unattributedDrops() const { return unattributed_; }
  /// The daemon-wide counters (since start or the last clearStats()): also
  /// the scripts' and notifies' runs and the refused scripts.
  DaemonCounters counters() const;
  /// Configured scripts that do not run (refused at start or the last
  /// reload), and why: vrrp_scripts, notify scripts, FIFO readers.
  std::vector<RefusedScriptReport> refusedScripts() const;
  exec::ProcessRunner& runner() { return *runner_; }

  /// How long stop() waits for scripts (notify_stop included) to finish, at
  /// least: longer when the queued notifies may take longer (notify_timeout).
  static constexpr std::chrono::seconds kStopDrainLimit{15};
  /// How long a FIFO reader has to end after EOF, then after SIGTERM.
  static constexpr std::chrono::milliseconds kReaderEofGrace{500};
  static constexpr std::chrono::milliseconds kReaderTermGrace{500};

 private:
  /// Instances sharing one socket: same interface, family, mode and source.
  struct SocketGroup {
    std::string key;
    std::unique_ptr<net::VrrpSocket> socket;
    std::vector<Instance*> members;
    proto::ReceivePolicy policy;
    std::string interface;
    util::Family family = util::Family::V4;
  };

  /// An instance ready to be created: its config and resolved settings.
  struct Prepared {
    const config::VrrpInstance* config;
    InstanceSettings settings;
    /// On reload: the running (or pending) instance it replaces or updates, if any.
    std::string runningName;
    /// On reload: what the host lacks for it; then settings are empty and it
    /// becomes pending.
    std::optional<HostWait> wait{};
  };

  ResolvedInterface resolveInterface(const config::VrrpInstance& instance);
  /// use_vmac: acquires the VMAC and moves `base` onto it.
  ResolvedInterface onVmac(const config::VrrpInstance& instance, ResolvedInterface base);
  /// Deletes the VMACs no instance of config_ names (after a reload).
  void pruneVmacs();
  /// start(): removes what the state file records, except what config_
  /// installs again at once (keptAtStart()); the ledger starts with what
  /// could not be removed.
  void cleanUpPreviousRun();
  Prepared prepare(const config::VrrpInstance& instance, const config::GlobalDefs& global);
  /// prepare() for every instance a reload creates or updates; nullopt
  /// (logged) if any cannot be resolved.
  std::optional<std::vector<Prepared>> prepareReload(const std::vector<PlannedChange>& plan,
                                                     const config::Config& next);
  /// Creates the instance and joins its socket group; does not start it.
  Instance& create(Prepared prepared);
  /// Stops the instance for a reload (it notifies FAULT, or DELETED with
  /// notify_deleted, as keepalived) and removes it with its socket if unused.
  void destroy(const std::string& name);
  Instance* find(const std::string& name);
  void refreshReceivePolicies();
  /// The tracking state of an instance of config_, with the script
  /// statuses known so far.
  track::InstanceTracking trackingFor(const config::Config& config,
                                      const config::VrrpInstance& instance) const;
  ScriptChecks::Resolver scriptResolver(const config::GlobalDefs& global);
  void refreshTracking();
  void startFifos();
  void watchLinks();
  void watchFiles(const config::Config& config, bool atStart);
  /// (Re)builds the process watch for config's vrrp_track_process blocks
  /// (a fresh /proc scan), opening the process connector on first use.
  void watchProcesses(const config::Config& config);
  void closeProcessConnector();
  void watchLinksOf(const config::Config& config);
  void watchLink(const std::string& name);
  void onLinkChange(const std::string& interface, bool up);
  std::vector<notify::FifoWriter*> fifoWriters();
  /// Gives the instance a notifier for `in`'s notify scripts (replacing and
  /// retiring any previous one), with the notify_timeout `in` has in `config`.
  void attachNotifier(Instance& instance, const config::VrrpInstance& in,
                      const config::Config& config);
  void startInstance(Instance& instance);
  /// notify_priority_changes and notify_timeout of every notifier, which
  /// may come from the sync group or global_defs (a reload can change those
  /// alone).
  void refreshNotifySettings();
  /// Logs, at error, each refused vrrp_script with the instances that track
  /// it and now run without it.
  void reportRefusedScripts() const;
  /// The longest the queued notify scripts may still take at shutdown.
  std::chrono::milliseconds notifyDrainBound() const;
  /// Returns free heap pages to the kernel (after start and each reload).
  void releaseFreedMemory();
  void retireNotifier(const std::string& name);
  void dropIdleRetired();
  bool notifiersIdle() const;
  void finishStop(std::function<void()> done);
  void waitForReaders(std::function<void()> done, EventLoop::Clock::time_point deadline,
                      bool terminated);
  void stopFifos(std::function<void()> done);
  void prepareScripts();
  SocketGroup& socketGroupFor(const InstanceSettings& settings, const config::VrrpInstance& in);
  net::AddressAnnouncer& announcerFor(const ResolvedInterface& itf);
  static std::string announcerKey(const ResolvedInterface& itf);
  /// Closes the announcers no instance uses any more.
  void pruneAnnouncers();
  void onPackets(SocketGroup& group);
  /// True when an instance on `interface` of `family` runs `vrid` (in any socket group).
  bool runsVrid(const std::string& interface, util::Family family, std::uint8_t vrid) const;
  void onNetlink();
  /// Logs the errors of checkHost() (a unicast peer that is this host):
  /// the instance still starts.
  void logHostErrors();
  /// Starts the pending instances whose interface and address are there now.
  void retryPending();
  /// Creates and starts `ready` (pending until now); one that fails stays pending.
  void startPending(const std::vector<const config::VrrpInstance*>& ready);
  /// Takes down the instances whose interface was deleted and now exists
  /// again as `link` (a new ifindex: their sockets and addresses name the
  /// old one); they are pending, and retryPending() starts them afresh.
  void retireRecreated(const net::LinkInfo& link);
  /// destroy() without notifying: the instance is replaced at once.
  void discard(const std::string& name);
  bool isSyncMember(const std::string& name) const;
  void resync();
  void onLoopStall(Scheduler::Clock::duration late);
  void waitForScripts(std::function<void()> done, EventLoop::Clock::time_point deadline);

  config::Config config_;
  EventLoop& loop_;
  exec::LoopReactor<EventLoop> reactor_;
  std::unique_ptr<exec::LoopProcessRunner> runner_;
  /// vipd_check probes; declared before scripts_, which uses it.
  std::unique_ptr<LoopProber> prober_;
  exec::SystemFileLookup files_;
  exec::SystemAccountLookup accounts_;
  std::unique_ptr<notify::ScriptResolver> resolver_;
  /// The vrrp_scripts the resolver refused at start or the last reload.
  std::vector<notify::RefusedScript> scriptRefusals_;
  std::unique_ptr<ScriptChecks> scripts_;
  std::unique_ptr<LinkWatch> links_;
  std::unique_ptr<FileWatch> trackFiles_;
  ProcFs procFs_;
  std::unique_ptr<net::ProcConnector> procConnector_;
  std::unique_ptr<ProcessWatch> processes_;
  std::vector<std::unique_ptr<notify::FifoChannel>> fifos_;
  std::map<std::string, std::unique_ptr<notify::Notifier>> notifiers_;
  /// Notifiers of instances that are gone, kept until their scripts have run.
  std::vector<std::unique_ptr<notify::Notifier>> retiredNotifiers_;
  std::shared_ptr<spdlog::logger> log_;
  /// What the daemon installed; declared before every manager that records
  /// in it, so it outlives them (the VMACs are deleted, and forgotten, last).
  StateFile stateFile_;
  InstallLedger ledger_;
  net::NetlinkAddressManager kernelAddresses_;
  /// Every address the daemon adds goes through this one, which records it.
  RecordingAddressManager addresses_{kernelAddresses_, ledger_};
  /// Instances waiting for their interface or address; uses addresses_.
  PendingInstances pending_;
  /// static_ipaddress: after addresses_, which it uses.
  StaticAddresses statics_;
  /// virtual_routes / virtual_rules of every instance, and the static ones.
  net::NetlinkRouteManager kernelRoutes_;
  RecordingRouteManager routes_{kernelRoutes_, ledger_};
  StaticRoutes staticRoutes_;
  // Declared before the instances and sockets: destroyed after them, so the
  // VMACs go last.
  net::NetlinkVmacKernel vmacKernel_;
  LedgerVmacRecorder vmacRecorder_{ledger_};
  net::VmacManager vmacs_{vmacKernel_, &vmacRecorder_};
  std::unique_ptr<net::NetlinkMonitor> monitor_;
  /// Timers dispatched this late mean the process did not run meanwhile.
  static constexpr auto kLoopStallThreshold = std::chrono::milliseconds(500);
  std::uint64_t loopStalls_ = 0;
  std::vector<std::unique_ptr<SocketGroup>> groups_;
  /// By announcerKey(): interface name and index.
  std::vector<std::pair<std::string, std::unique_ptr<net::InterfaceAnnouncer>>> announcers_;
  std::vector<std::unique_ptr<Instance>> instances_;
  /// After instances_: it references them, so it goes first.
  SyncGroups syncGroups_;
  std::vector<net::ReceivedPacket> packets_;
  /// Drained instances by name: kept across reloads, applied to restarts.
  std::set<std::string> maintenance_;
  UnattributedDrops unattributed_;
  /// logLinesOverwritten() at the last clearStats() (spdlog cannot reset it).
  std::uint64_t logLinesOverwrittenBefore_ = 0;
  /// ledger_.saveErrors() at the last clearStats().
  std::uint64_t stateFileErrorsBefore_ = 0;
};

}  // namespace vipd::daemon
