// The Daemon's notifiers and FIFOs, and the graceful stop that waits for them.
#include <algorithm>
#include <csignal>

#include "vipd/daemon/daemon.h"
#include "vipd/daemon/logging.h"

namespace vipd::daemon {

void Daemon::stop(std::function<void()> done) {
  if (scripts_) scripts_->stop();
  // Like the scripts, process tracking ends before the instances stop.
  processes_.reset();
  closeProcessConnector();
  for (auto& instance : instances_) instance->shutdown();
  // After the instances: their routes may lean on the static ones.
  staticRoutes_.removeAll();
  // After the masters' VIPs, before the STOP notifies [SRC vrrp_daemon.c:vrrp_terminate_phase1].
  statics_.removeAll();
  const auto limit = std::max<std::chrono::milliseconds>(
      kStopDrainLimit, notifyDrainBound() + std::chrono::seconds(1));
  waitForScripts(std::move(done), loop_.now() + limit);
}

// Each queue runs its scripts one after another, each bounded by its
// notify_timeout plus the runner's SIGKILL grace.
std::chrono::milliseconds Daemon::notifyDrainBound() const {
  constexpr std::chrono::seconds kKillGrace{1};
  std::chrono::milliseconds longest{0};
  auto consider = [&](const notify::NotifyQueue& queue) {
    const auto runs = queue.pending() + (queue.idle() ? 0 : 1);
    longest = std::max(longest, static_cast<long>(runs) * (queue.timeout() + kKillGrace));
  };
  for (const auto& [name, notifier] : notifiers_) consider(notifier->queue());
  for (const auto& notifier : retiredNotifiers_) consider(notifier->queue());
  syncGroups_.forEachQueue(consider);
  return longest;
}

// Polled: shutdown is rare, and a script's exit already wakes the loop.
void Daemon::waitForScripts(std::function<void()> done, EventLoop::Clock::time_point deadline) {
  if (notifiersIdle()) {
    finishStop(std::move(done));
    return;
  }
  if (loop_.now() >= deadline) {
    log_->warn("notify scripts still running at shutdown past their timeouts; stopping anyway");
    for (auto& [name, notifier] : notifiers_) notifier->queue().cancelAll();
    for (auto& notifier : retiredNotifiers_) notifier->queue().cancelAll();
    syncGroups_.cancelAll();
    finishStop(std::move(done));
    return;
  }
  loop_.armTimer(loop_.now() + std::chrono::milliseconds(20),
                 [this, done = std::move(done), deadline]() mutable {
                   waitForScripts(std::move(done), deadline);
                 });
}

// The FIFO readers get the STOP lines, which keepalived's users miss because
// it kills the reader first (reference §2.2): vipd closes its end, so a reader
// sees EOF after the last line and ends on its own; one that does not gets
// SIGTERM (keepalived's signal) and, last, SIGKILL.
void Daemon::finishStop(std::function<void()> done) {
  bool readers = false;
  for (auto& fifo : fifos_) readers = fifo->finishWriting() || readers;
  if (!readers) {
    stopFifos(std::move(done));
    return;
  }
  waitForReaders(std::move(done), loop_.now() + kReaderEofGrace, false);
}

void Daemon::waitForReaders(std::function<void()> done, EventLoop::Clock::time_point deadline,
                            bool terminated) {
  const bool running = std::any_of(fifos_.begin(), fifos_.end(), [](const auto& fifo) {
    return fifo->reader() != nullptr && fifo->reader()->running();
  });
  if (!running || (terminated && loop_.now() >= deadline)) {
    stopFifos(std::move(done));
    return;
  }
  if (!terminated && loop_.now() >= deadline) {
    // Only the readers are left running: scripts and notifies have ended.
    runner_->killAll(SIGTERM);
    terminated = true;
    deadline = loop_.now() + kReaderTermGrace;
  }
  loop_.armTimer(loop_.now() + std::chrono::milliseconds(20),
                 [this, done = std::move(done), deadline, terminated]() mutable {
                   waitForReaders(std::move(done), deadline, terminated);
                 });
}

void Daemon::stopFifos(std::function<void()> done) {
  for (auto& fifo : fifos_) fifo->stop();
  done();
}

void Daemon::startFifos() {
  const std::pair<const char*, const std::optional<config::NotifyFifo>*> configured[] = {
      {"notify_fifo", &config_.global.notifyFifo},
      {"vrrp_notify_fifo", &config_.global.vrrpNotifyFifo}};
  for (const auto& [keyword, fifo] : configured) {
    if (!*fifo) continue;
    auto channel = std::make_unique<notify::FifoChannel>(keyword, **fifo, *resolver_, *runner_);
    if (auto error = channel->start()) {
      log_->error("{} {}: {}", keyword, (*fifo)->path, error.message());
    }
    fifos_.push_back(std::move(channel));
  }
}

std::vector<notify::FifoWriter*> Daemon::fifoWriters() {
  std::vector<notify::FifoWriter*> out;
  for (auto& fifo : fifos_) out.push_back(&fifo->writer());
  return out;
}

// The counters go on with the new notifier: a reload does not reset them.
void Daemon::attachNotifier(Instance& instance, const config::VrrpInstance& in,
                            const config::Config& config) {
  std::optional<notify::NotifyStats> previous;
  if (auto it = notifiers_.find(in.name); it != notifiers_.end()) {
    previous = it->second->queue().stats();
  }
  retireNotifier(in.name);
  const config::SyncGroup* group = config::syncGroupOf(config, in.name);
  const notify::NotifyQueue::Options options{
      notify::notifyTimeout(in.notify.timeout, group ? group->notify.timeout : std::nullopt,
                            config.global.notifyTimeout)};
  auto notifier = std::make_unique<notify::Notifier>(notify::Subject::Instance, in.name, in.notify,
                                                     *resolver_, *runner_, fifoWriters(), options);
  if (previous) notifier->queue().continueStats(*previous);
  instance.setNotifier(notifier.get());
  notifiers_[in.name] = std::move(notifier);
}

// After start and reload: the settings may come from the sync group or
// global_defs, which a reload can change alone.
void Daemon::refreshNotifySettings() {
  for (const auto& in : config_.instances) {
    auto it = notifiers_.find(in.name);
    if (it == notifiers_.end()) continue;
    const config::SyncGroup* group = config::syncGroupOf(config_, in.name);
    it->second->setReportsPriorityChanges(notify::reportsPriorityChanges(
        in.notify.priorityChanges, group ? group->notify.priorityChanges : std::nullopt,
        config_.global.notifyPriorityChanges));
    it->second->queue().setTimeout(
        notify::notifyTimeout(in.notify.timeout, group ? group->notify.timeout : std::nullopt,
                              config_.global.notifyTimeout));
  }
  syncGroups_.setNotifyTimeouts(config_);
}

// The instance is gone or gets a new notifier, but the scripts it queued
// (its STOP notify, say) still run to the end, in order.
void Daemon::retireNotifier(const std::string& name) {
  auto it = notifiers_.find(name);
  if (it == notifiers_.end()) return;
  if (Instance* instance = find(name); instance && instance->notifier() == it->second.get()) {
    instance->setNotifier(nullptr);
  }
  auto notifier = std::move(it->second);
  notifiers_.erase(it);
  if (notifier->queue().idle()) return;
  notifier->queue().onIdle([this] {
    // Not from inside the queue's own callback: it is destroyed here.
    loop_.armTimer(loop_.now(), [this] { dropIdleRetired(); });
  });
  retiredNotifiers_.push_back(std::move(notifier));
}

void Daemon::dropIdleRetired() {
  std::erase_if(retiredNotifiers_, [](const auto& n) { return n->queue().idle(); });
}

bool Daemon::notifiersIdle() const {
  for (const auto& [name, notifier] : notifiers_) {
    if (!notifier->queue().idle()) return false;
  }
  for (const auto& notifier : retiredNotifiers_) {
    if (!notifier->queue().idle()) return false;
  }
  return syncGroups_.idle();
}

}  // namespace vipd::daemon
