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

void EventLoop::addReader(int fd, Callback onReadable) {
  watch(fd);
  readers_[fd] = std::move(onReadable);
}

void EventLoop::removeReader(int fd) {
  if (readers_.erase(fd) > 0) epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

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
    } else if (auto it = readers_.find(fd); it != readers_.end()) {
      // Copy: the callback may remove itself.
      auto callback = it->second;
      callback();
    }
  }
}

void EventLoop::run() {
  stopped_ = false;
  while (!stopped_) runOnce(std::chrono::milliseconds(-1));
}

}  // namespace vipd::daemon
