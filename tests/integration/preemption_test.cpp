// Issue 10 item 10: nopreempt and no_accept explained.
//
// keepalived's users misread nopreempt more than any other keyword (reference §5 item 11):
// it holds only on the router that would preempt and only with `state BACKUP` on every node;
// keepalived clears it silently-in-effect for `state MASTER` (one config-time log line) and
// priority 255, and never says at run time why it did or did not take over (keepalived GH#1515:
// "nopreempt not working" with state MASTER; GH#512: a returning higher priority takes over;
// GH#2174: nopreempt set on the master instead of on the router that would preempt). vipd says
// it in `vipctl status` (the "preempt" object, and a line under the table) and once in the log:
// "(VI_1) not preempting 192.0.2.2 (priority 100 < ours 150): nopreempt"; and when it does
// preempt, its transition line gives the reason.
//
// vrrp_strict (Debian's sample configuration has it) implies no_accept, which keepalived
// enforces with nftables rules that drop all traffic to the VIPs on a master that is not the
// address owner: the VIP does not even answer ping (keepalived GH#474, GH#1373, GH#2046;
// reference §4.4, §5 item 10). vipd warns at `-t` and start and installs no drop rules.
#include <gtest/gtest.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "agents.h"
#include "scenario.h"

namespace vipd::lab {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using namespace std::chrono_literals;

::testing::AssertionResult ok(const Verdict& verdict) {
  if (verdict) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << verdict.detail;
}

std::size_t countIn(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

std::string replaceOnce(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("'" + from + "' not in the config");
  return text.replace(at, from.size(), to);
}

class PreemptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for network namespaces";
  }
  void TearDown() override {
    if (HasFailure() && scenario_) std::cout << scenario_->allLogs();
  }

  /// The "preempt" object of the vipd node's only instance (empty while vipd is not up).
  json preempt(std::size_t node) const {
    const json doc = json::parse(scenario_->vipctl(node, "--json status"), nullptr, false);
    if (doc.is_discarded() || !doc.contains("instances") || doc["instances"].empty()) {
      return json::object();
    }
    const json p = doc["instances"][0].value("preempt", json::object());
    return p.is_object() ? p : json::object();
  }

  std::unique_ptr<Scenario> scenario_;
};

constexpr std::size_t kVipd = 0;        // h1, priority 150
constexpr std::size_t kKeepalived = 1;  // h2, priority 100

// `state BACKUP` and nopreempt everywhere (the one setup where keepalived's nopreempt works);
// keepalived at 100 is master when vipd at 150 starts. vipd stays BACKUP and says why: in
// `vipctl status` as long as it holds, in the log once, not once per advert.
TEST_F(PreemptionTest, NopreemptIsExplainedInStatusAndOnceInTheLog) {
  scenario_ = std::make_unique<Scenario>(
      "np", VrrpSetup{Family::V4, Transport::Multicast, 3, 200ms, /*preempt=*/false},
      std::vector<NodeSpec>{{"h1", 150, Agent::Vipd}, {"h2", 100, Agent::Keepalived}});
  Scenario& s = *scenario_;
  s.start(kKeepalived);
  ASSERT_TRUE(ok(s.settlesOn(kKeepalived)));
  s.start(kVipd);

  const std::string why = "not preempting 192.0.2.2 (priority 100 < ours 150): nopreempt";
  ASSERT_TRUE(
      waitFor([&] { return preempt(kVipd).value("why", json()) == why; }, s.takeoverTimeout()))
      << preempt(kVipd).dump();
  EXPECT_EQ(preempt(kVipd)["mode"], "nopreempt");
  EXPECT_TRUE(preempt(kVipd)["delay_remaining_s"].is_null());
  // Twenty of keepalived's adverts later: still its VIP, still one line.
  EXPECT_TRUE(ok(s.soleHolderThroughout(kKeepalived, 4000ms)));
  EXPECT_EQ(countIn(s.log(kVipd), "(VI_1) " + why), 1u) << s.log(kVipd);
  EXPECT_NE(s.vipctl(kVipd, "status").find("VI_1: " + why + "\n"), std::string::npos)
      << s.vipctl(kVipd, "status");
}

