#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/daemon/host_check.h"
#include "vipd/daemon/scheduler.h"
#include "vipd/net/address_manager.h"

namespace vipd::daemon {

/// The instances of the running configuration that wait for the host: their
/// interface or source address does not exist yet (hostWait()). They are
/// not running, so they are not FAULT and notify nothing; each is logged once
/// per thing it waits for, and starts (as BACKUP) when the daemon sees, by
/// netlink, that nothing is missing any more. Other instances run meanwhile.
///
/// Decides only: the daemon creates and starts the instances recheck()
/// reports ready and calls started() or failed() for each.
///
/// NOTE: single-threaded, on the loop. The host (an AddressManager) must
/// outlive it.
class PendingInstances {
 public:
  using Clock = Scheduler::Clock;

  struct Entry {
    std::string name;
    /// What it waits for; nullopt after a failed start (see failure).
    std::optional<HostWait> wait;
    /// Why the last start attempt failed, when the host had everything.
    std::string failure;
    Clock::time_point since{};
    std::chrono::system_clock::time_point wallSince{};
  };

  PendingInstances(net::AddressManager& host, std::shared_ptr<spdlog::logger> log);

  /// Whether `instance` can be started now. If not, it is pending from now on
  /// (or still, waiting for something else: logged again). Throws
  /// std::system_error when the host cannot be asked (hostWait()).
  bool ready(const config::VrrpInstance& instance, Clock::time_point now);
  /// Re-checks the pending instances of `config` after the host changed:
  /// those that can start now, in configuration order. They stay pending
  /// until started() or failed(). A host query that fails is logged and the
  /// instance keeps waiting.
  std::vector<const config::VrrpInstance*> recheck(const config::Config& config,
                                                   Clock::time_point now);
  /// The instance runs now: no longer pending (logged with how long it waited).
  void started(const std::string& name, Clock::time_point now);
  /// Starting it failed although the host had everything (`why`): it is
  /// (or stays) pending and is tried again at the next change; a failure is
  /// logged once until it changes.
  void failed(const std::string& name, const std::string& why, Clock::time_point now);
  /// Makes `name` pending, waiting for `wait`, without a log line (the
  /// caller says why: an instance whose interface was re-created).
  void hold(const std::string& name, HostWait wait, Clock::time_point now);
  /// Drops the entry (a reload removed or replaced the instance).
  void forget(const std::string& name);

  bool contains(const std::string& name) const { return find(name) != nullptr; }
  const Entry* find(const std::string& name) const;
  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  Entry* findMutable(const std::string& name);

  net::AddressManager& host_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<Entry> entries_;
};

/// A pending instance as `vipctl status` and the metrics show it: what the
/// configuration says, and what it waits for.
struct PendingView {
  std::string name;
  std::string interface;
  std::uint8_t vrid = 0;
  util::Family family = util::Family::V4;
  std::uint8_t version = 2;
  std::uint8_t priority = 0;
  config::Centiseconds advertInterval{100};
  /// "192.0.2.100/24", VIPs then eVIPs.
  std::vector<std::string> vips;
  bool maintenance = false;
  /// toString(HostWait), or "a retry after: <why>" after a failed start.
  std::string waitingFor;
  Scheduler::Clock::time_point since{};
};

/// The views of `pending`'s entries, from their configuration in `config`
/// (entries without one are left out); `maintenance` names the drained ones.
std::vector<PendingView> pendingViews(const PendingInstances& pending, const config::Config& config,
                                      const std::set<std::string>& maintenance);

}  // namespace vipd::daemon
