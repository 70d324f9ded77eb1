// virtual_routes / virtual_rules and static_routes / static_rules (issue 9)
// on two vipd hosts, IPv4 and IPv6, observed in the kernel: `ip route show
// table all` and `ip rule` in each host's namespace. The instance's routes
// and rule are on the master only and follow the VIP on failover; the
// static ones are on every running daemon; a daemon killed with SIGKILL
// leaves its routes, and removes them when it starts again; nothing is left
// once every daemon has stopped.
#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "agents.h"
#include "scenario.h"

namespace vipd::lab {
namespace {

using namespace std::chrono_literals;

::testing::AssertionResult ok(const Verdict& verdict) {
  if (verdict) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << verdict.detail;
}

/// What one family's configuration adds and how `ip` shows it.
struct RouteCase {
  Family family;
  std::string virtualRoute;  ///< A virtual_routes line.
  std::string virtualRule;   ///< A virtual_rules line.
  std::string staticRoute;   ///< A static_routes line.
  std::string ip;            ///< "ip" or "ip -6".
  std::string routeShown;    ///< How `ip route` starts the virtual route's line.
  std::string ruleShown;     ///< A part of the rule's `ip rule` line.
  std::string staticShown;
};

const RouteCase kV4{Family::V4,
                    "203.0.113.0/24 via 192.0.2.254 dev eth0",
                    "from 192.0.2.100 table 100 priority 100",
                    "198.51.100.0/24 via 192.0.2.254 dev eth0",
                    "ip",
                    "203.0.113.0/24 via 192.0.2.254 dev eth0 proto keepalived",
                    "100:\tfrom 192.0.2.100 lookup 100",
                    "198.51.100.0/24 via 192.0.2.254 dev eth0 proto keepalived"};
const RouteCase kV6{Family::V6,
                    "2001:db8:ff::/48 via 2001:db8::fe dev eth0 onlink",
                    "from 2001:db8::100 table 100 priority 100",
                    "2001:db8:fe::/48 via 2001:db8::fe dev eth0 onlink",
                    "ip -6",
                    "2001:db8:ff::/48 via 2001:db8::fe dev eth0 proto keepalived",
                    "100:\tfrom 2001:db8::100 lookup 100",
                    "2001:db8:fe::/48 via 2001:db8::fe dev eth0 proto keepalived"};

// gtest shows the family instead of the struct's bytes.
void PrintTo(const RouteCase& c, std::ostream* os) { *os << toString(c.family); }

std::string caseName(const ::testing::TestParamInfo<RouteCase>& info) {
  return std::string(toString(info.param.family));
}

class VirtualRoutesTest : public ::testing::TestWithParam<RouteCase> {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for network namespaces";
    const RouteCase& c = GetParam();
    // h1 150, h2 100, adverts every 100 ms: takeovers take well under a second.
    VrrpSetup setup{c.family, Transport::Multicast, 3, 100ms, true};
    scenario_ = std::make_unique<Scenario>("vroutes", setup,
                                           std::vector<NodeSpec>{{"h1", 150}, {"h2", 100}});
    scenario_->setExtraConfig("static_routes {\n    " + c.staticRoute + "\n}\n\n",
                              "    virtual_routes {\n        " + c.virtualRoute +
                                  "\n    }\n    virtual_rules {\n        " + c.virtualRule +
                                  "\n    }\n");
  }

  void TearDown() override {
    if (scenario_ && HasFailure()) std::cout << scenario_->allLogs();
  }

  std::string routes(std::size_t i) const {
    return scenario_->host(i).ns->exec(GetParam().ip + " route show table all");
  }
  std::string rules(std::size_t i) const {
    return scenario_->host(i).ns->exec(GetParam().ip + " rule show");
  }

  bool hasVirtualRoute(std::size_t i) const {
    return routes(i).find(GetParam().routeShown) != std::string::npos;
  }
  bool hasVirtualRule(std::size_t i) const {
    return rules(i).find(GetParam().ruleShown) != std::string::npos;
  }
  bool hasStaticRoute(std::size_t i) const {
    return routes(i).find(GetParam().staticShown) != std::string::npos;
  }
  /// The virtual route and rule both present (true) or both absent (false).
  bool carriesVirtual(std::size_t i, bool present) const {
    return hasVirtualRoute(i) == present && hasVirtualRule(i) == present;
  }
  /// Waits (routes follow the VIP within the same netlink burst) for node i's state.
  ::testing::AssertionResult becomes(std::size_t i, bool virtualPresent, bool staticPresent,
                                     std::chrono::milliseconds timeout = 2s) const {
    if (waitFor(
            [&] { return carriesVirtual(i, virtualPresent) && hasStaticRoute(i) == staticPresent; },
            timeout)) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << scenario_->node(i).name << ": expected virtual "
                                         << (virtualPresent ? "present" : "absent") << ", static "
                                         << (staticPresent ? "present" : "absent") << "\nroutes:\n"
                                         << routes(i) << "rules:\n"
                                         << rules(i);
  }
  /// No protocol-keepalived route and no rule of ours on the host.
  ::testing::AssertionResult clean(std::size_t i) const {
    const auto r = routes(i);
    const auto rl = rules(i);
    if (r.find("proto keepalived") == std::string::npos &&
        rl.find(GetParam().ruleShown) == std::string::npos) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << scenario_->node(i).name << " still has:\n" << r << rl;
  }

