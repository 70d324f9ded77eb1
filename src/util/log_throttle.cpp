#include "vipd/util/log_throttle.h"

namespace vipd::util {

LogThrottle::LogThrottle(std::size_t keys, Clock::duration interval)
    : interval_(interval), entries_(keys) {}

std::optional<std::uint64_t> LogThrottle::admit(std::size_t key, Clock::time_point now) {
  if (key >= entries_.size()) return std::nullopt;
  Entry& entry = entries_[key];
  if (entry.lastLogged && now - *entry.lastLogged < interval_) {
    ++entry.suppressed;
    return std::nullopt;
  }
  const std::uint64_t suppressed = entry.suppressed;
  entry.lastLogged = now;
  entry.suppressed = 0;
  return suppressed;
}

}  // namespace vipd::util
