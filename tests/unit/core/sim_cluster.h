#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fakes/sim_network.h"
#include "vipd/core/router_config.h"

namespace vipd::core::sim {

/// What kind of random cluster and disruptions a run gets.
struct Profile {
  bool preemptEverywhere = false;  ///< No `nopreempt` router (properties 2 and 3).
  bool faultHeavy = false;         ///< Chaos is mostly fault raise/clear.
  /// 2-4 hosts, each with one instance of each of two VRIDs in one sync
  /// group; a host's instances share priority and address byte (the usual
  /// keepalived setup), and host-wide disruptions hit all of them.
  bool syncGroups = false;
};

/// One VRID: all its routers share version and down_timer_adverts.
struct Group {
  std::uint8_t vrid = 0;
  Version version = Version::V3;
  std::vector<fakes::NodeId> nodes;
};

/// Seed-determined routers and link conditions on a SimNetwork (not started).
class Cluster {
 public:
  Cluster(std::uint64_t seed, const Profile& profile);
  // Scheduled operations refer back to the network: the cluster stays put.
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  fakes::SimNetwork& net() { return net_; }
  const std::vector<Group>& groups() const { return groups_; }
  /// With Profile::syncGroups: each host's nodes, one per VRID; else empty.
  const std::vector<std::vector<fakes::NodeId>>& hosts() const { return hosts_; }

  /// Starts every router at a random time in [0, spread].
  void startAll(Duration spread);
  /// Schedules random disruptions in [from, from + length]; every loss burst
  /// and partition is over, and every scheduled op done, by the returned time.
  TimePoint scheduleChaos(TimePoint from, Duration length);

  /// At `at`, restarts every router that is down and clears every fault.
  void repairAt(TimePoint at);

  /// Time for a quiet network to reach one master per VRID: the longest
  /// Master_Down_Interval (largest interval, lowest priority) + one advert
  /// interval + 2 × the largest latency; with a preempt_delay, plus that
  /// delay and a second Master_Down_Interval.
  Duration settleTime(const Group& group) const;
  Duration settleTime() const;
  /// True when every packet of the run has the same latency.
  bool zeroJitter() const;

  /// Routers, priorities, addresses, intervals and link conditions.
  std::string describe() const;

 private:
  void addGroup(std::uint8_t vrid);
  void addSyncHosts();
  std::vector<fakes::NodeId> hostOf(fakes::NodeId node) const;
  RouterConfig randomRouter(const Group& group, Centiseconds interval, std::uint8_t mult, bool ipv6,
                            std::uint8_t addressByte);
  std::uint8_t randomPriority(const Group& group);
  void scheduleOne(TimePoint at, TimePoint& quiet);
  fakes::NodeId randomNode();

  fakes::SimNetwork net_;
  Profile profile_;
  std::vector<Group> groups_;
  std::vector<std::vector<fakes::NodeId>> hosts_;
  Duration maxLatency_{0};
};

}  // namespace vipd::core::sim
