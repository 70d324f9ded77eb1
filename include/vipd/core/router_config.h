#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vipd/core/types.h"
#include "vipd/util/ip_address.h"

namespace vipd::core {

/// keepalived's `state MASTER|BACKUP`: only a wish. Every instance starts in
/// Backup; only a priority-255 owner takes over at once (reference §1.10).
enum class StartHint : std::uint8_t { Backup, Master };

/// Static configuration of one VRRP instance (one VRID in one family).
/// The VIP list lives in the daemon: the core only says "add/remove VIPs".
struct RouterConfig {
  std::uint8_t vrid = 1;                    ///< 1..255.
  Version version = Version::V3;            ///< v2 is IPv4 only (RFC 3768).
  util::IpAddress primaryAddress;           ///< Our advert source; breaks ties (§6.4.3).
  std::uint8_t priority = 100;              ///< Base priority 1..255; 255 = address owner.
  Centiseconds advertInterval{100};         ///< v3: 1..4095 cs; v2: whole seconds 1..255.
  std::uint8_t downTimerAdverts = 3;        ///< keepalived `down_timer_adverts`, 1..100.
  bool preempt = true;                      ///< false = keepalived `nopreempt`.
  Duration preemptDelay{0};                 ///< keepalived `preempt_delay`, 0..1000 s.
  bool acceptMode = true;                   ///< RFC 5798 Accept_Mode (keepalived `accept`).
  StartHint startHint = StartHint::Backup;  ///< keepalived `state`.
  /// keepalived `lower_prio_no_advert` (forced by vrrp_strict): a master that
  /// hears a lower-priority master does not answer with an advert at once
  /// (RFC 9568 §6.4.3 says it should); it keeps its own advert schedule.
  bool lowerPriorityNoAdvert = false;

  friend bool operator==(const RouterConfig&, const RouterConfig&) = default;
};

enum class ConfigError : std::uint8_t {
  VridOutOfRange,
  PriorityZero,
  V2RequiresIpv4,
  AdvertIntervalOutOfRange,
  V2AdvertIntervalNotWholeSeconds,
  DownTimerAdvertsOutOfRange,
  PreemptDelayOutOfRange,
};

std::string_view toString(ConfigError error);

/// Checks ranges; the first problem found, or nullopt when usable.
std::optional<ConfigError> validate(const RouterConfig& config);

/// keepalived's implied settings (reference §1.10): an owner or `state MASTER`
/// always preempts and has no preempt delay; RFC 5798 §6.1 also forbids
/// Preempt_Mode false on the owner. The config area should warn when these
/// change what the user wrote.
RouterConfig normalized(RouterConfig config);

}  // namespace vipd::core
