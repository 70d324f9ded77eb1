// The preemption decision in words; see preemption.h.
#include "vipd/daemon/preemption.h"

#include <fmt/format.h>

namespace vipd::daemon {

namespace {

using std::chrono::duration;

double secondsOf(PreemptClock::duration d) { return duration<double>(d).count(); }

// "(priority 100 < ours 150)": the comparison that decided.
std::string comparison(std::uint8_t theirs, std::uint8_t ours) {
  const char* relation = theirs < ours ? "<" : theirs > ours ? ">" : "=";
  return fmt::format("(priority {} {} ours {})", theirs, relation, ours);
}

// keepalived's rules (reference §1.10): an owner and `state MASTER` always preempt, at once.
std::string preemptRule(const core::RouterConfig& config) {
  if (config.priority == core::kOwnerPriority)
    return "the address owner (priority 255) always preempts";
  if (config.startHint == core::StartHint::Master) {
    return "state MASTER always preempts (nopreempt needs state BACKUP)";
  }
  if (config.preemptDelay > core::Duration{0}) {
    return fmt::format("preempt_delay {:g} s passed", secondsOf(config.preemptDelay));
  }
  return "preempt is on (the default)";
}

}  // namespace

std::string describeDeclined(const DeclinedPreemption& declined, PreemptClock::time_point now) {
  std::string why(core::toString(declined.hold));
  if (declined.hold == core::PreemptHold::Delay && declined.until) {
    const auto left = *declined.until > now ? *declined.until - now : PreemptClock::duration{0};
    why += fmt::format(": {:.1f} s left", secondsOf(left));
  }
  return fmt::format("not preempting {} {}: {}", declined.master.toString(),
                     comparison(declined.theirPriority, declined.ourPriority), why);
}

bool startsEpisode(const std::optional<DeclinedPreemption>& previous,
                   const core::PreemptDeclined& next, PreemptClock::time_point now,
                   PreemptClock::duration episodeGap) {
  return !previous || previous->master != next.master || previous->hold != next.hold ||
         now - previous->lastAt > episodeGap;
}

std::string describePreempted(const util::IpAddress& master, std::uint8_t theirs, std::uint8_t ours,
                              const core::RouterConfig& config) {
  return fmt::format("preempted {} {}: {}", master.toString(), comparison(theirs, ours),
                     preemptRule(config));
}

std::string describeYielded(const util::IpAddress& winner, std::uint8_t theirs, std::uint8_t ours,
                            const core::RouterConfig& config) {
  if (config.preempt) return {};
  return fmt::format(
      "{} {} took over although nopreempt is set here: nopreempt holds only on the router that "
      "would preempt (set it there, with state BACKUP)",
      winner.toString(), comparison(theirs, ours));
}

PreemptionStatus preemptionStatus(const core::Router& router,
                                  const std::optional<DeclinedPreemption>& declined,
                                  const std::optional<std::string>& preempted,
                                  PreemptClock::time_point now) {
  const auto& config = router.config();
  PreemptionStatus out;
  out.mode = !config.preempt                           ? "nopreempt"
             : config.preemptDelay > core::Duration{0} ? "delayed"
                                                       : "preempt";
  if (auto until = router.preemptHoldUntil(); until && *until > now) {
    out.delayRemainingSeconds = secondsOf(*until - now);
  }
  if (router.state() == core::State::Backup && declined &&
      now - declined->lastAt <= router.masterDownInterval()) {
    out.why = describeDeclined(*declined, now);
  } else if (router.state() == core::State::Master && preempted) {
    out.why = *preempted;
  }
  return out;
}

}  // namespace vipd::daemon
