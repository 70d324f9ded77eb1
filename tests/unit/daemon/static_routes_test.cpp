// static_routes / static_rules: installed for the daemon's lifetime, moved
// line by line on reload.

#include "vipd/daemon/static_routes.h"

#include <gtest/gtest.h>

#include "daemon_test_support.h"
#include "fakes/fake_route_manager.h"

namespace vipd::daemon {
namespace {

using testing::ip;
using Op = fakes::FakeRouteManager::Op;

config::Config staticConfig(const std::string& routes, const std::string& rules) {
  return testing::parseConfig("static_routes {\n" + routes + "\n}\nstatic_rules {\n" + rules +
                              "\n}\n");
}

class StaticRoutesTest : public ::testing::Test {
 protected:
  void apply(const std::string& routes, const std::string& rules) {
    const auto config = staticConfig(routes, rules);
    statics_.apply(config.staticRoutes, config.staticRules);
  }

  fakes::FakeRouteManager kernel_;
  StaticRoutes statics_{kernel_, testing::quietLogger()};
};

TEST_F(StaticRoutesTest, StartInstallsRoutesThenRules) {
  apply("198.51.100.0/24 via 192.0.2.254\n2001:db8:ff::/48 via 2001:db8::fe",
        "from 192.0.2.100 table 100");
  EXPECT_EQ(kernel_.ops(), (std::vector<Op>{Op::AddRoute, Op::AddRoute, Op::AddRule}));
  EXPECT_EQ(kernel_.routes().size(), 2u);
  EXPECT_EQ(kernel_.rules().size(), 1u);
  EXPECT_EQ(statics_.errors(), 0u);
}

TEST_F(StaticRoutesTest, StopRemovesRulesThenRoutes) {
  apply("198.51.100.0/24 via 192.0.2.254", "from 192.0.2.100 table 100");
  kernel_.clearCalls();
  statics_.removeAll();
  EXPECT_EQ(kernel_.ops(), (std::vector<Op>{Op::RemoveRule, Op::RemoveRoute}));
  EXPECT_TRUE(kernel_.routes().empty());
  EXPECT_TRUE(kernel_.rules().empty());
}

TEST_F(StaticRoutesTest, AReloadRemovesTheOldLinesAndAddsTheNewOnes) {
  apply("198.51.100.0/24 via 192.0.2.254\n203.0.113.0/24 via 192.0.2.254",
        "from 192.0.2.100 table 100");
  kernel_.clearCalls();
  apply("198.51.100.0/24 via 192.0.2.254\n203.0.113.0/25 via 192.0.2.254",
        "from 192.0.2.100 table 100");
  ASSERT_EQ(kernel_.routes().size(), 2u);
  EXPECT_EQ(kernel_.routes()[0].destination, (net::Prefix{ip("198.51.100.0"), 24}));
  EXPECT_EQ(kernel_.routes()[1].destination, (net::Prefix{ip("203.0.113.0"), 25}));
  // Only the changed line was removed; the rest was never taken down.
  std::size_t removals = 0;
  for (const auto& call : kernel_.calls()) {
    if (call.op != Op::RemoveRoute && call.op != Op::RemoveRule) continue;
    ++removals;
    EXPECT_NE(call.what.find("203.0.113.0/24"), std::string::npos) << call.what;
  }
  EXPECT_EQ(removals, 1u);
  EXPECT_EQ(kernel_.rules().size(), 1u);
}

TEST_F(StaticRoutesTest, AReloadWithoutStaticBlocksRemovesEverything) {
  apply("198.51.100.0/24 via 192.0.2.254", "from 192.0.2.100 table 100");
  statics_.apply({}, {});
  EXPECT_TRUE(kernel_.routes().empty());
  EXPECT_TRUE(kernel_.rules().empty());
}

TEST_F(StaticRoutesTest, ARefusedRouteIsCountedAndTheOthersAreStillInstalled) {
  kernel_.refuse("198.51.100.0/24");
  apply("198.51.100.0/24 via 192.0.2.254\n203.0.113.0/24 via 192.0.2.254",
        "from 192.0.2.100 table 100");
  EXPECT_EQ(statics_.errors(), 1u);
  ASSERT_EQ(kernel_.routes().size(), 1u);
  EXPECT_EQ(kernel_.routes()[0].destination, (net::Prefix{ip("203.0.113.0"), 24}));
  EXPECT_EQ(kernel_.rules().size(), 1u);
}

}  // namespace
}  // namespace vipd::daemon
