#include "vipd/daemon/event_loop.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace vipd::daemon {

namespace {

[[noreturn]] void throwErrno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

timespec toTimespec(std::chrono::nanoseconds duration) {
  const auto ns = duration.count();
  return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}

std::uint32_t interestOf(bool read, bool write) {
  return (read ? EPOLLIN : 0U) | (write ? EPOLLOUT : 0U);
}

}  // namespace

EventLoop::EventLoop() : epoll_(epoll_create1(EPOLL_CLOEXEC)) {
  if (!epoll_) throwErrno("epoll_create1");
}

void EventLoop::watch(int fd) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) throwErrno("epoll_ctl add");
}

void EventLoop::setWatch(int fd, Callback Watch::*slot, Callback callback) {
  const auto [it, fresh] = watches_.try_emplace(fd);
  Watch& w = it->second;
  Callback previous = std::exchange(w.*slot, std::move(callback));
  epoll_event ev{};
  ev.events = interestOf(bool(w.onReadable), bool(w.onWritable));
  ev.data.fd = fd;
  if (epoll_ctl(epoll_.get(), fresh ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev) != 0) {
    const int error = errno;
    if (fresh) {
      watches_.erase(it);
    } else {
      w.*slot = std::move(previous);
    }
    errno = error;
    throwErrno(fresh ? "epoll_ctl add" : "epoll_ctl mod");
  }
}

void EventLoop::clearWatch(int fd, Callback Watch::*slot) {
  const auto it = watches_.find(fd);
  if (it == watches_.end() || !(it->second.*slot)) return;
  Watch& w = it->second;
  w.*slot = nullptr;
  if (!w.onReadable && !w.onWritable) {
    watches_.erase(it);
    epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
    return;
  }
  epoll_event ev{};
  ev.events = interestOf(bool(w.onReadable), bool(w.onWritable));
  ev.data.fd = fd;
  epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev);
}

void EventLoop::addReader(int fd, Callback onReadable) {
  setWatch(fd, &Watch::onReadable, std::move(onReadable));
}

void EventLoop::removeReader(int fd) { clearWatch(fd, &Watch::onReadable); }

void EventLoop::addWriter(int fd, Callback onWritable) {
  setWatch(fd, &Watch::onWritable, std::move(onWritable));
}

void EventLoop::removeWriter(int fd) { clearWatch(fd, &Watch::onWritable); }

EventLoop::TimerId EventLoop::armTimer(Clock::time_point deadline, Callback callback) {
  TimerId id = nextTimerId_++;
  timers_.emplace(std::make_pair(deadline, id), std::move(callback));
  timerIndex_.emplace(id, deadline);
  return id;
}

void EventLoop::cancelTimer(TimerId id) {
  auto it = timerIndex_.find(id);
  if (it == timerIndex_.end()) return;
  timers_.erase({it->second, id});
  timerIndex_.erase(it);
}

void EventLoop::onSignal(int signo, Callback handler) {
  signalHandlers_[signo] = std::move(handler);
  sigset_t set;
  sigemptyset(&set);
  for (const auto& [sig, _] : signalHandlers_) sigaddset(&set, sig);
  if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) throwErrno("sigprocmask");
  bool fresh = !signalFd_;
  int fd = signalfd(fresh ? -1 : signalFd_.get(), &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) throwErrno("signalfd");
  if (fresh) {
    signalFd_.reset(fd);
    watch(fd);
  }
}

void EventLoop::dispatchTimers() {
  const auto t = now();
  if (timers_.empty() || timers_.begin()->first.first > t) return;
  if (lateObserver_ && !timers_.empty() && t - timers_.begin()->first.first > lateThreshold_) {
    lateObserver_(t - timers_.begin()->first.first);
  }
  const TimerId firstNew = nextTimerId_;
  // Run only timers that were armed and due at entry, so a callback
  // re-arming for "now" cannot starve the other descriptors.
  for (auto it = timers_.begin(); it != timers_.end() && it->first.first <= t;) {
    if (it->first.second >= firstNew) {
      ++it;
      continue;
    }
    auto node = timers_.extract(it);
    timerIndex_.erase(node.key().second);
    node.mapped()();
    it = timers_.lower_bound(node.key());  // callbacks may have changed the map
  }
}

void EventLoop::dispatchSignals() {
  signalfd_siginfo info;
  while (read(signalFd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    auto it = signalHandlers_.find(static_cast<int>(info.ssi_signo));
    if (it != signalHandlers_.end()) it->second();
  }
}

const timespec* EventLoop::waitFor(std::chrono::milliseconds maxWait, timespec& storage) const {
  using std::chrono::nanoseconds;
  if (timers_.empty()) {
    if (maxWait.count() < 0) return nullptr;
    storage = toTimespec(maxWait);
    return &storage;
  }
  auto untilTimer = std::chrono::duration_cast<nanoseconds>(timers_.begin()->first.first - now());
  untilTimer = std::max(untilTimer, nanoseconds::zero());
  if (maxWait.count() >= 0) untilTimer = std::min<nanoseconds>(untilTimer, maxWait);
  storage = toTimespec(untilTimer);
  return &storage;
}

int EventLoop::waitForEvents(epoll_event* events, int capacity, std::chrono::milliseconds maxWait) {
  timespec storage{};
  const timespec* timeout = waitFor(maxWait, storage);
  if (nanosecondWait_) {
    const int n = epoll_pwait2(epoll_.get(), events, capacity, timeout, nullptr);
    if (n >= 0 || errno != ENOSYS) return n;
    nanosecondWait_ = false;
  }
  // Kernels before 5.11: millisecond timeouts, rounded up so a timer is
  // never dispatched early (it would only wait for the next wake-up).
  int ms = -1;
  if (timeout != nullptr) {
    const auto ns =
        std::chrono::seconds(timeout->tv_sec) + std::chrono::nanoseconds(timeout->tv_nsec);
    ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(ns).count());
  }
  return epoll_wait(epoll_.get(), events, capacity, ms);
}

void EventLoop::runOnce(std::chrono::milliseconds maxWait) {
  std::array<epoll_event, 32> events;
  const int n = waitForEvents(events.data(), static_cast<int>(events.size()), maxWait);
  if (n < 0) {
    if (errno == EINTR) return;
    throwErrno("epoll_wait");
  }
  for (int i = 0; i < n; ++i) {
    int fd = events[static_cast<std::size_t>(i)].data.fd;
    if (signalFd_ && fd == signalFd_.get()) {
      dispatchSignals();
    } else {
      dispatch(fd, events[static_cast<std::size_t>(i)].events);
    }
  }
  dispatchTimers();
}

// A hang-up or error wakes both sides, as it would a blocking read or write.
// Each callback is looked up afresh and copied: the reader may remove the
// writer (or itself) before the writer's turn.
void EventLoop::dispatch(int fd, std::uint32_t events) {
  constexpr std::uint32_t kFailed = EPOLLHUP | EPOLLERR;
  if (events & (EPOLLIN | kFailed)) {
    if (auto it = watches_.find(fd); it != watches_.end() && it->second.onReadable) {
      auto callback = it->second.onReadable;
      callback();
    }
  }
  if (events & (EPOLLOUT | kFailed)) {
    if (auto it = watches_.find(fd); it != watches_.end() && it->second.onWritable) {
      auto callback = it->second.onWritable;
      callback();
    }
  }
}

void EventLoop::run() {
  stopped_ = false;
  while (!stopped_) runOnce(std::chrono::milliseconds(-1));
}

}  // namespace vipd::daemon