  std::uint64_t routeErrors(std::size_t i) const {
    const auto doc = nlohmann::json::parse(scenario_->vipctl(i, "--json stats"), nullptr, false);
    if (doc.is_discarded() || !doc.contains("instances") || doc["instances"].empty()) return 99;
    return doc["instances"][0].value("route_errors", std::uint64_t{99});
  }

  std::unique_ptr<Scenario> scenario_;
};

TEST_P(VirtualRoutesTest, RoutesAndRulesFollowTheMasterAndNothingIsLeftAfterStop) {
  auto& s = *scenario_;
  ASSERT_TRUE(clean(0));
  ASSERT_TRUE(clean(1));
  s.startAll();
  ASSERT_TRUE(ok(s.settlesOn(0)));
  EXPECT_TRUE(becomes(0, true, true)) << "the master has its routes, rule and the static route";
  EXPECT_TRUE(becomes(1, false, true)) << "the backup has only the static route";
  EXPECT_EQ(routeErrors(0), 0u);

  // The master fails (SIGTERM by PID): everything of the instance moves.
  ASSERT_TRUE(ok(s.terminate(0)));
  ASSERT_TRUE(ok(s.settlesOn(1)));
  EXPECT_TRUE(becomes(1, true, true));
  EXPECT_TRUE(clean(0)) << "a stopped daemon removes its static route too";

  // h1 returns and preempts: the routes go back with the VIP.
  s.start(0);
  ASSERT_TRUE(ok(s.settlesOn(0)));
  EXPECT_TRUE(becomes(0, true, true));
  EXPECT_TRUE(becomes(1, false, true));

  ASSERT_TRUE(ok(s.terminate(0)));
  ASSERT_TRUE(ok(s.terminate(1)));
  EXPECT_TRUE(clean(0));
  EXPECT_TRUE(clean(1));
}

TEST_P(VirtualRoutesTest, ADaemonKilledAsMasterCleansUpWhenItStartsAgain) {
  auto& s = *scenario_;
  s.start(0);
  ASSERT_TRUE(ok(s.waitForSoleHolder(0, s.takeoverTimeout())));
  ASSERT_TRUE(becomes(0, true, true));
  s.kill(0);  // SIGKILL: no chance to remove anything.
  EXPECT_TRUE(becomes(0, true, true)) << "a killed daemon leaves its routes behind";

  // h2 takes over (h1's stale VIP is still there: no sole-holder check);
  // h1 restarts, removes its leftovers as a backup, then preempts.
  s.start(1);
  ASSERT_TRUE(becomes(1, true, true, s.takeoverTimeout()));
  s.start(0);
  ASSERT_TRUE(ok(s.settlesOn(0)));
  EXPECT_TRUE(becomes(0, true, true));
  EXPECT_TRUE(becomes(1, false, true));
  // The restarted h1 found its old routes: removing them went through.
  EXPECT_EQ(routeErrors(0), 0u);
  EXPECT_NE(s.log(0).find("removed route"), std::string::npos);

  ASSERT_TRUE(ok(s.terminate(0)));
  ASSERT_TRUE(ok(s.terminate(1)));
  EXPECT_TRUE(clean(0));
  EXPECT_TRUE(clean(1));
}

/// `text` with its first `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// A reload that changes the instance's route and the static route: the
// running master swaps them without leaving MASTER; so does the backup's
// static route.
TEST_P(VirtualRoutesTest, AReloadMovesChangedRoutesOnTheRunningMaster) {
  auto& s = *scenario_;
  const RouteCase& c = GetParam();
  s.startAll();
  ASSERT_TRUE(ok(s.settlesOn(0)));
  ASSERT_TRUE(becomes(0, true, true));
  // One more prefix bit: the /24 (/48) line becomes a /25 (/49) line.
  const auto narrower = [](std::string line) {
    return replaced(replaced(std::move(line), "/24 ", "/25 "), "/48 ", "/49 ");
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto text = replaced(s.configText(i), c.virtualRoute, narrower(c.virtualRoute));
    s.reloadWith(i, replaced(text, c.staticRoute, narrower(c.staticRoute)));
  }
  const auto newVirtual = narrower(c.routeShown);
  const auto newStatic = narrower(c.staticShown);
  EXPECT_TRUE(waitFor(
      [&] {
        const auto r0 = routes(0);
        const auto r1 = routes(1);
        return r0.find(newVirtual) != std::string::npos &&
               r0.find(c.routeShown) == std::string::npos &&
               r0.find(newStatic) != std::string::npos &&
               r0.find(c.staticShown) == std::string::npos &&
               r1.find(newStatic) != std::string::npos &&
               r1.find(c.staticShown) == std::string::npos &&
               r1.find(newVirtual) == std::string::npos;
      },
      3s))
      << "h1:\n"
      << routes(0) << "h2:\n"
      << routes(1);
  EXPECT_TRUE(hasVirtualRule(0)) << "the unchanged rule stays";
  EXPECT_TRUE(ok(s.soleHolderThroughout(0, s.settlePeriod()))) << "no transition on reload";
  EXPECT_EQ(routeErrors(0), 0u);

  ASSERT_TRUE(ok(s.terminate(0)));
  ASSERT_TRUE(ok(s.terminate(1)));
  EXPECT_TRUE(clean(0));
  EXPECT_TRUE(clean(1));
}

INSTANTIATE_TEST_SUITE_P(Families, VirtualRoutesTest, ::testing::Values(kV4, kV6), caseName);

}  // namespace
}  // namespace vipd::lab
