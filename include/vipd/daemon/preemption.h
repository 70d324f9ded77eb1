#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "vipd/core/action.h"
#include "vipd/core/router.h"
#include "vipd/util/ip_address.h"

namespace vipd::daemon {

/// The preemption decision of one instance in words, for the log and `vipctl status`.
///
/// keepalived's users misread nopreempt more than any other keyword: it holds only on the router
/// that would preempt, and only with `state BACKUP` (reference §5 item 11; keepalived GH#1515,
/// GH#512, GH#2174). keepalived never says why it did or did not take over; these helpers do.
/// Pure: time comes in with each call.

using PreemptClock = std::chrono::steady_clock;

/// A Backup's latest decision to let a lower-priority master be (core::PreemptDeclined).
struct DeclinedPreemption {
  util::IpAddress master;
  std::uint8_t theirPriority = 0;
  std::uint8_t ourPriority = 0;
  core::PreemptHold hold = core::PreemptHold::NoPreempt;
  /// PreemptHold::Delay: when the delay ends.
  std::optional<PreemptClock::time_point> until;
  /// The last advert declined.
  PreemptClock::time_point lastAt{};
};

/// "not preempting 192.0.2.2 (priority 100 < ours 150): nopreempt", or
/// "...: preempt_delay: 12.3 s left".
std::string describeDeclined(const DeclinedPreemption& declined, PreemptClock::time_point now);

/// Whether `next` deserves a log line after `previous`: the first decline, another master,
/// another reason, or a decline after a silence longer than `episodeGap` (the master went away
/// and came back). One line per episode, not one per advert.
bool startsEpisode(const std::optional<DeclinedPreemption>& previous,
                   const core::PreemptDeclined& next, PreemptClock::time_point now,
                   PreemptClock::duration episodeGap);

/// Why a Backup → Master preemption of `master` (priority `theirs`) happened, with the rule
/// that made this router preempt: "preempted 192.0.2.2 (priority 100 < ours 150): preempt_delay
/// 2 s passed". `config` is the router's (normalized) configuration.
std::string describePreempted(const util::IpAddress& master, std::uint8_t theirs, std::uint8_t ours,
                              const core::RouterConfig& config);

/// A master with nopreempt that a higher priority took over from: nopreempt only holds on the
/// router that would preempt. Empty when that is not the case.
std::string describeYielded(const util::IpAddress& winner, std::uint8_t theirs, std::uint8_t ours,
                            const core::RouterConfig& config);

/// `vipctl status`'s "preempt" object.
struct PreemptionStatus {
  /// "preempt", "nopreempt" or "delayed" (preempt_delay > 0), after keepalived's rules.
  std::string mode;
  /// While a preempt delay runs: the seconds left.
  std::optional<double> delayRemainingSeconds;
  /// One sentence, when there is something to explain: a Backup letting a lower-priority master
  /// be (recent: within Master_Down_Interval), or a Master that preempted.
  std::optional<std::string> why;
};

/// `declined`: the latest decline; `preempted`: describePreempted() of the transition that made
/// this router Master, while it still is.
PreemptionStatus preemptionStatus(const core::Router& router,
                                  const std::optional<DeclinedPreemption>& declined,
                                  const std::optional<std::string>& preempted,
                                  PreemptClock::time_point now);

}  // namespace vipd::daemon
