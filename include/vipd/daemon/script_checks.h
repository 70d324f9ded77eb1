#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "vipd/daemon/scheduler.h"
#include "vipd/exec/process_runner.h"
#include "vipd/track/script_result.h"
#include "vipd/track/script_schedule.h"

namespace vipd::daemon {

/// Counters of one vrrp_script, for logs now and `vipctl stats` later.
struct ScriptStats {
  std::uint64_t runs = 0;
  std::uint64_t failures = 0;  ///< non-zero exit, signal, or spawn failure
  std::uint64_t timeouts = 0;
  /// Intervals skipped because the previous run was still going (the
  /// checks never pile up, reference §5 item "checks never pile up").
  std::uint64_t late = 0;
  std::optional<std::chrono::steady_clock::duration> lastRuntime;
};

/// Runs the tracked vrrp_scripts: each once at start and then every
/// `interval` however many instances track it, never two runs of one script
/// at once, each run killed at `timeout` (a failure). Results go through
/// keepalived's rise/fall counter; only status changes are reported.
///
/// NOTE: single-threaded, on the loop. The scheduler and runner must outlive it.
class ScriptChecks {
 public:
  /// A script whose command cannot be built (not found, insecure…) is
  /// reported by the resolver, which returns nullopt; it never runs.
  using Resolver = std::function<std::optional<exec::Command>(const config::VrrpScript&)>;
  /// Called when a script's status turns GOOD (true) or BAD (false).
  using OnChange = std::function<void(const std::string& script, bool good)>;

  ScriptChecks(const std::vector<track::ScheduledScript>& schedule, Scheduler& scheduler,
               exec::ProcessRunner& runner, const Resolver& resolve,
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

  /// Names of the scripts that will run (resolved ones).
  std::vector<std::string> names() const;
  std::optional<track::ScriptStatus> status(const std::string& script) const;
  const ScriptStats* stats(const std::string& script) const;

 private:
  struct Check {
    config::VrrpScript config;
    exec::Command command;
    track::ScriptResult result;
    std::optional<exec::ProcessRunner::RunId> running;
    std::optional<Scheduler::TimerId> timer;
    ScriptStats stats;
  };

  std::unique_ptr<Check> makeCheck(const config::VrrpScript& script, const Resolver& resolve);
  void cancel(Check& check);
  void runNow(Check& check);
  void schedule(Check& check, Scheduler::Clock::time_point at);
  void onDone(Check& check, const exec::Outcome& outcome);
  const Check* find(const std::string& script) const;

  Scheduler& scheduler_;
  exec::ProcessRunner& runner_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::unique_ptr<Check>> checks_;
  OnChange onChange_;
};

}  // namespace vipd::daemon
