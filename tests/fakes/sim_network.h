#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "fakes/sim_random.h"
#include "vipd/core/router.h"
#include "vipd/core/sync_group.h"

namespace vipd::fakes {

using NodeId = std::size_t;

/// Conditions of the one shared segment, applied per packet.
struct LinkConditions {
  std::uint32_t lossPerMille = 0;
  core::Duration minLatency{0};
  core::Duration maxLatency{0};
};

/// Several core::Router instances on one virtual LAN with a virtual clock: a
/// discrete-event queue ordered by (time, insertion sequence), so a seed
/// fully determines a run. Adverts go to every other router of the same VRID
/// in the same segment. One sent packet has one latency for all its receivers
/// (a broadcast medium), a sender's packets never overtake each other, and
/// loss is decided per receiver. Timers are queued
/// as TimerExpired events and are never removed when cancelled or re-armed:
/// routers see every stale timer and must ignore it.
///
/// After every event the network checks invariants on what the routers did
/// (VIPs held iff Master, never Master while faulted, timers armed as the
/// state requires, notifications continuous and along legal edges) and
/// records violations; a run stops at the first one.
class SimNetwork {
 public:
  explicit SimNetwork(std::uint64_t seed) : random_(seed) {}

  /// Adds a router that is not started yet (tracking inputs at their defaults).
  /// Not allowed once a sync group exists (the groups point into the nodes).
  NodeId addRouter(const core::RouterConfig& config);
  /// Makes `members` (one host's instances, none started) one keepalived
  /// vrrp_sync_group: their events go through a core::SyncGroup, and
  /// start, shutdown and crash of any member apply to the whole host. Group
  /// notifications are checked for continuity like instance ones.
  void addSyncGroup(const std::vector<NodeId>& members);
  /// The sync group of `node`'s host; nullptr without one or while crashed.
  const core::SyncGroup* syncGroup(NodeId node) const;

  /// Runs `op` at sim time `when` (ordered with the other events at that time).
  void at(core::TimePoint when, std::function<void()> op);
  void runUntil(core::TimePoint end);
  core::TimePoint now() const { return now_; }
  SimRandom& random() { return random_; }

  // Operations on routers, effective at now().
  /// Starts the router; a crashed one is rebuilt first, with its tracking state.
  void start(NodeId node);
  /// Graceful stop (Shutdown event); start() brings it back.
  void shutdown(NodeId node);
  /// Host dies: router state, timers and VIPs are lost.
  void crash(NodeId node);
  void setPriority(NodeId node, std::uint8_t priority);
  void raiseFault(NodeId node, core::FaultId id);
  void clearFault(NodeId node, core::FaultId id);

  // The segment.
  void setConditions(const LinkConditions& conditions) { conditions_ = conditions; }
  const LinkConditions& conditions() const { return conditions_; }
  /// Packets cross only between nodes in the same segment (checked at send
  /// and at delivery).
  void setSegment(NodeId node, int segment) { nodes_[node].segment = segment; }
  void heal();

  // Observation.
  std::size_t size() const { return nodes_.size(); }
  const core::RouterConfig& config(NodeId node) const { return nodes_[node].config; }
  /// nullptr while crashed.
  const core::Router* router(NodeId node) const;
  /// Started, not shut down, not crashed.
  bool running(NodeId node) const;
  /// Running and not faulted: could be elected.
  bool eligible(NodeId node) const;
  bool holdsVips(NodeId node) const { return nodes_[node].vipsHeld; }
  bool isMaster(NodeId node) const;
  int segment(NodeId node) const { return nodes_[node].segment; }
  /// When `node` last entered Master, if it ever did.
  std::optional<core::TimePoint> becameMasterAt(NodeId node) const {
    return nodes_[node].becameMasterAt;
  }

  /// Called after every processed event (after the invariant checks).
  void onStep(std::function<void()> observer) { observer_ = std::move(observer); }
  /// Records a failure found by an observer; the run stops.
  void fail(std::string what);
  const std::vector<std::string>& violations() const { return violations_; }
  /// Writes every event and action to `out` (nullptr: off).
  void setTrace(std::ostream* out) { trace_ = out; }
  std::uint64_t eventsProcessed() const { return eventsProcessed_; }
  /// A run that processes more events fails (an event storm, not a hang).
  void setEventBudget(std::uint64_t events) { eventBudget_ = events; }
  /// How many transitions had `cause`, over all routers.
  std::uint64_t transitions(core::Cause cause) const {
    return causeCounts_[static_cast<std::size_t>(cause)];
  }
  /// How many faults were raised on a router that was Master at the time.
  std::uint64_t faultsRaisedOnMaster() const { return faultsRaisedOnMaster_; }

 private:
  struct Node {
    core::RouterConfig config;
    std::optional<core::Router> router;
    std::uint64_t incarnation = 0;
    bool vipsHeld = false;
    int segment = 0;
    std::uint8_t trackedPriority = 0;
    std::set<core::FaultId> faults;
    core::State notified = core::State::Initialize;
    std::optional<core::TimePoint> becameMasterAt;
    std::optional<std::size_t> host;  // index into hosts_ when in a sync group
    std::size_t member = 0;           // index in that group
  };
  struct Host {
    std::vector<NodeId> members;
    std::optional<core::SyncGroup> group;  // empty while crashed / never started
    core::State notified = core::State::Initialize;
  };
  struct Delivery {
    NodeId to;
    NodeId from;
    core::AdvertReceived advert;
  };
  struct TimerFire {
    NodeId node;
    std::uint64_t incarnation;
    core::TimerExpired expired;
  };
  struct Scripted {
    std::function<void()> op;
  };
  struct Entry {
    core::TimePoint at;
    std::uint64_t seq;
    std::variant<Delivery, TimerFire, Scripted> what;
  };

  void push(core::TimePoint at, std::variant<Delivery, TimerFire, Scripted> what);
  void dispatch(Entry& entry);
  void feed(NodeId node, const core::Event& event);
  void feedHost(NodeId node, const core::Event& event);
  void groupNotify(std::size_t host, const core::GroupTransition& transition);
  void buildHost(std::size_t host);
  void startOne(NodeId node);
  void crashOne(NodeId node);
  void execute(NodeId node, const core::Action& action);
  void broadcast(NodeId from, const core::SendAdvert& advert);
  void notify(NodeId node, const core::NotifyTransition& transition);
  void checkInvariants(NodeId node);
  void violation(NodeId node, const std::string& what);
  std::ostream* trace(NodeId node);

  SimRandom random_;
  LinkConditions conditions_;
  std::vector<Node> nodes_;
  std::vector<Host> hosts_;
  std::vector<core::TimePoint> lastArrival_;  // per sender: packets stay in order
  std::vector<Entry> queue_;                  // a binary heap, earliest first
  std::uint64_t nextSeq_ = 0;
  core::TimePoint now_{};
  std::function<void()> observer_;
  std::vector<std::string> violations_;
  std::ostream* trace_ = nullptr;
  std::uint64_t eventsProcessed_ = 0;
  std::uint64_t eventBudget_ = 1'000'000;
  std::array<std::uint64_t, core::kCauseCount> causeCounts_{};
  std::uint64_t faultsRaisedOnMaster_ = 0;
};

/// "12.345s" for sim-time messages.
std::string formatTime(core::TimePoint at);

}  // namespace vipd::fakes
