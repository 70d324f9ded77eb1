#include "vipd/daemon/event_loop.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

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

itimerspec toItimerspec(EventLoop::Clock::time_point t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  itimerspec spec{};
  // An all-zero it_value disarms a timerfd; a deadline at the epoch is
  // long past anyway, so use 1 ns.
  if (ns <= 0) ns = 1;
  spec.it_value.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  spec.it_value.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  return spec;
}

std::uint32_t interestOf(bool read, bool write) {
  return (read ? EPOLLIN : 0U) | (write ? EPOLLOUT : 0U);
}

}  // namespace

EventLoop::EventLoop()
    : epoll_(epoll_create1(EPOLL_CLOEXEC)),
      timerFd_(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) {
  if (!epoll_) throwErrno("epoll_create1");
  if (!timerFd_) throwErrno("timerfd_create");
  watch(timerFd_.get());
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
  if (deadline < armedFor_) rearmTimerFd();
  return id;
}

void EventLoop::cancelTimer(TimerId id) {
  auto it = timerIndex_.find(id);
  if (it == timerIndex_.end()) return;
  timers_.erase({it->second, id});
  timerIndex_.erase(it);
  // Leaving the timerfd armed for a cancelled deadline costs one spurious
  // wake-up at most; dispatchTimers() re-arms for the real next one.
}

void EventLoop::rearmTimerFd() {
  armedFor_ = timers_.empty() ? Clock::time_point::max() : timers_.begin()->first.first;
  itimerspec spec{};  // zero disarms
  if (!timers_.empty()) spec = toItimerspec(armedFor_);
  if (timerfd_settime(timerFd_.get(), TFD_TIMER_ABSTIME, &spec, nullptr) != 0) {
    throwErrno("timerfd_settime");
  }
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
  std::uint64_t expirations;
  // Drain the timerfd; EAGAIN just means we were woken for another reason.
  (void)!read(timerFd_.get(), &expirations, sizeof expirations);
  const auto t = now();
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
  rearmTimerFd();
}

void EventLoop::dispatchSignals() {
  signalfd_siginfo info;
  while (read(signalFd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    auto it = signalHandlers_.find(static_cast<int>(info.ssi_signo));
    if (it != signalHandlers_.end()) it->second();
  }
}

void EventLoop::runOnce(std::chrono::milliseconds maxWait) {
  std::array<epoll_event, 32> events;
  int n = epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()),
                     static_cast<int>(maxWait.count()));
  if (n < 0) {
    if (errno == EINTR) return;
    throwErrno("epoll_wait");
  }
  for (int i = 0; i < n; ++i) {
    int fd = events[static_cast<std::size_t>(i)].data.fd;
    if (fd == timerFd_.get()) {
      dispatchTimers();
    } else if (signalFd_ && fd == signalFd_.get()) {
      dispatchSignals();
    } else {
      dispatch(fd, events[static_cast<std::size_t>(i)].events);
    }
  }
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
