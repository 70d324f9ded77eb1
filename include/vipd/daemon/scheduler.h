#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace vipd::daemon {

/// Time and one-shot timers, as the glue code needs them. The event loop
/// implements it; unit tests drive a fake whose time only the test moves.
class Scheduler {
 public:
  using Clock = std::chrono::steady_clock;
  using TimerId = std::uint64_t;
  using Callback = std::function<void()>;

  virtual ~Scheduler() = default;
  virtual Clock::time_point now() const = 0;
  /// Runs `callback` once at `deadline`; timers due together run in arming order.
  virtual TimerId armTimer(Clock::time_point deadline, Callback callback) = 0;
  /// Cancelling an unknown or fired timer does nothing.
  virtual void cancelTimer(TimerId id) = 0;
};

}  // namespace vipd::daemon
