// bench/flood: the junk flood of tests/integration/flood_test, longer and at
// several rates, with vipd or keepalived as the master (the backup is vipd).
// For each run, on a fresh segment (tools/lab/flood_lab.h): the rate the
// attacker achieved, the master's CPU (utime+stime of its VRRP process), the
// spacing of its adverts on the wire (the client's tap, kernel receive
// stamps), whether anyone moved, what the master logged meanwhile, and (vipd)
// its drops by reason. Run through bench/flood (root); not part of CI.
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "agents.h"
#include "failover_lab.h"
#include "flood_lab.h"
#include "interrupt.h"

namespace {

namespace po = boost::program_options;
using namespace vipd::lab;
using nlohmann::json;

struct Plan {
  std::vector<double> rates;
  std::vector<Agent> agents;
  std::chrono::milliseconds duration{30'000};
  std::optional<int> nice;  ///< vrrp_priority of both routers.
};

struct Outcome {
  Agent agent = Agent::Vipd;
  double target = 0;
  FloodRun run;
  /// "yes": master still master, backup still backup hearing it, VIP on the master only;
  /// else "NO: " and what was seen.
  std::string verdict;
  std::uint64_t backupTransitions = 0;
  std::size_t logLines = 0;                    ///< Lines the master logged during the flood.
  std::map<std::string, std::uint64_t> drops;  ///< vipd: by reason, instances' and unattributed.
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::size_t lineCount(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::uint64_t transitionsOf(const json& stats) {
  std::uint64_t n = 0;
  for (const auto& i : stats.value("instances", json::array())) {
    for (const auto& [cause, count] : i["transitions"].items()) n += count.get<std::uint64_t>();
  }
  return n;
}

json ask(const FloodLab& lab, const Child& agent, const std::string& command) {
  auto doc = json::parse(lab.vipctl(agent, "--json " + command), nullptr, false);
  return doc.is_discarded() ? json::object() : doc;
}

Outcome runOne(Agent agent, double rate, std::chrono::milliseconds duration,
               std::optional<int> nice) {
  std::cerr << "flood: " << toString(agent) << " master, " << rate << " packets/s for "
            << std::chrono::duration<double>(duration).count() << " s\n";
  FloodLab lab("bflood", agent, nice);
  lab.bringUp();
  Outcome o;
  o.agent = agent;
  o.target = rate;
  const json backupBefore = ask(lab, lab.backupAgent(), "stats");
  const std::size_t linesBefore = lineCount(readLog(lab.masterAgent().main));
  o.run = lab.flood(lab.junkConfig(rate, duration));
  sleepFor(std::chrono::milliseconds(300));
  o.logLines = lineCount(readLog(lab.masterAgent().main)) - linesBefore;
  o.backupTransitions =
      transitionsOf(ask(lab, lab.backupAgent(), "stats")) - transitionsOf(backupBefore);
  const json backupStatus = ask(lab, lab.backupAgent(), "status");
  std::vector<std::string> problems;
  if (o.backupTransitions > 0) {
    problems.push_back("backup: " + std::to_string(o.backupTransitions) + " transition(s)");
    // What the backup said about them (the takeover line has its timing).
    std::istringstream log(readLog(lab.backupAgent()));
    for (std::string line; std::getline(log, line);) {
      if (line.find("entering MASTER") != std::string::npos)
        std::cerr << "  backup: " << line << "\n";
    }
  }
  if (!backupStatus.contains("instances")) problems.push_back("backup: no status");
  for (const auto& i : backupStatus.value("instances", json::array())) {
    if (i.value("state", "") != "BACKUP" || i.value("master", json()) != FloodLab::kMaster) {
      problems.push_back("backup " + i.value("name", "?") + ": " + i.value("state", "?") +
                         " hearing " + i.value("master", json()).dump());
    }
  }
  if (!lab.lab().hasAddress(lab.masterHost(), FloodLab::kVip))
    problems.push_back("VIP not on master");
  if (lab.lab().hasAddress(lab.backupHost(), FloodLab::kVip)) problems.push_back("VIP on backup");
  for (const auto& p : problems) o.verdict += (o.verdict.empty() ? "NO: " : "; ") + p;
  if (o.verdict.empty()) o.verdict = "yes";
  if (agent == Agent::Vipd) {
    const json stats = ask(lab, lab.masterAgent().main, "stats");
    // Named: items() of a temporary would outlive it.
    const json unattributed = stats.value("unattributed_drops", json::object());
    for (const auto& [reason, n] : unattributed.items()) {
      if (n.get<std::uint64_t>() > 0) o.drops[reason] += n.get<std::uint64_t>();
    }
    for (const auto& i : stats.value("instances", json::array())) {
      for (const auto& [reason, n] : i["drops"].items()) {
        if (n.get<std::uint64_t>() > 0) o.drops[reason] += n.get<std::uint64_t>();
      }
    }
  }
  return o;
}

std::string machine() {
  utsname u{};
  ::uname(&u);
  std::string model;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  double load = 0;
  std::ifstream("/proc/loadavg") >> load;
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&now));
  std::ostringstream out;
  out << date << ", " << model << ", " << ::sysconf(_SC_NPROCESSORS_ONLN) << " CPUs, Linux "
      << u.release << ", load average " << load << " at the end";
  return out.str();
}

void report(const std::vector<Outcome>& outcomes, const Plan& plan) {
  std::printf("\n%s; %.0f s per run%s.\n\n", machine().c_str(),
              std::chrono::duration<double>(plan.duration).count(),
              plan.nice ? (", vrrp_priority " + std::to_string(*plan.nice)).c_str() : "");
  std::printf(
      "| master | target pkt/s | achieved pkt/s | master CPU %% | adverts seen / expected | "
      "gap p50 ms | gap p99 ms | gap max ms | master kept | log lines |\n"
      "|---|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& o : outcomes) {
    const auto gaps = spreadOf(o.run.advertGapsMs());
    std::printf("| %s | %.0f | %.0f | %.1f | %zu / %.0f | %.3f | %.3f | %.3f | %s | %zu |\n",
                std::string(toString(o.agent)).c_str(), o.target, o.run.sent.rate(),
                o.run.cpuPercent(), o.run.masterAdverts.size(), o.run.expectedAdverts(), gaps.p50,
                gaps.p99, gaps.max, o.verdict.c_str(), o.logLines);
  }
  for (const auto& o : outcomes) {
    if (o.agent != Agent::Vipd || o.target <= 0) continue;
    std::printf(
        "\nvipd at %.0f pkt/s, drops by reason (sent: %s):\n\n| reason | count |\n|---|---|\n",
        o.target, o.run.sent.summary().c_str());
    std::uint64_t total = 0;
    for (const auto& [reason, n] : o.drops) {
      std::printf("| %s | %llu |\n", reason.c_str(), static_cast<unsigned long long>(n));
      total += n;
    }
    const auto multicast = o.run.sent.total() - o.run.sent.unicast;
    std::printf("| total | %llu (%.1f %% of the %llu multicast junk packets) |\n",
                static_cast<unsigned long long>(total),
                multicast ? 100.0 * static_cast<double>(total) / static_cast<double>(multicast) : 0,
                static_cast<unsigned long long>(multicast));
  }
}

int run(const Plan& plan) {
  std::vector<Outcome> outcomes;
  for (auto agent : plan.agents) {
    for (double rate : plan.rates) {
      throwIfInterrupted();
      outcomes.push_back(runOne(agent, rate, plan.duration, plan.nice));
    }
  }
  report(outcomes, plan);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description desc(
      "bench/flood: a junk VRRP flood against a vipd or keepalived master, in network namespaces "
      "(root).\nOptions");
  desc.add_options()("help,h", "print this help")(
      "rates", po::value<std::string>()->default_value("0,50000,100000"),
      "flood rates, packets/s, comma-separated; 0 is a baseline without junk")(
      "agents", po::value<std::string>()->default_value("vipd,keepalived"),
      "master agents to compare")("seconds", po::value<double>()->default_value(30),
                                  "flood duration per run")(
      "nice", po::value<int>(),
      "vrrp_priority (the nice value, -20..19) of both routers' agents; default: none");
  Plan plan;
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << desc;
      return 0;
    }
    for (const auto& r : split(vm["rates"].as<std::string>())) plan.rates.push_back(std::stod(r));
    for (const auto& a : split(vm["agents"].as<std::string>())) {
      if (a == "vipd") {
        plan.agents.push_back(Agent::Vipd);
      } else if (a == "keepalived") {
        plan.agents.push_back(Agent::Keepalived);
      } else {
        throw std::invalid_argument("unknown agent " + a);
      }
    }
    if (vm.count("nice")) plan.nice = vm["nice"].as<int>();
    const double seconds = vm["seconds"].as<double>();
    if (plan.rates.empty() || plan.agents.empty() || !(seconds > 0 && seconds <= 600)) {
      throw std::invalid_argument("nothing to run (rates, agents, 0 < seconds <= 600)");
    }
    plan.duration = std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  } catch (const std::exception& e) {
    std::cerr << "bench/flood: " << e.what() << "\n" << desc;
    return 2;
  }
  if (geteuid() != 0) {
    std::cerr << "bench/flood: needs root to create network namespaces\n";
    return 1;
  }
  installInterruptHandler();
  becomeSubreaper();
  try {
    return run(plan);
  } catch (const std::exception& e) {
    std::cerr << "\nbench/flood: " << (interrupted() ? "interrupted" : e.what())
              << "; the lab has been cleaned up\n";
    return interrupted() ? 130 : 1;
  }
}
