// vrrp_sync_group glue: core::SyncGroup decides, the member Instances act,
// the group's Notifier reports. See sync_groups.h.
#include "vipd/daemon/sync_groups.h"

#include <algorithm>
#include <utility>

namespace vipd::daemon {

namespace {

/// What a group is made of, as far as a reload must rebuild it for. Its
/// trackers are not here: they are per-member trackers, which the daemon
/// re-derives on every reload anyway.
struct Shape {
  std::string name;
  std::vector<std::string> members;
  config::NotifyScripts notify;

  friend bool operator==(const Shape&, const Shape&) = default;
};

// Locations say where a script was written, not what it is.
std::vector<Shape> shapes(const config::Config& config) {
  std::vector<Shape> out;
  for (const auto& g : config.syncGroups) {
    Shape shape{g.name, g.members, g.notify};
    for (auto* script : {&shape.notify.master, &shape.notify.backup, &shape.notify.fault,
                         &shape.notify.stop, &shape.notify.generic}) {
      if (*script) (*script)->where = {};
    }
    out.push_back(std::move(shape));
  }
  return out;
}

bool isMember(const config::Config& config, const std::string& name) {
  return std::any_of(config.syncGroups.begin(), config.syncGroups.end(), [&](const auto& g) {
    return std::find(g.members.begin(), g.members.end(), name) != g.members.end();
  });
}

// A stopped group reports STOP (reference §2.1: groups get it at shutdown).
notify::NotifyState notifyState(core::State state) {
  switch (state) {
    case core::State::Master:
      return notify::NotifyState::Master;
    case core::State::Backup:
      return notify::NotifyState::Backup;
    case core::State::Fault:
      return notify::NotifyState::Fault;
    case core::State::Initialize:
      break;
  }
  return notify::NotifyState::Stop;
}

}  // namespace

SyncGroups::SyncGroups(Deps deps, std::shared_ptr<spdlog::logger> log)
    : deps_(deps), log_(std::move(log)) {}

SyncGroups::~SyncGroups() {
  for (auto& group : groups_) {
    for (auto* member : group->members) member->setEventSink({});
  }
}

void SyncGroups::build(const config::Config& config,
                       const std::vector<std::unique_ptr<Instance>>& instances,
                       notify::ScriptResolver& resolver, std::vector<notify::FifoWriter*> fifos) {
  release();
  for (const auto& in : config.syncGroups) {
    add(in, instances, resolver, fifos,
        notify::notifyTimeout(std::nullopt, in.notify.timeout, config.global.notifyTimeout));
  }
  releasedStats_.clear();
  // Groups built over running members (a reload) take up the fault rule now.
  for (auto& group : groups_) {
    const auto before = group->core.state();
    apply(*group, group->core.settle(deps_.scheduler.now()), before);
  }
}

void SyncGroups::add(const config::SyncGroup& in,
                     const std::vector<std::unique_ptr<Instance>>& instances,
                     notify::ScriptResolver& resolver,
                     const std::vector<notify::FifoWriter*>& fifos,
                     std::chrono::seconds notifyTimeout) {
  std::vector<Instance*> members;
  std::vector<core::Router*> routers;
  for (const auto& name : in.members) {
    auto it = std::find_if(instances.begin(), instances.end(),
                           [&](const auto& i) { return i->settings().name == name; });
    if (it == instances.end()) {
      log_->warn("(group {}) member {} is not running; the group goes without it", in.name, name);
      continue;
    }
    members.push_back(it->get());
    routers.push_back(&(*it)->routerForGroup());
  }
  if (members.empty()) return;
  auto notifier = std::make_unique<notify::Notifier>(notify::Subject::Group, in.name, in.notify,
                                                     resolver, deps_.runner, fifos,
                                                     notify::NotifyQueue::Options{notifyTimeout});
  if (auto it = releasedStats_.find(in.name); it != releasedStats_.end()) {
    notifier->queue().continueStats(it->second);
  }
  auto group = std::make_unique<Group>(
      Group{core::SyncGroup(in.name, std::move(routers)), std::move(members), std::move(notifier)});
  Group* raw = group.get();
  for (std::size_t i = 0; i < raw->members.size(); ++i) {
    raw->members[i]->setEventSink(
        [this, raw, i](const core::Event& event) { onEvent(*raw, i, event); });
  }
  log_->info("(group {}) members={} state={}", in.name, raw->members.size(),
             core::toString(raw->core.state()));
  groups_.push_back(std::move(group));
}

void SyncGroups::release() {
  const auto now = deps_.scheduler.now();
  for (auto& group : groups_) {
    for (auto* member : group->members) {
      member->setEventSink({});
      core::Router& router = member->routerForGroup();
      router.setSyncHold(false);
      // The only way to drop a group fault: the fault's owner is no longer
      // a fellow member (a lone router never sees Sync* events otherwise).
      if (router.groupFaulted()) member->perform(router.handle(core::SyncFaultCleared{}, now));
    }
    releasedStats_[group->core.name()] = group->notifier->queue().stats();
    retire(std::move(group->notifier));
  }
  groups_.clear();
}

void SyncGroups::retire(std::unique_ptr<notify::Notifier> notifier) {
  std::erase_if(retired_, [](const auto& n) { return n->queue().idle(); });
  if (!notifier->queue().idle()) retired_.push_back(std::move(notifier));
}

bool SyncGroups::needRebuild(const config::Config& running, const config::Config& next,
                             const std::vector<PlannedChange>& plan) {
  if (shapes(running) != shapes(next)) return true;
  return std::any_of(plan.begin(), plan.end(), [&](const PlannedChange& change) {
    return change.change != InstanceChange::Unchanged &&
           (isMember(running, change.instance) || isMember(next, change.nextName()));
  });
}

void SyncGroups::onEvent(Group& group, std::size_t member, const core::Event& event) {
  const auto before = group.core.state();
  apply(group, group.core.handle(member, event, deps_.scheduler.now()), before);
}

// `before` is the group's state while its members act: keepalived updates
// the group's state after moving the members, and an instance notify is
// suppressed against it (Instance::perform).
void SyncGroups::apply(Group& group, const core::SyncOutput& out, core::State before) {
  for (const auto& m : out.members) group.members[m.member]->perform(m.actions, before);
  for (const auto& transition : out.group) notifyGroup(group, transition);
}

void SyncGroups::notifyGroup(Group& group, const core::GroupTransition& t) {
  log_->info("(group {}) entering {} state: from={}", group.core.name(), core::toString(t.to),
             core::toString(t.from));
  // Groups always report priority 0 (reference §2.1); Notifier applies it.
  group.notifier->notify(notifyState(t.to), 0);
}

bool SyncGroups::idle() const {
  const auto busy = [](const auto& n) { return n && !n->queue().idle(); };
  if (std::any_of(retired_.begin(), retired_.end(), busy)) return false;
  return std::none_of(groups_.begin(), groups_.end(),
                      [&](const auto& g) { return busy(g->notifier); });
}

void SyncGroups::setNotifyTimeouts(const config::Config& config) {
  for (const auto& in : config.syncGroups) {
    for (auto& group : groups_) {
      if (group->core.name() != in.name) continue;
      group->notifier->queue().setTimeout(
          notify::notifyTimeout(std::nullopt, in.notify.timeout, config.global.notifyTimeout));
    }
  }
}

std::vector<NotifyReport> SyncGroups::notifyReports() const {
  std::vector<NotifyReport> out;
  for (const auto& group : groups_) {
    out.push_back({"group", group->core.name(), group->notifier->queue().stats()});
  }
  return out;
}

void SyncGroups::clearStats() {
  for (auto& group : groups_) group->notifier->queue().clearStats();
}

std::vector<notify::RefusedScript> SyncGroups::refusals() const {
  std::vector<notify::RefusedScript> out;
  for (const auto& group : groups_) {
    const auto& refused = group->notifier->refusals();
    out.insert(out.end(), refused.begin(), refused.end());
  }
  return out;
}

void SyncGroups::forEachQueue(const std::function<void(const notify::NotifyQueue&)>& visit) const {
  for (const auto& group : groups_) visit(group->notifier->queue());
  for (const auto& notifier : retired_) visit(notifier->queue());
}

void SyncGroups::cancelAll() {
  for (auto& group : groups_) group->notifier->queue().cancelAll();
  for (auto& notifier : retired_) notifier->queue().cancelAll();
}

}  // namespace vipd::daemon
