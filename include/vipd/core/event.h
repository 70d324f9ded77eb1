#pragma once

#include <cstdint>
#include <variant>

#include "vipd/core/types.h"
#include "vipd/util/ip_address.h"

namespace vipd::core {

/// Identifies one tracked object (script, interface, file…) that can fault
/// the instance; chosen by the daemon, opaque to the core.
using FaultId = std::uint32_t;

/// Begin operating (RFC 5798 §6.4.1 Startup event).
struct Start {};

/// Stop operating (RFC 5798 §6.4.2/§6.4.3 Shutdown event); restart with Start.
struct Shutdown {};

/// An advertisement for this instance's VRID that already passed proto
/// validation (version, checksum, TTL, VIP list…). The daemon maps the
/// decoded packet to this; the core does not depend on `proto`.
struct AdvertReceived {
  util::IpAddress source;     ///< IP source: the sender's primary address.
  std::uint8_t priority = 0;  ///< 0 = the sender resigns.
  /// Advertised interval in centiseconds (v3 field; for v2 the daemon passes
  /// seconds × 100, and the core ignores it: v2 never learns intervals).
  /// Precondition: > 0.
  std::uint16_t intervalCs = 0;

  friend bool operator==(const AdvertReceived&, const AdvertReceived&) = default;
};

/// A timer armed by an ArmTimer action reached its deadline. `generation` is
/// copied from that action; a stale one (cancelled or re-armed since) is ignored.
struct TimerExpired {
  TimerId timer = TimerId::Advert;
  std::uint64_t generation = 0;
};

/// New effective priority from tracking. Ignored for an owner (255);
/// otherwise clamped to [1, 254] like keepalived.
struct PriorityChanged {
  std::uint8_t priority = 0;
};

/// A tracked object failed. Idempotent per id.
struct FaultRaised {
  FaultId id = 0;
};

/// A tracked object recovered. The instance leaves Fault when no fault remains.
struct FaultCleared {
  FaultId id = 0;
};

// Sync-group events: only SyncGroup sends these, to its members
// (keepalived vrrp_sync.c). A router outside a group never sees them.

/// Another member became Master: follow it (keepalived vrrp_sync_master).
struct SyncForceMaster {};

/// Another member left Master for Backup: leave too (keepalived vrrp_sync_backup).
struct SyncForceBackup {};

/// Another member has a fault: be in Fault with it (keepalived vrrp_sync_fault).
/// Idempotent; counts like one extra active fault.
struct SyncFault {};

/// No other member has a fault any more (keepalived num_member_fault == 0).
struct SyncFaultCleared {};

/// Operator drain (`vipctl maintenance on|off`; vipd only): while on, the
/// instance never becomes Master; a Master hands over at once with a
/// priority-0 advert, as at shutdown. Off: back to Backup's rules (an owner
/// takes over, a higher priority preempts). `act` false only records the
/// flag: a sync group marks every member before any of them resigns, so
/// each one resigns with priority 0.
struct Maintenance {
  bool on = true;
  bool act = true;
};

using Event = std::variant<Start, Shutdown, AdvertReceived, TimerExpired, PriorityChanged,
                           FaultRaised, FaultCleared, SyncForceMaster, SyncForceBackup, SyncFault,
                           SyncFaultCleared, Maintenance>;

}  // namespace vipd::core
