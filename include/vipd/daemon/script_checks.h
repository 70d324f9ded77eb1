#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "vipd/daemon/daemon_counters.h"
#include "vipd/daemon/prober.h"
#include "vipd/daemon/scheduler.h"
#include "vipd/exec/process_runner.h"
#include "vipd/track/script_result.h"
#include "vipd/track/script_schedule.h"
#include "vipd/util/log_throttle.h"

namespace vipd::daemon {

/// Runs the tracked vrrp_scripts and vipd_checks: each once at start and then
/// every `interval` however many instances track it, never two runs of one
/// at once, each run ended at `timeout` (a failure). A vrrp_script runs its
/// command through the ProcessRunner; a vipd_check probes through the Prober,
/// repeating a failed attempt `retry` times after `delay_before_retry` within
/// the run (keepalived's checker retries), so a run fails only when all of
/// them did. Results go through keepalived's rise/fall counter; only status
/// changes are reported. A run still going at the next interval is not
/// doubled (keepalived 2.2.7 forks another [GH#2289]): the interval counts
/// as late, with a warning at most once per kLateLogInterval per script.
///
/// NOTE: single-threaded, on the loop. The scheduler, runner and prober must
/// outlive it.
class ScriptChecks {
 public:
  /// A script whose command cannot be built (not found, insecure…) is
  /// reported by the resolver, which returns nullopt; it never runs. Never
  /// called for a vipd_check, which runs no command.
  using Resolver = std::function<std::optional<exec::Command>(const config::VrrpScript&)>;
  /// Called when a script's status turns GOOD (true) or BAD (false).
  using OnChange = std::function<void(const std::string& script, bool good)>;

  ScriptChecks(const std::vector<track::ScheduledScript>& schedule, Scheduler& scheduler,
               exec::ProcessRunner& runner, Prober& prober, const Resolver& resolve,
               std::shared_ptr<spdlog::logger> log);
  ~ScriptChecks();
  ScriptChecks(const ScriptChecks&) = delete;
  ScriptChecks& operator=(const ScriptChecks&) = delete;

  /// Runs every script now and then at its interval.
  void start(OnChange onChange);
  /// Cancels timers and running scripts; no OnChange after this.
  void stop();
  /// A config reload: scripts whose definition is unchanged keep running
  /// with their status and counters; removed ones stop; new or changed ones
  /// start now from INIT. Call after start().
  void reload(const std::vector<track::ScheduledScript>& schedule, const Resolver& resolve);

  /// Names of the scripts that will run (resolved ones and every vipd_check).
  std::vector<std::string> names() const;
  std::optional<track::ScriptStatus> status(const std::string& script) const;
  const ScriptStats* stats(const std::string& script) const;
  /// Every script that runs, in schedule order, for `vipctl stats`.
  std::vector<ScriptReport> reports() const;
  /// Zeroes the counters (vipctl clear-stats); statuses are kept.
  void clearStats();

  /// The least time between two "still running" warnings of one script.
  static constexpr std::chrono::seconds kLateLogInterval{60};

 private:
  /// A vipd_check's run in progress: its attempts and deadline.
  struct ProbeRun {
    Scheduler::Clock::time_point started;
    Scheduler::Clock::time_point deadline;
    std::uint32_t attempts = 0;
    std::optional<Prober::ProbeId> probe;
    std::optional<Scheduler::TimerId> retryTimer;
    std::optional<Scheduler::TimerId> deadlineTimer;
    /// What the last failed attempt reported.
    std::string lastFailure;
  };

  struct Check {
    Check(config::VrrpScript script, exec::Command cmd)
        : config(std::move(script)),
          command(std::move(cmd)),
          result(config.rise, config.fall, config.initFail) {}

    config::VrrpScript config;
    /// vrrp_script only.
    exec::Command command;
    track::ScriptResult result;
    std::optional<exec::ProcessRunner::RunId> running;
    /// vipd_check only.
    std::optional<ProbeRun> probing;
    std::optional<Scheduler::TimerId> timer;
    ScriptStats stats;
    util::LogThrottle lateLog{1, kLateLogInterval};

    bool busy() const { return running.has_value() || probing.has_value(); }
    /// "vrrp_script" or "vipd_check", for log lines.
    const char* kind() const { return config.native ? "vipd_check" : "vrrp_script"; }
  };

  std::unique_ptr<Check> makeCheck(const config::VrrpScript& script, const Resolver& resolve);
  void cancel(Check& check);
  void runNow(Check& check);
  void onLate(Check& check);
  void schedule(Check& check, Scheduler::Clock::time_point at);
  void onDone(Check& check, const exec::Outcome& outcome);
  void startProbing(Check& check);
  void attempt(Check& check);
  void onAttempt(Check& check, const ProbeOutcome& outcome);
  void onProbeDeadline(Check& check);
  void endProbing(Check& check, track::ScriptOutcome result, const std::string& description);
  void cancelProbing(Check& check);
  /// Counts the run's result and reports a status change.
  void record(Check& check, track::ScriptOutcome result, const std::string& description,
              std::chrono::steady_clock::duration runtime);
  const Check* find(const std::string& script) const;

  Scheduler& scheduler_;
  exec::ProcessRunner& runner_;
  Prober& prober_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::unique_ptr<Check>> checks_;
  OnChange onChange_;
};

}  // namespace vipd::daemon
