#include "scenario.h"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "agents.h"

namespace vipd::lab {

namespace {

using std::chrono::milliseconds;

constexpr int kVrid = 51;
constexpr auto kSampleEvery = milliseconds(50);
constexpr auto kProbeInterval = std::chrono::microseconds(2000);
constexpr auto kProbeWarmUp = milliseconds(100);
constexpr std::string_view kMarker = "=vipd-scenario-node=";

std::string cidrOf(Family family, int hostByte) {
  return family == Family::V4 ? "192.0.2." + std::to_string(hostByte) + "/24"
                              : "2001:db8::" + std::to_string(hostByte) + "/64";
}

std::string withoutPrefix(const std::string& cidr) { return cidr.substr(0, cidr.find('/')); }

/// "0.200" or "1": both parsers take seconds with a fraction.
std::string seconds(milliseconds interval) {
  char buf[32];
  const auto ms = interval.count();
  if (ms % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(ms / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(ms / 1000),
                  static_cast<long long>(ms % 1000));
  }
  return buf;
}

bool hasAddressIn(const std::string& ipAddrOutput, const std::string& address) {
  return ipAddrOutput.find(" " + address + "/") != std::string::npos;
}

}  // namespace

std::string_view toString(Family family) { return family == Family::V4 ? "IPv4" : "IPv6"; }
std::string_view toString(Transport t) {
  return t == Transport::Multicast ? "Multicast" : "Unicast";
}
std::string_view toString(Agent agent) { return agent == Agent::Vipd ? "vipd" : "keepalived"; }

Scenario::Scenario(const std::string& tag, VrrpSetup setup, std::vector<NodeSpec> nodes)
    : setup_(setup), nodes_(std::move(nodes)), lab_(std::make_unique<Lab>(tag)) {
  if (setup_.version == 2 && setup_.family == Family::V6) {
    throw std::invalid_argument("VRRPv2 is IPv4 only");
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const int byte = static_cast<int>(i) + 1;
    hosts_.push_back(
        &lab_->addHost(nodes_[i].name, {cidrOf(Family::V4, byte), cidrOf(Family::V6, byte)}));
  }
  client_ = &lab_->addHost("client", {cidrOf(Family::V4, 200), cidrOf(Family::V6, 200)});
  agents_.resize(nodes_.size());
}

Scenario::~Scenario() {
  if (prober_) {
    try {
      prober_->stop();
    } catch (const std::exception&) {
      // Tearing down: the prober's error no longer matters.
    }
  }
  // The Lab stops the agents (SIGCONT first, so frozen ones too) and
  // removes the namespaces.
}

std::string Scenario::agentName(std::size_t i) const {
  return nodes_[i].name + "-" + std::string(toString(nodes_[i].agent));
}

std::size_t Scenario::indexOf(const std::string& name) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].name == name) return i;
  }
  throw std::out_of_range("no scenario node " + name);
}

std::string Scenario::vip() const { return withoutPrefix(cidrOf(setup_.family, 100)); }

std::string Scenario::addressOf(std::size_t i) const {
  return withoutPrefix(cidrOf(setup_.family, static_cast<int>(i) + 1));
}

std::string Scenario::configText(std::size_t i) const {
  const auto& self = nodes_[i];
  int top = 0;
  for (const auto& n : nodes_) top = std::max(top, n.priority);
  // The usual keepalived layout: the preferred node says MASTER (a wish; it
  // still starts in BACKUP). nopreempt needs `state BACKUP` on every node.
  const bool wishMaster = setup_.preempt && self.priority == top;

  std::ostringstream c;
  c << "# " << self.name << " (" << toString(self.agent) << "), written by the lab scenario\n"
    << "global_defs {\n"
    << "    router_id " << self.name << "\n"
    << globalExtra_ << "}\n\n"
    << rootExtra_ << "vrrp_instance VI_1 {\n"
    << "    state " << (wishMaster ? "MASTER" : "BACKUP") << "\n"
    << "    interface eth0\n"
    << "    virtual_router_id " << kVrid << "\n"
    << "    priority " << self.priority << "\n"
    << "    advert_int " << seconds(setup_.advertInterval) << "\n"
    << "    version " << setup_.version << "\n";
  if (!setup_.preempt) c << "    nopreempt\n";
  if (setup_.transport == Transport::Unicast) {
    c << "    unicast_src_ip " << addressOf(i) << "\n"
      << "    unicast_peer {\n";
    for (std::size_t j = 0; j < nodes_.size(); ++j) {
      if (j != i) c << "        " << addressOf(j) << "\n";
    }
    c << "    }\n";
  }
  c << instanceExtra_ << "    virtual_ipaddress {\n"
    << "        " << cidrOf(setup_.family, 100) << "\n"
    << "    }\n"
    << "}\n";
  return c.str();
}

