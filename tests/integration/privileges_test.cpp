// Least privilege on a running pair, observed from outside: the capability
// sets of each vipd in /proc/PID/status (every thread), those of the scripts
// it runs (they write their own /proc/self/status to a file), and that
// failover, reload and stop still work once the capabilities are dropped.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "pair_lab.h"

namespace vipd::lab {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 3s;
const char* const kVip = "192.0.2.100";
const char* const kVip6 = "2001:db8::100";

// capabilities(7) bit numbers.
constexpr std::uint64_t bit(int n) { return std::uint64_t{1} << n; }
constexpr std::uint64_t kDacOverride = bit(1);
constexpr std::uint64_t kKill = bit(5);
constexpr std::uint64_t kSetgid = bit(6);
constexpr std::uint64_t kSetuid = bit(7);
constexpr std::uint64_t kNetAdminRaw = bit(12) | bit(13);

/// The Cap* lines (and Uid) of a /proc status file, by name; empty if unreadable.
std::map<std::string, std::string> statusFields(const std::string& file) {
  std::map<std::string, std::string> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const auto value = line.find_first_not_of(" \t", colon + 1);
    out[line.substr(0, colon)] = value == std::string::npos ? "" : line.substr(value);
  }
  return out;
}

std::uint64_t capField(const std::map<std::string, std::string>& fields, const std::string& name) {
  const auto it = fields.find(name);
  return it == fields.end() ? ~std::uint64_t{0} : std::stoull(it->second, nullptr, 16);
}

struct CapSets {
  std::uint64_t inheritable, permitted, effective, bounding, ambient;
};

CapSets capSets(const std::string& statusFile) {
  const auto f = statusFields(statusFile);
  return {capField(f, "CapInh"), capField(f, "CapPrm"), capField(f, "CapEff"),
          capField(f, "CapBnd"), capField(f, "CapAmb")};
}

CapSets capsOf(pid_t pid) { return capSets("/proc/" + std::to_string(pid) + "/status"); }

std::string hex(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(v));
  return buf;
}

class PrivilegesTest : public PairLabTest {
 protected:
  PrivilegesTest() : PairLabTest("priv") {}

  void SetUp() override {
    PairLabTest::SetUp();
    if (!lab_) return;
    // Scripts running as nobody reach the lab directory and write to out/.
    ::chmod(lab_->dir().c_str(), 0755);
    std::filesystem::create_directory(path("out"));
    ::chmod(path("out").c_str(), 0777);
    // Writes its own /proc/self/status to out/NAME.status, atomically.
    statusScript_ = script("status.sh", "o=" + path("out") +
                                            "/$1.status\n"
                                            "cat /proc/self/status > \"$o.$$\" && mv \"$o.$$\" "
                                            "\"$o\"");
  }

  /// VRRPv3 at 100 ms: VI_1 (VRID 51, the IPv4 VIP) with `extra` inside,
  /// `outside` before it.
  static std::string config(int priority, const std::string& extra = "",
                            const std::string& outside = "") {
    return "global_defs {\n    vrrp_version 3\n}\n" + outside +
           instance("VI_1", 51, priority, kVip) + extra + "}\n";
  }

  /// An instance block without its closing brace.
  static std::string instance(const char* name, int vrid, int priority, const char* vip) {
    const bool v6 = std::string(vip).find(':') != std::string::npos;
    return std::string("vrrp_instance ") + name + " {\n    interface eth0\n    virtual_router_id " +
           std::to_string(vrid) + "\n    priority " + std::to_string(priority) +
           "\n    advert_int 0.1\n    virtual_ipaddress {\n        " + vip + (v6 ? "/64" : "/24") +
           "\n    }\n";
  }

  /// A tracked vrrp_script running status.sh NAME every second.
  std::string statusCheck(const std::string& name, const std::string& user = "") const {
    return "vrrp_script " + name + " {\n    script \"" + statusScript_ + " " + name +
           "\"\n    interval 1\n" + (user.empty() ? "" : "    user " + user + "\n") + "}\n";
  }

  std::string scriptStatus(const std::string& name) const {
    return path("out/" + name + ".status");
  }

  bool waitForFile(const std::string& file) {
    return waitFor([&] { return std::filesystem::exists(file); }, kSettle);
  }

  static std::uint64_t ourBoundingSet() { return capSets("/proc/self/status").bounding; }

  /// Every thread of `pid`: nothing inheritable or ambient, nothing beyond
  /// `allowed` permitted or effective.
  static void expectEveryThreadWithin(pid_t pid, std::uint64_t allowed) {
    int threads = 0;
    for (const auto& task :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
      const auto caps = capSets((task.path() / "status").string());
      SCOPED_TRACE("thread " + task.path().filename().string());
      EXPECT_EQ(caps.inheritable, 0u);
      EXPECT_EQ(caps.ambient, 0u);
      EXPECT_EQ(caps.permitted & ~allowed, 0u) << hex(caps.permitted);
      EXPECT_EQ(caps.effective & ~allowed, 0u) << hex(caps.effective);
      ++threads;
    }
    EXPECT_GE(threads, 2) << "the loop and the log writer";
  }

