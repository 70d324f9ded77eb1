#include "failover_lab.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "agents.h"
#include "interrupt.h"

namespace vipd::lab {

namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr milliseconds kAfterTakeover{50};
// Failures are injected this long after an advert from the master (well
// within the shortest advert interval, 10 ms).
constexpr milliseconds kInjectAfterAdvert{1};
// The address watch reads the kernel's notification a little after the
// VIP is in place (tens of microseconds, milliseconds on a busy machine).
constexpr milliseconds kWatchLatencyAllowance{2};

// Waits in short slices so that Ctrl-C is honoured within ~20 ms.
template <class Wait>
auto sliced(Wait wait, milliseconds timeout) -> decltype(wait(milliseconds(1))) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    throwIfInterrupted();
    const auto left = duration_cast<milliseconds>(deadline - Clock::now());
    auto got = wait(std::clamp(left, milliseconds(0), milliseconds(20)));
    if (got || left <= milliseconds(0)) return got;
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::optional<pid_t> readPidFile(const std::filesystem::path& path) {
  std::ifstream f(path);
  long pid = 0;
  if (f >> pid && pid > 0) return static_cast<pid_t>(pid);
  return std::nullopt;
}

// agents.h's startKeepalived, plus --no-syslog: with no syslog daemon
// (no /dev/log, as in containers), glibc's LOG_CONS fallback writes every
// keepalived log line to /dev/console, which on a VM with a serial console
// holds a CPU with interrupts off for milliseconds per line. That stalls
// everything on the machine, the measuring threads included, right at
// takeover, when keepalived logs most.
Child startKeepalivedQuiet(Lab& lab, const Host& host, const std::string& configText,
                           const std::string& name) {
  const auto dir = lab.dir();
  const auto conf = dir / (name + ".conf");
  std::ofstream(conf) << configText;
  return lab.spawn(
      host,
      {"keepalived", "-n", "-l", "-D", "--no-syslog", "--vrrp", "-f", conf.string(), "-p",
       (dir / (name + ".pid")).string(), "-r", (dir / (name + "-vrrp.pid")).string(), "-i", name},
      name);
}

bool isKeepalived(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/comm");
  std::string comm;
  return (f >> comm) && comm == "keepalived";
}

// Waits for a process that may or may not be our child (a keepalived VRRP
// child is adopted by us, the subreaper, only if its parent died first).
bool waitGone(pid_t pid, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && ::kill(pid, 0) != 0 && errno == ESRCH) return true;
    if (Clock::now() >= deadline) return false;
    sleepFor(milliseconds(5));
  }
}

}  // namespace

std::string_view toString(Failure failure) {
  switch (failure) {
    case Failure::Crash:
      return "crash";
    case Failure::Freeze:
      return "freeze";
    case Failure::Graceful:
      return "graceful";
    case Failure::LinkDown:
      return "link-down";
  }
  return "?";
}

std::string_view describe(Failure failure) {
  switch (failure) {
    case Failure::Crash:
      return "host crash: master's link cut, agent SIGKILLed";
    case Failure::Freeze:
      return "agent hangs: SIGSTOP (its kernel still answers for the VIP)";
    case Failure::Graceful:
      return "graceful stop: SIGTERM (priority-0 advert, VIP removed)";
    case Failure::LinkDown:
      return "master's link down, agent keeps running";
  }
  return "?";
}

std::string advertIntText(const PairSetup& setup) {
  const auto cs = setup.advertInterval.count() / 10'000;
  std::string text = std::to_string(cs / 100);
  if (cs % 100 == 0) return text;
  const int frac = static_cast<int>(cs % 100);
  text += frac < 10 ? ".0" + std::to_string(frac) : "." + std::to_string(frac);
  if (text.back() == '0') text.pop_back();
  return text;
}

std::string describe(const PairSetup& setup) {
  return "VRRPv" + std::to_string(setup.version) + ", advert_int " + advertIntText(setup) + " s" +
         (setup.vmac ? ", use_vmac" : "");
}

