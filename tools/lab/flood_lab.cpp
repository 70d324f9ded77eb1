#include "flood_lab.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "agents.h"

namespace vipd::lab {

namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kMasterPriority = 200;
constexpr int kBackupPriority = 100;
constexpr const char* kPassword = "secret1";

std::optional<pid_t> pidIn(const std::filesystem::path& file) {
  std::ifstream in(file);
  long pid = 0;
  if (in >> pid && pid > 0) return static_cast<pid_t>(pid);
  return std::nullopt;
}

std::string commandOutput(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ::pclose(p);
  return out;
}

// Every instance of a vipd's status document is BACKUP and hears `master`.
bool hearsMaster(const std::string& statusJson, const std::string& master) {
  const json doc = json::parse(statusJson, nullptr, false);
  if (doc.is_discarded() || !doc.contains("instances") || doc["instances"].size() != 2) {
    return false;
  }
  return std::all_of(doc["instances"].begin(), doc["instances"].end(), [&](const json& i) {
    return i.value("state", "") == "BACKUP" && i.contains("master") && i["master"] == master;
  });
}

// The VRRP process must be gone before the Lab deletes its namespace.
// It is not our child; with becomeSubreaper() it becomes one when its parent
// exits, and is reaped here.
bool gone(pid_t pid) { return ::waitpid(pid, nullptr, WNOHANG) == pid || ::kill(pid, 0) != 0; }

void stopKeepalivedChild(pid_t pid) {
  if (pid <= 0) return;
  for (int i = 0; i < 300 && !gone(pid); ++i) std::this_thread::sleep_for(10ms);
  if (gone(pid)) return;
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  if ((comm >> name) && name == "keepalived") ::kill(pid, SIGKILL);
}

}  // namespace

Spread spreadOf(std::vector<double> values) {
  Spread s;
  s.count = values.size();
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  auto rank = [&](double q) {
    const auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(i, 1, values.size()) - 1];
  };
  s.min = values.front();
  s.p50 = rank(0.50);
  s.p99 = rank(0.99);
  s.max = values.back();
  return s;
}

double FloodRun::cpuPercent() const {
  const double seconds = std::chrono::duration<double>(to - from).count();
  if (seconds <= 0 || ticksPerSecond <= 0) return 0;
  return 100.0 * static_cast<double>(cpuTicks) / static_cast<double>(ticksPerSecond) / seconds;
}

std::vector<double> FloodRun::advertGapsMs() const {
  std::vector<double> gaps;
  for (std::size_t i = 1; i < masterAdverts.size(); ++i) {
    gaps.push_back(
        std::chrono::duration<double, std::milli>(masterAdverts[i].at - masterAdverts[i - 1].at)
            .count());
  }
  return gaps;
}

double FloodRun::expectedAdverts() const {
  return std::chrono::duration<double>(to - from) / FloodLab::kAdvertInterval;
}

std::uint64_t cpuTicksOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  // proc(5): the command is in parentheses and may hold spaces; fields 14
  // and 15 (utime, stime) are the 12th and 13th after it.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  std::uint64_t utime = 0;
  std::uint64_t stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return utime + stime;
}

FloodLab::FloodLab(const std::string& tag, Agent masterAgent, std::optional<int> processNice)
    : lab_(tag), masterKind_(masterAgent), processNice_(processNice) {
  master_ = &lab_.addHost("master", {"192.0.2.1/24"});
  backup_ = &lab_.addHost("backup", {"192.0.2.2/24"});
  client_ = &lab_.addHost("client", {"192.0.2.200/24"});
  attacker_ = &lab_.addHost("attacker", {"192.0.2.66/24"});
  tap_ = std::make_unique<AdvertTap>(*client_->ns, client_->ifname);
  // The flood reaches the client too; only the master's adverts are of interest.
  tap_->onlyFrom(kMaster);
}

FloodLab::~FloodLab() {
  lab_.stop(backupAgent_);
  const bool child = masterAgent_.vrrpPid > 0 && masterAgent_.vrrpPid != masterAgent_.main.pid;
  lab_.stop(masterAgent_.main);
  if (child) stopKeepalivedChild(masterAgent_.vrrpPid);
  tap_.reset();
}

