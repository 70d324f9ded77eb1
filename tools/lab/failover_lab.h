#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "advert_tap.h"
#include "lab.h"
#include "outage_probe.h"
#include "rtnl.h"
#include "scenario.h"  // Agent, toString(Agent)

namespace vipd::lab {

/// How the master fails.
enum class Failure : std::uint8_t {
  Crash,     ///< host dies: link cut, then SIGKILL of the agent
  Freeze,    ///< agent hangs: SIGSTOP (its kernel still answers for the VIP)
  Graceful,  ///< agent stops: SIGTERM (priority-0 advert, VIP removed)
  LinkDown,  ///< master's link goes down; the agent keeps running
};

std::string_view toString(Failure failure);
/// One line for people: what the failure does to the master.
std::string_view describe(Failure failure);

/// The VRRP parameters both routers share. The config text is keepalived.conf
/// syntax, which vipd reads unchanged, so both agents get the same file.
struct PairSetup {
  int version = 3;
  /// Whole centiseconds for v3, whole seconds for v2.
  std::chrono::microseconds advertInterval{1'000'000};
  std::uint8_t masterPriority = 150;
  std::uint8_t backupPriority = 100;
  int vrid = 51;
  /// use_vmac: the VIP on a macvlan with the virtual MAC 00:00:5e:00:01:VRID,
  /// which moves with it, so the client's neighbour entry stays right.
  bool vmac = false;
};

/// "VRRPv3, advert_int 0.05 s"
std::string describe(const PairSetup& setup);
/// advert_int as written in the config: "1", "0.05".
std::string advertIntText(const PairSetup& setup);
std::string configText(const PairSetup& setup, std::uint8_t priority, const std::string& routerId);

/// Skew_Time of a backup of `priority` (RFC 3768 §6.1: (256 − Priority)/256 s;
/// RFC 5798 §6.1: ((256 − Priority) × Master_Adver_Interval)/256 in whole
/// centiseconds, truncated).
std::chrono::microseconds skewTime(const PairSetup& setup, std::uint8_t priority);
/// Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time.
std::chrono::microseconds masterDownInterval(const PairSetup& setup, std::uint8_t priority);
/// keepalived 2.2.7 computes the v3 skew in microseconds without truncating
/// to centiseconds; v2 as the RFC.
std::chrono::microseconds keepalivedSkewTime(const PairSetup& setup, std::uint8_t priority);

/// vipd's takeover log line: "entering MASTER state: cause=… priority=…
/// since_last_advert_ms=… timer_late_us=… vips_added_us=… first_announcement_us=…".
struct TakeoverLog {
  std::string line;  // the whole line as logged
  std::string cause;
  std::optional<double> sinceLastAdvertMs;  // "none" when no advert was heard
  long timerLateUs = 0;
  long vipsAddedUs = 0;
  long firstAnnouncementUs = 0;
};
/// The last takeover line in a vipd log.
std::optional<TakeoverLog> parseTakeoverLog(const std::string& log);

/// An agent running on a lab host.
struct RunningAgent {
  Agent agent = Agent::Vipd;
  const Host* host = nullptr;
  Child main;          ///< vipd, or keepalived's parent process
  pid_t vrrpPid = -1;  ///< the process doing VRRP: vipd itself, keepalived's VRRP child
};

/// A running pair: r1 is master, r2 is backup and has heard r1.
struct Pair {
  RunningAgent master;
  RunningAgent backup;
};

/// What one failover looked like.
struct FailoverResult {
  Failure failure = Failure::Crash;
  /// The master's advert right before the failure was injected.
  Clock::time_point advertBeforeInjection;
  Clock::time_point injected;
  /// RTM_NEWADDR of the VIP on the backup.
  std::optional<Clock::time_point> vipOnBackup;
  /// The master's last advert seen before the VIP appeared on the backup
  /// (the priority-0 one for a graceful stop).
  std::optional<SeenAdvert> lastMasterAdvert;
  /// Longest gap between replies to the client from the injection on (for a
  /// freeze, whose master still answers, from 2 ms before the VIP appeared
  /// on the backup), up to 50 ms after replies resumed.
  std::optional<ReplyGap> outage;
  /// The longest pause of the probe's own sending between the VIP appearing
  /// on the backup and the end of the outage: well above the probe interval,
  /// this process was not scheduled and the outage figure includes that.
  std::chrono::microseconds probeStall{0};
  /// vipd's own takeover line (vipd only).
  std::optional<TakeoverLog> backupLog;

  std::optional<std::chrono::microseconds> injectionToVip() const;
  /// Last advert heard from the master → VIP present on the backup.
  std::optional<std::chrono::microseconds> takeover() const;
};

/// Two routers and a client on the lab switch, with a tap on the client
/// that timestamps every VRRP advert:
///
///   r1 192.0.2.1/24, r2 192.0.2.2/24, client 192.0.2.100/24, VIP 192.0.2.10/24
///
/// NOTE: single-threaded use; owns the Lab, so everything it started is
/// stopped and every namespace deleted on destruction.
class FailoverLab {
 public:
  static constexpr const char* kVip = "192.0.2.10";
  static constexpr int kVipPrefix = 24;

  explicit FailoverLab(const std::string& tag);

  Lab& lab() { return lab_; }
  Host& r1() { return *r1_; }
  Host& r2() { return *r2_; }
  Host& client() { return *client_; }
  AdvertTap& tap() { return *tap_; }
  /// Host address (no prefix) of a lab host.
  static std::string addressOf(const Host& host);

  /// Starts r1 as master and waits for the VIP there, then r2 as backup and
  /// waits until it heard r1. Throws when either does not happen in time;
  /// `pair` then holds what was started, for the caller to stop().
  void bringUp(Pair& pair, Agent agent, const PairSetup& setup, const std::string& runTag);

  /// Waits for the master's next advert, injects the failure 1 ms later, then
  /// waits for the VIP on the backup and for the client's replies to resume
  /// (the probe must already be getting replies). Sets nothing up again.
  FailoverResult failover(Pair& pair, Failure failure, const PairSetup& setup,
                          const OutageProbe& probe);

  /// Starts an agent. `name` names its config, log and pid files.
  RunningAgent start(Agent agent, const Host& host, const PairSetup& setup, std::uint8_t priority,
                     const std::string& name);
  void inject(Failure failure, RunningAgent& master);
  /// Resumes, stops and reaps an agent (and keepalived's VRRP child) by PID.
  void stop(RunningAgent& agent);
  /// Links up, VIP off both routers, client's neighbour cache flushed.
  void reset();

  /// Waits for the client to get `count` replies in a row. Throws if it does not.
  void waitForReplies(const OutageProbe& probe, std::size_t count);

 private:
  Lab lab_;
  Host* r1_ = nullptr;
  Host* r2_ = nullptr;
  Host* client_ = nullptr;
  std::unique_ptr<AdvertTap> tap_;
};

/// Lets this process adopt keepalived's VRRP children when their parent
/// dies (PR_SET_CHILD_SUBREAPER), so it can reap them. Call once at start.
void becomeSubreaper();

}  // namespace vipd::lab
