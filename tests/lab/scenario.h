#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lab.h"
#include "prober.h"

namespace vipd::lab {

enum class Family : std::uint8_t { V4, V6 };
enum class Transport : std::uint8_t { Multicast, Unicast };
enum class Agent : std::uint8_t { Vipd, Keepalived };

std::string_view toString(Family family);
std::string_view toString(Transport transport);
std::string_view toString(Agent agent);

/// The one VRRP instance every node of a scenario runs (VRID 51, one VIP).
struct VrrpSetup {
  Family family = Family::V4;
  Transport transport = Transport::Multicast;
  int version = 3;
  /// v3: 10 ms steps; v2: whole seconds.
  std::chrono::milliseconds advertInterval{200};
  bool preempt = true;
};

/// One router of the scenario: a lab host running vipd or keepalived.
struct NodeSpec {
  std::string name;
  int priority = 100;
  Agent agent = Agent::Vipd;
};

/// The outcome of a check; `detail` says what was seen when it failed.
struct Verdict {
  bool ok = true;
  std::string detail;
  explicit operator bool() const { return ok; }
  static Verdict pass() { return {}; }
  static Verdict fail(std::string why) { return {false, std::move(why)}; }
};

/// A VRRP segment built on the Lab: routers h1..hN (192.0.2.N/24,
/// 2001:db8::N/64), a client (192.0.2.200, 2001:db8::200) and one VIP
/// (192.0.2.100/24 or 2001:db8::100/64). Writes each node's configuration in
/// keepalived syntax, starts and fails the agents, and answers "who holds the
/// VIP", "can the client reach it" and "are the logs clean".
///
/// A node whose cable is pulled or whose agent is frozen is "out": its stale
/// VIP cannot or should not count, so the holder checks skip it (the test can
/// still ask holds(node) about it).
///
/// NOTE: single-threaded lab orchestration; owns the Lab and with it every
/// namespace and process.
class Scenario {
 public:
  Scenario(const std::string& tag, VrrpSetup setup, std::vector<NodeSpec> nodes);
  ~Scenario();
  Scenario(const Scenario&) = delete;
  Scenario& operator=(const Scenario&) = delete;

  const VrrpSetup& setup() const { return setup_; }
  std::size_t size() const { return nodes_.size(); }
  const NodeSpec& node(std::size_t i) const { return nodes_[i]; }
  std::size_t indexOf(const std::string& name) const;
  Lab& lab() { return *lab_; }
  const Host& host(std::size_t i) const { return *hosts_[i]; }
  const Host& client() const { return *client_; }
  /// The VIP without prefix length.
  std::string vip() const;
  /// The node's own address (no prefix) in the scenario's family.
  std::string addressOf(std::size_t i) const;

  /// keepalived.conf text of node i (its agent reads the same syntax).
  std::string configText(std::size_t i) const;

