#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <string_view>

namespace vipd::core {

/// The core never reads a clock: the caller passes `now` with every event.
/// Any monotonic source works; the daemon uses steady_clock, tests use a fake.
using TimePoint = std::chrono::steady_clock::time_point;
/// Timer arithmetic is done in microseconds, keepalived's TIMER_HZ resolution.
using Duration = std::chrono::microseconds;
/// VRRPv3 wire unit for advertisement intervals (RFC 5798 §5.2.7).
using Centiseconds = std::chrono::duration<std::int64_t, std::centi>;

/// Protocol version of one instance; all routers of a VRID must agree.
enum class Version : std::uint8_t { V2 = 2, V3 = 3 };

/// RFC 5798 §6.4 states plus keepalived's FAULT. Initialize doubles as the
/// stopped state after Shutdown (keepalived notifies STOP on entering it).
enum class State : std::uint8_t { Initialize, Backup, Master, Fault };

/// Why a transition happened; the daemon logs and counts these.
enum class Cause : std::uint8_t {
  Startup,               ///< Initialize → Backup: every instance starts as Backup.
  AddressOwner,          ///< Backup → Master at once: priority 255 (start or fault cleared).
  MasterDownTimer,       ///< Backup → Master: no advert within Master_Down_Interval.
  PriorityZeroReceived,  ///< Backup → Master: the master resigned (priority 0), skew elapsed.
  Preempted,             ///< Backup → Master: we preempted a lower-priority master.
  HigherPriorityAdvert,  ///< Master → Backup: an advert with a higher priority.
  EqualPriorityHigherAddress,  ///< Master → Backup: equal priority, sender's address is higher.
  FaultRaised,                 ///< → Fault: a tracked object failed.
  FaultCleared,                ///< Fault → Backup: all tracked objects recovered.
  SyncGroupMaster,  ///< Backup → Master: another member of the sync group became Master.
  SyncGroupBackup,  ///< Master → Backup, or Fault → Backup: the sync group went Backup.
  SyncGroupFault,   ///< → Fault: another member of the sync group has a fault.
  Maintenance,      ///< Master → Backup: the operator drained the instance (vipd only).
  Shutdown,         ///< → Initialize: stop requested. (Keep last.)
};
inline constexpr std::size_t kCauseCount = static_cast<std::size_t>(Cause::Shutdown) + 1;

/// The two timers of RFC 5798 §6.2. Preempt delay needs no timer: it is a
/// deadline compared with `now` when adverts arrive.
enum class TimerId : std::uint8_t { Advert, MasterDown };
inline constexpr std::size_t kTimerCount = 2;

/// Why an advert is sent, for logs and counters.
enum class AdvertReason : std::uint8_t {
  BecameMaster,        ///< RFC 5798 §6.4.1/§6.4.2: first advert on entering Master.
  Periodic,            ///< RFC 5798 §6.4.3: Adver_Timer fired.
  AnswerPriorityZero,  ///< RFC 5798 §6.4.3: another router resigned; assert at once.
  AssertMastership,    ///< RFC 9568 §6.4.3: a losing advert was seen; assert at once.
  Resign,              ///< Priority 0: shutdown or MASTER → FAULT (keepalived).
  Parting,  ///< vipd: a master yielding to a higher priority says so once (see yieldToAdvert).
};

/// Why a gratuitous ARP / unsolicited NA burst is requested.
enum class GratuitousReason : std::uint8_t {
  BecameMaster,         ///< RFC 5798 §6.4.2: announce the virtual MAC on takeover.
  LowerPriorityAdvert,  ///< keepalived garp_lower_prio_repeat: re-announce after a rival.
};

std::string_view toString(Version version);
std::string_view toString(State state);
std::string_view toString(Cause cause);
std::string_view toString(TimerId timer);
std::string_view toString(AdvertReason reason);
std::string_view toString(GratuitousReason reason);

}  // namespace vipd::core
