// The netlink requests vipd sends for virtual_routes / virtual_rules lines.

#include "vipd/daemon/route_specs.h"

#include <gtest/gtest.h>
#include <linux/rtnetlink.h>

#include "daemon_test_support.h"

namespace vipd::daemon {
namespace {

using testing::ip;

std::vector<net::RouteSpec> routesOf(const std::string& lines) {
  return routeSpecs(testing::parseInstance("interface eth0\nvirtual_router_id 1\n"
                                           "virtual_ipaddress { 192.0.2.100 }\n"
                                           "virtual_routes {\n" +
                                           lines + "\n}")
                        .virtualRoutes);
}

std::vector<net::RuleSpec> rulesOf(const std::string& lines) {
  return ruleSpecs(testing::parseInstance("interface eth0\nvirtual_router_id 1\n"
                                          "virtual_ipaddress { 192.0.2.100 }\n"
                                          "virtual_rules {\n" +
                                          lines + "\n}")
                       .virtualRules);
}

TEST(RouteSpecsTest, AGatewayRouteCarriesEveryOptionAndUniverseScope) {
  const auto r =
      routesOf("src 192.0.2.10 198.51.100.0/24 via 192.0.2.1 dev eth1 table 100 metric 7 onlink");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, net::RouteKind::Unicast);
  EXPECT_EQ(r[0].destination, (net::Prefix{ip("198.51.100.0"), 24}));
  EXPECT_EQ(r[0].preferredSource, ip("192.0.2.10"));
  ASSERT_EQ(r[0].nextHops.size(), 1u);
  EXPECT_EQ(r[0].nextHops[0], (net::NextHop{ip("192.0.2.1"), "eth1", true}));
  EXPECT_EQ(r[0].table, 100u);
  EXPECT_EQ(r[0].metric, 7u);
  EXPECT_EQ(r[0].protocol, config::kProtocolKeepalived);
  EXPECT_EQ(r[0].scope, RT_SCOPE_UNIVERSE);
}

TEST(RouteSpecsTest, ADeviceRouteWithoutGatewayGetsLinkScopeAsIpRouteGivesIt) {
  const auto r = routesOf("198.51.100.0/24 dev eth0");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].nextHops.size(), 1u);
  EXPECT_FALSE(r[0].nextHops[0].gateway);
  EXPECT_EQ(r[0].nextHops[0].device, "eth0");
  EXPECT_EQ(r[0].scope, RT_SCOPE_LINK);
  EXPECT_EQ(r[0].table, RT_TABLE_MAIN);
  EXPECT_FALSE(r[0].metric);
}

TEST(RouteSpecsTest, AConfiguredScopeWinsOverTheDefault) {
  const auto r = routesOf("198.51.100.0/24 via 192.0.2.1 scope link");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].scope, RT_SCOPE_LINK);
}

TEST(RouteSpecsTest, TwoGatewaysBecomeTwoNextHopsOnTheSameDevice) {
  const auto r = routesOf("198.51.100.0/24 via 192.0.2.1 or 192.0.2.2 dev eth0");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].nextHops.size(), 2u);
  EXPECT_EQ(r[0].nextHops[0], (net::NextHop{ip("192.0.2.1"), "eth0", false}));
  EXPECT_EQ(r[0].nextHops[1], (net::NextHop{ip("192.0.2.2"), "eth0", false}));
}

TEST(RouteSpecsTest, ABlackholeRouteHasNoNextHop) {
  const auto r = routesOf("blackhole 2001:db8:ff::/48 table 100");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, net::RouteKind::Blackhole);
  EXPECT_EQ(r[0].family(), util::Family::V6);
  EXPECT_TRUE(r[0].nextHops.empty());
  EXPECT_EQ(r[0].scope, RT_SCOPE_UNIVERSE);
}

TEST(RouteSpecsTest, AnIpv6RouteViaAGatewayKeepsItsFamily) {
  const auto r = routesOf("2001:db8:ff::/48 via 2001:db8::fe dev eth0");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].family(), util::Family::V6);
  EXPECT_EQ(r[0].destination, (net::Prefix{ip("2001:db8:ff::"), 48}));
  EXPECT_EQ(r[0].nextHops.at(0).gateway, ip("2001:db8::fe"));
}

TEST(RouteSpecsTest, ATableRuleCarriesItsSelectors) {
  const auto r = rulesOf(
      "from 192.0.2.100 to 198.51.100.0/24 iif eth0 fwmark 3/0xff priority 100 "
      "table 100");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].family, util::Family::V4);
  EXPECT_EQ(r[0].from, (net::Prefix{ip("192.0.2.100"), 32}));
  EXPECT_EQ(r[0].to, (net::Prefix{ip("198.51.100.0"), 24}));
  EXPECT_EQ(r[0].inputInterface, "eth0");
  EXPECT_FALSE(r[0].outputInterface);
  EXPECT_EQ(r[0].fwmark, 3u);
  EXPECT_EQ(r[0].fwmask, 0xffu);
  EXPECT_EQ(r[0].priority, 100u);
  EXPECT_EQ(r[0].kind, net::RuleKind::Table);
  EXPECT_EQ(r[0].table, 100u);
}

TEST(RouteSpecsTest, GotoAndProhibitRulesKeepTheirAction) {
  const auto r = rulesOf("from 2001:db8::/64 priority 10 goto 20\nto 192.0.2.0/24 prohibit");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].family, util::Family::V6);
  EXPECT_EQ(r[0].kind, net::RuleKind::Goto);
  EXPECT_EQ(r[0].gotoTarget, 20u);
  EXPECT_EQ(r[1].kind, net::RuleKind::Prohibit);
  EXPECT_FALSE(r[1].from);
}

}  // namespace
}  // namespace vipd::daemon
