// bench/scale: the cost of many instances. One master and one backup host
// run N VRIDs twice over (an IPv4 and an IPv6 instance per VRID, VRRPv3) at
// a centisecond advert interval; a bystander taps the master's IPv4 adverts.
// For each agent (vipd, then keepalived, in the same run and lab), after a
// warm-up, over a window:
//   CPU%     utime+stime of the agent's processes (keepalived: parent and its
//            VRRP child) per second of wall time, master and backup;
//   RSS      VmRSS of those processes at the end of the window;
//   jitter   gaps between consecutive adverts of one VRID on the wire:
//            p50, p99, max, and missed adverts (gaps over 1.5 intervals,
//            counted as gap/interval - 1 each);
//   takeovers entries into MASTER on the backup during the window (must be 0).
// Then vipd only: SIGHUP with the configuration unchanged, time until its
// "reload done" line, and transitions it caused (must be 0).
// Run through bench/scale (root); not part of CI.
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "advert_tap.h"
#include "agents.h"
#include "lab.h"

namespace {

namespace po = boost::program_options;
using namespace vipd::lab;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Options {
  int vrids = 255;
  int intervalCs = 1;
  int seconds = 20;
  int warmup = 5;
  std::vector<std::string> agents{"vipd", "keepalived"};
};

/// IPv4 VIPs 198.51.100.1-254 then 203.0.113.x; IPv6 2001:db8:1::<vrid>.
std::string vip4(int vrid) {
  return vrid <= 254 ? "198.51.100." + std::to_string(vrid) + "/24"
                     : "203.0.113." + std::to_string(vrid - 254) + "/24";
}

std::string config(const Options& o, int priority, const std::string& name) {
  std::ostringstream c;
  char interval[16];
  std::snprintf(interval, sizeof interval, "%d.%02d", o.intervalCs / 100, o.intervalCs % 100);
  c << "global_defs {\n    router_id " << name << "\n}\n\n";
  for (int vrid = 1; vrid <= o.vrids; ++vrid) {
    for (const bool v6 : {false, true}) {
      c << "vrrp_instance " << (v6 ? "V6_" : "V4_") << vrid << " {\n"
        << "    state " << (priority > 150 ? "MASTER" : "BACKUP") << "\n"
        << "    interface eth0\n    virtual_router_id " << vrid << "\n"
        << "    priority " << priority << "\n    advert_int " << interval << "\n"
        << "    version 3\n    virtual_ipaddress {\n        "
        << (v6 ? "2001:db8:1::" + std::to_string(vrid) + "/64" : vip4(vrid)) << "\n    }\n}\n";
    }
  }
  return c.str();
}

/// The agent's processes: vipd is one; keepalived's VRRP work is its child,
/// whose PID it writes to NAME-vrrp.pid.
std::vector<pid_t> processesOf(const Lab& lab, const Child& child, const std::string& agent) {
  std::vector<pid_t> pids{child.pid};
  if (agent == "keepalived") {
    pid_t vrrp = 0;
    std::ifstream(lab.dir() / (child.name + "-vrrp.pid")) >> vrrp;
    if (vrrp > 0) pids.push_back(vrrp);
  }
  return pids;
}

/// utime+stime in clock ticks, summed over the processes.
double cpuTicks(const std::vector<pid_t>& pids) {
  double ticks = 0;
  for (const pid_t pid : pids) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(text.substr(close + 2));
    std::vector<std::string> f;
    for (std::string x; rest >> x;) f.push_back(x);
    if (f.size() > 12) ticks += std::stod(f[11]) + std::stod(f[12]);
  }
  return ticks;
}

double rssMiB(const std::vector<pid_t>& pids) {
  double kib = 0;
  for (const pid_t pid : pids) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("VmRSS:", 0) == 0) kib += std::stod(line.substr(6));
    }
  }
  return kib / 1024.0;
}