  std::string statusScript_;
};

// vipd started with an inheritable and an ambient capability (as a careless
// parent might give it) keeps exactly CAP_NET_ADMIN and CAP_NET_RAW once up,
// in every thread; its root scripts get neither set but root's full
// capabilities from execve, as under keepalived. Then a takeover, a reload
// that opens a new (IPv6) socket and a graceful stop all still work.
TEST_F(PrivilegesTest, DaemonKeepsOnlyNetAdminAndNetRawAndRootScriptsInheritNothing) {
  const std::string notify = "    track_script {\n        chk\n    }\n    notify_master \"" +
                             statusScript_ + " master\"\n";
  c1_ = startVipdUnder({"setpriv", "--inh-caps", "+net_raw", "--ambient-caps", "+net_raw"}, *lab_,
                       *h1_, config(150, notify, statusCheck("chk")), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return lab_->hasAddress(*h1_, kVip); }, kSettle));
  c2_ = startVipd(*lab_, *h2_, config(100), "h2-vipd");

  for (const auto* c : {&c1_, &c2_}) {
    SCOPED_TRACE(c->name);
    ASSERT_TRUE(logShows(*c, "capabilities: keeping CAP_NET_ADMIN"));
    const auto caps = capsOf(c->pid);
    EXPECT_EQ(caps.effective, kNetAdminRaw) << hex(caps.effective);
    EXPECT_EQ(caps.permitted, kNetAdminRaw) << hex(caps.permitted);
    EXPECT_EQ(caps.inheritable, 0u);
    EXPECT_EQ(caps.ambient, 0u);
    EXPECT_EQ(caps.bounding, ourBoundingSet()) << "the bounding set is left alone";
    expectEveryThreadWithin(c->pid, kNetAdminRaw);
  }
  EXPECT_EQ(countInLog(c1_, "CAP_SETUID"), 0u);

  for (const char* name : {"chk", "master"}) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(waitForFile(scriptStatus(name)));
    const auto caps = capSets(scriptStatus(name));
    EXPECT_EQ(caps.inheritable, 0u);
    EXPECT_EQ(caps.ambient, 0u);
    EXPECT_EQ(caps.effective, ourBoundingSet()) << "root's script: root's capabilities";
    EXPECT_EQ(statusFields(scriptStatus(name))["Uid"].substr(0, 1), "0");
  }

  // A reload that opens an IPv6 raw socket after the drop.
  reloadWith(*lab_, c2_, config(100) + instance("VI_6", 52, 100, kVip6) + "}\n");
  ASSERT_TRUE(
      logShows(c2_, "reload done: 1 unchanged, 0 updated, 0 restarted, 0 removed, 1 added"));
  EXPECT_TRUE(waitFor([&] { return lab_->hasAddress(*h2_, kVip6); }, kSettle));

  // A graceful stop removes h1's VIP; h2 takes over and adds it.
  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_FALSE(lab_->hasAddress(*h1_, kVip));
  EXPECT_TRUE(waitFor([&] { return lab_->hasAddress(*h2_, kVip); }, kSettle));
  EXPECT_EQ(capsOf(c2_.pid).effective, kNetAdminRaw);
  EXPECT_FALSE(std::filesystem::exists(path("h1-vipd.pid"))) << "pid file removed at exit";
  EXPECT_FALSE(std::filesystem::exists(controlSocketOf(*lab_, "h1-vipd")));
}

