// The control socket and vipctl on a running pair: h1 (priority 150) is
// master of VRID 51, h2 (100) its backup, VRRPv3 at 100 ms. What an operator
// sees (status, stats, metrics) and what vipctl changes (maintenance, reload,
// log level), checked against who holds the VIP.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "pair_lab.h"

namespace vipd::lab {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr auto kSettle = 3s;
const char* const kVip = "192.0.2.100";

struct CommandResult {
  int status = -1;
  std::string out;
};

// Runs a shell command; its stdout and stderr, and its exit status.
CommandResult run(const std::string& command) {
  CommandResult r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof(buf), p)) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class ControlTest : public PairLabTest {
 protected:
  ControlTest() : PairLabTest("ctl") {}

  static std::string config(int priority) {
    return "global_defs {\n    vrrp_version 3\n}\n"
           "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
           "    priority " +
           std::to_string(priority) +
           "\n    advert_int 0.1\n    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n";
  }

  void startPair() {
    c1_ = startVipd(*lab_, *h1_, config(150), "h1-vipd",
                    {"--metrics-file", path("h1.prom"), "--metrics-interval", "0.2"});
    ASSERT_TRUE(waitFor([&] { return lab_->hasAddress(*h1_, kVip); }, kSettle));
    c2_ = startVipd(*lab_, *h2_, config(100), "h2-vipd");
    ASSERT_TRUE(waitFor([&] { return h2Status()["master"] == "192.0.2.1"; }, kSettle))
        << "h2 hears h1";
  }

  std::string socket(const char* name) const { return controlSocketOf(*lab_, name); }

  CommandResult vipctl(const char* host, const std::string& args) {
    return run(vipctlBinary() + " -s " + socket(host) + " " + args);
  }

  json ask(const char* host, const std::string& command) {
    const CommandResult r = vipctl(host, "--json " + command);
    auto doc = json::parse(r.out, nullptr, false);
    return doc.is_discarded() ? json::object() : doc;
  }

  json status(const char* host) {
    const json doc = ask(host, "status");
    return doc.contains("instances") && !doc["instances"].empty() ? doc["instances"][0]
                                                                  : json::object();
  }
  json h1Status() { return status("h1-vipd"); }
  json h2Status() { return status("h2-vipd"); }

  bool soleHolder(const Host& h, const Host& other) {
    return lab_->hasAddress(h, kVip) && !lab_->hasAddress(other, kVip);
  }
};

TEST_F(ControlTest, StatusAndStatsShowBothSidesOfThePair) {
  startPair();
  const json m = h1Status();
  EXPECT_EQ(m["state"], "MASTER");
  EXPECT_EQ(m["master"], "192.0.2.1");
  EXPECT_EQ(m["vips_present"], true);
  EXPECT_EQ(m["priority"], 150);
  EXPECT_EQ(m["last_transition"]["cause"], "MasterDownTimer");
  const json b = h2Status();
  EXPECT_EQ(b["state"], "BACKUP");
  EXPECT_EQ(b["vips_present"], false);
  EXPECT_EQ(b["vrid"], 51);
  EXPECT_EQ(b["family"], "inet");

  const CommandResult table = vipctl("h1-vipd", "status");
  EXPECT_EQ(table.status, 0);
  EXPECT_NE(table.out.find("INSTANCE"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("VI_1"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("MASTER"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("192.0.2.100/24 (present)"), std::string::npos) << table.out;

  const json s1 = ask("h1-vipd", "stats")["instances"][0];
  const json s2 = ask("h2-vipd", "stats")["instances"][0];
  EXPECT_GT(s1["adverts_sent"].get<int>(), 0);
  EXPECT_GT(s2["adverts_received"].get<int>(), 0);
  EXPECT_EQ(s1["transitions"]["MasterDownTimer"], 1);

  // The metrics file follows within its interval.
  EXPECT_TRUE(waitFor(
      [&] {
        std::ifstream in(path("h1.prom"));
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        return text.find(R"(vipd_instance_state{vrrp_instance="VI_1",interface="eth0",vrid="51",)"
                         R"(family="inet",state="MASTER"} 1)") != std::string::npos;
      },
      2s));
  const CommandResult metrics = vipctl("h1-vipd", "metrics");
  EXPECT_NE(metrics.out.find("# TYPE vipd_failover_duration_seconds histogram"), std::string::npos);

  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_FALSE(std::filesystem::exists(path("h1.prom"))) << "removed at a clean stop";
  EXPECT_FALSE(std::filesystem::exists(socket("h1-vipd"))) << "removed at a clean stop";
  EXPECT_EQ(vipctl("h1-vipd", "status").status, 3) << "no daemon: unreachable";
}

// Drain: the master hands over at once (priority 0: the backup waits only
// its skew time), stays BACKUP while the backup is master, and preempts
// back when released. A drained backup does not take over even when the
// master goes away.
TEST_F(ControlTest, MaintenanceHandsOverAndHoldsBackupUntilReleased) {
  startPair();
  const CommandResult on = vipctl("h1-vipd", "maintenance on VI_1");
  EXPECT_EQ(on.status, 0) << on.out;
  EXPECT_NE(on.out.find("maintenance on: VI_1"), std::string::npos) << on.out;
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h2_, *h1_); }, 1s)) << "h2 took over at once";
  EXPECT_TRUE(logShows(c2_, "entering MASTER state: cause=PriorityZeroReceived"));
  const json drained = h1Status();
  EXPECT_EQ(drained["state"], "BACKUP");
  EXPECT_EQ(drained["maintenance"], true);
  EXPECT_EQ(drained["last_transition"]["cause"], "Maintenance");
  EXPECT_EQ(drained["master"], "192.0.2.2");
  EXPECT_EQ(vipctl("h1-vipd", "maintenance on").out, "maintenance already on\n");

  // Several Master_Down_Intervals (0.3 s) later, h1 (higher priority) has not preempted.
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(soleHolder(*h2_, *h1_));

  EXPECT_EQ(vipctl("h1-vipd", "maintenance off").status, 0);
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, kSettle)) << "h1 preempts back";
  EXPECT_EQ(h1Status()["maintenance"], false);

  // Drain the backup, then stop the master: nobody holds the VIP.
  EXPECT_EQ(vipctl("h2-vipd", "maintenance on").status, 0);
  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  std::this_thread::sleep_for(1s);
  EXPECT_FALSE(lab_->hasAddress(*h2_, kVip)) << "a drained backup never takes over";
  EXPECT_EQ(h2Status()["state"], "BACKUP");
  EXPECT_EQ(vipctl("h2-vipd", "maintenance off").status, 0);
  EXPECT_TRUE(waitFor([&] { return lab_->hasAddress(*h2_, kVip); }, kSettle));
}

