// Issue 10 item 1: a peer on our VRID whose adverts we must drop for a configuration mismatch.
//
// keepalived 2.2.7's outcome, which these tests reproduce on its side: each router drops the
// other's adverts, logs one line per dropped packet, and both become master with nothing in
// any status to say why (keepalived GH#2444, GH#2175, GH#2649, GH#2458; reference §5 item 1).
// vipd still drops the adverts (RFC 5798 §7.1: the split brain stays the RFC's outcome), but
// names the peer and the difference in one rate-limited log line, lists it in `vipctl status`
// and in the metrics, and clears the condition when the peer agrees or stops.
#include <gtest/gtest.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "agents.h"
#include "scenario.h"

namespace vipd::lab {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

::testing::AssertionResult ok(const Verdict& verdict) {
  if (verdict) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << verdict.detail;
}

constexpr std::size_t kVipd = 0;        // h1, priority 100
constexpr std::size_t kKeepalived = 1;  // h2, priority 150

std::string replaceOnce(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("'" + from + "' not in the config");
  return text.replace(at, from.size(), to);
}

// The second VIP of the vipd node: .101 beside the scenario's .100.
std::string secondVip(Family family) {
  return family == Family::V4 ? "192.0.2.101" : "2001:db8::101";
}
std::string prefix(Family family) { return family == Family::V4 ? "/24" : "/64"; }

// The node's config with `secondVip` listed after the scenario's VIP.
std::string withSecondVip(const Scenario& s, std::size_t i) {
  const std::string vip = s.vip() + prefix(s.setup().family);
  return replaceOnce(
      s.configText(i), vip + "\n",
      vip + "\n        " + secondVip(s.setup().family) + prefix(s.setup().family) + "\n");
}

json incompatiblePeers(const Scenario& s) {
  const std::string out = s.vipctl(kVipd, "--json status");
  if (out.empty()) return json::array();
  const json doc = json::parse(out, nullptr, false);
  if (doc.is_discarded() || !doc.contains("instances") || doc["instances"].empty()) {
    return json::array();
  }
  return doc["instances"][0].value("incompatible_peers", json::array());
}

std::string familyName(const ::testing::TestParamInfo<Family>& param) {
  return param.param == Family::V4 ? "IPv4" : "IPv6";
}

class IncompatiblePeerTest : public ::testing::TestWithParam<Family> {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for network namespaces";
  }
  void TearDown() override {
    if (HasFailure() && scenario_) std::cout << scenario_->allLogs();
  }
  std::unique_ptr<Scenario> scenario_;
};

