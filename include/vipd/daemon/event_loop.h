#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>

#include "vipd/daemon/scheduler.h"
#include "vipd/util/unique_fd.h"

struct epoll_event;
struct timespec;

namespace vipd::daemon {

/// A single-threaded reactor on epoll: readable descriptors, timers kept in
/// an ordered map and waited for by epoll_pwait2()'s nanosecond timeout, and
/// a signalfd for the signals the daemon handles.
///
/// No timerfd: at hundreds of instances with centisecond adverts the loop
/// wakes tens of thousands of times a second, and re-arming a timerfd (plus
/// draining it) cost two system calls per wake-up, a fifth of the master's
/// CPU in bench/scale.
///
/// NOTE: not thread-safe; every call is made from the loop's own thread.
/// Callbacks may add or remove readers and timers, including their own.
class EventLoop final : public Scheduler {
 public:
  // Clock is steady_clock: CLOCK_MONOTONIC in libstdc++, as epoll's timeout.

  EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  /// Calls `onReadable` whenever fd is readable, or has hung up or failed
  /// (level-triggered). The caller keeps ownership of fd and removes it
  /// before closing it. Replaces an earlier reader of fd.
  void addReader(int fd, Callback onReadable);
  void removeReader(int fd);
  /// Calls `onWritable` whenever fd is writable, or has hung up or failed
  /// (level-triggered: remove it once nothing is left to write). A descriptor
  /// may have a reader and a writer; the same ownership rules apply.
  void addWriter(int fd, Callback onWritable);
  void removeWriter(int fd);

  /// Runs `callback` once at `deadline` (or on the next iteration if past).
  /// Timers due at the same instant run in the order they were armed.
  TimerId armTimer(Clock::time_point deadline, Callback callback) override;
  /// Cancelling an unknown or already-fired timer does nothing.
  void cancelTimer(TimerId id) override;

  /// Blocks `signo` for normal delivery and calls `handler` from the loop
  /// when it arrives. Call before starting threads or child processes.
  void onSignal(int signo, Callback handler);

  /// Runs until stop(). Returns after the iteration that called stop().
  void run();
  /// Runs one iteration, waiting at most `maxWait` for an event.
  void runOnce(std::chrono::milliseconds maxWait);
  void stop() { stopped_ = true; }
  /// Calls `observer` with the lateness of the first due timer whenever the
  /// loop dispatches timers more than `threshold` after it was due: the
  /// process was stopped (SIGSTOP), starved of CPU or the machine suspended.
  void onLateTimers(Clock::duration threshold, std::function<void(Clock::duration)> observer) {
    lateThreshold_ = threshold;
    lateObserver_ = std::move(observer);
  }

  Clock::time_point now() const override { return Clock::now(); }
  std::size_t pendingTimers() const { return timerIndex_.size(); }

 private:
  void dispatchTimers();
  void dispatchSignals();
  /// The callbacks of one watched descriptor; at least one is set.
  struct Watch {
    Callback onReadable;
    Callback onWritable;
  };

  /// How long epoll may sleep: until the first timer, at most `maxWait`
  /// (negative: no limit). Null for an unlimited wait.
  const timespec* waitFor(std::chrono::milliseconds maxWait, timespec& storage) const;
  int waitForEvents(epoll_event* events, int capacity, std::chrono::milliseconds maxWait);
  void watch(int fd);
  void setWatch(int fd, Callback Watch::*slot, Callback callback);
  void clearWatch(int fd, Callback Watch::*slot);
  void dispatch(int fd, std::uint32_t events);

  util::UniqueFd epoll_;
  util::UniqueFd signalFd_;
  std::unordered_map<int, Watch> watches_;
  std::unordered_map<int, Callback> signalHandlers_;
  // Deadline, then arming order: equal deadlines fire first-armed first.
  std::map<std::pair<Clock::time_point, TimerId>, Callback> timers_;
  std::unordered_map<TimerId, Clock::time_point> timerIndex_;
  TimerId nextTimerId_ = 1;
  bool stopped_ = false;
  /// epoll_pwait2() exists (Linux 5.11); else epoll_wait() in milliseconds.
  bool nanosecondWait_ = true;
  Clock::duration lateThreshold_ = Clock::duration::max();
  std::function<void(Clock::duration)> lateObserver_;
};

}  // namespace vipd::daemon
