#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace vipd::util {

/// Rate limit for a log line that a peer (or an attacker) can trigger once per packet: per key
/// (e.g. a drop reason), at most one line per interval, each saying how many events it stood
/// for since the previous one. The first event of a key logs at once; later ones within the
/// interval are only counted, and the next event after it logs with that count.
///
/// Time comes in with each call (the caller's clock: the event loop's, or a test's), so the
/// decision is pure arithmetic.
///
/// NOTE: not thread-safe; one owner, one thread.
class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  /// @param keys      number of keys, 0..keys-1.
  /// @param interval  the minimum time between two lines of one key.
  LogThrottle(std::size_t keys, Clock::duration interval);

  /// One event of `key` at `now`. Returns the number of events suppressed since the key's last
  /// line when the caller should log now; nullopt when it should stay quiet (the event is then
  /// counted as suppressed). A key out of range never logs.
  std::optional<std::uint64_t> admit(std::size_t key, Clock::time_point now);

  Clock::duration interval() const { return interval_; }

 private:
  struct Entry {
    std::optional<Clock::time_point> lastLogged;
    std::uint64_t suppressed = 0;
  };
  Clock::duration interval_;
  std::vector<Entry> entries_;
};

}  // namespace vipd::util
