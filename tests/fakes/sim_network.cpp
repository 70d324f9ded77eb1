#include "fakes/sim_network.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "fakes/action_text.h"

namespace vipd::fakes {
namespace {

using core::State;

// Later entries sort first so std::*_heap keeps the earliest on top.
struct LaterFirst {
  template <class E>
  bool operator()(const E& a, const E& b) const {
    return a.at != b.at ? a.at > b.at : a.seq > b.seq;
  }
};

// The edges of RFC 5798 §6.4 plus keepalived's FAULT; Master is entered only
// from Backup (keepalived starts every instance as Backup).
bool legalEdge(State from, State to) {
  switch (from) {
    case State::Initialize:
      return to == State::Backup || to == State::Fault;
    case State::Backup:
      return to != State::Backup;
    case State::Master:
      return to != State::Master;
    case State::Fault:
      return to == State::Backup || to == State::Initialize;
  }
  return false;
}

}  // namespace

std::string formatTime(core::TimePoint at) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%lld.%06llds", static_cast<long long>(us / 1'000'000),
                static_cast<long long>(us % 1'000'000));
  return buffer;
}

NodeId SimNetwork::addRouter(const core::RouterConfig& config) {
  if (!hosts_.empty()) throw std::logic_error("addRouter after addSyncGroup");
  Node node;
  node.config = config;
  node.trackedPriority = config.priority;
  nodes_.push_back(std::move(node));
  lastArrival_.resize(nodes_.size());
  return nodes_.size() - 1;
}

void SimNetwork::addSyncGroup(const std::vector<NodeId>& members) {
  for (std::size_t i = 0; i < members.size(); ++i) {
    nodes_[members[i]].host = hosts_.size();
    nodes_[members[i]].member = i;
  }
  hosts_.push_back(Host{members, std::nullopt, State::Initialize});
}

const core::SyncGroup* SimNetwork::syncGroup(NodeId id) const {
  const auto& host = nodes_[id].host;
  if (!host || !hosts_[*host].group) return nullptr;
  return &*hosts_[*host].group;
}

void SimNetwork::at(core::TimePoint when, std::function<void()> op) {
  push(when, Scripted{std::move(op)});
}

void SimNetwork::push(core::TimePoint at, std::variant<Delivery, TimerFire, Scripted> what) {
  queue_.push_back(Entry{at, nextSeq_++, std::move(what)});
  std::push_heap(queue_.begin(), queue_.end(), LaterFirst{});
}

void SimNetwork::runUntil(core::TimePoint end) {
  while (!queue_.empty() && violations_.empty() && queue_.front().at <= end) {
    std::pop_heap(queue_.begin(), queue_.end(), LaterFirst{});
    Entry entry = std::move(queue_.back());
    queue_.pop_back();
    now_ = entry.at;
    if (++eventsProcessed_ > eventBudget_) {
      fail(formatTime(now_) + " event budget of " + std::to_string(eventBudget_) +
           " exceeded (event storm?)");
      break;
    }
    dispatch(entry);
    if (observer_ && violations_.empty()) observer_();
  }
  if (violations_.empty() && end > now_) now_ = end;
}

void SimNetwork::dispatch(Entry& entry) {
  if (auto* delivery = std::get_if<Delivery>(&entry.what)) {
    const Node& to = nodes_[delivery->to];
    const Node& from = nodes_[delivery->from];
    if (to.router && to.segment == from.segment) feed(delivery->to, delivery->advert);
  } else if (auto* fire = std::get_if<TimerFire>(&entry.what)) {
    // Timers die with the process: a crash bumps the incarnation.
    const Node& node = nodes_[fire->node];
    if (node.router && node.incarnation == fire->incarnation) feed(fire->node, fire->expired);
  } else {
    std::get<Scripted>(entry.what).op();
  }
}

void SimNetwork::feed(NodeId id, const core::Event& event) {
  if (nodes_[id].host) return feedHost(id, event);
  Node& node = nodes_[id];
  if (std::ostream* out = trace(id)) *out << describe(event) << "\n";
  core::Actions actions;
  try {
    actions = node.router->handle(event, now_);
  } catch (const std::exception& e) {
    violation(id, std::string("router threw: ") + e.what());
    return;
  }
  for (const auto& action : actions) {
    if (std::ostream* out = trace(id)) *out << "    -> " << describe(action) << "\n";
    execute(id, action);
  }
  checkInvariants(id);
}

