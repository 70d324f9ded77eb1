#include "vipd/daemon/service_manager.h"

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <array>

namespace vipd::daemon {

std::string statusLine(const std::vector<core::State>& states) {
  constexpr std::array<std::pair<core::State, const char*>, 4> kOrder = {
      {{core::State::Master, "MASTER"},
       {core::State::Backup, "BACKUP"},
       {core::State::Fault, "FAULT"},
       {core::State::Initialize, "INIT"}}};
  std::string line =
      std::to_string(states.size()) + (states.size() == 1 ? " instance" : " instances");
  const char* separator = ": ";
  for (const auto& [state, word] : kOrder) {
    const auto n = std::count(states.begin(), states.end(), state);
    if (n == 0) continue;
    line += separator + std::to_string(n) + " " + word;
    separator = ", ";
  }
  return line;
}

ServiceManager::ServiceManager(Scheduler& scheduler, Send send, States states,
                               std::optional<std::chrono::microseconds> watchdog)
    : scheduler_(scheduler),
      send_(std::move(send)),
      states_(std::move(states)),
      watchdog_(watchdog) {}

ServiceManager::~ServiceManager() {
  if (timer_) scheduler_.cancelTimer(*timer_);
}

void ServiceManager::ready() {
  lastStatus_ = statusLine(states_());
  send_("READY=1\nSTATUS=" + lastStatus_);
  if (!timer_) arm();
}

void ServiceManager::reloading() { send_("RELOADING=1\nSTATUS=reloading"); }

void ServiceManager::stopping() {
  stopping_ = true;
  send_("STOPPING=1\nSTATUS=stopping");
}

void ServiceManager::arm() {
  const auto period = watchdog_
                          ? std::min<Scheduler::Clock::duration>(*watchdog_ / 2, kStatusRefresh)
                          : Scheduler::Clock::duration(kStatusRefresh);
  timer_ = scheduler_.armTimer(scheduler_.now() + period, [this] { tick(); });
}

// The watchdog is fed from a loop timer: if the loop stops turning, it stops.
void ServiceManager::tick() {
  timer_.reset();
  if (watchdog_) send_("WATCHDOG=1");
  if (!stopping_) sendStatusIfChanged();
  arm();
}

void ServiceManager::sendStatusIfChanged() {
  auto status = statusLine(states_());
  if (status == lastStatus_) return;
  lastStatus_ = std::move(status);
  send_("STATUS=" + lastStatus_);
}

ServiceManager::Send systemdNotify() {
  return [](const std::string& message) { sd_notify(0, message.c_str()); };
}

std::optional<std::chrono::microseconds> systemdWatchdog() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec);
}

}  // namespace vipd::daemon
