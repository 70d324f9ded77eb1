#include "vipd/daemon/script_checks.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace vipd::daemon {

namespace {

track::ScriptOutcome toScriptOutcome(const exec::Outcome& outcome) {
  if (outcome.kind == exec::OutcomeKind::TimedOut) return track::ScriptOutcome::TimedOut;
  return outcome.succeeded() ? track::ScriptOutcome::Success : track::ScriptOutcome::Failure;
}

double milliseconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

ScriptChecks::ScriptChecks(const std::vector<track::ScheduledScript>& schedule,
                           Scheduler& scheduler, exec::ProcessRunner& runner,
                           const Resolver& resolve, std::shared_ptr<spdlog::logger> log)
    : scheduler_(scheduler), runner_(runner), log_(std::move(log)) {
  for (const auto& entry : schedule) {
    if (auto check = makeCheck(entry.script, resolve)) checks_.push_back(std::move(check));
  }
}

std::unique_ptr<ScriptChecks::Check> ScriptChecks::makeCheck(const config::VrrpScript& s,
                                                             const Resolver& resolve) {
  auto command = resolve(s);
  if (!command) return nullptr;
  command->timeout = std::chrono::duration_cast<std::chrono::milliseconds>(s.timeout);
  return std::make_unique<Check>(
      Check{s, std::move(*command), track::ScriptResult(s.rise, s.fall, s.initFail), {}, {}, {}});
}

void ScriptChecks::reload(const std::vector<track::ScheduledScript>& schedule,
                          const Resolver& resolve) {
  std::vector<std::unique_ptr<Check>> next;
  for (const auto& entry : schedule) {
    auto same = std::find_if(checks_.begin(), checks_.end(), [&](const auto& c) {
      return c && c->config.name == entry.script.name &&
             c->config.argv == entry.script.argv && c->config.interval == entry.script.interval &&
             c->config.timeout == entry.script.timeout && c->config.rise == entry.script.rise &&
             c->config.fall == entry.script.fall && c->config.user == entry.script.user;
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
  schedule(check, scheduler_.now() + check.config.interval);
  if (check.running) {
    ++check.stats.late;
    log_->warn("vrrp_script {} still running after its interval ({} s); not started again",
               check.config.name, check.config.interval.count());
    return;
  }
  ++check.stats.runs;
  check.running = runner_.run(check.command,
                              [this, &check](const exec::Outcome& outcome) { onDone(check, outcome); });
}

void ScriptChecks::schedule(Check& check, Scheduler::Clock::time_point at) {
  check.timer = scheduler_.armTimer(at, [this, &check] { runNow(check); });
}

void ScriptChecks::onDone(Check& check, const exec::Outcome& outcome) {
  check.running.reset();
  check.stats.lastRuntime = outcome.runtime;
  const auto result = toScriptOutcome(outcome);
  if (result == track::ScriptOutcome::TimedOut) ++check.stats.timeouts;
  if (result != track::ScriptOutcome::Success) ++check.stats.failures;
  log_->debug("vrrp_script {}: {} in {:.1f} ms", check.config.name, exec::describe(outcome),
              milliseconds(outcome.runtime));
  if (!check.result.record(result)) return;
  const bool good = check.result.status() == track::ScriptStatus::Good;
  log_->info("vrrp_script {} is now {} (last run: {})", check.config.name,
             good ? "GOOD" : "BAD", exec::describe(outcome));
  if (onChange_) onChange_(check.config.name, good);
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

}  // namespace vipd::daemon