std::string configText(const PairSetup& setup, std::uint8_t priority, const std::string& routerId) {
  std::ostringstream c;
  c << "global_defs {\n"
    << "    router_id " << routerId << "\n"
    << "    vrrp_version " << setup.version << "\n"
    << "}\n\n"
    << "vrrp_instance VI_1 {\n"
    << "    interface eth0\n"
    << "    virtual_router_id " << setup.vrid << "\n"
    << "    priority " << int{priority} << "\n"
    << "    advert_int " << advertIntText(setup) << "\n"
    << (setup.vmac ? "    use_vmac\n" : "") << "    virtual_ipaddress {\n"
    << "        " << FailoverLab::kVip << "/" << FailoverLab::kVipPrefix << "\n"
    << "    }\n"
    << "}\n";
  return c.str();
}

microseconds skewTime(const PairSetup& setup, std::uint8_t priority) {
  const std::int64_t weight = 256 - std::int64_t{priority};
  if (setup.version == 2) return microseconds(weight * 1'000'000 / 256);
  const std::int64_t intervalCs = setup.advertInterval.count() / 10'000;
  return microseconds(weight * intervalCs / 256 * 10'000);
}

microseconds keepalivedSkewTime(const PairSetup& setup, std::uint8_t priority) {
  const std::int64_t weight = 256 - std::int64_t{priority};
  if (setup.version == 2) return microseconds(weight * 1'000'000 / 256);
  return microseconds(weight * setup.advertInterval.count() / 256);
}

microseconds masterDownInterval(const PairSetup& setup, std::uint8_t priority) {
  return 3 * setup.advertInterval + skewTime(setup, priority);
}

std::optional<TakeoverLog> parseTakeoverLog(const std::string& log) {
  static const std::regex re(
      R"(entering MASTER state: cause=(\S+) priority=\d+ since_last_advert_ms=(\S+) )"
      R"(timer_late_us=(-?\d+) vips_added_us=(-?\d+) first_announcement_us=(-?\d+))");
  std::optional<TakeoverLog> last;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, re)) continue;
    TakeoverLog t;
    t.line = line;
    t.cause = m[1];
    if (m[2] != "none") t.sinceLastAdvertMs = std::stod(m[2]);
    t.timerLateUs = std::stol(m[3]);
    t.vipsAddedUs = std::stol(m[4]);
    t.firstAnnouncementUs = std::stol(m[5]);
    last = t;
  }
  return last;
}

std::optional<microseconds> FailoverResult::injectionToVip() const {
  if (!vipOnBackup) return std::nullopt;
  return duration_cast<microseconds>(*vipOnBackup - injected);
}

std::optional<microseconds> FailoverResult::takeover() const {
  if (!vipOnBackup || !lastMasterAdvert) return std::nullopt;
  return duration_cast<microseconds>(*vipOnBackup - lastMasterAdvert->at);
}

FailoverLab::FailoverLab(const std::string& tag) : lab_(tag) {
  r1_ = &lab_.addHost("r1", {"192.0.2.1/24"});
  r2_ = &lab_.addHost("r2", {"192.0.2.2/24"});
  client_ = &lab_.addHost("client", {"192.0.2.100/24"});
  tap_ = std::make_unique<AdvertTap>(*client_->ns, client_->ifname);
}

std::string FailoverLab::addressOf(const Host& host) {
  const auto& cidr = host.addresses.front();
  return cidr.substr(0, cidr.find('/'));
}

