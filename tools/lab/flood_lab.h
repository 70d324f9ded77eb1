#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "advert_tap.h"
#include "failover_lab.h"
#include "junk_flood.h"
#include "lab.h"

namespace vipd::lab {

/// The spread of a set of values: nearest-rank percentiles.
struct Spread {
  std::size_t count = 0;
  double min = 0;
  double p50 = 0;
  double p99 = 0;
  double max = 0;
};
Spread spreadOf(std::vector<double> values);

/// What one flood looked like from the outside.
struct FloodRun {
  JunkFloodReport sent;
  Clock::time_point from;  ///< The flood's first and last packet (about).
  Clock::time_point to;
  /// The master's adverts for kVrid the client's tap saw from `from` to `to`.
  std::vector<SeenAdvert> masterAdverts;
  /// utime+stime of the master's VRRP process over the flood, and clock ticks per second.
  std::uint64_t cpuTicks = 0;
  long ticksPerSecond = 100;

  /// CPU of the master's VRRP process over the flood, in % of one core.
  double cpuPercent() const;
  /// Gaps between consecutive master adverts, in ms.
  std::vector<double> advertGapsMs() const;
  /// Adverts the master should have sent in the window at its interval.
  double expectedAdverts() const;
};

/// A junk flood on one VRRP segment:
///
///   master   192.0.2.1/24   priority 200 (vipd or keepalived)
///   backup   192.0.2.2/24   priority 100 (vipd)
///   client   192.0.2.200/24 advert tap, filtered to the master's adverts
///   attacker 192.0.2.66/24  JunkFlood
///
/// Both routers run the same two instances on one socket (same interface,
/// source and group): VI_1, VRID 51, VRRPv3 at advert_int 0.1 with VIP
/// 192.0.2.100, the one whose timing is measured; and VI_2, VRID 52,
/// VRRPv2 at advert_int 1 with a password (auth_type PASS) and VIP
/// 192.0.2.101, so that a v2 advert with a wrong password is an
/// authentication failure, and decode failures are the daemon's
/// (unattributed: two instances share the socket).
///
/// NOTE: single-threaded orchestration; owns the Lab, so every process and
/// namespace is gone on destruction (agents are stopped by PID).
class FloodLab {
 public:
  static constexpr const char* kMaster = "192.0.2.1";
  static constexpr const char* kBackup = "192.0.2.2";
  static constexpr const char* kAttacker = "192.0.2.66";
  static constexpr const char* kVip = "192.0.2.100";
  static constexpr const char* kAuthVip = "192.0.2.101";
  static constexpr int kVrid = 51;
  static constexpr int kAuthVrid = 52;
  static constexpr int kForeignVrid = 99;
  static constexpr std::chrono::milliseconds kAdvertInterval{100};

  /// `processNice`: vrrp_priority (the agents' nice value) in both routers'
  /// global_defs; none: the default (0).
  FloodLab(const std::string& tag, Agent masterAgent,
           std::optional<int> processNice = std::nullopt);
  ~FloodLab();
  FloodLab(const FloodLab&) = delete;
  FloodLab& operator=(const FloodLab&) = delete;

  /// keepalived.conf text of a router with this priority (vipd reads it as is).
  static std::string configText(int priority, std::optional<int> processNice = std::nullopt);

  /// Starts the master and waits for its VIPs, then the backup and waits
  /// until it hears the master on both instances. Throws if either fails.
  void bringUp();

  /// A flood at `packetsPerSecond` for `duration` at this segment's VRIDs
  /// (unicast to the master every 10th packet).
  JunkFloodConfig junkConfig(double packetsPerSecond, std::chrono::milliseconds duration) const;
  /// Runs the flood on this thread, measuring the master meanwhile.
  FloodRun flood(const JunkFloodConfig& config);

  Lab& lab() { return lab_; }
  const Host& masterHost() const { return *master_; }
  const Host& backupHost() const { return *backup_; }
  const RunningAgent& masterAgent() const { return masterAgent_; }
  const Child& backupAgent() const { return backupAgent_; }
  /// The output of `vipctl ARGUMENTS` against a vipd of this lab (master or backup).
  std::string vipctl(const Child& agent, const std::string& arguments) const;

 private:
  Lab lab_;
  Agent masterKind_;
  std::optional<int> processNice_;
  Host* master_ = nullptr;
  Host* backup_ = nullptr;
  Host* client_ = nullptr;
  Host* attacker_ = nullptr;
  std::unique_ptr<AdvertTap> tap_;
  RunningAgent masterAgent_;
  Child backupAgent_;
};

/// utime+stime of a process (all its threads) in clock ticks; 0 if it is gone.
std::uint64_t cpuTicksOf(pid_t pid);

}  // namespace vipd::lab
