#include "vipd/daemon/script_checks.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace vipd::daemon {

namespace {

track::ScriptOutcome toScriptOutcome(const exec::Outcome& outcome) {
  if (outcome.kind == exec::OutcomeKind::TimedOut) return track::ScriptOutcome::TimedOut;
  return outcome.succeeded() ? track::ScriptOutcome::Success : track::ScriptOutcome::Failure;
}

const char* scriptStatusName(track::ScriptStatus status) {
  switch (status) {
    case track::ScriptStatus::Good:
      return "GOOD";
    case track::ScriptStatus::Bad:
      return "BAD";
    case track::ScriptStatus::Init:
      break;
  }
  return "INIT";
}

double milliseconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

ScriptChecks::ScriptChecks(const std::vector<track::ScheduledScript>& schedule,
                           Scheduler& scheduler, exec::ProcessRunner& runner, Prober& prober,
                           const Resolver& resolve, std::shared_ptr<spdlog::logger> log)
    : scheduler_(scheduler), runner_(runner), prober_(prober), log_(std::move(log)) {
  for (const auto& entry : schedule) {
    if (auto check = makeCheck(entry.script, resolve)) checks_.push_back(std::move(check));
  }
}

std::unique_ptr<ScriptChecks::Check> ScriptChecks::makeCheck(const config::VrrpScript& s,
                                                             const Resolver& resolve) {
  if (s.native) return std::make_unique<Check>(s, exec::Command{});
  auto command = resolve(s);
  if (!command) return nullptr;
  command->timeout = std::chrono::duration_cast<std::chrono::milliseconds>(s.timeout);
  return std::make_unique<Check>(s, std::move(*command));
}

void ScriptChecks::reload(const std::vector<track::ScheduledScript>& schedule,
                          const Resolver& resolve) {
  std::vector<std::unique_ptr<Check>> next;
  for (const auto& entry : schedule) {
    auto same = std::find_if(checks_.begin(), checks_.end(), [&](const auto& c) {
      return c && c->config.name == entry.script.name && c->config.argv == entry.script.argv &&
             c->config.interval == entry.script.interval &&
             c->config.timeout == entry.script.timeout && c->config.rise == entry.script.rise &&
             c->config.fall == entry.script.fall && c->config.user == entry.script.user &&
             c->config.native == entry.script.native;
    });
    if (same != checks_.end()) {
      next.push_back(std::move(*same));
    } else if (auto check = makeCheck(entry.script, resolve)) {
      next.push_back(std::move(check));
      runNow(*next.back());
    }
  }
  for (auto& gone : checks_) {
    if (gone) cancel(*gone);
  }
  checks_ = std::move(next);
}

void ScriptChecks::cancel(Check& check) {
  if (check.timer) scheduler_.cancelTimer(*check.timer);
  if (check.running) runner_.cancel(*check.running);
  check.timer.reset();
  check.running.reset();
  cancelProbing(check);
}

ScriptChecks::~ScriptChecks() { stop(); }

void ScriptChecks::start(OnChange onChange) {
  onChange_ = std::move(onChange);
  for (auto& check : checks_) runNow(*check);
}

void ScriptChecks::stop() {
  for (auto& check : checks_) cancel(*check);
  onChange_ = nullptr;
}

// The next run is due one interval after this one started, as keepalived's
// script thread; a run still going then is not doubled but counted late.
void ScriptChecks::runNow(Check& check) {
  check.timer.reset();
  const auto next = scheduler_.now() + check.config.interval;
  if (check.busy()) {
    schedule(check, next);
    onLate(check);
    return;
  }
  ++check.stats.runs;
  if (check.config.native) {
    // The run's deadline timer goes first: a run whose timeout equals the
    // interval ends before the next one is due, instead of making it late.
    startProbing(check);
    schedule(check, next);
    return;
  }
  schedule(check, next);
  check.running = runner_.run(
      check.command, [this, &check](const exec::Outcome& outcome) { onDone(check, outcome); });
}

// A script that hangs is late at every interval until its timeout: counted
// each time, logged once per kLateLogInterval with how many went unlogged.
void ScriptChecks::onLate(Check& check) {
  ++check.stats.late;
  const auto unlogged = check.lateLog.admit(0, scheduler_.now());
  if (!unlogged) return;
  log_->warn(
      "{} {} still running after its interval ({} s); not started again (late {} time(s) "
      "in all, {} not logged since the last line)",
      check.kind(), check.config.name, check.config.interval.count(), check.stats.late, *unlogged);
}

void ScriptChecks::schedule(Check& check, Scheduler::Clock::time_point at) {
  check.timer = scheduler_.armTimer(at, [this, &check] { runNow(check); });
}

void ScriptChecks::onDone(Check& check, const exec::Outcome& outcome) {
  check.running.reset();
  record(check, toScriptOutcome(outcome), exec::describe(outcome), outcome.runtime);
}

void ScriptChecks::record(Check& check, track::ScriptOutcome result, const std::string& description,
                          std::chrono::steady_clock::duration runtime) {
  check.stats.lastRuntime = runtime;
  if (result == track::ScriptOutcome::TimedOut) ++check.stats.timeouts;
  if (result != track::ScriptOutcome::Success) ++check.stats.failures;
  log_->debug("{} {}: {} in {:.1f} ms", check.kind(), check.config.name, description,
              milliseconds(runtime));
  if (!check.result.record(result)) return;
  const bool good = check.result.status() == track::ScriptStatus::Good;
  log_->info("{} {} is now {} (last run: {})", check.kind(), check.config.name,
             good ? "GOOD" : "BAD", description);
  if (onChange_) onChange_(check.config.name, good);
}

// A vipd_check's run: attempts until one succeeds or retry+1 have failed,
// delay_before_retry apart, all before the run's deadline (`timeout` after
// its start), as keepalived's checkers retry [SRC check_http.c:epilog].
void ScriptChecks::startProbing(Check& check) {
  ProbeRun& run = check.probing.emplace();
  run.started = scheduler_.now();
  run.deadline = run.started + check.config.timeout;
  run.deadlineTimer = scheduler_.armTimer(run.deadline, [this, &check] { onProbeDeadline(check); });
  attempt(check);
}

void ScriptChecks::attempt(Check& check) {
  ProbeRun& run = *check.probing;
  run.retryTimer.reset();
  ++run.attempts;
  run.probe =
      prober_.start(*check.config.native, run.deadline,
                    [this, &check](const ProbeOutcome& outcome) { onAttempt(check, outcome); });
}

void ScriptChecks::onAttempt(Check& check, const ProbeOutcome& outcome) {
  ProbeRun& run = *check.probing;
  run.probe.reset();
  const std::string attempts =
      run.attempts > 1 ? " (attempt " + std::to_string(run.attempts) + ")" : "";
  switch (outcome.status) {
    case ProbeStatus::Success:
      return endProbing(check, track::ScriptOutcome::Success, outcome.detail + attempts);
    case ProbeStatus::TimedOut:
      return endProbing(check, track::ScriptOutcome::TimedOut, outcome.detail + attempts);
    case ProbeStatus::Failure:
      break;
  }
  run.lastFailure = outcome.detail;
  if (run.attempts > check.config.native->retry) {
    return endProbing(check, track::ScriptOutcome::Failure, outcome.detail + attempts);
  }
  ++check.stats.retries;
  log_->debug("vipd_check {}: {}; retrying", check.config.name, outcome.detail + attempts);
  const auto delay =
      std::chrono::duration_cast<Scheduler::Clock::duration>(check.config.native->delayBeforeRetry);
  run.retryTimer =
      scheduler_.armTimer(scheduler_.now() + delay, [this, &check] { attempt(check); });
}

void ScriptChecks::onProbeDeadline(Check& check) {
  ProbeRun& run = *check.probing;
  run.deadlineTimer.reset();
  std::string description =
      "timed out after " + std::to_string(check.config.timeout.count()) + " s";
  if (!run.lastFailure.empty()) description += " (last failure: " + run.lastFailure + ")";
  endProbing(check, track::ScriptOutcome::TimedOut, description);
}

void ScriptChecks::endProbing(Check& check, track::ScriptOutcome result,
                              const std::string& description) {
  const auto runtime = scheduler_.now() - check.probing->started;
  cancelProbing(check);
  record(check, result, description, runtime);
}

void ScriptChecks::cancelProbing(Check& check) {
  if (!check.probing) return;
  ProbeRun& run = *check.probing;
  if (run.probe) prober_.cancel(*run.probe);
  if (run.retryTimer) scheduler_.cancelTimer(*run.retryTimer);
  if (run.deadlineTimer) scheduler_.cancelTimer(*run.deadlineTimer);
  check.probing.reset();
}

std::vector<std::string> ScriptChecks::names() const {
  std::vector<std::string> out;
  for (const auto& check : checks_) out.push_back(check->config.name);
  return out;
}

const ScriptChecks::Check* ScriptChecks::find(const std::string& script) const {
  for (const auto& check : checks_) {
    if (check->config.name == script) return check.get();
  }
  return nullptr;
}

std::optional<track::ScriptStatus> ScriptChecks::status(const std::string& script) const {
  const Check* check = find(script);
  return check ? std::optional(check->result.status()) : std::nullopt;
}

const ScriptStats* ScriptChecks::stats(const std::string& script) const {
  const Check* check = find(script);
  return check ? &check->stats : nullptr;
}

std::vector<ScriptReport> ScriptChecks::reports() const {
  std::vector<ScriptReport> out;
  for (const auto& check : checks_) {
    out.push_back({check->config.name, check->kind(), scriptStatusName(check->result.status()),
                   check->stats});
  }
  return out;
}

void ScriptChecks::clearStats() {
  for (auto& check : checks_) check->stats = {};
}

}  // namespace vipd::daemon
