#include "vipd/daemon/link_watch.h"

namespace vipd::daemon {

LinkWatch::LinkWatch(const std::vector<config::InterfaceDelays>& delays, Scheduler& scheduler,
                     OnChange onChange)
    : states_(delays), scheduler_(scheduler), onChange_(std::move(onChange)) {}

LinkWatch::~LinkWatch() {
  if (timer_) scheduler_.cancelTimer(*timer_);
}

void LinkWatch::setInitial(int ifindex, const std::string& name, bool usable) {
  if (ifindex != 0) names_[ifindex] = name;
  watched_.insert(name);
  states_.setInitial(name, usable);
}

void LinkWatch::onLink(int ifindex, const std::string& name, bool usable) {
  names_[ifindex] = name;
  if (!watches(name)) return;  // a link nothing depends on
  if (auto change = states_.report(name, usable, scheduler_.now())) publish(*change);
  rearm();
}

void LinkWatch::onLinkRemoved(int ifindex) {
  auto it = names_.find(ifindex);
  if (it == names_.end()) return;
  const std::string name = it->second;
  names_.erase(it);
  if (!watches(name)) return;
  if (auto change = states_.report(name, false, scheduler_.now())) publish(*change);
  rearm();
}

void LinkWatch::onLinkGone(const std::string& name) {
  if (auto change = states_.report(name, false, scheduler_.now())) publish(*change);
  rearm();
}

void LinkWatch::publish(const track::LinkChange& change) {
  if (onChange_) onChange_(change.interface, change.up);
}

// One timer for every pending change: the earliest deadline.
void LinkWatch::rearm() {
  if (timer_) scheduler_.cancelTimer(*timer_);
  timer_.reset();
  const auto next = states_.nextDeadline();
  if (!next) return;
  timer_ = scheduler_.armTimer(*next, [this] {
    timer_.reset();
    for (const auto& change : states_.expire(scheduler_.now())) publish(change);
    rearm();
  });
}

}  // namespace vipd::daemon