// vipd lists 2 VIPs, keepalived 1: both masters (keepalived: GH#2444). vipd names keepalived
// and the difference; when keepalived reloads with the same list, vipd accepts its adverts,
// yields to its higher priority and the condition clears.
TEST_P(IncompatiblePeerTest, AVipListMismatchIsNamedAndClearsWhenThePeerAgrees) {
  const Family family = GetParam();
  scenario_ = std::make_unique<Scenario>(
      "ip", VrrpSetup{family, Transport::Multicast, 3, milliseconds(200), true},
      std::vector<NodeSpec>{{"h1", 100, Agent::Vipd}, {"h2", 150, Agent::Keepalived}});
  auto& s = *scenario_;
  s.startWith(kVipd, withSecondVip(s, kVipd));
  s.start(kKeepalived);

  {
    SCOPED_TRACE("split brain, as with keepalived on both sides, but vipd says why");
    ASSERT_TRUE(waitFor([&] { return s.holders().size() == 2; }, s.takeoverTimeout()))
        << "expected both to hold the VIP (each drops the other's adverts)";
    ASSERT_TRUE(waitFor([&] { return incompatiblePeers(s).size() == 1; }, s.takeoverTimeout()));
    const json peer = incompatiblePeers(s)[0];
    const std::string ours = s.vip() + " " + secondVip(family);
    const std::string difference = "VIP list differs: theirs " + s.vip() + ", ours " + ours;
    EXPECT_EQ(peer["difference"], difference);
    EXPECT_EQ(peer["reason"], "address_count_mismatch");
    const std::string from = peer["peer"];
    if (family == Family::V4) {
      EXPECT_EQ(from, s.addressOf(kKeepalived));
    } else {
      EXPECT_EQ(from.rfind("fe80:", 0), 0u) << "IPv6 adverts come from the link-local: " << from;
    }
    EXPECT_NE(s.log(kVipd).find("incompatible peer " + from + " VRID 51: " + difference),
              std::string::npos);
    const std::string metrics = s.vipctl(kVipd, "metrics");
    EXPECT_TRUE(std::regex_search(metrics, std::regex(R"(vipd_incompatible_peers\{[^}]*\} 1\n)")))
        << metrics;
    // keepalived's side of the same split brain: a log line per dropped advert, no status.
    // (Also seen here: a keepalived master restarts its advert timer on every packet it
    // receives, rejected ones included, so next to vipd's adverts it sends irregularly.)
    EXPECT_FALSE(s.complaints(kKeepalived).empty()) << "keepalived did not complain?";
  }
  {
    SCOPED_TRACE("one advert-log line per interval, not one per packet");
    const auto lines = [&] {
      std::size_t n = 0;
      for (std::size_t at = 0;
           (at = s.log(kVipd).find("incompatible peer", at)) != std::string::npos; ++at) {
        ++n;
      }
      return n;
    };
    // ~15 adverts in 3 s; the rate limit allows one line per 10 s.
    std::this_thread::sleep_for(seconds(3));
    EXPECT_LE(lines(), 2u);
  }
  {
    SCOPED_TRACE("keepalived reloads with vipd's VIP list: it is compatible and wins");
    s.reloadWith(kKeepalived, withSecondVip(s, kKeepalived));
    ASSERT_TRUE(waitFor([&] { return incompatiblePeers(s).empty(); }, s.takeoverTimeout()));
    ASSERT_TRUE(ok(s.settlesOn(kKeepalived)));
    EXPECT_NE(s.log(kVipd).find("is compatible now"), std::string::npos);
  }
}

// VRRPv2 requires the same advert_int on every router (RFC 3768 §7.1): keepalived at 2 s,
// vipd at 1 s drop each other (keepalived GH#2175). When keepalived stops, the condition
// clears after the hold time (four of its intervals, at least 10 s).
TEST_F(IncompatiblePeerTest, AVersion2IntervalMismatchIsNamedAndClearsWhenThePeerStops) {
  scenario_ = std::make_unique<Scenario>(
      "iv", VrrpSetup{Family::V4, Transport::Multicast, 2, milliseconds(1000), true},
      std::vector<NodeSpec>{{"h1", 100, Agent::Vipd}, {"h2", 150, Agent::Keepalived}});
  auto& s = *scenario_;
  s.start(kVipd);
  s.startWith(kKeepalived,
              replaceOnce(s.configText(kKeepalived), "advert_int 1\n", "advert_int 2\n"));
  ASSERT_TRUE(waitFor([&] { return incompatiblePeers(s).size() == 1; }, s.takeoverTimeout()));
  EXPECT_EQ(incompatiblePeers(s)[0]["difference"], "advert interval differs: theirs 2 s, ours 1 s");
  ASSERT_TRUE(waitFor([&] { return s.holders().size() == 2; }, s.takeoverTimeout()))
      << "both masters, as keepalived pairs end up";

  ASSERT_TRUE(ok(s.terminate(kKeepalived)));
  // Hold: 10 s (4 of its 2 s intervals would be 8 s) after its last advert (its priority-0
  // advert, dropped as well).
  EXPECT_TRUE(waitFor([&] { return incompatiblePeers(s).empty(); }, milliseconds(14000)));
  EXPECT_NE(s.log(kVipd).find("no longer heard"), std::string::npos);
  EXPECT_TRUE(ok(s.settlesOn(kVipd)));
}

INSTANTIATE_TEST_SUITE_P(Families, IncompatiblePeerTest, ::testing::Values(Family::V4, Family::V6),
                         familyName);

}  // namespace
}  // namespace vipd::lab