// preempt_delay (with `state BACKUP`: state MASTER ignores it): vipd counts the delay down in
// its status, says once that it waits, preempts when it has passed and gives the reason in its
// transition line. keepalived yields to it.
TEST_F(PreemptionTest, PreemptDelayCountsDownThenPreemptsAndSaysWhy) {
  scenario_ = std::make_unique<Scenario>(
      "pd", VrrpSetup{Family::V4, Transport::Multicast, 3, 200ms, true},
      std::vector<NodeSpec>{{"h1", 150, Agent::Vipd}, {"h2", 100, Agent::Keepalived}});
  Scenario& s = *scenario_;
  s.start(kKeepalived);
  ASSERT_TRUE(ok(s.settlesOn(kKeepalived)));
  std::string config = replaceOnce(s.configText(kVipd), "state MASTER\n", "state BACKUP\n");
  config = replaceOnce(config, "priority 150\n", "priority 150\n    preempt_delay 3\n");
  const auto started = std::chrono::steady_clock::now();
  s.startWith(kVipd, config);

  ASSERT_TRUE(waitFor(
      [&] {
        const json p = preempt(kVipd);
        return p.value("why", json()).is_string() &&
               p["why"].get<std::string>().find("preempt_delay: ") != std::string::npos;
      },
      3000ms))
      << preempt(kVipd).dump();
  const json waiting = preempt(kVipd);
  EXPECT_EQ(waiting["mode"], "delayed");
  ASSERT_TRUE(waiting["delay_remaining_s"].is_number()) << waiting.dump();
  EXPECT_GT(waiting["delay_remaining_s"].get<double>(), 0.0);
  EXPECT_LE(waiting["delay_remaining_s"].get<double>(), 3.0);
  EXPECT_TRUE(ok(s.waitForSoleHolder(kVipd, 3000ms + s.takeoverTimeout())));
  const auto took =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
  EXPECT_GE(took, 3000ms) << "the preempt delay was not honoured";
  std::cout << "vipd preempted " << took.count() << " ms after its start (preempt_delay 3)\n";

  const std::string log = s.log(kVipd);
  EXPECT_EQ(countIn(log,
                    "(VI_1) not preempting 192.0.2.2 (priority 100 < ours 150): "
                    "preempt_delay: "),
            1u)
      << log;
  EXPECT_NE(log.find("entering MASTER state: cause=Preempted"), std::string::npos) << log;
  EXPECT_NE(log.find("why=\"preempted 192.0.2.2 (priority 100 < ours 150): preempt_delay 3 s "
                     "passed\""),
            std::string::npos)
      << log;
  EXPECT_EQ(preempt(kVipd)["why"],
            "preempted 192.0.2.2 (priority 100 < ours 150): preempt_delay 3 s passed");
}

// vrrp_strict on a lone master (priority 150, not the owner): keepalived installs its nftables
// drop rules and the VIP answers no ping (GH#474, GH#1373, GH#2046); vipd warns and answers.
// IPv4 only: strict mode wants the first IPv6 VIP link-local, which the lab's is not.
class StrictNoAcceptTest : public PreemptionTest, public ::testing::WithParamInterface<Agent> {};

TEST_P(StrictNoAcceptTest, TheVipOfAStrictMaster) {
  const Agent agent = GetParam();
  scenario_ =
      std::make_unique<Scenario>("sn", VrrpSetup{Family::V4, Transport::Multicast, 3, 200ms, true},
                                 std::vector<NodeSpec>{{"h1", 150, agent}});
  Scenario& s = *scenario_;
  s.setGlobalExtra("    vrrp_strict\n");
  s.start(0);
  ASSERT_TRUE(ok(s.settlesOn(0)));
  const Verdict reached = s.clientReachesVip(milliseconds(500));
  const std::string ruleset = s.host(0).ns->exec("nft list ruleset 2>/dev/null || true");
  if (agent == Agent::Keepalived) {
    // keepalived 2.2.7: table inet keepalived, "ip daddr @vips drop" in its input chain.
    EXPECT_FALSE(reached) << "keepalived's VIP answered the client after all";
    EXPECT_NE(ruleset.find("keepalived"), std::string::npos) << ruleset;
  } else {
    EXPECT_TRUE(ok(reached));
    EXPECT_EQ(ruleset.find("drop"), std::string::npos) << ruleset;
    EXPECT_NE(s.log(0).find("has no_accept (strict mode implies it): keepalived would drop "
                            "all traffic to the VIPs while this node is MASTER"),
              std::string::npos)
        << s.log(0);
  }
}

std::string agentName(const ::testing::TestParamInfo<Agent>& param) {
  return std::string(toString(param.param));
}

INSTANTIATE_TEST_SUITE_P(Agents, StrictNoAcceptTest,
                         ::testing::Values(Agent::Keepalived, Agent::Vipd), agentName);

}  // namespace
}  // namespace vipd::lab
