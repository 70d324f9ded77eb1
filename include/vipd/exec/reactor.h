#pragma once

#include "vipd/daemon/scheduler.h"

namespace vipd::exec {

/// The part of the event loop the runner needs: readable descriptors and
/// timers. A narrow interface instead of daemon::EventLoop itself, so vipd_exec
/// does not link the whole daemon library (which will link vipd_exec).
/// daemon/scheduler.h is a header-only interface, so this adds no link edge.
class Reactor : public daemon::Scheduler {
 public:
  /// Level-triggered: `onReadable` is called while fd stays readable. The
  /// caller owns fd and removes it before closing it.
  virtual void addReader(int fd, Callback onReadable) = 0;
  virtual void removeReader(int fd) = 0;
};

/// Adapts any loop with EventLoop's member functions (daemon::EventLoop) to
/// Reactor. A template so that this header needs no daemon library:
/// `exec::LoopReactor<daemon::EventLoop> reactor{loop};`
///
/// NOTE: holds a reference; the loop must outlive the adapter.
template <class Loop>
class LoopReactor final : public Reactor {
 public:
  explicit LoopReactor(Loop& loop) : loop_(loop) {}

  void addReader(int fd, Callback onReadable) override {
    loop_.addReader(fd, std::move(onReadable));
  }
  void removeReader(int fd) override { loop_.removeReader(fd); }
  Clock::time_point now() const override { return loop_.now(); }
  TimerId armTimer(Clock::time_point deadline, Callback callback) override {
    return loop_.armTimer(deadline, std::move(callback));
  }
  void cancelTimer(TimerId id) override { loop_.cancelTimer(id); }

 private:
  Loop& loop_;
};

}  // namespace vipd::exec
