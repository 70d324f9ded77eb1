#pragma once

#include <cstdint>

#include "vipd/core/types.h"

namespace vipd::core {

/// RFC 5798 §5.2.4: 255 is the address owner, 0 means "master resigns".
inline constexpr std::uint8_t kOwnerPriority = 255;
inline constexpr std::uint8_t kResignPriority = 0;
/// keepalived clamps tracked (effective) priorities of non-owners to [1, 254].
inline constexpr std::uint8_t kMinTrackedPriority = 1;
inline constexpr std::uint8_t kMaxTrackedPriority = 254;

/// Skew_Time for a router of `priority` that believes the master advertises
/// every `masterAdverInterval`.
///
/// - v3 (RFC 5798 §6.1, unchanged in RFC 9568): ((256 − Priority) ×
///   Master_Adver_Interval) / 256 in integer centiseconds, truncated. Example:
///   priority 100, 100 cs → 15600 / 256 = 60 cs (keepalived computes 60.9375 cs
///   in µs; the RFC's unit is the centisecond, so we truncate there).
/// - v2 (RFC 3768 §6.1): (256 − Priority) / 256 seconds, independent of the
///   interval, truncated to whole microseconds as keepalived does. Example:
///   priority 100 → 609375 µs; priority 150 → 414062 µs.
///
/// Precondition: masterAdverInterval > 0.
constexpr Duration skewTime(Version version, std::uint8_t priority,
                            Centiseconds masterAdverInterval) {
  const std::int64_t weight = 256 - std::int64_t{priority};
  if (version == Version::V3) {
    return Centiseconds{(weight * masterAdverInterval.count()) / 256};
  }
  return Duration{(weight * 1'000'000) / 256};
}

/// Master_Down_Interval = down_timer_adverts × Master_Adver_Interval +
/// Skew_Time (RFC 5798 §6.1 with the multiplier fixed at 3; keepalived's
/// `down_timer_adverts` makes it 1..100). Example: v3, priority 100, 100 cs,
/// ×3 → 300 + 60 = 360 cs.
constexpr Duration masterDownInterval(Version version, std::uint8_t priority,
                                      Centiseconds masterAdverInterval,
                                      std::uint8_t downTimerAdverts) {
  return std::int64_t{downTimerAdverts} * Duration{masterAdverInterval} +
         skewTime(version, priority, masterAdverInterval);
}

}  // namespace vipd::core
