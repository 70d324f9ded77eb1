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
  waitForScripts(std::move(done), loop_.now() + kStopDrainLimit);
}

// Polled: shutdown is rare, and a script's exit already wakes the loop.
void Daemon::waitForScripts(std::function<void()> done, EventLoop::Clock::time_point deadline) {
  if (notifiersIdle()) {
    finishStop(std::move(done));
    return;
  }
  if (loop_.now() >= deadline) {
    log_->warn("notify scripts still running after {} s; stopping anyway", kStopDrainLimit.count());
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

void Daemon::attachNotifier(Instance& instance, const config::VrrpInstance& in) {
  retireNotifier(in.name);
  auto notifier = std::make_unique<notify::Notifier>(notify::Subject::Instance, in.name, in.notify,
                                                     *resolver_, *runner_, fifoWriters());
  instance.setNotifier(notifier.get());
  notifiers_[in.name] = std::move(notifier);
}

// After start and reload: the setting may come from the sync group or the
// global vrrp_notify_priority_changes, which a reload can change alone.
void Daemon::refreshPriorityReporting() {
  for (const auto& in : config_.instances) {
    auto it = notifiers_.find(in.name);
    if (it == notifiers_.end()) continue;
    const config::SyncGroup* group = config::syncGroupOf(config_, in.name);
    it->second->setReportsPriorityChanges(notify::reportsPriorityChanges(
        in.notify.priorityChanges, group ? group->notify.priorityChanges : std::nullopt,
        config_.global.notifyPriorityChanges));
  }
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