std::size_t countIn(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

/// Lines that mark an entry into MASTER in each agent's log.
std::string masterMarker(const std::string& agent) {
  return agent == "vipd" ? "entering MASTER state" : "Entering MASTER STATE";
}

struct Result {
  std::string agent;
  double masterCpu = 0, backupCpu = 0, masterRss = 0, backupRss = 0;
  double p50 = 0, p99 = 0, max = 0;
  std::uint64_t missed = 0, expected = 0;
  std::size_t takeovers = 0;
  double reloadMs = -1;
  std::size_t reloadTransitions = 0;
};

Result run(const Options& o, const std::string& agent) {
  Lab lab("scale");
  auto& master = lab.addHost("master", {"192.0.2.1/24", "2001:db8::1/64"});
  auto& backup = lab.addHost("backup", {"192.0.2.2/24", "2001:db8::2/64"});
  auto& tapHost = lab.addHost("tap", {"192.0.2.200/24"});
  AdvertTap tap(*tapHost.ns, tapHost.ifname);
  auto start = [&](const Host& h, int prio, const std::string& name) {
    return agent == "vipd" ? startVipd(lab, h, config(o, prio, name), name)
                           : startKeepalived(lab, h, config(o, prio, name), name);
  };
  Child m = start(master, 200, agent + "-master");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  Child b = start(backup, 100, agent + "-backup");
  std::cerr << agent << ": " << 2 * o.vrids << " instances per host, warming up " << o.warmup
            << " s\n";
  std::this_thread::sleep_for(std::chrono::seconds(o.warmup));

  const auto mp = processesOf(lab, m, agent);
  const auto bp = processesOf(lab, b, agent);
  const double tick = 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
  const std::size_t backupMastersBefore = countIn(readLog(b), masterMarker(agent));
  tap.clear();
  const double m0 = cpuTicks(mp), b0 = cpuTicks(bp);
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
  const double wallMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  Result r;
  r.agent = agent;
  r.masterCpu = (cpuTicks(mp) - m0) * tick / wallMs * 100;
  r.backupCpu = (cpuTicks(bp) - b0) * tick / wallMs * 100;
  r.masterRss = rssMiB(mp);
  r.backupRss = rssMiB(bp);
  r.takeovers = countIn(readLog(b), masterMarker(agent)) - backupMastersBefore;

  std::map<int, Clock::time_point> last;
  std::vector<double> gaps;
  const double intervalMs = o.intervalCs * 10.0;
  for (const auto& a : tap.seen()) {
    if (a.source != "192.0.2.1") continue;
    if (auto it = last.find(a.vrid); it != last.end()) {
      const double gap = std::chrono::duration<double, std::milli>(a.at - it->second).count();
      gaps.push_back(gap);
      if (gap > 1.5 * intervalMs) r.missed += static_cast<std::uint64_t>(gap / intervalMs) - 1;
    }
    last[a.vrid] = a.at;
  }
  r.expected = static_cast<std::uint64_t>(wallMs / intervalMs) * o.vrids;
  if (!gaps.empty()) {
    std::sort(gaps.begin(), gaps.end());
    r.p50 = gaps[gaps.size() / 2];
    r.p99 = gaps[gaps.size() * 99 / 100];
    r.max = gaps.back();
  }

  if (agent == "vipd") {
    const std::size_t transitionsBefore = countIn(readLog(m), "entering ");
    const std::size_t reloadsBefore = countIn(readLog(m), "reload done");
    const auto r0 = Clock::now();
    lab.signal(m, SIGHUP);
    if (waitFor([&] { return countIn(readLog(m), "reload done") > reloadsBefore; },
                std::chrono::seconds(30))) {
      r.reloadMs = std::chrono::duration<double, std::milli>(Clock::now() - r0).count();
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
    r.reloadTransitions = countIn(readLog(m), "entering ") - transitionsBefore;
  }
  lab.stop(b);
  lab.stop(m);
  return r;
}

void report(const Options& o, const std::vector<Result>& results) {
  utsname u{};
  ::uname(&u);
  std::cout << "# bench/scale: " << o.vrids << " VRIDs x IPv4+IPv6 (" << 2 * o.vrids
            << " instances per host), advert_int " << o.intervalCs * 10 << " ms, " << o.seconds
            << " s window\n\n"
            << "Machine: " << u.machine << ", " << std::thread::hardware_concurrency()
            << " CPUs, kernel " << u.release << "\n\n"
            << "| agent | master CPU % | backup CPU % | master RSS MiB | backup RSS MiB | "
               "gap p50 ms | gap p99 ms | gap max ms | missed / expected (IPv4) | backup "
               "takeovers | reload ms (transitions) |\n"
            << "|---|---|---|---|---|---|---|---|---|---|---|\n";
  char line[512];
  for (const auto& r : results) {
    std::snprintf(
        line, sizeof line,
        "| %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %llu / %llu | %zu | %s |\n",
        r.agent.c_str(), r.masterCpu, r.backupCpu, r.masterRss, r.backupRss, r.p50, r.p99, r.max,
        static_cast<unsigned long long>(r.missed), static_cast<unsigned long long>(r.expected),
        r.takeovers,
        r.reloadMs < 0 ? "-"
                       : (std::to_string(static_cast<int>(r.reloadMs)) + " (" +
                          std::to_string(r.reloadTransitions) + ")")
                             .c_str());
    std::cout << line;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  po::options_description desc("bench/scale options");
  desc.add_options()("help,h", "this help")("vrids", po::value(&o.vrids)->default_value(o.vrids),
                                            "VRIDs (each IPv4 and IPv6), 1..255")(
      "interval-cs", po::value(&o.intervalCs)->default_value(o.intervalCs),
      "advert interval in centiseconds")("seconds", po::value(&o.seconds)->default_value(o.seconds),
                                         "measurement window")(
      "warmup", po::value(&o.warmup)->default_value(o.warmup), "seconds before measuring")(
      "agents", po::value(&o.agents)->multitoken(), "vipd and/or keepalived");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "bench-scale: " << e.what() << "\n" << desc;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc;
    return 0;
  }
  if (o.vrids < 1 || o.vrids > 255 || o.intervalCs < 1) {
    std::cerr << "bench-scale: --vrids is 1..255, --interval-cs at least 1\n";
    return 2;
  }
  std::vector<Result> results;
  for (const auto& agent : o.agents) results.push_back(run(o, agent));
  report(o, results);
  return 0;
}
