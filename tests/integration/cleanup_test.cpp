// Nothing left behind (issue 10 item 3): a vipd killed with SIGKILL cannot
// remove its VIPs, routes, rules or VMAC. It recorded each in its state file
// before installing it, so the next start removes them even when the new
// configuration no longer lists them, and `vipd --cleanup` does it without
// starting. IPv4 and IPv6, observed with `ip` in the host's namespace.
//
// keepalived 2.2.7, the same sequence: at start it removes only the VIPs its
// (new) configuration lists (vrrp_daemon.c: vrrp_restore_interfaces_startup),
// so a VIP the old configuration had stays on the interface for good: the
// "VIP left behind after kill -9 / container stop" reports, keepalived
// GH#2361, GH#159, GH#2201, GH#672 (reference §5 item 4). The last test
// reproduces it.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "agents.h"
#include "lab.h"
#include "netns.h"

namespace vipd::lab {
namespace {

using namespace std::chrono_literals;

constexpr auto kWait = 5s;

/// What one family's configurations install and how `ip` shows it.
struct FamilyCase {
  std::string name;
  std::string ip;      ///< "ip" or "ip -6".
  std::string oldVip;  ///< The first run's VIP (no prefix).
  std::string newVip;  ///< The VIP of the changed configuration.
  std::string prefix;  ///< "/24" or "/64".
  std::string route;   ///< The first run's virtual_routes line.
  std::string routeShown;
  std::string rule;  ///< The first run's virtual_rules line (uses the old VIP).
  std::string ruleShown;
  std::string newRoute;  ///< The changed configuration's route and rule.
  std::string newRule;
};

const FamilyCase kV4{"IPv4",
                     "ip",
                     "192.0.2.100",
                     "192.0.2.101",
                     "/24",
                     "203.0.113.0/24 via 192.0.2.254 dev eth0",
                     "203.0.113.0/24 via 192.0.2.254 dev eth0 proto keepalived",
                     "from 192.0.2.100 table 100 priority 100",
                     "from 192.0.2.100 lookup 100",
                     "198.51.100.0/24 via 192.0.2.254 dev eth0",
                     "from 192.0.2.101 table 100 priority 101"};
const FamilyCase kV6{"IPv6",
                     "ip -6",
                     "2001:db8::100",
                     "2001:db8::101",
                     "/64",
                     "2001:db8:ff::/48 via 2001:db8::fe dev eth0 onlink",
                     "2001:db8:ff::/48 via 2001:db8::fe dev eth0 proto keepalived",
                     "from 2001:db8::100 table 100 priority 100",
                     "from 2001:db8::100 lookup 100",
                     "2001:db8:fe::/48 via 2001:db8::fe dev eth0 onlink",
                     "from 2001:db8::101 table 100 priority 101"};

void PrintTo(const FamilyCase& f, std::ostream* os) { *os << f.name; }

std::string familyName(const ::testing::TestParamInfo<FamilyCase>& info) { return info.param.name; }

class CleanupTest : public ::testing::TestWithParam<FamilyCase> {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for network namespaces";
    lab_ = std::make_unique<Lab>("cleanup");
    h1_ = &lab_->addHost("h1", {"192.0.2.1/24", "2001:db8::1/64"});
  }

  void TearDown() override {
    if (HasFailure()) {
      for (const auto* c : {&agent_, &cleanup_}) {
        if (!c->log.empty()) std::cout << "---- " << c->name << "\n" << readLog(*c);
      }
      std::cout << "---- h1\n" << h1_->ns->exec("ip -d addr; ip route show table all; ip rule");
    }
    lab_.reset();
  }

  /// One master-to-be instance (alone, it becomes master at once): `vip`
  /// with a route and a rule, on a use_vmac macvlan if `vmac`.
  std::string config(const std::string& vip, const std::string& route, const std::string& rule,
                     bool vmac = false) const {
    const FamilyCase& f = GetParam();
    return std::string(
               "vrrp_instance VI_1 {\n"
               "    interface eth0\n"
               "    virtual_router_id 51\n"
               "    priority 150\n"
               "    version 3\n"
               "    advert_int 0.1\n") +
           (vmac ? "    use_vmac\n" : "") + "    virtual_ipaddress {\n        " + vip + f.prefix +
           "\n    }\n    virtual_routes {\n        " + route +
           "\n    }\n    virtual_rules {\n        " + rule + "\n    }\n}\n";
  }
  std::string oldConfig(bool vmac = false) const {
    return config(GetParam().oldVip, GetParam().route, GetParam().rule, vmac);
  }
  std::string newConfig() const {
    return config(GetParam().newVip, GetParam().newRoute, GetParam().newRule);
  }

