#include "vipd/notify/notify_queue.h"

#include <memory>
#include <utility>

#include "notify_log.h"

namespace vipd::notify {

NotifyQueue::NotifyQueue(exec::ProcessRunner& runner, std::string owner, Options options)
    : runner_(runner), owner_(std::move(owner)), options_(options) {}

NotifyQueue::~NotifyQueue() {
  // The done callback holds `this`; cancel() guarantees it is never called.
  if (running_ != 0) runner_.cancel(running_);
}

void NotifyQueue::enqueue(NotifyState state, std::vector<exec::Command> commands) {
  for (auto& command : commands) {
    command.timeout = options_.timeout;
    pending_.push_back(Job{nextSequence_++, state, std::move(command)});
  }
  if (running_ == 0) startNext();
}

void NotifyQueue::cancelAll() {
  if (!pending_.empty() || running_ != 0) {
    notifyLog()->warn("notify scripts cancelled owner={} running={} dropped={}", owner_,
                      running_ != 0 ? 1 : 0, pending_.size());
  }
  pending_.clear();
  if (running_ != 0) runner_.cancel(std::exchange(running_, 0));
}

void NotifyQueue::startNext() {
  if (pending_.empty()) return;
  auto job = std::make_shared<Job>(std::move(pending_.front()));
  pending_.pop_front();
  notifyLog()->debug("notify script started seq={} owner={} script=\"{}\" state={}", job->sequence,
                     owner_, job->command.name, stateName(job->state));
  // The runner keeps the command; the job keeps what the log line needs.
  auto command = job->command;
  running_ = runner_.run(std::move(command),
                         [this, job](const exec::Outcome& outcome) { finished(*job, outcome); });
}

void NotifyQueue::finished(const Job& job, const exec::Outcome& outcome) {
  running_ = 0;
  ++stats_.runs;
  if (!outcome.succeeded()) ++stats_.failures;
  if (outcome.kind == exec::OutcomeKind::TimedOut) ++stats_.timeouts;
  stats_.lastRuntime = outcome.runtime;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(outcome.runtime).count();
  auto level = outcome.succeeded()                           ? spdlog::level::info
               : outcome.kind == exec::OutcomeKind::TimedOut ? spdlog::level::err
                                                             : spdlog::level::warn;
  notifyLog()->log(level,
                   "notify script finished seq={} owner={} script=\"{}\" state={} result=\"{}\" "
                   "runtime_ms={} waiting={}",
                   job.sequence, owner_, job.command.name, stateName(job.state),
                   exec::describe(outcome), ms, pending_.size());
  startNext();
  if (idle() && onIdle_) onIdle_();
}

}  // namespace vipd::notify
