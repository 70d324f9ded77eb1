#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/core/types.h"

namespace vipd::track {

/// `interface_up_down_delays` for one interface: a link change becomes
/// effective only once it has lasted its delay (down_delay for up→down,
/// up_delay for down→up); a change that reverts before then is absorbed
/// [K5 §Interface up/down status change debouncing; SRC vrrp_parser.c:
/// alloc_if_up_down_delay]. A zero delay applies the change at once.
/// Pure: the caller passes `now` and arms a timer at deadline().
class LinkDebouncer {
 public:
  LinkDebouncer(core::Duration downDelay, core::Duration upDelay, bool initiallyUp = true);

  /// A raw link report (netlink). Returns the new effective state when it
  /// changes at once (no delay for that direction).
  std::optional<bool> report(bool up, core::TimePoint now);
  /// When the pending change becomes effective; nullopt: nothing pending.
  std::optional<core::TimePoint> deadline() const { return deadline_; }
  /// Applies the pending change if its deadline has passed; returns the new
  /// effective state if it changed. Calling early or twice does nothing.
  std::optional<bool> expire(core::TimePoint now);

  bool effectiveUp() const { return effective_; }
  /// Sets the effective state outright (startup), dropping any pending change.
  void reset(bool up) {
    effective_ = up;
    deadline_.reset();
  }

 private:
  core::Duration downDelay_;
  core::Duration upDelay_;
  bool effective_;
  std::optional<core::TimePoint> deadline_;
};

/// An effective link change, as InstanceTracking::interfaceChanged wants it.
struct LinkChange {
  std::string interface;
  bool up = true;

  friend bool operator==(const LinkChange&, const LinkChange&) = default;
};

/// The effective state of every interface the host tracks, debounced with
/// the global `interface_up_down_delays`. Interfaces without delays pass
/// changes through at once. Unknown interfaces are assumed up until reported.
class LinkStates {
 public:
  explicit LinkStates(const std::vector<config::InterfaceDelays>& delays);

  /// The state at startup (first netlink dump): taken as is, never delayed.
  void setInitial(std::string_view interface, bool up);
  /// A raw link report; returns the change if it is effective at once.
  std::optional<LinkChange> report(std::string_view interface, bool up, core::TimePoint now);
  /// The earliest pending deadline, to arm one timer for all interfaces.
  std::optional<core::TimePoint> nextDeadline() const;
  /// Applies every change whose deadline has passed, in interface-name order.
  std::vector<LinkChange> expire(core::TimePoint now);

  bool effectiveUp(std::string_view interface) const;

 private:
  LinkDebouncer& debouncer(std::string_view interface);

  std::map<std::string, config::InterfaceDelays, std::less<>> delays_;
  std::map<std::string, LinkDebouncer, std::less<>> links_;
};

}  // namespace vipd::track
