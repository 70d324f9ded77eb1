#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vipd/daemon/daemon_counters.h"
#include "vipd/daemon/instance.h"
#include "vipd/daemon/pending_instances.h"
#include "vipd/daemon/scheduler.h"

namespace vipd::daemon {

/// The running instances in Prometheus' text exposition format (0.0.4).
/// Every series is labelled vrrp_instance, interface, vrid and family
/// ("instance" itself is the label Prometheus gives the scrape target, so it
/// is not used). States are a state set: vipd_instance_state{state=…} is 1
/// for the current state and 0 for the others. The drops no instance owns
/// (UnattributedDrops) are vipd_unattributed_drops_total{reason=…}, with no
/// instance labels; lost log lines are vipd_log_lines_overwritten_total.
/// The health checks are vipd_script_*{script,kind} (runs, failures,
/// timeouts, late, last runtime, GOOD), the notify scripts
/// vipd_notify_*_total{type,name} (runs, failures, timeouts), and each
/// script that does not run vipd_script_refused{script,kind} 1.
/// Instances waiting for their interface or address (`pending`) have no
/// state and no counters yet: vipd_instance_pending is 1 for them, with what
/// they wait for in waiting_for, and 0 (waiting_for="") for running ones.
std::string prometheusText(const std::vector<std::unique_ptr<Instance>>& instances,
                           const DaemonCounters& daemon = {},
                           const std::vector<PendingView>& pending = {});

/// Writes the metrics for node_exporter's textfile collector every
/// `interval`: to PATH.tmp in the same directory, then renamed over PATH, so
/// the collector never reads half a file. Removed on destruction (a clean
/// stop), so a stopped vipd shows as absent series rather than frozen ones.
///
/// NOTE: lives on the loop's thread; the scheduler must outlive it.
class MetricsFile {
 public:
  MetricsFile(Scheduler& scheduler, std::string path, std::chrono::milliseconds interval,
              std::function<std::string()> render, std::shared_ptr<spdlog::logger> log);
  ~MetricsFile();
  MetricsFile(const MetricsFile&) = delete;
  MetricsFile& operator=(const MetricsFile&) = delete;

  /// Writes now (and on every tick). False, logged once per failure run, if
  /// the file cannot be written.
  bool write();

 private:
  void schedule();

  Scheduler& scheduler_;
  std::string path_;
  std::chrono::milliseconds interval_;
  std::function<std::string()> render_;
  std::shared_ptr<spdlog::logger> log_;
  Scheduler::TimerId timer_{};
  bool failing_ = false;
};

}  // namespace vipd::daemon