  /// The address anywhere on the host (eth0 or a VMAC).
  bool hasVip(const std::string& vip) const {
    return h1_->ns->exec(GetParam().ip + " -o addr show").find(" " + vip + "/") !=
           std::string::npos;
  }
  bool hasOldRoute() const {
    return h1_->ns->exec(GetParam().ip + " route show table all").find(GetParam().routeShown) !=
           std::string::npos;
  }
  bool hasOldRule() const {
    return h1_->ns->exec(GetParam().ip + " rule show").find(GetParam().ruleShown) !=
           std::string::npos;
  }
  bool hasVmac() const {
    return h1_->ns->exec("ip -o link show").find("vrrp.51@eth0") != std::string::npos;
  }
  bool oldRunInstalled() const {
    return hasVip(GetParam().oldVip) && hasOldRoute() && hasOldRule();
  }
  bool oldRunGone() const { return !hasVip(GetParam().oldVip) && !hasOldRoute() && !hasOldRule(); }

  /// The sysctls vipd changes for an IPv4 VMAC (on eth0, and rp_filter).
  std::string sysctls() const {
    return h1_->ns->exec(
        "cd /proc/sys/net/ipv4/conf && grep . eth0/arp_ignore eth0/arp_filter eth0/rp_filter "
        "all/rp_filter default/rp_filter");
  }

  std::string stateFile(const std::string& agent) const {
    return (lab_->dir() / (agent + ".state")).string();
  }