// ---- Agents ------------------------------------------------------------------------------

void Scenario::start(std::size_t i) { startWith(i, configText(i)); }

void Scenario::startWith(std::size_t i, const std::string& configText) {
  if (running(i)) throw std::logic_error(nodes_[i].name + " is already running");
  const auto& n = nodes_[i];
  const std::string name = agentName(i);
  agents_[i].child = n.agent == Agent::Vipd ? startVipd(*lab_, *hosts_[i], configText, name)
                                            : startKeepalived(*lab_, *hosts_[i], configText, name);
  agents_[i].frozen = false;
}

void Scenario::startAll() {
  for (std::size_t i = 0; i < nodes_.size(); ++i) start(i);
}

bool Scenario::running(std::size_t i) const {
  return agents_[i].child && agents_[i].child->pid > 0;
}

Verdict Scenario::terminate(std::size_t i, milliseconds timeout) {
  if (!running(i)) return Verdict::fail(nodes_[i].name + " is not running");
  auto& child = *agents_[i].child;
  if (agents_[i].frozen) thaw(i);
  lab_->signal(child, SIGTERM);
  int status = 0;
  if (!lab_->waitExit(child, timeout, &status)) {
    lab_->stop(child, milliseconds(0));
    return Verdict::fail(nodes_[i].name + " did not exit within " +
                         std::to_string(timeout.count()) + " ms of SIGTERM");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Verdict::fail(nodes_[i].name + " exited with wait status " + std::to_string(status));
  }
  return Verdict::pass();
}

void Scenario::kill(std::size_t i) {
  // keepalived's VRRP work happens in a child process the Lab did not start:
  // SIGKILL on the parent would leave it running.
  if (nodes_[i].agent != Agent::Vipd) throw std::logic_error("kill() is for vipd nodes");
  if (!running(i)) throw std::logic_error(nodes_[i].name + " is not running");
  auto& child = *agents_[i].child;
  lab_->signal(child, SIGKILL);
  if (!lab_->waitExit(child, std::chrono::seconds(5))) {
    throw std::runtime_error(nodes_[i].name + " survived SIGKILL");
  }
  agents_[i].frozen = false;
}

void Scenario::freeze(std::size_t i) {
  if (nodes_[i].agent != Agent::Vipd) throw std::logic_error("freeze() is for vipd nodes");
  if (!running(i)) throw std::logic_error(nodes_[i].name + " is not running");
  lab_->signal(*agents_[i].child, SIGSTOP);
  agents_[i].frozen = true;
}

void Scenario::thaw(std::size_t i) {
  if (!running(i)) throw std::logic_error(nodes_[i].name + " is not running");
  lab_->signal(*agents_[i].child, SIGCONT);
  agents_[i].frozen = false;
}

void Scenario::reloadWith(std::size_t i, const std::string& configText) {
  if (!running(i)) throw std::logic_error(nodes_[i].name + " is not running");
  lab::reloadWith(*lab_, *agents_[i].child, configText);
}

void Scenario::setExtraConfig(std::string rootExtra, std::string instanceExtra) {
  rootExtra_ = std::move(rootExtra);
  instanceExtra_ = std::move(instanceExtra);
}

void Scenario::signal(std::size_t i, int signo) {
  if (!running(i)) throw std::logic_error(nodes_[i].name + " is not running");
  lab_->signal(*agents_[i].child, signo);
}

pid_t Scenario::pid(std::size_t i) const { return running(i) ? agents_[i].child->pid : -1; }

std::string Scenario::controlSocket(std::size_t i) const {
  if (nodes_[i].agent != Agent::Vipd) throw std::logic_error("controlSocket() is for vipd nodes");
  return controlSocketOf(*lab_, agentName(i));
}

std::string Scenario::vipctl(std::size_t i, const std::string& arguments) const {
  try {
    return testing::shell(vipctlBinary() + " -s " + controlSocket(i) + " " + arguments);
  } catch (const std::runtime_error&) {
    return "";
  }
}

// ---- Links -------------------------------------------------------------------------------

