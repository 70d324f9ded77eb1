#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>

#include "vipd/core/action.h"
#include "vipd/core/event.h"
#include "vipd/core/router_config.h"
#include "vipd/core/timing.h"
#include "vipd/core/transition_table.h"
#include "vipd/core/types.h"

namespace vipd::core {

/// One VRRP router instance (one VRID, one family) as pure logic: events and
/// `now` in, actions out (RFC 5798 §6, RFC 3768 §6 for v2, RFC 9568 where it
/// changes behaviour, keepalived where the RFCs leave a choice).
///
/// NOTE: no I/O, no clock reads, no globals; not thread-safe (one owner, one
/// loop). `now` must not go backwards between calls.
class Router {
 public:
  /// Applies normalized() to `config`. Throws std::invalid_argument when
  /// validate(config) fails (start-up / config load only).
  explicit Router(RouterConfig config);

  /// Feeds one event; returns the actions to execute, in order.
  /// Throws std::logic_error only if the transition table lacks a row for a
  /// (state, trigger) pair, which is a bug (TransitionTableTest covers it).
  Actions handle(const Event& event, TimePoint now);

  /// Whether `next` can replace the running configuration in place: the
  /// same VRID, version and primary address, and the same owner status
  /// (an owner follows different rules, so that change needs a restart).
  bool canReconfigure(const RouterConfig& next) const;
  /// Swaps in `next` (a config reload) without a transition, a timer change
  /// or an advert: running timers keep their deadlines and the next one
  /// re-arms with the new interval. The effective priority is left alone;
  /// the caller follows with PriorityChanged when the base priority moved.
  /// Throws std::invalid_argument when !canReconfigure(next) or the config
  /// fails validate().
  void reconfigure(const RouterConfig& next);

  State state() const { return state_; }
  const RouterConfig& config() const { return config_; }
  bool isOwner() const { return config_.priority == kOwnerPriority; }
  /// Current effective priority (base priority adjusted by tracking).
  std::uint8_t priority() const { return priority_; }
  /// Master_Adver_Interval: learned from the master in v3 Backup, else ours.
  Centiseconds masterAdverInterval() const { return masterAdverInterval_; }
  /// Skew_Time and Master_Down_Interval from the current priority and
  /// Master_Adver_Interval (see timing.h for the rounding).
  Duration skewTime() const;
  Duration masterDownInterval() const;
  /// True when we hold the VIPs and accept traffic to them (§6.4.3).
  bool acceptsVipTraffic() const;
  /// A fault is active: a tracked one, or the sync group's (SyncFault).
  bool faulted() const { return !faults_.empty() || groupFault_; }
  /// A tracked object of this instance has failed (keepalived num_script_if_fault).
  bool trackedFaulted() const { return !faults_.empty(); }
  /// SyncFault received and not cleared: another member has a fault.
  bool groupFaulted() const { return groupFault_; }

  /// Sync-group membership, driven only by SyncGroup (sync_group.h).
  /// While held, a firing Master_Down_Timer (or an owner's takeover) does
  /// not make this router Master: it stays Backup, wanting Master, and
  /// re-arms the timer (keepalived vrrp_sync_can_goto_master). The group
  /// sets this before every event it passes on; a lone router never is held.
  void setSyncHold(bool held) { syncHold_ = held; }
  /// keepalived `wantstate == MASTER`: Master, or a Backup held back by its
  /// group since its Master_Down_Timer fired with no advert accepted since.
  bool wantsMaster() const { return state_ == State::Master || wantsMaster_; }
  /// Drained by the operator (Maintenance event): never becomes Master.
  bool inMaintenance() const { return maintenance_; }
  /// Deadline of `timer` if armed.
  std::optional<TimePoint> timerDeadline(TimerId timer) const;
  /// End of the running preempt delay, if any (keepalived `preempt_time`).
  std::optional<TimePoint> preemptHoldUntil() const { return preemptHoldUntil_; }

 private:
  struct TimerSlot {
    std::optional<TimePoint> deadline;
    std::uint64_t generation = 0;
  };
  /// Why the Master_Down_Timer runs; refines its expiry into a Trigger.
  enum class DownReason : std::uint8_t { Interval, PriorityZero };
  struct Context {
    TimePoint now;
    const AdvertReceived* advert = nullptr;
    Actions* out = nullptr;
  };

  // Bookkeeping and classification (router.cpp).
  std::optional<Trigger> classify(const Event& event, TimePoint now);
  Trigger classifyAdvert(const AdvertReceived& advert, TimePoint now) const;
  std::optional<Trigger> classifyTimer(const TimerExpired& expired);
  void apply(Trigger trigger, Context& ctx);

  // Procedures (router_procedures.cpp).
  std::optional<Trigger> run(Procedure procedure, Context& ctx);
  std::optional<Trigger> startAsBackup(Context& ctx);
  std::optional<Trigger> enterBackupFromFault(Context& ctx);
  void becomeMaster(Context& ctx);
  void advertise(Context& ctx, AdvertReason reason);
  void assertOverLowerPriority(Context& ctx);
  void yieldToAdvert(Context& ctx);
  void resignMaster(Context& ctx);
  void setDownTimerToSkew(Context& ctx);
  void acceptAdvert(Context& ctx);
  void holdOffPreempt(Context& ctx);
  void declinePreemption(Context& ctx, PreemptHold hold);
  void learnInterval(const AdvertReceived& advert);
  void armDownTimer(Context& ctx, Duration in, DownReason reason);
  std::optional<Trigger> takeOverIfOwner(Context& ctx);
  void waitForGroup(Context& ctx);
  void leaveMasterForGroup(Context& ctx);
  void resignToBackup(Context& ctx);
  void stayDrained(Context& ctx);

  void arm(Context& ctx, TimerId timer, TimePoint deadline);
  void cancel(Context& ctx, TimerId timer);
  TimerSlot& slot(TimerId timer) { return timers_[static_cast<std::size_t>(timer)]; }
  const TimerSlot& slot(TimerId timer) const { return timers_[static_cast<std::size_t>(timer)]; }

  RouterConfig config_;
  State state_ = State::Initialize;
  std::uint8_t priority_;
  Centiseconds masterAdverInterval_;
  std::set<FaultId> faults_;
  std::optional<TimePoint> preemptHoldUntil_;
  DownReason downReason_ = DownReason::Interval;
  bool discardedLowerPriority_ = false;
  bool groupFault_ = false;   // SyncFault received, SyncFaultCleared not yet
  bool syncHold_ = false;     // see setSyncHold()
  bool wantsMaster_ = false;  // held by the group; see wantsMaster()
  bool maintenance_ = false;  // see inMaintenance()
  std::array<TimerSlot, kTimerCount> timers_{};
  std::uint64_t lastGeneration_ = 0;
};

}  // namespace vipd::core