  /// `vipd --cleanup` with the files startVipd() gives `agent`; its exit status.
  int runCleanup(const std::string& agent, const std::string& configText) {
    const auto conf = (lab_->dir() / (agent + "-cleanup.conf")).string();
    std::ofstream(conf) << configText;
    cleanup_ = lab_->spawn(*h1_,
                           {vipdBinary(), "--cleanup", "-f", conf, "--pid-file",
                            (lab_->dir() / (agent + ".pid")).string(), "--control-socket",
                            controlSocketOf(*lab_, agent)},
                           agent + "-cleanup");
    int status = 0;
    if (!lab_->waitExit(cleanup_, kWait, &status)) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  /// SIGKILL by PID, then reaped: nothing of the agent runs any more.
  void killAgent(Child& child) {
    lab_->signal(child, SIGKILL);
    ASSERT_TRUE(lab_->waitExit(child, kWait));
  }

  std::unique_ptr<Lab> lab_;
  Host* h1_ = nullptr;
  Child agent_;
  Child cleanup_;
};

TEST_P(CleanupTest, RestartWithTheVipChangedRemovesWhatTheKilledRunInstalled) {
  const FamilyCase& f = GetParam();
  agent_ = startVipd(*lab_, *h1_, oldConfig(), "h1");
  ASSERT_TRUE(waitFor([&] { return oldRunInstalled(); }, kWait)) << "VIP, route and rule";
  std::stringstream recorded;
  recorded << std::ifstream(stateFile("h1")).rdbuf();
  EXPECT_NE(recorded.str().find("\"" + f.oldVip + f.prefix + "\""), std::string::npos)
      << "the state file records the VIP:\n"
      << recorded.str();

  killAgent(agent_);
  ASSERT_TRUE(oldRunInstalled()) << "SIGKILL leaves everything in place";

  // The new configuration lists neither the old VIP nor its route and rule:
  // only the state file knows of them.
  agent_ = startVipd(*lab_, *h1_, newConfig(), "h1");
  ASSERT_TRUE(waitFor([&] { return hasVip(f.newVip); }, kWait));
  EXPECT_TRUE(oldRunGone()) << "the old VIP, route and rule are gone";
  EXPECT_NE(readLog(agent_).find("removing " + f.oldVip + f.prefix +
                                 " on eth0 left by a previous run (state file)"),
            std::string::npos);
  EXPECT_NE(readLog(agent_).find("removed rule"), std::string::npos);

  lab_->signal(agent_, SIGTERM);
  int status = 0;
  ASSERT_TRUE(lab_->waitExit(agent_, kWait, &status));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
  EXPECT_FALSE(hasVip(f.newVip));
  EXPECT_FALSE(std::filesystem::exists(stateFile("h1")))
      << "a clean stop removed everything, and with it the state file";
}

TEST_P(CleanupTest, CleanupAloneRemovesWhatTheKilledRunInstalledVmacIncluded) {
  const FamilyCase& f = GetParam();
  // Strict reverse-path filtering, as many distributions set it: an IPv4
  // VMAC makes vipd (as keepalived) turn it off and raise the interfaces'.
  h1_->ns->exec("echo 1 > /proc/sys/net/ipv4/conf/all/rp_filter");
  const std::string sysctlsBefore = sysctls();
  agent_ = startVipd(*lab_, *h1_, oldConfig(true), "h1");
  ASSERT_TRUE(waitFor([&] { return oldRunInstalled() && hasVmac(); }, kWait));
  if (f.name == "IPv4") {
    EXPECT_NE(sysctls(), sysctlsBefore) << "keepalived's sysctls for an IPv4 VMAC are set";
  }
  killAgent(agent_);
  ASSERT_TRUE(oldRunInstalled() && hasVmac()) << "SIGKILL leaves everything in place";

  // Given the changed configuration (no use_vmac, another VIP), the state
  // file is what names the leftovers.
  EXPECT_EQ(runCleanup("h1", newConfig()), 0) << readLog(cleanup_);
  EXPECT_TRUE(oldRunGone());
  EXPECT_FALSE(hasVmac()) << "the macvlan is gone too";
  EXPECT_FALSE(std::filesystem::exists(stateFile("h1")));
  const auto log = readLog(cleanup_);
  EXPECT_NE(log.find("removing " + f.oldVip + f.prefix +
                     " on vrrp.51 left by a previous run (state file)"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("removing macvlan vrrp.51 on eth0 left by a previous run (state file)"),
            std::string::npos)
      << log;
  EXPECT_TRUE(hasVip(f.name == "IPv4" ? "192.0.2.1" : "2001:db8::1")) << "the host's own stay";
  EXPECT_EQ(sysctls(), sysctlsBefore) << "the sysctls the VMAC needed are back as they were";

  EXPECT_EQ(runCleanup("h1", newConfig()), 0) << "nothing left: a second run has nothing to do";
}

TEST_P(CleanupTest, CleanupAlsoRemovesConfiguredVipsAndRefusesWhileVipdRuns) {
  const FamilyCase& f = GetParam();
  agent_ = startVipd(*lab_, *h1_, newConfig(), "h1");
  ASSERT_TRUE(waitFor([&] { return hasVip(f.newVip); }, kWait));
  EXPECT_EQ(runCleanup("h1", newConfig()), 1) << "a running vipd removes its own";
  EXPECT_NE(readLog(cleanup_).find("cleanup refused: a vipd answers on"), std::string::npos)
      << readLog(cleanup_);
  EXPECT_TRUE(hasVip(f.newVip)) << "the running vipd's VIP is untouched";

  // Killed, and its state file lost (a reboot would clear /run, but not the
  // addresses of a container's persistent namespace): the configuration
  // still names the VIP.
  killAgent(agent_);
  std::filesystem::remove(stateFile("h1"));
  EXPECT_EQ(runCleanup("h1", newConfig()), 0) << readLog(cleanup_);
  EXPECT_FALSE(hasVip(f.newVip));
  EXPECT_NE(readLog(cleanup_).find("left by a previous run (configuration)"), std::string::npos);
}

// The keepalived side of the first test: the same kill and restart with the
// changed configuration leave the old VIP, its route and its rule in place.
TEST_P(CleanupTest, KeepalivedLeavesTheOldVipAfterKillAndRestartWithTheVipChanged) {
  const FamilyCase& f = GetParam();
  agent_ = startKeepalived(*lab_, *h1_, oldConfig(), "h1-keepalived");
  ASSERT_TRUE(waitFor([&] { return oldRunInstalled(); }, 3 * kWait));
  // keepalived runs a parent and a VRRP child. Stopped, the parent cannot
  // restart the child, and the child cannot hear of its parent's death
  // (keepalived's children stop gracefully then): both are killed outright.
  const auto vrrpPidFile = lab_->dir() / "h1-keepalived-vrrp.pid";
  pid_t vrrpChild = 0;
  ASSERT_TRUE(
      waitFor([&] { return (std::ifstream(vrrpPidFile) >> vrrpChild) && vrrpChild > 0; }, kWait));
  lab_->signal(agent_, SIGSTOP);
  ASSERT_EQ(::kill(vrrpChild, SIGKILL), 0);
  killAgent(agent_);
  ASSERT_TRUE(waitFor([&] { return ::kill(vrrpChild, 0) != 0; }, kWait)) << "the child is gone";
  ASSERT_TRUE(oldRunInstalled()) << "SIGKILL leaves everything in place";

  agent_ = startKeepalived(*lab_, *h1_, newConfig(), "h1-keepalived");
  ASSERT_TRUE(waitFor([&] { return hasVip(f.newVip); }, 3 * kWait));
  // keepalived 2.2.7's outcome (GH#2361, GH#159, GH#2201, GH#672): nothing
  // tells it of the old VIP, route or rule; they stay.
  EXPECT_TRUE(hasVip(f.oldVip)) << "keepalived removed the old VIP after all";
  EXPECT_TRUE(hasOldRoute()) << "keepalived removed the old route after all";
  EXPECT_TRUE(hasOldRule()) << "keepalived removed the old rule after all";

  lab_->signal(agent_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(agent_, 10s));
  EXPECT_FALSE(hasVip(f.newVip)) << "keepalived removes what it runs with";
  EXPECT_TRUE(hasVip(f.oldVip)) << "and never the old VIP";
}

INSTANTIATE_TEST_SUITE_P(Families, CleanupTest, ::testing::Values(kV4, kV6), familyName);

}  // namespace
}  // namespace vipd::lab