void Scenario::setCable(std::size_t i, bool plugged) {
  lab_->switchNs().exec("ip link set dev " + hosts_[i]->name + (plugged ? " up" : " down"));
  agents_[i].unplugged = !plugged;
}

void Scenario::setLink(std::size_t i, bool up) {
  const auto& h = *hosts_[i];
  lab_->setLink(h, up);
  if (!up) return;
  for (const auto& cidr : h.addresses) {
    if (cidr.find(':') == std::string::npos) continue;  // IPv4 survives admin down
    if (!lab_->hasAddress(h, withoutPrefix(cidr))) {
      h.ns->exec("ip -6 addr add " + cidr + " dev " + h.ifname + " nodad");
    }
  }
}

void Scenario::setVrrpLoss(std::size_t i, int percent) {
  const auto& ns = *hosts_[i]->ns;
  ns.exec("nft delete table inet vipdfault 2>/dev/null || true");
  if (percent <= 0) return;
  // The input hook sees what the raw sockets will get (they are served
  // after LOCAL_IN); numgen gives each packet its own draw.
  ns.exec(
      "nft add table inet vipdfault && "
      "nft add chain inet vipdfault input '{ type filter hook input priority 0; }' && "
      "nft add rule inet vipdfault input meta l4proto 112 numgen random mod 100 lt " +
      std::to_string(percent) + " counter drop");
}

std::uint64_t Scenario::vrrpDropped(std::size_t i) const {
  const auto out = hosts_[i]->ns->exec("nft list table inet vipdfault 2>/dev/null || true");
  const auto at = out.find("packets ");
  return at == std::string::npos ? 0 : std::stoull(out.substr(at + 8));
}

void Scenario::setIsolated(std::size_t i, bool isolated) {
  lab_->switchNs().exec("bridge link set dev " + hosts_[i]->name + " isolated " +
                        (isolated ? "on" : "off"));
}

std::string Scenario::macOf(std::size_t i) const {
  const auto& h = *hosts_[i];
  auto mac = h.ns->exec("cat /sys/class/net/" + h.ifname + "/address");
  while (!mac.empty() && (mac.back() == '\n' || mac.back() == ' ')) mac.pop_back();
  return mac;
}

std::string Scenario::clientNeighbourOfVip() const {
  const auto out = client_->ns->exec("ip neigh show " + vip() + " dev " + client_->ifname);
  const auto at = out.find("lladdr ");
  return at == std::string::npos ? "" : out.substr(at + 7, 17);
}

// ---- Observations ------------------------------------------------------------------------

bool Scenario::holds(std::size_t i) const { return lab_->hasAddress(*hosts_[i], vip()); }

std::vector<std::size_t> Scenario::holders() const {
  // One shell for all namespaces: the snapshot is as close to one moment as
  // the lab can make it.
  std::string command;
  for (std::size_t i = 0; i < hosts_.size(); ++i) {
    if (!in(i)) continue;
    command += "echo " + std::string(kMarker) + std::to_string(i) + "; ip -n " +
               hosts_[i]->ns->name() + " -o addr show dev " + hosts_[i]->ifname + "; ";
  }
  std::vector<std::size_t> result;
  if (command.empty()) return result;
  const auto out = testing::shell(command);
  const std::string marker(kMarker);
  std::size_t pos = 0;
  while ((pos = out.find(marker, pos)) != std::string::npos) {
    const auto eol = out.find('\n', pos);
    const auto index = static_cast<std::size_t>(std::stoul(out.substr(pos + marker.size())));
    const auto next = out.find(marker, eol);
    const auto section = out.substr(eol, next == std::string::npos ? next : next - eol);
    if (hasAddressIn(section, vip())) result.push_back(index);
    pos = eol;
  }
  return result;
}

std::string Scenario::describe(const std::vector<std::size_t>& holders) const {
  std::string text = "holders among the nodes in: [";
  for (std::size_t k = 0; k < holders.size(); ++k) {
    text += (k ? ", " : "") + nodes_[holders[k]].name;
  }
  text += "]; every node:";
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    text += " " + nodes_[i].name + "=" + (holds(i) ? "holds" : "-");
    if (agents_[i].frozen) text += "(frozen)";
    if (agents_[i].unplugged) text += "(unplugged)";
    if (!running(i)) text += "(not running)";
  }
  return text;
}

