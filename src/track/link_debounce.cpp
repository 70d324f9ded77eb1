#include "vipd/track/link_debounce.h"

namespace vipd::track {

LinkDebouncer::LinkDebouncer(core::Duration downDelay, core::Duration upDelay, bool initiallyUp)
    : downDelay_(downDelay), upDelay_(upDelay), effective_(initiallyUp) {}

std::optional<bool> LinkDebouncer::report(bool up, core::TimePoint now) {
  if (up == effective_) {
    // Back to the effective state before the delay ran out: the flap is absorbed.
    deadline_.reset();
    return std::nullopt;
  }
  const core::Duration delay = up ? upDelay_ : downDelay_;
  if (delay <= core::Duration::zero()) {
    deadline_.reset();
    effective_ = up;
    return up;
  }
  // A repeated report of the same pending change keeps the first deadline:
  // the change must last `delay` from when it started.
  if (!deadline_) deadline_ = now + delay;
  return std::nullopt;
}

std::optional<bool> LinkDebouncer::expire(core::TimePoint now) {
  if (!deadline_ || now < *deadline_) return std::nullopt;
  deadline_.reset();
  effective_ = !effective_;
  return effective_;
}

LinkStates::LinkStates(const std::vector<config::InterfaceDelays>& delays) {
  for (const config::InterfaceDelays& d : delays) delays_.insert_or_assign(d.interface, d);
}

LinkDebouncer& LinkStates::debouncer(std::string_view interface) {
  auto it = links_.find(interface);
  if (it != links_.end()) return it->second;
  const auto d = delays_.find(interface);
  const core::Duration down = d == delays_.end() ? core::Duration::zero() : d->second.down;
  const core::Duration up = d == delays_.end() ? core::Duration::zero() : d->second.up;
  return links_.emplace(std::string(interface), LinkDebouncer(down, up)).first->second;
}

void LinkStates::setInitial(std::string_view interface, bool up) { debouncer(interface).reset(up); }

std::optional<LinkChange> LinkStates::report(std::string_view interface, bool up,
                                             core::TimePoint now) {
  const auto changed = debouncer(interface).report(up, now);
  if (!changed) return std::nullopt;
  return LinkChange{std::string(interface), *changed};
}

std::optional<core::TimePoint> LinkStates::nextDeadline() const {
  std::optional<core::TimePoint> earliest;
  for (const auto& [name, link] : links_) {
    const auto d = link.deadline();
    if (d && (!earliest || *d < *earliest)) earliest = d;
  }
  return earliest;
}

std::vector<LinkChange> LinkStates::expire(core::TimePoint now) {
  std::vector<LinkChange> changes;
  for (auto& [name, link] : links_) {
    if (const auto up = link.expire(now)) changes.push_back(LinkChange{name, *up});
  }
  return changes;
}

bool LinkStates::effectiveUp(std::string_view interface) const {
  const auto it = links_.find(interface);
  return it == links_.end() || it->second.effectiveUp();
}

}  // namespace vipd::track