std::string FloodLab::configText(int priority, std::optional<int> processNice) {
  const std::string p = std::to_string(priority);
  const std::string nice =
      processNice ? "    vrrp_priority " + std::to_string(*processNice) + "\n" : "";
  return "global_defs {\n    vrrp_version 3\n" + nice +
         "}\n"
         "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority " +
         p +
         "\n    advert_int 0.1\n    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n"
         "vrrp_instance VI_2 {\n    interface eth0\n    version 2\n    virtual_router_id 52\n"
         "    priority " +
         p +
         "\n    advert_int 1\n    authentication {\n        auth_type PASS\n        auth_pass " +
         kPassword + "\n    }\n    virtual_ipaddress {\n        192.0.2.101/24\n    }\n}\n";
}

void FloodLab::bringUp() {
  const auto text = configText(kMasterPriority, processNice_);
  masterAgent_.agent = masterKind_;
  masterAgent_.host = master_;
  if (masterKind_ == Agent::Vipd) {
    masterAgent_.main = startVipd(lab_, *master_, text, "master");
    masterAgent_.vrrpPid = masterAgent_.main.pid;
  } else {
    masterAgent_.main = startKeepalived(lab_, *master_, text, "master");
    // keepalived's parent only supervises; VRRP runs in the child of the -r pid file.
    std::optional<pid_t> child;
    if (!waitFor([&] { return (child = pidIn(lab_.dir() / "master-vrrp.pid")).has_value(); }, 5s)) {
      throw std::runtime_error("keepalived wrote no VRRP pid file; log:\n" +
                               readLog(masterAgent_.main));
    }
    masterAgent_.vrrpPid = *child;
  }
  // v2 at advert_int 1 takes 3 s + skew to take over; v3 at 0.1 s well under 1 s.
  if (!waitFor(
          [&] { return lab_.hasAddress(*master_, kVip) && lab_.hasAddress(*master_, kAuthVip); },
          10s)) {
    throw std::runtime_error("the master did not add its VIPs; log:\n" +
                             readLog(masterAgent_.main));
  }
  backupAgent_ = startVipd(lab_, *backup_, configText(kBackupPriority, processNice_), "backup");
  if (!waitFor([&] { return hearsMaster(vipctl(backupAgent_, "--json status"), kMaster); }, 10s)) {
    throw std::runtime_error("the backup does not hear the master; its log:\n" +
                             readLog(backupAgent_));
  }
}

JunkFloodConfig FloodLab::junkConfig(double packetsPerSecond,
                                     std::chrono::milliseconds duration) const {
  JunkFloodConfig c;
  c.source = kAttacker;
  c.unicastTarget = kMaster;
  c.unicastEvery = 10;
  c.targetVrid = kVrid;
  c.foreignVrid = kForeignVrid;
  c.authVrid = kAuthVrid;
  c.authIntervalS = 1;
  c.wrongPassword = "guessed";
  c.vip = kVip;
  c.authVip = kAuthVip;
  c.packetsPerSecond = packetsPerSecond;
  c.duration = duration;
  return c;
}

FloodRun FloodLab::flood(const JunkFloodConfig& config) {
  JunkFlood junk(*attacker_->ns, attacker_->ifname, config);
  FloodRun run;
  run.ticksPerSecond = ::sysconf(_SC_CLK_TCK);
  const pid_t pid = masterAgent_.vrrpPid;
  const auto cpuBefore = cpuTicksOf(pid);
  run.from = Clock::now();
  run.sent = junk.run();
  run.to = Clock::now();
  run.cpuTicks = cpuTicksOf(pid) - cpuBefore;
  // The tap stamps on arrival; let it catch up with the last interval.
  tap_->waitNext(kMaster, run.to, 2 * kAdvertInterval);
  for (const auto& a : tap_->seen()) {
    if (a.vrid == kVrid && a.at >= run.from && a.at <= run.to) run.masterAdverts.push_back(a);
  }
  return run;
}

std::string FloodLab::vipctl(const Child& agent, const std::string& arguments) const {
  return commandOutput(vipctlBinary() + " -s " + controlSocketOf(lab_, agent.name) + " " +
                       arguments);
}

}  // namespace vipd::lab
