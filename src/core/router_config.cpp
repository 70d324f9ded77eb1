#include "vipd/core/router_config.h"

#include "vipd/core/timing.h"

namespace vipd::core {
namespace {

constexpr Centiseconds kMaxV3Interval{4095};       // 12-bit field, RFC 5798 §5.2.7
constexpr Centiseconds kMaxV2Interval{255 * 100};  // 8-bit seconds, RFC 3768 §5.3.7
constexpr Duration kMaxPreemptDelay = std::chrono::seconds{1000};  // keepalived range

std::optional<ConfigError> checkInterval(const RouterConfig& config) {
  const Centiseconds interval = config.advertInterval;
  if (config.version == Version::V3) {
    if (interval < Centiseconds{1} || interval > kMaxV3Interval) {
      return ConfigError::AdvertIntervalOutOfRange;
    }
    return std::nullopt;
  }
  if (interval < Centiseconds{100} || interval > kMaxV2Interval) {
    return ConfigError::AdvertIntervalOutOfRange;
  }
  if (interval.count() % 100 != 0) return ConfigError::V2AdvertIntervalNotWholeSeconds;
  return std::nullopt;
}

}  // namespace

std::optional<ConfigError> validate(const RouterConfig& config) {
  if (config.vrid == 0) return ConfigError::VridOutOfRange;
  if (config.priority == 0) return ConfigError::PriorityZero;
  if (config.version == Version::V2 && !config.primaryAddress.isV4()) {
    return ConfigError::V2RequiresIpv4;
  }
  if (auto error = checkInterval(config)) return error;
  if (config.downTimerAdverts < 1 || config.downTimerAdverts > 100) {
    return ConfigError::DownTimerAdvertsOutOfRange;
  }
  if (config.preemptDelay < Duration{0} || config.preemptDelay > kMaxPreemptDelay) {
    return ConfigError::PreemptDelayOutOfRange;
  }
  return std::nullopt;
}

RouterConfig normalized(RouterConfig config) {
  if (config.priority == kOwnerPriority || config.startHint == StartHint::Master) {
    config.preempt = true;
    config.preemptDelay = Duration{0};
  }
  return config;
}

}  // namespace vipd::core