RunningAgent FailoverLab::start(Agent agent, const Host& host, const PairSetup& setup,
                                std::uint8_t priority, const std::string& name) {
  const auto conf = configText(setup, priority, host.name);
  RunningAgent a;
  a.agent = agent;
  a.host = &host;
  a.main = agent == Agent::Vipd ? startVipd(lab_, host, conf, name)
                                : startKeepalivedQuiet(lab_, host, conf, name);
  a.vrrpPid = a.main.pid;
  if (agent == Agent::Keepalived) {
    // keepalived's parent only supervises; VRRP runs in a child whose PID
    // it writes to the -r pid file.
    const auto pidFile = lab_.dir() / (name + "-vrrp.pid");
    std::optional<pid_t> child;
    if (!waitUntil([&] { return (child = readPidFile(pidFile)).has_value(); },
                   std::chrono::seconds(5))) {
      throw std::runtime_error("keepalived on " + host.name + " wrote no VRRP pid file; log:\n" +
                               readLog(a.main));
    }
    a.vrrpPid = *child;
  }
  return a;
}

void FailoverLab::bringUp(Pair& pair, Agent agent, const PairSetup& setup,
                          const std::string& runTag) {
  tap_->clear();
  {
    AddressWatch onR1(*r1_->ns, kVip);
    pair.master = start(agent, *r1_, setup, setup.masterPriority, runTag + "-r1");
    // A router starts as backup and takes over after Master_Down_Interval.
    const auto limit =
        duration_cast<milliseconds>(masterDownInterval(setup, setup.masterPriority)) +
        std::chrono::seconds(5);
    if (!sliced([&](milliseconds t) { return onR1.waitAdded(t); }, limit)) {
      throw std::runtime_error(std::string(toString(agent)) + " on r1 did not add the VIP; log:\n" +
                               readLog(pair.master.main));
    }
  }
  pair.backup = start(agent, *r2_, setup, setup.backupPriority, runTag + "-r2");
  if (!waitUntil(
          [&] {
            return lower(readLog(pair.backup.main)).find("entering backup state") !=
                   std::string::npos;
          },
          std::chrono::seconds(5))) {
    throw std::runtime_error(std::string(toString(agent)) + " on r2 did not enter BACKUP; log:\n" +
                             readLog(pair.backup.main));
  }
  const auto wait = duration_cast<milliseconds>(2 * setup.advertInterval) + milliseconds(500);
  const auto backupUp = Clock::now();
  if (!sliced([&](milliseconds t) { return tap_->waitNext(addressOf(*r1_), backupUp, t); }, wait)) {
    throw std::runtime_error("r1 sends no adverts");
  }
}

void FailoverLab::waitForReplies(const OutageProbe& probe, std::size_t count) {
  const auto before = probe.received();
  if (!waitUntil([&] { return probe.received() >= before + count; }, std::chrono::seconds(3))) {
    throw std::runtime_error("the client gets no replies from the VIP");
  }
}

void FailoverLab::inject(Failure failure, RunningAgent& master) {
  const bool twoProcesses = master.vrrpPid != master.main.pid;
  switch (failure) {
    case Failure::Crash:
      // Link first: whatever the agent does while dying stays on the host.
      setLinkNow(*master.host->ns, master.host->ifname, false);
      lab_.signal(master.main, SIGKILL);
      if (twoProcesses) ::kill(master.vrrpPid, SIGKILL);
      break;
    case Failure::Freeze:
      if (twoProcesses) ::kill(master.vrrpPid, SIGSTOP);
      lab_.signal(master.main, SIGSTOP);
      break;
    case Failure::Graceful:
      // What systemd does: SIGTERM to the main process (keepalived's parent
      // passes it on to its VRRP child).
      lab_.signal(master.main, SIGTERM);
      break;
    case Failure::LinkDown:
      setLinkNow(*master.host->ns, master.host->ifname, false);
      break;
  }
}

