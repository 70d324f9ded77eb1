#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vipd/core/types.h"
#include "vipd/daemon/scheduler.h"

namespace vipd::daemon {

/// "2 instances: 1 MASTER, 1 BACKUP": systemd's STATUS= line (shown by
/// `systemctl status`), states counted in MASTER, BACKUP, FAULT, INIT order,
/// zero counts left out.
std::string statusLine(const std::vector<core::State>& states);

/// What systemd hears from a Type=notify service: READY=1 once every
/// instance has entered its first state, RELOADING=1 then READY=1 around a
/// reload, STOPPING=1, a STATUS= line kept current, and WATCHDOG=1 from the
/// loop at half the watchdog interval, so that a stuck loop is restarted.
///
/// NOTE: single-threaded, on the loop. The messages go through `send`
/// (sd_notify in the daemon, a recorder in tests); without NOTIFY_SOCKET
/// sd_notify does nothing, so this costs nothing outside systemd.
class ServiceManager {
 public:
  using Send = std::function<void(const std::string& message)>;
  using States = std::function<std::vector<core::State>()>;

  /// `watchdog`: systemd's WatchdogSec (sd_watchdog_enabled), if set.
  ServiceManager(Scheduler& scheduler, Send send, States states,
                 std::optional<std::chrono::microseconds> watchdog);
  ~ServiceManager();
  ServiceManager(const ServiceManager&) = delete;
  ServiceManager& operator=(const ServiceManager&) = delete;

  void ready();
  void reloading();
  void stopping();

  /// How often the status is refreshed without a watchdog.
  static constexpr std::chrono::seconds kStatusRefresh{1};

 private:
  void tick();
  void arm();
  void sendStatusIfChanged();

  Scheduler& scheduler_;
  Send send_;
  States states_;
  std::optional<std::chrono::microseconds> watchdog_;
  std::optional<Scheduler::TimerId> timer_;
  std::string lastStatus_;
  bool stopping_ = false;
};

/// The real thing: sd_notify(), and systemd's watchdog interval if enabled.
ServiceManager::Send systemdNotify();
std::optional<std::chrono::microseconds> systemdWatchdog();

}  // namespace vipd::daemon
