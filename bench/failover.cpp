// bench/failover: client-observed outage and takeover time of vipd and
// keepalived, side by side, for each way a master can fail, measured in the
// lab (network namespaces on one machine). Run through bench/failover.
//
// One sample: start a pair (r1 master, priority 150; r2 backup, priority 100;
// both running the same agent with the same keepalived.conf), ping the VIP
// from a client every millisecond, wait for r1's next advert, inject the
// failure 1 ms later, and record
//   outage    longest gap between echo replies from the injection on (for a
//             freeze, whose master still answers, around the takeover),
//   VIP       injection → RTM_NEWADDR of the VIP on r2,
//   takeover  r1's last advert on the wire → RTM_NEWADDR on r2; the protocol
//             says Master_Down_Interval (Skew_Time after a priority-0 advert),
//   vipd log  vipd's own since_last_advert_ms + vips_added_us.
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "agents.h"
#include "failover_lab.h"
#include "interrupt.h"
#include "netns.h"
#include "realtime.h"

namespace {

namespace po = boost::program_options;
using namespace vipd::lab;
using std::chrono::microseconds;

double ms(microseconds d) { return static_cast<double>(d.count()) / 1000.0; }

struct Sample {
  bool ok = false;
  std::string error;
  double outageMs = 0;
  double vipMs = 0;
  double takeoverMs = 0;
  std::optional<double> selfReportMs;
  double probeStallMs = 0;
  std::optional<TakeoverLog> vipdLog;
};

struct Summary {
  std::size_t count = 0;
  double min = 0, median = 0, max = 0;
};

Summary summarize(std::vector<double> v) {
  Summary s;
  s.count = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.min = v.front();
  s.max = v.back();
  const auto n = v.size();
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return s;
}

std::string fmt(double v, int decimals = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string range(const Summary& s) {
  if (s.count == 0) return "—";
  return fmt(s.min) + " / " + fmt(s.median) + " / " + fmt(s.max);
}

std::string signedMs(double v) { return (v >= 0 ? "+" : "") + fmt(v, 2); }

std::string ratio(double a, double b, int decimals = 3) {
  return b > 0 ? fmt(a / b, decimals) : "—";
}

// ---- command line ----

PairSetup parseSetup(std::string text) {
  // "v2:1", "v3:0.05", "v3:0.05+vmac"
  PairSetup s;
  if (const auto plus = text.find("+vmac"); plus != std::string::npos && plus + 5 == text.size()) {
    s.vmac = true;
    text.erase(plus);
  }
  const auto colon = text.find(':');
  if (text.size() < 4 || text[0] != 'v' || colon != 2) {
    throw std::invalid_argument("interval '" + text + "' is not vVERSION:SECONDS[+vmac]");
  }
  s.version = text[1] - '0';
  const double seconds = std::stod(text.substr(3));
  s.advertInterval = microseconds(static_cast<std::int64_t>(seconds * 100 + 0.5) * 10'000);
  if ((s.version != 2 && s.version != 3) || s.advertInterval.count() <= 0 ||
      (s.version == 2 && s.advertInterval.count() % 1'000'000)) {
    throw std::invalid_argument("interval '" + text + "': v2 takes whole seconds, v3 0.01..40.95");
  }
  return s;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

Failure parseFailure(const std::string& s) {
  for (auto f : {Failure::Crash, Failure::Freeze, Failure::Graceful, Failure::LinkDown}) {
    if (s == toString(f)) return f;
  }
  throw std::invalid_argument("unknown failure '" + s + "' (crash, freeze, graceful, link-down)");
}

Agent parseAgent(const std::string& s) {
  if (s == "vipd") return Agent::Vipd;
  if (s == "keepalived") return Agent::Keepalived;
  throw std::invalid_argument("unknown agent '" + s + "' (vipd, keepalived)");
}

struct Plan {
  std::vector<PairSetup> setups;
  std::vector<Failure> failures;
  std::vector<Agent> agents;
  int reps = 5;
  microseconds probeInterval{1000};
  std::string rawFile;
};

// ---- measuring ----

/// Stops both agents however the sample ends (a frozen keepalived child
/// must get SIGCONT, or it would outlive the lab).
struct PairGuard {
  FailoverLab& lab;
  Pair& pair;
  ~PairGuard() {
    for (RunningAgent* a : {&pair.master, &pair.backup}) {
      try {
        lab.stop(*a);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "bench: stopping an agent: %s\n", e.what());
      }
    }
  }
};

Sample measure(FailoverLab& lab, Agent agent, const PairSetup& setup, Failure failure,
               microseconds probeInterval, const std::string& tag) {
  Sample s;
  lab.reset();
  Pair pair;
  PairGuard guard{lab, pair};
  lab.bringUp(pair, agent, setup, tag);
  OutageProbe probe(*lab.client().ns, FailoverLab::kVip, probeInterval);
  lab.waitForReplies(probe, 50);
  const auto r = lab.failover(pair, failure, setup, probe);
  probe.stop();
  if (!r.vipOnBackup) {
    s.error = "VIP never appeared on the backup";
    return s;
  }
  if (!r.outage || !probe.firstReplyAfter(*r.vipOnBackup)) {
    s.error = "the client never got replies again";
    return s;
  }
  if (!r.takeover()) {
    s.error = "no advert from the master seen";
    return s;
  }
  s.ok = true;
  s.outageMs = ms(r.outage->length());
  s.vipMs = ms(*r.injectionToVip());
  s.takeoverMs = ms(*r.takeover());
  s.probeStallMs = ms(r.probeStall);
  s.vipdLog = r.backupLog;
  if (r.backupLog && r.backupLog->sinceLastAdvertMs) {
    s.selfReportMs =
        *r.backupLog->sinceLastAdvertMs + static_cast<double>(r.backupLog->vipsAddedUs) / 1000;
  }
  return s;
}

// ---- reporting ----

using Key = std::tuple<std::size_t, Failure, Agent>;

void printSetup(std::size_t index, const Plan& plan,
                const std::map<Key, std::vector<Sample>>& all) {
  const auto& setup = plan.setups[index];
  const auto mdi = masterDownInterval(setup, setup.backupPriority);
  const auto skew = skewTime(setup, setup.backupPriority);
  const auto kaSkew = keepalivedSkewTime(setup, setup.backupPriority);
  std::printf("\n### %s\n\nBackup priority 100: Master_Down_Interval %s ms, Skew_Time %s ms",
              describe(setup).c_str(), fmt(ms(mdi), 3).c_str(), fmt(ms(skew), 3).c_str());
  if (kaSkew != skew) {
    std::printf(
        " (RFC 5798, whole centiseconds; keepalived computes Skew_Time %s ms, "
        "Master_Down_Interval %s ms)",
        fmt(ms(kaSkew), 3).c_str(), fmt(ms(3 * setup.advertInterval + kaSkew), 3).c_str());
  }
  std::printf(
      ".\n\n"
      "| failure | agent | outage, ms (min / median / max) | outage ÷ theory | "
      "VIP on backup after injection, ms | takeover: last advert → VIP, ms | "
      "takeover − theory, ms (median) | vipd's own log, ms (median) |\n"
      "|---|---|---|---|---|---|---|---|\n");
  for (auto failure : plan.failures) {
    const auto theory = failure == Failure::Graceful ? skew : mdi;
    // keepalived's own figure when its arithmetic differs from the RFC's.
    const auto kaTheory = failure == Failure::Graceful ? kaSkew : 3 * setup.advertInterval + kaSkew;
    std::map<Agent, std::array<Summary, 3>> medians;
    for (auto agent : plan.agents) {
      auto it = all.find({index, failure, agent});
      if (it == all.end()) continue;
      std::vector<double> outage, vip, takeover, self;
      std::size_t failed = 0;
      for (const auto& s : it->second) {
        if (!s.ok) {
          ++failed;
          continue;
        }
        outage.push_back(s.outageMs);
        vip.push_back(s.vipMs);
        takeover.push_back(s.takeoverMs);
        if (s.selfReportMs) self.push_back(*s.selfReportMs);
      }
      const auto o = summarize(outage), v = summarize(vip), t = summarize(takeover),
                 m = summarize(self);
      medians[agent] = {o, v, t};
      std::string name(toString(agent));
      if (failed)
        name +=
            " (" + std::to_string(failed) + " of " + std::to_string(it->second.size()) + " failed)";
      std::string late = "—";
      if (t.count) {
        late = signedMs(t.median - ms(theory));
        if (agent == Agent::Keepalived && kaTheory != theory) {
          late += " (own timer " + signedMs(t.median - ms(kaTheory)) + ")";
        }
      }
      std::printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n",
                  std::string(toString(failure)).c_str(), name.c_str(), range(o).c_str(),
                  o.count ? ratio(o.median, ms(theory)).c_str() : "—", range(v).c_str(),
                  range(t).c_str(), late.c_str(), m.count ? fmt(m.median, 2).c_str() : "—");
    }
    if (medians.count(Agent::Vipd) && medians.count(Agent::Keepalived)) {
      const auto& a = medians[Agent::Vipd];
      const auto& b = medians[Agent::Keepalived];
      auto r = [](const Summary& x, const Summary& y) {
        return x.count && y.count ? ratio(x.median, y.median, 2) : std::string("—");
      };
      std::printf("| %s | vipd ÷ keepalived (medians) | %s | | %s | %s | | |\n",
                  std::string(toString(failure)).c_str(), r(a[0], b[0]).c_str(),
                  r(a[1], b[1]).c_str(), r(a[2], b[2]).c_str());
    }
  }
}

std::string firstLine(const std::string& command) {
  try {
    auto out = vipd::testing::shell(command);
    return out.substr(0, out.find('\n'));
  } catch (const std::exception&) {
    return "?";
  }
}

std::string loadAverage() {
  std::ifstream f("/proc/loadavg");
  double one = 0;
  f >> one;
  return fmt(one, 2);
}

int run(const Plan& plan) {
  installInterruptHandler();
  becomeSubreaper();
  // The thread that injects failures right after an advert; the probe, tap
  // and address watch threads do the same for themselves.
  if (!tryRealtime()) std::fprintf(stderr, "bench: no SCHED_FIFO; timings will be noisier\n");
  utsname u{};
  uname(&u);
  std::printf(
      "## Failover benchmark run\n\n"
      "%s; %s; kernel %s, %ld CPUs, load average %s at start; %d repetition(s); "
      "client probes every %ld µs.\n",
      firstLine(vipdBinary() + " --version").c_str(),
      firstLine("keepalived --version 2>&1").c_str(), u.release, sysconf(_SC_NPROCESSORS_ONLN),
      loadAverage().c_str(), plan.reps, static_cast<long>(plan.probeInterval.count()));
  std::fflush(stdout);

  std::ofstream raw;
  if (!plan.rawFile.empty()) {
    raw.open(plan.rawFile);
    raw << "setup,failure,agent,rep,ok,outage_ms,vip_ms,takeover_ms,vipd_log_ms,"
           "vipd_timer_late_us,vipd_vips_added_us,probe_stall_ms,"
           "error\n";
  }
  std::map<Key, std::vector<Sample>> all;
  const std::size_t total = plan.setups.size() * plan.failures.size() *
                            static_cast<std::size_t>(plan.reps) * plan.agents.size();
  std::size_t done = 0;
  const auto begin = Clock::now();
  FailoverLab lab("bench");
  for (std::size_t si = 0; si < plan.setups.size(); ++si) {
    const auto& setup = plan.setups[si];
    for (auto failure : plan.failures) {
      for (int rep = 0; rep < plan.reps; ++rep) {
        auto agents = plan.agents;
        // Alternate who goes first, so neither always runs on a warmer machine.
        if (rep % 2) std::reverse(agents.begin(), agents.end());
        for (auto agent : agents) {
          const std::string tag = "s" + std::to_string(si) + "-" + std::string(toString(failure)) +
                                  "-" + std::to_string(rep) + "-" + std::string(toString(agent));
          Sample s;
          try {
            s = measure(lab, agent, setup, failure, plan.probeInterval, tag);
          } catch (const Interrupted&) {
            throw;
          } catch (const std::exception& e) {
            if (interrupted()) throw Interrupted();
            s.error = e.what();
          }
          ++done;
          std::fprintf(stderr, "[%3zu/%zu %4.0f s] %-26s %-9s %-10s rep %d: ", done, total,
                       std::chrono::duration<double>(Clock::now() - begin).count(),
                       describe(setup).c_str(), std::string(toString(failure)).c_str(),
                       std::string(toString(agent)).c_str(), rep + 1);
          if (s.ok) {
            std::fprintf(stderr, "outage %.1f ms, VIP after %.1f ms, takeover %.1f ms%s\n",
                         s.outageMs, s.vipMs, s.takeoverMs,
                         s.probeStallMs > 3
                             ? (" (probe stalled " + fmt(s.probeStallMs) + " ms)").c_str()
                             : "");
          } else {
            std::fprintf(stderr, "FAILED: %s\n", s.error.substr(0, s.error.find('\n')).c_str());
          }
          if (raw) {
            std::string err = s.error.substr(0, s.error.find('\n'));
            std::replace(err.begin(), err.end(), ',', ';');
            raw << 'v' << setup.version << ':' << advertIntText(setup) << ',' << toString(failure)
                << ',' << toString(agent) << ',' << rep + 1 << ',' << s.ok << ',' << s.outageMs
                << ',' << s.vipMs << ',' << s.takeoverMs << ','
                << (s.selfReportMs ? fmt(*s.selfReportMs, 3) : "") << ','
                << (s.vipdLog ? std::to_string(s.vipdLog->timerLateUs) : "") << ','
                << (s.vipdLog ? std::to_string(s.vipdLog->vipsAddedUs) : "") << ','
                << s.probeStallMs << ',' << err << '\n';
          }
          all[{si, failure, agent}].push_back(s);
        }
      }
    }
  }
  for (std::size_t si = 0; si < plan.setups.size(); ++si) printSetup(si, plan, all);
  std::printf("\nWall time %.0f s; load average %s at the end.\n",
              std::chrono::duration<double>(Clock::now() - begin).count(), loadAverage().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description desc(
      "bench/failover: vipd against keepalived, failover by failover, in network namespaces "
      "(root).\nOptions");
  desc.add_options()("help,h", "print this help")("reps,r", po::value<int>()->default_value(5),
                                                  "repetitions per cell")(
      "intervals", po::value<std::string>()->default_value("v2:1,v3:0.05,v3:0.01"),
      "VRRP version and advert_int per setup, comma-separated; +vmac adds use_vmac "
      "(v3:0.05+vmac)")(
      "failures", po::value<std::string>()->default_value("crash,freeze,graceful,link-down"),
      "failure kinds: crash (link cut + SIGKILL), freeze (SIGSTOP), graceful (SIGTERM), "
      "link-down")("agents", po::value<std::string>()->default_value("vipd,keepalived"),
                   "agents to compare")("probe-us", po::value<long>()->default_value(1000),
                                        "client ping interval, µs")(
      "raw", po::value<std::string>(), "also write every sample to this CSV file")(
      "quick", "smoke test: 1 repetition, fastest interval only");
  po::variables_map vm;
  Plan plan;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << desc;
      return 0;
    }
    plan.reps = vm["reps"].as<int>();
    auto intervals = vm["intervals"].as<std::string>();
    if (vm.count("quick")) {
      plan.reps = 1;
      if (vm["intervals"].defaulted()) intervals = "v3:0.05";
    }
    for (const auto& s : split(intervals)) plan.setups.push_back(parseSetup(s));
    for (const auto& s : split(vm["failures"].as<std::string>()))
      plan.failures.push_back(parseFailure(s));
    for (const auto& s : split(vm["agents"].as<std::string>()))
      plan.agents.push_back(parseAgent(s));
    plan.probeInterval = microseconds(vm["probe-us"].as<long>());
    if (vm.count("raw")) plan.rawFile = vm["raw"].as<std::string>();
    if (plan.reps < 1 || plan.setups.empty() || plan.failures.empty() || plan.agents.empty() ||
        plan.probeInterval.count() < 100) {
      throw std::invalid_argument("nothing to run (reps ≥ 1, probe-us ≥ 100)");
    }
  } catch (const std::exception& e) {
    std::cerr << "bench/failover: " << e.what() << "\n" << desc;
    return 2;
  }
  if (geteuid() != 0) {
    std::cerr << "bench/failover: needs root to create network namespaces\n";
    return 1;
  }
  try {
    return run(plan);
  } catch (const std::exception& e) {
    std::cerr << "\nbench/failover: " << (interrupted() ? "interrupted" : e.what())
              << "; the lab has been cleaned up\n";
    return interrupted() ? 130 : 1;
  }
}