FailoverResult FailoverLab::failover(Pair& pair, Failure failure, const PairSetup& setup,
                                     const OutageProbe& probe) {
  FailoverResult r;
  r.failure = failure;
  AddressWatch onR2(*r2_->ns, kVip);
  const auto master = addressOf(*r1_);
  const auto advertWait = duration_cast<milliseconds>(2 * setup.advertInterval) + milliseconds(500);
  const auto armed = Clock::now();
  auto advert =
      sliced([&](milliseconds t) { return tap_->waitNext(master, armed, t); }, advertWait);
  if (!advert) throw std::runtime_error("the master stopped advertising before the failure");
  r.advertBeforeInjection = advert->at;
  // Not at once: on one machine the injection's own work (link down, a
  // process dying) competes for the CPU with the backup that is handling
  // this very advert, and would delay its timer by a few hundred µs.
  const auto injectAt = advert->at + kInjectAfterAdvert;
  std::this_thread::sleep_until(injectAt);  // not spinning: that would take a CPU too
  r.injected = Clock::now();
  inject(failure, pair.master);

  const auto limit = duration_cast<milliseconds>(masterDownInterval(setup, setup.backupPriority)) +
                     std::chrono::seconds(3);
  r.vipOnBackup = sliced([&](milliseconds t) { return onR2.waitAdded(t); }, limit);
  if (!r.vipOnBackup) return r;
  r.lastMasterAdvert = tap_->lastBefore(master, *r.vipOnBackup);
  // Replies resume once the client follows the backup's gratuitous ARP; a
  // little more probing shows any disruption right after the takeover.
  waitUntil([&] { return probe.firstReplyAfter(*r.vipOnBackup).has_value(); },
            std::chrono::seconds(2));
  sleepFor(kAfterTakeover);
  // A frozen master's kernel keeps answering: what the client notices is the
  // switch to the backup, so count from just before the VIP appears there.
  // For the other failures nothing answers between injection and takeover.
  const auto since =
      failure == Failure::Freeze ? *r.vipOnBackup - kWatchLatencyAllowance : r.injected;
  r.outage = probe.longestGapSince(since);
  // A pause of the probe matters only once the VIP is back: it delays the
  // reply that ends the outage.
  if (r.outage) {
    r.probeStall = probe.longestSendGap(std::max(r.outage->from, *r.vipOnBackup), r.outage->to);
  }
  if (pair.backup.agent == Agent::Vipd) {
    // The line is logged right after the takeover, by an async logger.
    waitUntil(
        [&] { return (r.backupLog = parseTakeoverLog(readLog(pair.backup.main))).has_value(); },
        std::chrono::milliseconds(500));
  }
  return r;
}

void FailoverLab::stop(RunningAgent& agent) {
  if (agent.main.pid <= 0 && agent.vrrpPid <= 0) return;
  const bool twoProcesses = agent.vrrpPid > 0 && agent.vrrpPid != agent.main.pid;
  if (twoProcesses) ::kill(agent.vrrpPid, SIGCONT);
  lab_.stop(agent.main, std::chrono::seconds(5));
  if (twoProcesses && !waitGone(agent.vrrpPid, std::chrono::seconds(3)) &&
      isKeepalived(agent.vrrpPid)) {
    ::kill(agent.vrrpPid, SIGKILL);
    waitGone(agent.vrrpPid, std::chrono::seconds(3));
  }
  agent.vrrpPid = -1;
}

void FailoverLab::reset() {
  // Agents write their config, log and pid files here; on a shared machine
  // someone may have swept /tmp/vipd-lab-* meanwhile.
  std::filesystem::create_directories(lab_.dir());
  const std::string vip = std::string(kVip) + "/" + std::to_string(kVipPrefix);
  for (Host* h : {r1_, r2_}) {
    setLinkNow(*h->ns, h->ifname, true);
    h->ns->exec("ip addr del " + vip + " dev " + h->ifname + " 2>/dev/null || true");
    // A killed agent leaves its VMAC behind (use_vmac: a macvlan).
    h->ns->exec(
        "ip -o link show type macvlan | cut -d: -f2 | cut -d@ -f1 | "
        "xargs -r -n1 ip link del 2>/dev/null || true");
  }
  client_->ns->exec("ip neigh flush dev " + client_->ifname);
}

void becomeSubreaper() { prctl(PR_SET_CHILD_SUBREAPER, 1); }

}  // namespace vipd::lab
