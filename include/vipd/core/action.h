#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "vipd/core/types.h"
#include "vipd/util/ip_address.h"

namespace vipd::core {

/// Send one advertisement now.
struct SendAdvert {
  std::uint8_t priority = 0;  ///< 0 when resigning.
  Centiseconds interval{0};   ///< Our own Advertisement_Interval.
  AdvertReason reason = AdvertReason::Periodic;

  friend bool operator==(const SendAdvert&, const SendAdvert&) = default;
};

/// Install the instance's VIPs (and eVIPs, routes, rules).
struct AddVips {
  /// RFC 5798 §6.4.3: accept traffic to the VIPs only if owner or Accept_Mode;
  /// false means the daemon installs keepalived's `no_accept` drop rules.
  bool accept = true;

  friend bool operator==(const AddVips&, const AddVips&) = default;
};

/// Remove the instance's VIPs (and cancel pending gratuitous ARP/NA).
struct RemoveVips {
  friend bool operator==(const RemoveVips&, const RemoveVips&) = default;
};

/// Send a gratuitous ARP / unsolicited NA burst for every VIP.
struct SendGratuitous {
  GratuitousReason reason = GratuitousReason::BecameMaster;

  friend bool operator==(const SendGratuitous&, const SendGratuitous&) = default;
};

/// As master we saw a lower-priority advert and forced a new election
/// (keepalived logs "forcing new election" and fires MASTER_RX_LOWER_PRI).
struct MasterRxLowerPriority {
  util::IpAddress from;
  std::uint8_t theirPriority = 0;
  std::uint8_t ourPriority = 0;

  friend bool operator==(const MasterRxLowerPriority&, const MasterRxLowerPriority&) = default;
};

/// Why a Backup lets a lower-priority master be.
enum class PreemptHold : std::uint8_t {
  NoPreempt,  ///< keepalived `nopreempt` (RFC 5798 Preempt_Mode False).
  Delay,      ///< keepalived `preempt_delay` has not passed yet.
};

/// "nopreempt" or "preempt_delay": the keyword that holds the Backup back.
std::string_view toString(PreemptHold hold);

/// As Backup we accepted an advert of lower priority instead of preempting
/// its sender. Emitted for every such advert; the daemon says it once.
struct PreemptDeclined {
  util::IpAddress master;
  std::uint8_t theirPriority = 0;
  std::uint8_t ourPriority = 0;
  PreemptHold hold = PreemptHold::NoPreempt;
  /// Delay: when the preempt delay ends (keepalived `preempt_time`).
  std::optional<TimePoint> until;

  friend bool operator==(const PreemptDeclined&, const PreemptDeclined&) = default;
};

/// (Re)arm `timer` to fire at `deadline`, replacing any pending deadline. When
/// it fires, pass TimerExpired{timer, generation} back.
struct ArmTimer {
  TimerId timer = TimerId::Advert;
  TimePoint deadline;
  std::uint64_t generation = 0;

  friend bool operator==(const ArmTimer&, const ArmTimer&) = default;
};

/// Cancel `timer`. Emitted only when it was armed.
struct CancelTimer {
  TimerId timer = TimerId::Advert;

  friend bool operator==(const CancelTimer&, const CancelTimer&) = default;
};

/// The state changed: log it, count it, run notify scripts / FIFO lines.
struct NotifyTransition {
  State from = State::Initialize;
  State to = State::Initialize;
  Cause cause = Cause::Startup;
  std::uint8_t priority = 0;  ///< Effective priority at the time.

  friend bool operator==(const NotifyTransition&, const NotifyTransition&) = default;
};

/// Actions come out in the order they must be executed; within a transition
/// that is keepalived's order (reference §2.3): advert, VIPs, GARP, notify on
/// the way up; advert (prio 0), VIP removal, notify on the way down (a
/// master yielding to a higher priority removes its VIPs first).
using Action = std::variant<SendAdvert, AddVips, RemoveVips, SendGratuitous, MasterRxLowerPriority,
                            PreemptDeclined, ArmTimer, CancelTimer, NotifyTransition>;
using Actions = std::vector<Action>;

}  // namespace vipd::core