TEST_F(ControlTest, ReloadThroughVipctlReportsWhatHappened) {
  startPair();
  // h2 outranks h1 after the reload.
  std::ofstream(path("h2-vipd.conf")) << config(200);
  const CommandResult ok = vipctl("h2-vipd", "reload");
  EXPECT_EQ(ok.status, 0) << ok.out;
  EXPECT_NE(ok.out.find("configuration reloaded"), std::string::npos) << ok.out;
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h2_, *h1_); }, kSettle));

  std::ofstream(path("h2-vipd.conf")) << config(200) << "vrrp_instance {\n";
  const CommandResult broken = vipctl("h2-vipd", "reload");
  EXPECT_EQ(broken.status, 1) << "a refused reload fails for scripts";
  EXPECT_NE(broken.out.find("keeping the running configuration"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("h2-vipd.conf:"), std::string::npos) << "diagnostics name the file";
  EXPECT_EQ(h2Status()["state"], "MASTER");
}

TEST_F(ControlTest, RefusesStrangersUnknownInstancesAndBadArguments) {
  startPair();
  struct stat st {};
  ASSERT_EQ(::stat(socket("h1-vipd").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "root only";
  const CommandResult stranger = run("setpriv --reuid=65534 --regid=65534 --clear-groups " +
                                     vipctlBinary() + " -s " + socket("h1-vipd") + " status");
  EXPECT_EQ(stranger.status, 3) << stranger.out;
  EXPECT_NE(stranger.out.find("Permission denied"), std::string::npos) << stranger.out;

  const CommandResult unknown = vipctl("h1-vipd", "maintenance on NOPE");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.out.find("no instance named 'NOPE'"), std::string::npos) << unknown.out;
  EXPECT_EQ(vipctl("h1-vipd", "maintenance sideways").status, 2);
  EXPECT_EQ(vipctl("h1-vipd", "frobnicate").status, 2);
  EXPECT_EQ(vipctl("h1-vipd", "log-level loud").status, 1);

  EXPECT_EQ(vipctl("h1-vipd", "log-level debug").status, 0);
  EXPECT_TRUE(logShows(c1_, "log level set to debug"));
  EXPECT_EQ(h1Status()["state"], "MASTER") << "nothing else changed";
}

// A second vipd given the same control socket refuses to start, before it
// touches any address: the socket is how it knows another one runs.
TEST_F(ControlTest, SecondDaemonOnTheSameSocketRefusesToStart) {
  startPair();
  Child second = lab_->spawn(*h2_,
                             {vipdBinary(), "-n", "-l", "-f", path("h1-vipd.conf"), "--pid-file",
                              path("second.pid"), "--control-socket", socket("h1-vipd")},
                             "second");
  ASSERT_TRUE(lab_->waitExit(second, 5s));
  EXPECT_NE(readLog(second).find("is in use"), std::string::npos) << readLog(second);
  EXPECT_EQ(h1Status()["state"], "MASTER") << "the first one still answers";
}

}  // namespace
}  // namespace vipd::lab