Verdict Scenario::waitForSoleHolder(std::size_t expected, milliseconds timeout) const {
  std::vector<std::size_t> last;
  const bool ok = waitFor(
      [&] {
        last = holders();
        return last.size() == 1 && last.front() == expected;
      },
      timeout);
  if (ok) return Verdict::pass();
  return Verdict::fail("after " + std::to_string(timeout.count()) + " ms " + nodes_[expected].name +
                       " is not the only holder of " + vip() + ": " + describe(last));
}

Verdict Scenario::soleHolderThroughout(std::size_t expected, milliseconds period) const {
  const auto end = std::chrono::steady_clock::now() + period;
  int samples = 0;
  do {
    auto now = holders();
    ++samples;
    if (now.size() != 1 || now.front() != expected) {
      return Verdict::fail("sample " + std::to_string(samples) + " of a settled " +
                           std::to_string(period.count()) + " ms: expected " +
                           nodes_[expected].name + " alone; " + describe(now));
    }
    std::this_thread::sleep_for(kSampleEvery);
  } while (std::chrono::steady_clock::now() < end);
  return Verdict::pass();
}

Verdict Scenario::settlesOn(std::size_t expected) const {
  if (auto v = waitForSoleHolder(expected, takeoverTimeout()); !v) return v;
  return soleHolderThroughout(expected, settlePeriod());
}

Verdict Scenario::clientReachesVip(milliseconds period) const {
  if (prober_) throw std::logic_error("clientReachesVip while probing: one prober at a time");
  Prober prober(client_->ns->name(), vip(), kProbeInterval);
  prober.start();
  std::this_thread::sleep_for(period);
  const auto report = prober.stop();
  if (report.received > 0 && report.received * 2 >= report.sent) return Verdict::pass();
  return Verdict::fail("the client reached " + vip() + " " + std::to_string(report.received) +
                       " times of " + std::to_string(report.sent) + " in " +
                       std::to_string(period.count()) + " ms");
}

milliseconds Scenario::masterDownInterval() const {
  int lowest = 255;
  for (const auto& n : nodes_) lowest = std::min(lowest, n.priority);
  const auto adv = setup_.advertInterval;
  // v3: Skew = ((256-prio) * Master_Adver_Interval) / 256; v2: (256-prio)/256 s.
  const auto skew = setup_.version == 2 ? milliseconds((256 - lowest) * 1000 / 256)
                                        : milliseconds((256 - lowest) * adv.count() / 256);
  return 3 * adv + skew;
}

milliseconds Scenario::takeoverTimeout() const {
  return 3 * masterDownInterval() + std::chrono::seconds(3);
}

milliseconds Scenario::settlePeriod() const {
  return std::max(milliseconds(400), 3 * setup_.advertInterval);
}

// ---- Logs --------------------------------------------------------------------------------

std::string Scenario::log(std::size_t i) const {
  Child c;
  c.log = lab_->dir() / (agentName(i) + ".log");
  return readLog(c);
}

std::vector<std::string> Scenario::complaints(std::size_t i) const {
  static const std::regex vipdComplaint("dropped advert|incompatible peer", std::regex::icase);
  // keepalived's receive checks (reference §4.2) and anything else that
  // smells of a wire problem.
  static const std::regex keepalivedComplaint(
      "invalid|checksum|bogus|mismatch|unexpected|wrong|error|not present|expect|"
      "not a unicast peer|ttl",
      std::regex::icase);
  const auto& pattern = nodes_[i].agent == Agent::Vipd ? vipdComplaint : keepalivedComplaint;
  std::vector<std::string> lines;
  std::istringstream in(log(i));
  for (std::string line; std::getline(in, line);) {
    if (std::regex_search(line, pattern)) lines.push_back(line);
  }
  return lines;
}

std::string Scenario::allLogs() const {
  std::string text;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    text += "==== " + nodes_[i].name + " (" + std::string(toString(nodes_[i].agent)) + ") ====\n";
    text += log(i);
  }
  return text;
}

// ---- Probing -----------------------------------------------------------------------------

void Scenario::startProbing() {
  if (prober_) throw std::logic_error("already probing");
  prober_ = std::make_unique<Prober>(client_->ns->name(), vip(), kProbeInterval);
  prober_->start();
  // The prober measures gaps between replies: let it collect some before the
  // test breaks something, or the outage would hide before the first reply.
  std::this_thread::sleep_for(kProbeWarmUp);
}

ProbeReport Scenario::stopProbing() {
  if (!prober_) throw std::logic_error("not probing");
  auto report = prober_->stop();
  prober_.reset();
  return report;
}

}  // namespace vipd::lab
