#include "sim_cluster.h"

#include <algorithm>
#include <array>
#include <sstream>

#include "vipd/core/timing.h"

namespace vipd::core::sim {
namespace {

using namespace std::chrono_literals;

template <class T, std::size_t N>
T pick(fakes::SimRandom& random, const std::array<T, N>& choices) {
  return choices[random.below(N)];
}

Duration randomDuration(fakes::SimRandom& random, Duration lo, Duration hi) {
  return Duration{random.between(lo.count(), hi.count())};
}

util::IpAddress address(std::uint8_t vrid, std::uint8_t byte, bool ipv6) {
  if (!ipv6) return util::IpAddress::v4({10, vrid, 0, byte});
  return util::IpAddress::v6({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, vrid, byte});
}

}  // namespace

Cluster::Cluster(std::uint64_t seed, const Profile& profile) : net_(seed), profile_(profile) {
  fakes::SimRandom& random = net_.random();
  if (profile.syncGroups) {
    addSyncHosts();
  } else {
    const int groupCount = random.chance(300) ? 2 : 1;
    for (int g = 0; g < groupCount; ++g) addGroup(static_cast<std::uint8_t>(10 + g));
  }

  // Latency stays under a tenth of the shortest advert interval, so one
  // interval of slack covers any two packet flights.
  Centiseconds shortest{4095};
  for (fakes::NodeId n = 0; n < net_.size(); ++n) {
    shortest = std::min(shortest, net_.config(n).advertInterval);
  }
  const Duration cap = Duration{shortest} / 10;
  fakes::LinkConditions conditions;
  conditions.minLatency = randomDuration(random, 0us, cap / 4);
  conditions.maxLatency = random.chance(500) ? conditions.minLatency
                                             : randomDuration(random, conditions.minLatency, cap);
  maxLatency_ = conditions.maxLatency;
  net_.setConditions(conditions);
}

void Cluster::addGroup(std::uint8_t vrid) {
  fakes::SimRandom& random = net_.random();
  Group group;
  group.vrid = vrid;
  group.version = random.chance(500) ? Version::V2 : Version::V3;
  const bool ipv6 = group.version == Version::V3 && random.chance(500);
  // down_timer_adverts 1 is left out on purpose: with a skew that truncates to
  // 0 the down timer and the next advert are due at the same instant, a race
  // real VRRP has too.
  const auto mult = pick(random, std::array<std::uint8_t, 6>{2, 3, 3, 3, 4, 5});
  const bool v2 = group.version == Version::V2;
  const Centiseconds shared =
      v2 ? Centiseconds{100 * random.between(1, 2)}
         : pick(random,
                std::array<Centiseconds, 5>{Centiseconds{20}, Centiseconds{50}, Centiseconds{100},
                                            Centiseconds{100}, Centiseconds{150}});
  const bool mixedIntervals = !v2 && random.chance(300);

  std::vector<std::uint8_t> bytes;
  const auto count = random.between(2, 5);
  while (static_cast<std::int64_t>(bytes.size()) < count) {
    const auto byte = static_cast<std::uint8_t>(random.between(1, 254));
    if (std::find(bytes.begin(), bytes.end(), byte) == bytes.end()) bytes.push_back(byte);
  }
  for (std::uint8_t byte : bytes) {
    const Centiseconds interval =
        mixedIntervals ? Centiseconds{pick(random, std::array<int, 4>{20, 50, 100, 150})} : shared;
    group.nodes.push_back(net_.addRouter(randomRouter(group, interval, mult, ipv6, byte)));
  }
  groups_.push_back(std::move(group));
}

// Two VRIDs, 2-4 hosts. Per host one priority and one address byte for all
// its instances, so every VRID prefers the same host: keepalived sync groups
// with crossed preferences flap by design (each member's loss drags the rest).
void Cluster::addSyncHosts() {
  fakes::SimRandom& random = net_.random();
  const auto hostCount = static_cast<std::size_t>(random.between(2, 4));
  std::vector<std::uint8_t> bytes, priorities;
  while (bytes.size() < hostCount) {
    const auto byte = static_cast<std::uint8_t>(random.between(1, 254));
    if (std::find(bytes.begin(), bytes.end(), byte) != bytes.end()) continue;
    bytes.push_back(byte);
    const bool owner = bytes.size() == 1 && random.chance(150);
    priorities.push_back(owner ? kOwnerPriority
                               : static_cast<std::uint8_t>(pick(
                                     random, std::array<int, 5>{1, 100, 100, 150, 254})));
  }
  hosts_.resize(hostCount);
  for (std::uint8_t vrid : {std::uint8_t{10}, std::uint8_t{11}}) {
    Group group;
    group.vrid = vrid;
    group.version = random.chance(500) ? Version::V2 : Version::V3;
    const bool ipv6 = group.version == Version::V3 && random.chance(500);
    const auto mult = pick(random, std::array<std::uint8_t, 4>{2, 3, 3, 4});
    const Centiseconds interval =
        group.version == Version::V2
            ? Centiseconds{100}
            : pick(random, std::array<Centiseconds, 3>{Centiseconds{50}, Centiseconds{100},
                                                       Centiseconds{150}});
    for (std::size_t h = 0; h < hostCount; ++h) {
      RouterConfig config = randomRouter(group, interval, mult, ipv6, bytes[h]);
      config.priority = priorities[h];
      const fakes::NodeId node = net_.addRouter(config);
      group.nodes.push_back(node);
      hosts_[h].push_back(node);
    }
    groups_.push_back(std::move(group));
  }
  for (const auto& host : hosts_) net_.addSyncGroup(host);
}

std::vector<fakes::NodeId> Cluster::hostOf(fakes::NodeId node) const {
  for (const auto& host : hosts_) {
    if (std::find(host.begin(), host.end(), node) != host.end()) return host;
  }
  return {node};
}

RouterConfig Cluster::randomRouter(const Group& group, Centiseconds interval, std::uint8_t mult,
                                   bool ipv6, std::uint8_t addressByte) {
  fakes::SimRandom& random = net_.random();
  RouterConfig config;
  config.vrid = group.vrid;
  config.version = group.version;
  config.primaryAddress = address(group.vrid, addressByte, ipv6);
  config.priority = randomPriority(group);
  config.advertInterval = interval;
  config.downTimerAdverts = mult;
  config.preempt = profile_.preemptEverywhere || random.chance(800);
  if (random.chance(200)) config.preemptDelay = 100ms * random.between(1, 40);
  config.acceptMode = random.chance(700);
  config.startHint = random.chance(200) ? StartHint::Master : StartHint::Backup;
  return config;
}

// Ties and owners are common on purpose: they are where elections get subtle.
std::uint8_t Cluster::randomPriority(const Group& group) {
  fakes::SimRandom& random = net_.random();
  bool hasOwner = false;
  std::vector<std::uint8_t> taken;
  for (fakes::NodeId n : group.nodes) {
    taken.push_back(net_.config(n).priority);
    hasOwner = hasOwner || net_.config(n).priority == kOwnerPriority;
  }
  const auto roll = random.below(100);
  if (roll < 10 && (!hasOwner || random.chance(200))) return kOwnerPriority;
  if (roll < 40 && !taken.empty()) return taken[random.below(taken.size())];
  if (roll < 45) return 1;
  if (roll < 50) return 254;
  return static_cast<std::uint8_t>(random.between(1, 254));
}

void Cluster::startAll(Duration spread) {
  for (fakes::NodeId n = 0; n < net_.size(); ++n) {
    const TimePoint when = TimePoint{} + randomDuration(net_.random(), 0us, spread);
    net_.at(when, [this, n] { net_.start(n); });
  }
}

TimePoint Cluster::scheduleChaos(TimePoint from, Duration length) {
  fakes::SimRandom& random = net_.random();
  TimePoint quiet = from;
  const auto count = random.between(1, profile_.faultHeavy ? 14 : 10);
  for (std::int64_t i = 0; i < count; ++i) {
    scheduleOne(from + randomDuration(random, 0us, length), quiet);
  }
  return quiet;
}

// One disruption at `at`; `quiet` moves to its last scheduled op.
void Cluster::scheduleOne(TimePoint at, TimePoint& quiet) {
  fakes::SimRandom& random = net_.random();
  fakes::SimNetwork& net = net_;
  const TimePoint end = at + randomDuration(random, 200ms, 6s);
  const fakes::NodeId node = randomNode();
  const bool recovers = random.chance(profile_.faultHeavy ? 600 : 800);
  enum Kind { Loss, Partition, Crash, Stop, Priority, Fault };
  const auto kind =
      profile_.faultHeavy
          ? pick(random, std::array<Kind, 6>{Fault, Fault, Fault, Crash, Loss, Priority})
          : pick(random, std::array<Kind, 6>{Loss, Partition, Crash, Stop, Priority, Fault});
  bool hasEnd = true;
  switch (kind) {
    case Loss: {
      const auto loss = static_cast<std::uint32_t>(random.between(100, 700));
      net.at(at, [&net, loss] {
        auto c = net.conditions();
        c.lossPerMille = loss;
        net.setConditions(c);
      });
      net.at(end, [&net] {
        auto c = net.conditions();
        c.lossPerMille = 0;
        net.setConditions(c);
      });
      break;
    }
    case Partition: {
      std::vector<int> segments(net.size());
      for (fakes::NodeId n = 0; n < net.size(); ++n) {
        // A host is one box: its instances share a segment.
        const fakes::NodeId first = hostOf(n).front();
        segments[n] = first < n ? segments[first] : static_cast<int>(random.below(3));
      }
      net.at(at, [&net, segments] {
        for (fakes::NodeId n = 0; n < segments.size(); ++n) net.setSegment(n, segments[n]);
      });
      net.at(end, [&net] { net.heal(); });
      break;
    }
    case Crash:
      net.at(at, [&net, node] { net.crash(node); });
      if (recovers) net.at(end, [&net, node] { net.start(node); });
      hasEnd = recovers;
      break;
    case Stop:
      net.at(at, [&net, node] { net.shutdown(node); });
      if (recovers) net.at(end, [&net, node] { net.start(node); });
      hasEnd = recovers;
      break;
    case Priority: {
      const auto priority = static_cast<std::uint8_t>(random.between(1, 254));
      // In a sync group, tracking weights apply to every member (keepalived
      // sync_group_tracking_weight), so the whole host moves.
      net.at(at, [&net, nodes = hostOf(node), priority] {
        for (fakes::NodeId n : nodes) net.setPriority(n, priority);
      });
      hasEnd = false;
      break;
    }
    case Fault: {
      const auto id = static_cast<FaultId>(random.between(1, 3));
      net.at(at, [&net, node, id] { net.raiseFault(node, id); });
      if (recovers) net.at(end, [&net, node, id] { net.clearFault(node, id); });
      hasEnd = recovers;
      break;
    }
  }
  quiet = std::max(quiet, hasEnd ? end : at);
}

void Cluster::repairAt(TimePoint at) {
  net_.at(at, [this] {
    for (fakes::NodeId n = 0; n < net_.size(); ++n) {
      for (FaultId id = 1; id <= 3; ++id) net_.clearFault(n, id);
      if (!net_.running(n)) net_.start(n);
    }
  });
}

fakes::NodeId Cluster::randomNode() { return net_.random().below(net_.size()); }

Duration Cluster::settleTime(const Group& group) const {
  Centiseconds longest{0};
  Duration delay{0};
  std::uint8_t mult = 0;
  for (fakes::NodeId n : group.nodes) {
    longest = std::max(longest, net_.config(n).advertInterval);
    delay = std::max(delay, net_.config(n).preemptDelay);
    mult = std::max(mult, net_.config(n).downTimerAdverts);
  }
  const Duration down = masterDownInterval(group.version, 1, longest, mult);
  // A router holding off preemption accepts the lower master's adverts, so
  // when no master exists at the quiet point it can take one Master_Down_
  // Interval for a first master, the delay, and another before preempting.
  const Duration preemption = delay > Duration{0} ? delay + down : Duration{0};
  return down + preemption + Duration{longest} + 2 * maxLatency_;
}

Duration Cluster::settleTime() const {
  Duration longest{0};
  for (const Group& group : groups_) longest = std::max(longest, settleTime(group));
  return longest;
}

bool Cluster::zeroJitter() const {
  return net_.conditions().minLatency == net_.conditions().maxLatency;
}

std::string Cluster::describe() const {
  std::ostringstream out;
  const auto& c = net_.conditions();
  out << "latency " << c.minLatency.count() << ".." << c.maxLatency.count() << "us";
  for (const Group& group : groups_) {
    out << "\n  VRID " << int{group.vrid} << " " << toString(group.version) << ":";
    for (fakes::NodeId n : group.nodes) {
      const RouterConfig& r = net_.config(n);
      out << "\n    router " << n << " " << r.primaryAddress.toString()
          << " prio=" << int{r.priority} << " int=" << r.advertInterval.count() << "cs"
          << " x" << int{r.downTimerAdverts} << (r.preempt ? "" : " nopreempt")
          << " delay=" << r.preemptDelay.count() / 1000 << "ms"
          << (r.startHint == StartHint::Master ? " state=MASTER" : "");
    }
  }
  return out.str();
}

}  // namespace vipd::core::sim
