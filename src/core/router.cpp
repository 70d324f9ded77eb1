// Router dispatch: bookkeeping, classification of events into table triggers,
// and the one place where the state changes (apply()).
#include "vipd/core/router.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "vipd/core/timing.h"
#include "vipd/util/overloaded.h"

namespace vipd::core {
namespace {

RouterConfig checked(const RouterConfig& config) {
  if (auto error = validate(config)) {
    throw std::invalid_argument(std::string("vrrp instance config: ") +
                                std::string(toString(*error)));
  }
  return normalized(config);
}

}  // namespace

Router::Router(RouterConfig config)
    : config_(checked(config)),
      priority_(config_.priority),
      masterAdverInterval_(config_.advertInterval) {}

bool Router::canReconfigure(const RouterConfig& next) const {
  const RouterConfig candidate = normalized(next);
  return candidate.vrid == config_.vrid && candidate.version == config_.version &&
         candidate.primaryAddress == config_.primaryAddress &&
         (candidate.priority == kOwnerPriority) == isOwner();
}

void Router::reconfigure(const RouterConfig& next) {
  if (!canReconfigure(next)) {
    throw std::invalid_argument("vrrp instance config: identity changed, restart needed");
  }
  config_ = checked(next);
  // A Master advertises its own interval; a Backup keeps what it learned
  // from the master (v3) until the next advert.
  if (state_ != State::Backup || config_.version == Version::V2) {
    masterAdverInterval_ = config_.advertInterval;
  }
}

Actions Router::handle(const Event& event, TimePoint now) {
  Actions out;
  Context ctx{now, std::get_if<AdvertReceived>(&event), &out};
  if (std::optional<Trigger> trigger = classify(event, now)) apply(*trigger, ctx);
  return out;
}

// Runs the row for (state_, trigger) and any follow-up trigger it yields.
// The state changes here and nowhere else, always to the row's `next`.
void Router::apply(Trigger trigger, Context& ctx) {
  std::optional<Trigger> pending = trigger;
  while (pending) {
    const TransitionRow* row = findRow(state_, *pending);
    if (row == nullptr) {
      throw std::logic_error("vrrp: no transition for state " + std::string(toString(state_)) +
                             " trigger " + std::string(toString(*pending)));
    }
    pending = run(row->procedure, ctx);
    if (row->next != state_) {
      const State from = state_;
      state_ = row->next;
      ctx.out->push_back(NotifyTransition{from, state_, *row->cause, priority_});
    }
  }
}

std::optional<Trigger> Router::classify(const Event& event, TimePoint now) {
  return std::visit(
      util::Overloaded{
          [&](const Start&) -> std::optional<Trigger> {
            return state_ == State::Initialize && faulted() ? Trigger::StartFaulted
                                                            : Trigger::Start;
          },
          [&](const Shutdown&) -> std::optional<Trigger> { return Trigger::Shutdown; },
          [&](const AdvertReceived& advert) -> std::optional<Trigger> {
            return classifyAdvert(advert, now);
          },
          [&](const TimerExpired& expired) { return classifyTimer(expired); },
          [&](const PriorityChanged& change) -> std::optional<Trigger> {
            // An owner's priority never changes (keepalived; RFC 5798 §5.2.4).
            if (!isOwner()) {
              priority_ = std::clamp(change.priority, kMinTrackedPriority, kMaxTrackedPriority);
            }
            return Trigger::PriorityChanged;
          },
          [&](const FaultRaised& raised) -> std::optional<Trigger> {
            faults_.insert(raised.id);
            return Trigger::FaultActive;
          },
          [&](const FaultCleared& cleared) -> std::optional<Trigger> {
            faults_.erase(cleared.id);
            return faulted() ? Trigger::FaultActive : Trigger::FaultsCleared;
          },
          [&](const SyncForceMaster&) -> std::optional<Trigger> {
            // A drained member stays out of its group's mastership.
            if (maintenance_) return std::nullopt;
            return Trigger::SyncForceMaster;
          },
          [&](const SyncForceBackup&) -> std::optional<Trigger> {
            return Trigger::SyncForceBackup;
          },
          [&](const SyncFault&) -> std::optional<Trigger> {
            groupFault_ = true;
            return Trigger::SyncFault;
          },
          [&](const SyncFaultCleared&) -> std::optional<Trigger> {
            groupFault_ = false;
            return faulted() ? Trigger::FaultActive : Trigger::SyncFaultCleared;
          },
          [&](const Maintenance& drain) -> std::optional<Trigger> {
            // Repeats are the caller's to avoid: a row runs on every `act`.
            maintenance_ = drain.on;
            if (!drain.act) return std::nullopt;
            return drain.on ? Trigger::MaintenanceOn : Trigger::MaintenanceOff;
          },
      },
      event);
}

// RFC 5798 §6.4.2/§6.4.3 compare the advert with the local priority; the
// primary address breaks ties (unsigned, network byte order: IpAddress's
// ordering). Only a Backup cares about preempt settings.
Trigger Router::classifyAdvert(const AdvertReceived& advert, TimePoint now) const {
  if (state_ != State::Backup && state_ != State::Master) return Trigger::Advert;
  if (advert.priority == kResignPriority) return Trigger::AdvertPriorityZero;
  if (advert.priority > priority_) return Trigger::AdvertHigherPriority;
  if (advert.priority == priority_) {
    return advert.source > config_.primaryAddress ? Trigger::AdvertEqualPriorityHigherAddress
                                                  : Trigger::AdvertEqualPriorityLowerAddress;
  }
  if (state_ == State::Backup) {
    if (!config_.preempt) return Trigger::AdvertLowerPriorityNoPreempt;
    const bool delayPending =
        config_.preemptDelay > Duration{0} && (!preemptHoldUntil_ || now < *preemptHoldUntil_);
    if (delayPending) return Trigger::AdvertLowerPriorityPreemptDelayed;
  }
  return Trigger::AdvertLowerPriority;
}

// A timer event counts only if it matches the generation of the armed timer;
// anything else was cancelled or re-armed since and is dropped here.
std::optional<Trigger> Router::classifyTimer(const TimerExpired& expired) {
  TimerSlot& timer = slot(expired.timer);
  if (!timer.deadline || timer.generation != expired.generation) return std::nullopt;
  timer.deadline.reset();
  if (expired.timer == TimerId::Advert) return Trigger::AdverTimer;
  if (maintenance_ && state_ == State::Backup) return Trigger::MasterDownInMaintenance;
  if (syncHold_ && state_ == State::Backup) return Trigger::MasterDownHeldBySync;
  if (downReason_ == DownReason::PriorityZero) return Trigger::MasterDownAfterPriorityZero;
  if (discardedLowerPriority_) return Trigger::MasterDownPreempting;
  return Trigger::MasterDownTimer;
}

Duration Router::skewTime() const {
  return core::skewTime(config_.version, priority_, masterAdverInterval_);
}

Duration Router::masterDownInterval() const {
  return core::masterDownInterval(config_.version, priority_, masterAdverInterval_,
                                  config_.downTimerAdverts);
}

bool Router::acceptsVipTraffic() const {
  return state_ == State::Master && (config_.acceptMode || isOwner());
}

std::optional<TimePoint> Router::timerDeadline(TimerId timer) const { return slot(timer).deadline; }

void Router::arm(Context& ctx, TimerId timer, TimePoint deadline) {
  TimerSlot& s = slot(timer);
  s.deadline = deadline;
  s.generation = ++lastGeneration_;
  ctx.out->push_back(ArmTimer{timer, deadline, s.generation});
}

void Router::cancel(Context& ctx, TimerId timer) {
  TimerSlot& s = slot(timer);
  if (!s.deadline) return;
  s.deadline.reset();
  ctx.out->push_back(CancelTimer{timer});
}

}  // namespace vipd::core
