#include "sim_properties.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include "sim_cluster.h"
#include "vipd/core/timing.h"

namespace vipd::core::sim {
namespace {

using namespace std::chrono_literals;
using fakes::NodeId;
using fakes::SimNetwork;

std::vector<NodeId> mastersOf(const SimNetwork& net, const Group& group) {
  std::vector<NodeId> masters;
  for (NodeId n : group.nodes) {
    if (net.isMaster(n)) masters.push_back(n);
  }
  return masters;
}

std::vector<NodeId> eligibleOf(const SimNetwork& net, const Group& group) {
  std::vector<NodeId> eligible;
  for (NodeId n : group.nodes) {
    if (net.eligible(n)) eligible.push_back(n);
  }
  return eligible;
}

std::string list(const std::vector<NodeId>& nodes) {
  std::ostringstream out;
  for (NodeId n : nodes) out << " " << n;
  return out.str();
}

std::string where(const SimNetwork& net, const Group& group) {
  return fakes::formatTime(net.now()) + " VRID " + std::to_string(group.vrid) + ": ";
}

// Property (1).
std::optional<std::string> checkOneMaster(const SimNetwork& net, const Group& group) {
  const auto masters = mastersOf(net, group);
  const std::size_t wanted = eligibleOf(net, group).empty() ? 0 : 1;
  if (masters.size() == wanted) return std::nullopt;
  return where(net, group) + std::to_string(masters.size()) + " masters (routers" + list(masters) +
         "), expected " + std::to_string(wanted);
}

// Property (2); assumes (1) holds.
std::optional<std::string> checkHighestPriority(const SimNetwork& net, const Group& group) {
  const auto masters = mastersOf(net, group);
  if (masters.empty()) return std::nullopt;
  const NodeId master = masters.front();
  std::vector<NodeId> best;
  std::uint8_t top = 0;
  for (NodeId n : eligibleOf(net, group)) {
    const std::uint8_t priority = net.router(n)->priority();
    if (priority > top) best.clear();
    if (priority >= top) best.push_back(n);
    top = std::max(top, priority);
  }
  if (std::find(best.begin(), best.end(), master) != best.end()) return std::nullopt;
  return where(net, group) + "master " + std::to_string(master) + " has priority " +
         std::to_string(net.router(master)->priority()) + " but routers" + list(best) + " have " +
         std::to_string(top);
}

// Property (5): a host's sync group members share one state. Crashed or
// stopped hosts have no running member and pass.
std::optional<std::string> checkHostAgrees(const SimNetwork& net, const std::vector<NodeId>& host) {
  std::optional<State> seen;
  for (NodeId n : host) {
    if (!net.running(n)) continue;
    const State state = net.router(n)->state();
    if (seen && *seen != state) {
      return fakes::formatTime(net.now()) + " sync group of routers" + list(host) +
             ": members in " + std::string(toString(*seen)) + " and " +
             std::string(toString(state));
    }
    seen = state;
  }
  return std::nullopt;
}

RunResult finish(Cluster& cluster, RunResult result) {
  SimNetwork& net = cluster.net();
  if (!result.failure && !net.violations().empty()) result.failure = net.violations().front();
  if (result.failure) *result.failure += "\n  cluster: " + cluster.describe();
  result.events = net.eventsProcessed();
  return result;
}

// What makes a run of (1), (2) or (4) more than a formality.
enum class Exercise { SplitBrain, Preemption, FaultOnMaster, SyncFollow };

// Shared by (1), (2) and (4): start, then 1-3 cycles of disruption, quiet,
// and a check at every step of the settled part of the quiet period.
RunResult runChaosThenQuiet(std::uint64_t seed, const Profile& profile, std::ostream* trace,
                            bool checkPriorities, Exercise exercise) {
  Cluster cluster(seed, profile);
  SimNetwork& net = cluster.net();
  net.setTrace(trace);
  cluster.startAll(2s);

  bool splitBrain = false;
  TimePoint settled = TimePoint::max();
  auto check = [&] {
    for (const Group& group : cluster.groups()) {
      if (mastersOf(net, group).size() > 1) splitBrain = true;
      if (net.now() < settled) continue;
      auto failure = checkOneMaster(net, group);
      if (!failure && checkPriorities) failure = checkHighestPriority(net, group);
      if (failure) return net.fail(*failure);
    }
    if (net.now() < settled) return;
    for (const auto& host : cluster.hosts()) {
      if (auto failure = checkHostAgrees(net, host)) return net.fail(*failure);
    }
  };
  net.onStep(check);
  TimePoint cursor = TimePoint{} + 2s;
  const auto cycles = net.random().between(1, 3);
  for (std::int64_t cycle = 0; cycle < cycles && net.violations().empty(); ++cycle) {
    if (cycle > 0) cluster.repairAt(cursor);
    const Duration chaosLength = 1s * net.random().between(5, 20);
    const TimePoint quiet = cluster.scheduleChaos(cursor, chaosLength);
    settled = quiet + cluster.settleTime();
    cursor = settled + cluster.settleTime();
    net.runUntil(cursor);
    if (net.violations().empty()) check();
    settled = TimePoint::max();
  }

  RunResult result;
  switch (exercise) {
    case Exercise::SplitBrain:
      result.exercised = splitBrain;
      break;
    case Exercise::Preemption:
      result.exercised = net.transitions(Cause::Preempted) > 0;
      break;
    case Exercise::FaultOnMaster:
      result.exercised = net.faultsRaisedOnMaster() > 0;
      break;
    case Exercise::SyncFollow:
      result.exercised =
          net.transitions(Cause::SyncGroupMaster) > 0 && net.transitions(Cause::SyncGroupFault) > 0;
      break;
  }
  return finish(cluster, std::move(result));
}

// One round of (3): shut the master of `group` down at now() and check that
// the next-best router is the only master Skew_Time + one interval later.
// Routers fire on skew ties within one latency of each other, so with jitter
// any router whose Skew_Time equals the best one's may win; without jitter
// the best (highest priority, then address) must.
std::optional<std::string> handOver(Cluster& cluster, const Group& group, bool& checked) {
  SimNetwork& net = cluster.net();
  const auto masters = mastersOf(net, group);
  if (masters.size() != 1) return checkOneMaster(net, group);
  const NodeId old = masters.front();
  std::vector<NodeId> rest;
  for (NodeId n : eligibleOf(net, group)) {
    if (n != old) rest.push_back(n);
  }
  if (rest.empty()) return std::nullopt;
  const auto better = [&](NodeId a, NodeId b) {
    const auto pa = net.router(a)->priority(), pb = net.router(b)->priority();
    return pa != pb ? pa > pb : net.config(a).primaryAddress > net.config(b).primaryAddress;
  };
  const NodeId best = *std::min_element(rest.begin(), rest.end(), better);
  std::vector<Duration> skewAtShutdown(net.size());
  for (NodeId n : rest) skewAtShutdown[n] = net.router(n)->skewTime();
  const Duration bestSkew = skewAtShutdown[best];
  const Duration interval = net.router(best)->masterAdverInterval();
  const TimePoint shutdownAt = net.now();
  net.shutdown(old);
  net.runUntil(shutdownAt + bestSkew + interval);
  if (!net.violations().empty()) return std::nullopt;

  checked = true;
  const auto after = mastersOf(net, group);
  const bool skewTie =
      after.size() == 1 && !cluster.zeroJitter() && skewAtShutdown[after.front()] == bestSkew;
  if (after.size() == 1 && (after.front() == best || skewTie)) return std::nullopt;
  return where(net, group) + "after master " + std::to_string(old) + " shut down at " +
         fakes::formatTime(shutdownAt) + ", masters are" + list(after) + "; expected router " +
         std::to_string(best) + " (skew " + std::to_string(bestSkew.count()) + "us)";
}

}  // namespace

RunResult runOneMasterWhenQuiet(std::uint64_t seed, std::ostream* trace) {
  return runChaosThenQuiet(seed, Profile{}, trace, false, Exercise::SplitBrain);
}

RunResult runHighestPriorityWins(std::uint64_t seed, std::ostream* trace) {
  Profile profile;
  profile.preemptEverywhere = true;
  return runChaosThenQuiet(seed, profile, trace, true, Exercise::Preemption);
}

RunResult runGracefulHandover(std::uint64_t seed, std::ostream* trace) {
  Profile profile;
  profile.preemptEverywhere = true;
  Cluster cluster(seed, profile);
  SimNetwork& net = cluster.net();
  net.setTrace(trace);
  cluster.startAll(1s);
  RunResult result;
  const auto rounds = net.random().between(1, 3);
  for (std::int64_t round = 0; round < rounds && !result.failure; ++round) {
    net.runUntil(net.now() + 1s + cluster.settleTime());
    if (!net.violations().empty()) break;
    const Group& group = cluster.groups()[net.random().below(cluster.groups().size())];
    const auto masters = mastersOf(net, group);
    result.failure = handOver(cluster, group, result.exercised);
    if (!net.violations().empty() || result.failure) break;
    for (NodeId n : masters) net.start(n);  // bring the old master back
  }
  return finish(cluster, std::move(result));
}

RunResult runFaultedNeverMaster(std::uint64_t seed, std::ostream* trace) {
  Profile profile;
  profile.faultHeavy = true;
  return runChaosThenQuiet(seed, profile, trace, false, Exercise::FaultOnMaster);
}

RunResult runSyncGroupsAgree(std::uint64_t seed, std::ostream* trace) {
  Profile profile;
  profile.syncGroups = true;
  return runChaosThenQuiet(seed, profile, trace, false, Exercise::SyncFollow);
}

}  // namespace vipd::core::sim