// As feed(), through the host's sync group: actions may go to any member.
void SimNetwork::feedHost(NodeId id, const core::Event& event) {
  const std::size_t h = *nodes_[id].host;
  Host& host = hosts_[h];
  if (std::ostream* out = trace(id)) *out << describe(event) << "\n";
  core::SyncOutput output;
  try {
    output = host.group->handle(nodes_[id].member, event, now_);
  } catch (const std::exception& e) {
    violation(id, std::string("sync group threw: ") + e.what());
    return;
  }
  for (const auto& member : output.members) {
    const NodeId to = host.members[member.member];
    for (const auto& action : member.actions) {
      if (std::ostream* out = trace(to)) *out << "    -> " << describe(action) << "\n";
      execute(to, action);
    }
  }
  for (const auto& transition : output.group) groupNotify(h, transition);
  for (NodeId member : host.members) checkInvariants(member);
}

void SimNetwork::groupNotify(std::size_t h, const core::GroupTransition& transition) {
  Host& host = hosts_[h];
  if (trace_ != nullptr) {
    *trace_ << formatTime(now_) << " GROUP " << h << " " << toString(transition.from) << "->"
            << toString(transition.to) << "\n";
  }
  if (transition.from != host.notified || transition.from == transition.to) {
    violations_.push_back(formatTime(now_) + " sync group " + std::to_string(h) +
                          ": notification from " + std::string(toString(transition.from)) +
                          " but the last one entered " + std::string(toString(host.notified)));
  }
  host.notified = transition.to;
}

void SimNetwork::execute(NodeId id, const core::Action& action) {
  Node& node = nodes_[id];
  if (auto* advert = std::get_if<core::SendAdvert>(&action)) {
    broadcast(id, *advert);
  } else if (std::holds_alternative<core::AddVips>(action)) {
    if (node.vipsHeld) violation(id, "AddVips while already holding the VIPs");
    node.vipsHeld = true;
  } else if (std::holds_alternative<core::RemoveVips>(action)) {
    if (!node.vipsHeld) violation(id, "RemoveVips without holding the VIPs");
    node.vipsHeld = false;
  } else if (auto* arm = std::get_if<core::ArmTimer>(&action)) {
    if (arm->deadline < now_) violation(id, "timer armed in the past");
    push(arm->deadline, TimerFire{id, node.incarnation, {arm->timer, arm->generation}});
  } else if (auto* transition = std::get_if<core::NotifyTransition>(&action)) {
    notify(id, *transition);
  }
  // CancelTimer: deliberately left in the queue (stale timers must be ignored).
  // SendGratuitous, MasterRxLowerPriority: nothing to simulate.
}

void SimNetwork::broadcast(NodeId from, const core::SendAdvert& advert) {
  const Node& sender = nodes_[from];
  const core::AdvertReceived packet{sender.config.primaryAddress, advert.priority,
                                    static_cast<std::uint16_t>(advert.interval.count())};
  const core::Duration latency{
      random_.between(conditions_.minLatency.count(), conditions_.maxLatency.count())};
  core::TimePoint& arrival = lastArrival_[from];
  arrival = std::max(arrival, now_ + latency);
  for (NodeId to = 0; to < nodes_.size(); ++to) {
    const Node& receiver = nodes_[to];
    if (to == from || receiver.config.vrid != sender.config.vrid) continue;
    if (receiver.segment != sender.segment) continue;
    if (random_.chance(conditions_.lossPerMille)) continue;
    push(arrival, Delivery{to, from, packet});
  }
}

void SimNetwork::notify(NodeId id, const core::NotifyTransition& transition) {
  Node& node = nodes_[id];
  if (transition.from != node.notified) {
    violation(id, std::string("notification from ") + std::string(toString(transition.from)) +
                      " but the last one entered " + std::string(toString(node.notified)));
  }
  if (!legalEdge(transition.from, transition.to)) {
    violation(id, std::string("illegal transition ") + std::string(toString(transition.from)) +
                      "->" + std::string(toString(transition.to)));
  }
  node.notified = transition.to;
  ++causeCounts_[static_cast<std::size_t>(transition.cause)];
  if (transition.to == State::Master) node.becameMasterAt = now_;
}

void SimNetwork::checkInvariants(NodeId id) {
  const Node& node = nodes_[id];
  const core::Router& router = *node.router;
  const State state = router.state();
  const bool advertArmed = router.timerDeadline(core::TimerId::Advert).has_value();
  const bool downArmed = router.timerDeadline(core::TimerId::MasterDown).has_value();
  if (node.notified != state) violation(id, "state changed without a notification");
  if (node.vipsHeld != (state == State::Master))
    violation(id, "VIPs held but not Master, or vice versa");
  if (state == State::Master && router.faulted()) violation(id, "Master while a fault is active");
  if (state != State::Initialize && router.faulted() != (state == State::Fault)) {
    violation(id, "Fault state does not match the active faults");
  }
  if (advertArmed != (state == State::Master)) violation(id, "Adver_Timer armed iff Master broken");
  if (downArmed != (state == State::Backup)) {
    violation(id, "Master_Down_Timer armed iff Backup broken");
  }
}