  // -- Agents -----------------------------------------------------------------------------
  void start(std::size_t i);
  /// Starts node i with `configText` instead of its usual configuration (a node configured
  /// differently from its peers).
  void startWith(std::size_t i, const std::string& configText);
  void startAll();
  bool running(std::size_t i) const;
  /// SIGTERM; passes when the agent exits 0 within `timeout`.
  Verdict terminate(std::size_t i, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// SIGKILL and reap: the agent gets no chance to clean up. vipd nodes only:
  /// keepalived's VRRP work runs in a child the Lab did not start.
  void kill(std::size_t i);
  /// SIGSTOP / SIGCONT (vipd nodes only); a frozen node is out of the holder checks.
  void freeze(std::size_t i);
  void thaw(std::size_t i);
  /// Rewrites the node's configuration file and sends SIGHUP.
  void reloadWith(std::size_t i, const std::string& configText);
  /// Adds to every node's configuration: `rootExtra` at the top level
  /// (vrrp_script blocks, interface_up_down_delays), `instanceExtra` inside
  /// its vrrp_instance (track_script). Takes effect at the next start or
  /// reload.
  void setExtraConfig(std::string rootExtra, std::string instanceExtra);
  /// Lines added inside every node's global_defs block.
  void setGlobalExtra(std::string globalExtra) { globalExtra_ = std::move(globalExtra); }
  /// Sends any signal to the node's agent (SIGHUP: reload).
  void signal(std::size_t i, int signo);
  /// The agent's PID; -1 when it is not running.
  pid_t pid(std::size_t i) const;
  /// The control socket of a vipd node (vipctl -s).
  std::string controlSocket(std::size_t i) const;
  /// Runs vipctl against a vipd node; its stdout, or "" when it failed.
  std::string vipctl(std::size_t i, const std::string& arguments) const;

  // -- Links ------------------------------------------------------------------------------
  /// Pulls or plugs the node's cable (the switch port goes down): the host
  /// sees carrier loss and keeps its addresses. A node with its cable pulled
  /// is out of the holder checks.
  void setCable(std::size_t i, bool plugged);
  /// Sets the host's own interface administratively down or up. The kernel
  /// flushes IPv6 addresses on admin down; on up the host's configured
  /// addresses are put back, as a network manager would.
  void setLink(std::size_t i, bool up);
  /// Drops `percent`% of the VRRP packets (IP protocol 112) the node
  /// receives, at random (nftables in the node's namespace); 0 removes the rule.
  void setVrrpLoss(std::size_t i, int percent);
  /// VRRP packets the loss rule dropped so far on node i.
  std::uint64_t vrrpDropped(std::size_t i) const;
  /// Isolates the node's switch port: isolated ports cannot reach each
  /// other but still reach the client (a partition between the routers).
  void setIsolated(std::size_t i, bool isolated);
  /// The MAC address of the node's interface.
  std::string macOf(std::size_t i) const;
  /// The MAC address the client's neighbour table has for the VIP ("" if none).
  std::string clientNeighbourOfVip() const;

  // -- Observations -----------------------------------------------------------------------
  /// True when the VIP is configured on the node's interface.
  bool holds(std::size_t i) const;
  /// One snapshot of every node that is in: the indices holding the VIP.
  std::vector<std::size_t> holders() const;
  /// Waits until `expected` is the only node in that holds the VIP.
  Verdict waitForSoleHolder(std::size_t expected, std::chrono::milliseconds timeout) const;
  /// Samples the holders over `period`; every sample must show `expected` alone.
  Verdict soleHolderThroughout(std::size_t expected, std::chrono::milliseconds period) const;
  /// waitForSoleHolder(expected, takeoverTimeout()) then
  /// soleHolderThroughout(expected, settlePeriod()).
  Verdict settlesOn(std::size_t expected) const;
  /// Probes the VIP from the client for `period`; passes when at least half
  /// the probes were answered.
  Verdict clientReachesVip(std::chrono::milliseconds period = std::chrono::milliseconds(300)) const;

  /// Master_Down_Interval of the lowest priority node (RFC 5798 §6.1; v2
  /// skew (256-prio)/256 s) — the longest a correct takeover may need.
  std::chrono::milliseconds masterDownInterval() const;
  /// A generous bound for any takeover on a loaded CI machine: several
  /// master-down intervals plus slack for process start-up.
  std::chrono::milliseconds takeoverTimeout() const;
  /// A "settled" window: three advert intervals, at least 400 ms.
  std::chrono::milliseconds settlePeriod() const;

  // -- Logs -------------------------------------------------------------------------------
  std::string log(std::size_t i) const;
  /// Lines of the node's log that show a wire or validation complaint:
  /// for vipd "dropped advert"; for keepalived any invalid/checksum/bogus/
  /// mismatch/unexpected/wrong/error/not present/expect line.
  std::vector<std::string> complaints(std::size_t i) const;
  /// Every node's log, headed by its name (for failure output).
  std::string allLogs() const;

  // -- Client probing across a failure ------------------------------------------------------
  /// Starts probing the VIP from the client every 2 ms and returns once the
  /// prober has run for 100 ms (one prober at a time).
  void startProbing();
  ProbeReport stopProbing();

 private:
  struct Agentry {
    std::optional<Child> child;
    bool frozen = false;
    bool unplugged = false;
  };
  /// One name per node: restarts append to the same log.
  std::string agentName(std::size_t i) const;
  bool in(std::size_t i) const { return !agents_[i].frozen && !agents_[i].unplugged; }
  std::string describe(const std::vector<std::size_t>& holders) const;

  VrrpSetup setup_;
  std::string rootExtra_;
  std::string globalExtra_;
  std::string instanceExtra_;
  std::vector<NodeSpec> nodes_;
  std::unique_ptr<Lab> lab_;
  std::vector<Host*> hosts_;
  Host* client_ = nullptr;
  std::vector<Agentry> agents_;
  std::unique_ptr<Prober> prober_;
};

}  // namespace vipd::lab
