// vipd-lab: the newcomer's demo. Builds a lab of network namespaces, runs
// two vipd routers and a client, and narrates a failover with the outage
// the client saw next to what the protocol promises. Run by tools/demo.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "agents.h"
#include "failover_lab.h"
#include "interrupt.h"
#include "netns.h"

namespace {

namespace po = boost::program_options;
using namespace vipd::lab;
using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr microseconds kProbeInterval{1000};

double ms(microseconds d) { return static_cast<double>(d.count()) / 1000.0; }

std::string fmtMs(microseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", ms(d));
  return buf;
}

/// Prints the story with the time since the demo began.
class Narrator {
 public:
  void say(const std::string& text) {
    const auto s = std::chrono::duration<double>(Clock::now() - begin_).count();
    std::printf("[%5.1f s] %s\n", s, indent(text, "          ").c_str());
    std::fflush(stdout);
  }
  static void note(const std::string& text) {
    std::printf("          %s\n", indent(text, "          ").c_str());
    std::fflush(stdout);
  }
  static void heading(const std::string& text) {
    std::printf("\n%s\n%s\n", text.c_str(), std::string(text.size(), '-').c_str());
    std::fflush(stdout);
  }
  static std::string indent(const std::string& text, const std::string& by) {
    std::string out;
    for (char c : text) {
      out += c;
      if (c == '\n') out += by;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    return out;
  }

 private:
  Clock::time_point begin_ = Clock::now();
};

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string macOf(const Host& host) {
  return trim(host.ns->exec("cat /sys/class/net/" + host.ifname + "/address"));
}

std::string showAddresses(const Host& host) {
  return host.name + "$ ip -brief address show dev " + host.ifname + "\n" +
         trim(host.ns->exec("ip -brief address show dev " + host.ifname));
}

/// Which router the client's ARP cache sends VIP traffic to.
std::string clientArp(FailoverLab& lab) {
  auto entry = trim(lab.client().ns->exec(std::string("ip neigh show ") + FailoverLab::kVip));
  for (Host* h : {&lab.r1(), &lab.r2()}) {
    if (entry.find(macOf(*h)) != std::string::npos) return h->name + " (" + entry + ")";
  }
  return "nobody yet (" + entry + ")";
}

std::string vipdVersion() {
  auto out = vipd::testing::shell(vipdBinary() + " --version");
  return trim(out.substr(0, out.find('\n')));
}

struct Outcome {
  std::string what;
  microseconds outage{0};
  std::string theoryName;
  microseconds theory{0};
};

void reportFailover(Narrator& n, FailoverLab& lab, const FailoverResult& r,
                    const std::string& failureName, const std::string& theoryName,
                    microseconds theory, std::vector<Outcome>& outcomes, const std::string& what) {
  if (!r.vipOnBackup) throw std::runtime_error("r2 never took over the VIP");
  n.say("r2 holds the VIP, " + fmtMs(*r.injectionToVip()) + " after the failure:\n" +
        showAddresses(lab.r2()));
  if (r.backupLog)
    Narrator::note("r2's vipd logged:\n  " + r.backupLog->line.substr(r.backupLog->line.find('(')));
  if (!r.outage) throw std::runtime_error("the client did not get replies again");
  Narrator::note("the client's ARP cache now sends VIP traffic to " + clientArp(lab));
  std::printf("\n    the protocol allows:            %9s   %s, from r1's last %s\n",
              fmtMs(theory).c_str(), theoryName.c_str(),
              r.failure == Failure::Graceful ? "(priority-0) advert" : "advert");
  if (r.takeover()) {
    std::printf("    r1's last advert -> VIP on r2:  %9s   (%+.1f ms)\n",
                fmtMs(*r.takeover()).c_str(), ms(*r.takeover() - theory));
  }
  std::printf(
      "    client-observed outage:         %9s   from the %s to the first reply from r2\n\n",
      fmtMs(r.outage->length()).c_str(), failureName.c_str());
  std::fflush(stdout);
  outcomes.push_back({what, r.outage->length(), theoryName, theory});
}

/// r1 comes back and, having the higher priority, takes the VIP back.
void preempt(Narrator& n, FailoverLab& lab, Pair& pair, const PairSetup& setup,
             const std::string& tag, bool linkWasCut) {
  lab.stop(pair.master);
  OutageProbe probe(*lab.client().ns, FailoverLab::kVip, kProbeInterval);
  lab.waitForReplies(probe, 20);
  AddressWatch onR1(*lab.r1().ns, FailoverLab::kVip);
  // vipd usually removes the VIP itself when the link goes down just before
  // it dies; if it did not get to, the new vipd removes it at start.
  const bool leftover = lab.lab().hasAddress(lab.r1(), FailoverLab::kVip);
  const auto begin = Clock::now();
  pair.master = lab.start(Agent::Vipd, lab.r1(), setup, setup.masterPriority, tag + "-r1-again");
  if (linkWasCut) {
    n.say(std::string("r1 reboots: vipd starts while the link is still down") +
          (leftover ? " (and removes the VIP\nits killed predecessor left behind)" : "") +
          ", then the link comes back.\nr1's priority 150 beats r2's 100, so after "
          "Master_Down_Interval it takes the VIP\nback (preemption)");
    if (leftover) {
      waitUntil([&] { return !lab.lab().hasAddress(lab.r1(), FailoverLab::kVip); },
                milliseconds(2000));
    } else {
      waitUntil([&] { return readLog(pair.master.main).find("started") != std::string::npos; },
                milliseconds(2000));
    }
    setLinkNow(*lab.r1().ns, lab.r1().ifname, true);
  } else {
    n.say(
        "vipd starts again on r1; with priority 150 > 100 it takes the VIP back\n"
        "after Master_Down_Interval (preemption)");
  }
  const auto limit =
      std::chrono::duration_cast<milliseconds>(masterDownInterval(setup, setup.masterPriority)) +
      milliseconds(5000);
  std::optional<Clock::time_point> back;
  waitUntil([&] { return (back = onR1.waitAdded(milliseconds(10))).has_value(); }, limit);
  if (!back)
    throw std::runtime_error("r1 did not take the VIP back; log:\n" + readLog(pair.master.main));
  waitUntil([&] { return probe.firstReplyAfter(*back + milliseconds(20)).has_value(); },
            milliseconds(2000));
  const auto gap = probe.longestGapSince(begin);
  probe.stop();
  n.say("r1 is MASTER again (" + clientArp(lab) +
        ");\nlongest gap the client saw during the handover: " +
        (gap ? fmtMs(gap->length()) : std::string("none")));
}

void part(Narrator& n, FailoverLab& lab, const PairSetup& setup, const std::string& title,
          bool withGraceful, std::vector<Outcome>& outcomes) {
  const std::string tag = "v" + std::to_string(setup.version);
  const auto mdi = masterDownInterval(setup, setup.backupPriority);
  const auto skew = skewTime(setup, setup.backupPriority);
  Narrator::heading(title);
  std::printf(
      "Config on r1 (keepalived.conf syntax; r2's has router_id r2 and priority 100):\n\n%s\n",
      Narrator::indent("    " + configText(setup, setup.masterPriority, "r1"), "    ").c_str());
  std::printf(
      "\nThe master advertises every %s s. The backup takes over when it has heard\n"
      "nothing for Master_Down_Interval = 3 x advert_int + Skew_Time, where Skew_Time =\n"
      "(256 - priority)/256 %s. For r2 (priority 100): 3 x %s + %s = %s.\n\n",
      advertIntText(setup).c_str(), setup.version == 2 ? "s" : "x advert_int",
      fmtMs(setup.advertInterval).c_str(), fmtMs(skew).c_str(), fmtMs(mdi).c_str());
  std::fflush(stdout);

  lab.reset();
  n.say(
      "starting vipd on r1, then on r2. Every router starts as BACKUP; r1 hears no\n"
      "master and takes over after its own Master_Down_Interval (" +
      fmtMs(masterDownInterval(setup, setup.masterPriority)) + " at priority 150)");
  Pair pair;
  lab.bringUp(pair, Agent::Vipd, setup, tag);
  n.say("r1 is MASTER and holds the VIP; r2 hears its adverts and stays BACKUP:\n" +
        showAddresses(lab.r1()) + "\n" + showAddresses(lab.r2()));

  {
    OutageProbe probe(*lab.client().ns, FailoverLab::kVip, kProbeInterval);
    lab.waitForReplies(probe, 50);
    n.say("the client pings " + std::string(FailoverLab::kVip) +
          " every 1 ms; its ARP cache points at " + clientArp(lab));
    n.say("CRASH r1: cut its link and kill -9 its vipd, 1 ms after its next advert");
    auto r = lab.failover(pair, Failure::Crash, setup, probe);
    probe.stop();
    reportFailover(n, lab, r, "crash (1 ms after that advert)", "Master_Down_Interval", mdi,
                   outcomes, describe(setup) + ", r1 crashes");
  }
  preempt(n, lab, pair, setup, tag, true);

  if (withGraceful) {
    OutageProbe probe(*lab.client().ns, FailoverLab::kVip, kProbeInterval);
    lab.waitForReplies(probe, 50);
    n.say(
        "STOP r1 gracefully (SIGTERM, as `systemctl stop vipd`): it sends a priority-0\n"
        "advert and removes the VIP; r2 then waits only Skew_Time (" +
        fmtMs(skew) + ")");
    auto r = lab.failover(pair, Failure::Graceful, setup, probe);
    probe.stop();
    reportFailover(n, lab, r, "stop", "Skew_Time", skew, outcomes,
                   describe(setup) + ", r1 stopped");
  }
  n.say("stopping both routers");
  lab.stop(pair.master);
  lab.stop(pair.backup);
}

int run(const po::variables_map& vm) {
  installInterruptHandler();
  becomeSubreaper();
  Narrator n;
  std::printf(
      "vipd-lab: a VRRP failover you can watch\n"
      "=======================================\n\n"
      "The lab: network namespaces on this machine, joined by a bridge (the \"switch\"):\n\n"
      "    r1      192.0.2.1/24     runs vipd, priority 150: the master\n"
      "    r2      192.0.2.2/24     runs vipd, priority 100: the backup\n"
      "    client  192.0.2.100/24   pings the virtual IP every 1 ms\n"
      "    VIP     192.0.2.10/24    the address that must stay reachable\n\n"
      "vipd under test: %s (%s)\n",
      vipdVersion().c_str(), vipdBinary().c_str());
  std::fflush(stdout);

  std::vector<Outcome> outcomes;
  {
    FailoverLab lab("demo");
    const auto only = vm["only"].as<std::string>();
    if (only != "v3") {
      PairSetup v2;
      v2.version = 2;
      v2.advertInterval = std::chrono::seconds(1);
      part(n, lab, v2, "VRRPv2, advert_int 1 s: the keepalived setup most people run", only == "v2",
           outcomes);
    }
    if (only != "v2") {
      PairSetup v3;
      v3.version = 3;
      v3.advertInterval = milliseconds(100);
      part(n, lab, v3, "VRRPv3, advert_int 0.1 s: sub-second adverts", true, outcomes);
    }
    Narrator::heading("Summary");
    for (const auto& o : outcomes) {
      std::printf("  %-40s outage %9s   %s %9s\n", o.what.c_str(), fmtMs(o.outage).c_str(),
                  o.theoryName.c_str(), fmtMs(o.theory).c_str());
    }
    std::printf(
        "\nThe outage is the longest time between two replies to the client's pings.\n"
        "keepalived side by side, more failure kinds and repetitions: bench/failover\n\n");
    n.say("cleaning up: processes stopped by PID, namespaces deleted");
  }
  n.say("done");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description desc(
      "vipd-lab: a narrated VRRP failover in network namespaces (root).\nOptions");
  desc.add_options()("help,h", "print this help")(
      "only", po::value<std::string>()->default_value("all"),
      "all: VRRPv2 at 1 s, then VRRPv3 at 0.1 s; v2 or v3: just that part");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "vipd-lab: " << e.what() << "\n" << desc;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc;
    return 0;
  }
  const auto only = vm["only"].as<std::string>();
  if (only != "all" && only != "v2" && only != "v3") {
    std::cerr << "vipd-lab: --only takes all, v2 or v3\n";
    return 2;
  }
  if (geteuid() != 0) {
    std::cerr << "vipd-lab: needs root to create network namespaces (try: sudo tools/demo)\n";
    return 1;
  }
  try {
    return run(vm);
  } catch (const Interrupted&) {
    std::cerr << "\nvipd-lab: interrupted; the lab has been cleaned up\n";
    return 130;
  } catch (const std::exception& e) {
    if (interrupted()) {
      std::cerr << "\nvipd-lab: interrupted; the lab has been cleaned up\n";
      return 130;
    }
    std::cerr << "\nvipd-lab: " << e.what() << "\n(the lab has been cleaned up)\n";
    return 1;
  }
}