void SimNetwork::start(NodeId id) {
  if (!nodes_[id].host) return startOne(id);
  const std::size_t h = *nodes_[id].host;
  if (!hosts_[h].group) buildHost(h);
  for (NodeId member : hosts_[h].members) feed(member, core::Start{});
}

// A (re)built router replays its tracking inputs before it starts.
void SimNetwork::startOne(NodeId id) {
  Node& node = nodes_[id];
  if (!node.router) {
    node.router.emplace(node.config);
    node.notified = State::Initialize;
    if (node.trackedPriority != node.config.priority) {
      feed(id, core::PriorityChanged{node.trackedPriority});
    }
    for (core::FaultId fault : node.faults) feed(id, core::FaultRaised{fault});
  }
  feed(id, core::Start{});
}

// A host's process comes up: every member is built, then the group, then the
// tracking inputs are replayed through the group (faults propagate).
void SimNetwork::buildHost(std::size_t h) {
  Host& host = hosts_[h];
  std::vector<core::Router*> routers;
  for (NodeId member : host.members) {
    Node& node = nodes_[member];
    node.router.emplace(node.config);
    node.notified = State::Initialize;
    routers.push_back(&*node.router);
  }
  host.group.emplace("host" + std::to_string(h), std::move(routers));
  host.notified = State::Initialize;
  for (NodeId member : host.members) {
    const Node& node = nodes_[member];
    if (node.trackedPriority != node.config.priority) {
      feed(member, core::PriorityChanged{node.trackedPriority});
    }
    for (core::FaultId fault : node.faults) feed(member, core::FaultRaised{fault});
  }
}

void SimNetwork::shutdown(NodeId id) {
  if (!nodes_[id].host) {
    if (nodes_[id].router) feed(id, core::Shutdown{});
    return;
  }
  const std::size_t h = *nodes_[id].host;
  if (!hosts_[h].group) return;
  for (NodeId member : hosts_[h].members) feed(member, core::Shutdown{});
}

void SimNetwork::crash(NodeId id) {
  if (!nodes_[id].host) return crashOne(id);
  Host& host = hosts_[*nodes_[id].host];
  host.group.reset();  // before the routers it points to
  host.notified = State::Initialize;
  for (NodeId member : host.members) crashOne(member);
}

void SimNetwork::crashOne(NodeId id) {
  Node& node = nodes_[id];
  if (std::ostream* out = trace(id)) *out << "CRASH\n";
  node.router.reset();
  ++node.incarnation;
  node.vipsHeld = false;
  node.notified = State::Initialize;
}

void SimNetwork::setPriority(NodeId id, std::uint8_t priority) {
  nodes_[id].trackedPriority = priority;
  if (nodes_[id].router) feed(id, core::PriorityChanged{priority});
}

void SimNetwork::raiseFault(NodeId id, core::FaultId fault) {
  if (isMaster(id)) ++faultsRaisedOnMaster_;
  nodes_[id].faults.insert(fault);
  if (nodes_[id].router) feed(id, core::FaultRaised{fault});
}

void SimNetwork::clearFault(NodeId id, core::FaultId fault) {
  nodes_[id].faults.erase(fault);
  if (nodes_[id].router) feed(id, core::FaultCleared{fault});
}

void SimNetwork::heal() {
  for (Node& node : nodes_) node.segment = 0;
}

const core::Router* SimNetwork::router(NodeId id) const {
  return nodes_[id].router ? &*nodes_[id].router : nullptr;
}

bool SimNetwork::running(NodeId id) const {
  const core::Router* r = router(id);
  return r != nullptr && r->state() != State::Initialize;
}

bool SimNetwork::eligible(NodeId id) const { return running(id) && !router(id)->faulted(); }

bool SimNetwork::isMaster(NodeId id) const {
  const core::Router* r = router(id);
  return r != nullptr && r->state() == State::Master;
}

void SimNetwork::fail(std::string what) { violations_.push_back(std::move(what)); }

void SimNetwork::violation(NodeId id, const std::string& what) {
  violations_.push_back(formatTime(now_) + " router " + std::to_string(id) + " (" +
                        nodes_[id].config.primaryAddress.toString() + "): " + what);
}

std::ostream* SimNetwork::trace(NodeId id) {
  if (trace_ != nullptr) *trace_ << formatTime(now_) << " r" << id << " ";
  return trace_;
}

}  // namespace vipd::fakes