// A script that runs as another user needs the daemon to switch to it and
// to signal it: CAP_SETUID, CAP_SETGID and CAP_KILL are kept, and used: the
// script runs as nobody with no capability at all, and one that hangs is
// killed at its timeout.
TEST_F(PrivilegesTest, ScriptsOfAnotherUserKeepSetuidSetgidAndKill) {
  const auto hang =
      script("hang.sh", "echo $$ > " + path("out/hang.pid") + ".$$ && mv " + path("out/hang.pid") +
                            ".$$ " + path("out/hang.pid") + "\nexec sleep 100");
  const std::string checks = statusCheck("chk", "nobody") + "vrrp_script hang {\n    script " +
                             hang + "\n    interval 2\n    timeout 1\n    weight -10\n" +
                             "    user nobody\n}\n";
  c1_ = startVipd(*lab_, *h1_,
                  config(150, "    track_script {\n        chk\n        hang\n    }\n", checks),
                  "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return lab_->hasAddress(*h1_, kVip); }, kSettle));
  ASSERT_TRUE(logShows(c1_, "CAP_SETUID (vrrp_script chk runs as uid 65534)"));
  const auto caps = capsOf(c1_.pid);
  const auto expected = kNetAdminRaw | kSetuid | kSetgid | kKill;
  EXPECT_EQ(caps.effective, expected) << hex(caps.effective);
  EXPECT_EQ(caps.permitted, expected) << hex(caps.permitted);
  EXPECT_EQ(caps.inheritable, 0u);
  expectEveryThreadWithin(c1_.pid, expected);

  ASSERT_TRUE(waitForFile(scriptStatus("chk")));
  const auto script = capSets(scriptStatus("chk"));
  EXPECT_EQ(statusFields(scriptStatus("chk"))["Uid"].substr(0, 5), "65534");
  EXPECT_EQ(script.effective, 0u);
  EXPECT_EQ(script.permitted, 0u);
  EXPECT_EQ(script.inheritable, 0u);
  EXPECT_EQ(script.ambient, 0u);

  // The hanging check, nobody's, is killed at its timeout.
  ASSERT_TRUE(waitForFile(path("out/hang.pid")));
  pid_t hung = 0;
  std::ifstream(path("out/hang.pid")) >> hung;
  ASSERT_GT(hung, 0);
  EXPECT_TRUE(logShows(c1_, "script timed out name=vrrp_script hang"));
  EXPECT_TRUE(waitFor([&] { return ::kill(hung, 0) != 0; }, kSettle)) << "nobody's script killed";
}

// A reload whose scripts would run as another user would need CAP_SETUID,
// dropped at start: refused, with the reason; the running config goes on.
TEST_F(PrivilegesTest, AReloadNeedingADroppedCapabilityIsRefused) {
  c1_ = startVipd(*lab_, *h1_, config(150), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return lab_->hasAddress(*h1_, kVip); }, kSettle));
  ASSERT_TRUE(logShows(c1_, "capabilities: keeping"));
  reloadWith(*lab_, c1_,
             config(150, "    track_script {\n        chk\n    }\n", statusCheck("chk", "nobody")));
  ASSERT_TRUE(logShows(c1_, "reload refused: it needs"));
  const auto log = readLog(c1_);
  EXPECT_NE(log.find("CAP_SETUID (vrrp_script chk runs as uid 65534)"), std::string::npos);
  EXPECT_NE(log.find("restart vipd to apply it; keeping the running configuration"),
            std::string::npos);
  EXPECT_EQ(countInLog(c1_, "reload done"), 0u);
  std::this_thread::sleep_for(1500ms);
  EXPECT_FALSE(std::filesystem::exists(scriptStatus("chk"))) << "the new check never ran";
  EXPECT_TRUE(lab_->hasAddress(*h1_, kVip));
  EXPECT_EQ(capsOf(c1_.pid).effective, kNetAdminRaw);
}

// --metrics-file in a directory root may write only by overriding its
// permission bits (another user's, 0755): CAP_DAC_OVERRIDE is kept, the file
// is rewritten after the drop and removed at exit.
TEST_F(PrivilegesTest, MetricsDirectoryOfAnotherUserKeepsDacOverride) {
  const auto dir = path("textfiles");
  std::filesystem::create_directory(dir);
  ASSERT_EQ(::chown(dir.c_str(), 65534, 65534), 0);
  ::chmod(dir.c_str(), 0755);
  const auto prom = dir + "/vipd.prom";
  c1_ = startVipd(*lab_, *h1_, config(150), "h1-vipd",
                  {"--metrics-file", prom, "--metrics-interval", "0.2"});
  ASSERT_TRUE(waitFor([&] { return lab_->hasAddress(*h1_, kVip); }, kSettle));
  ASSERT_TRUE(logShows(c1_, "CAP_DAC_OVERRIDE (--metrics-file " + prom));
  EXPECT_EQ(capsOf(c1_.pid).effective, kNetAdminRaw | kDacOverride);
  // Rewritten since the drop: it shows the instance as MASTER now.
  EXPECT_TRUE(waitFor(
      [&] {
        std::ifstream in(prom);
        std::stringstream text;
        text << in.rdbuf();
        return text.str().find(
                   "vipd_instance_state{vrrp_instance=\"VI_1\",interface=\"eth0\","
                   "vrid=\"51\",family=\"inet\",state=\"MASTER\"} 1") != std::string::npos;
      },
      kSettle));
  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_FALSE(std::filesystem::exists(prom)) << "removed at exit";
  EXPECT_EQ(countInLog(c1_, "cannot write metrics file"), 0u);
}

// Not root: a vipd given only the two network capabilities, as ambient ones
// (systemd's User= with AmbientCapabilities=), runs, keeps exactly those and
// still adds and removes its VIP.
TEST_F(PrivilegesTest, AVipdNotStartedAsRootRunsWithTheCapabilitiesItWasGiven) {
  ::chmod(lab_->dir().c_str(), 0777);  // its pid file and control socket
  c1_ = startVipdUnder({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps",
                        "+net_admin,+net_raw", "--ambient-caps", "+net_admin,+net_raw"},
                       *lab_, *h1_, config(150), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return lab_->hasAddress(*h1_, kVip); }, kSettle));
  ASSERT_TRUE(logShows(c1_, "all others dropped (uid 65534"));
  const auto caps = capsOf(c1_.pid);
  EXPECT_EQ(caps.effective, kNetAdminRaw) << hex(caps.effective);
  EXPECT_EQ(caps.permitted, kNetAdminRaw) << hex(caps.permitted);
  EXPECT_EQ(caps.ambient, 0u) << "scripts would inherit ambient capabilities";
  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_FALSE(lab_->hasAddress(*h1_, kVip));
}

}  // namespace
}  // namespace vipd::lab
