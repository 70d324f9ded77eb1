// The pure parts of route and rule management: default scope, log text and
// which kernel errnos an idempotent add / remove counts as success.

#include "vipd/net/route_types.h"

#include <gtest/gtest.h>
#include <linux/rtnetlink.h>

#include <cerrno>

namespace vipd::net {
namespace {

util::IpAddress routeIp(const char* text) { return *util::IpAddress::parse(text); }

TEST(RouteScopeTest, FollowsIpRouteWhenNoneIsConfigured) {
  const std::vector<NextHop> viaGateway{{routeIp("192.0.2.1"), "eth0", false}};
  const std::vector<NextHop> deviceOnly{{std::nullopt, "eth0", false}};
  EXPECT_EQ(routeScope(RouteKind::Unicast, viaGateway, std::nullopt), RT_SCOPE_UNIVERSE);
  EXPECT_EQ(routeScope(RouteKind::Unicast, deviceOnly, std::nullopt), RT_SCOPE_LINK);
  EXPECT_EQ(routeScope(RouteKind::Blackhole, {}, std::nullopt), RT_SCOPE_UNIVERSE);
  EXPECT_EQ(routeScope(RouteKind::Unicast, deviceOnly, std::uint8_t{200}), 200);
}

TEST(RouteDescribeTest, WritesRoutesAndRulesLikeIp) {
  RouteSpec route;
  route.destination = {routeIp("198.51.100.0"), 24};
  route.preferredSource = routeIp("192.0.2.10");
  route.nextHops = {{routeIp("192.0.2.1"), "eth0", true}};
  route.metric = 5;
  EXPECT_EQ(describe(route),
            "198.51.100.0/24 src 192.0.2.10 via 192.0.2.1 dev eth0 onlink table 254 metric 5 "
            "proto 18 scope 0");
  route.kind = RouteKind::Blackhole;
  route.nextHops = {{routeIp("192.0.2.1"), std::nullopt, false}, {routeIp("192.0.2.2"), std::nullopt, false}};
  route.preferredSource.reset();
  route.metric.reset();
  EXPECT_EQ(describe(route),
            "blackhole 198.51.100.0/24 nexthop via 192.0.2.1 nexthop via 192.0.2.2 table 254 "
            "proto 18 scope 0");

  RuleSpec rule;
  rule.family = util::Family::V6;
  rule.to = Prefix{routeIp("2001:db8::"), 32};
  rule.inputInterface = "eth0";
  rule.fwmark = 3;
  rule.fwmask = 7;
  rule.priority = 100;
  rule.table = 10;
  EXPECT_EQ(describe(rule),
            "inet6 from all to 2001:db8::/32 iif eth0 fwmark 3/7 priority 100 "
            "lookup 10");
  rule.kind = RuleKind::Goto;
  rule.gotoTarget = 200;
  EXPECT_NE(describe(rule).find(" goto 200"), std::string::npos);
}

TEST(RouteErrnoTest, OnlyExistsAndNotFoundCountAsIdempotentSuccess) {
  EXPECT_TRUE(meansAlreadyPresent(EEXIST));
  EXPECT_FALSE(meansAlreadyPresent(EINVAL));
  EXPECT_FALSE(meansAlreadyPresent(ENETUNREACH));
  EXPECT_TRUE(meansAbsent(ESRCH));
  EXPECT_TRUE(meansAbsent(ENOENT));
  EXPECT_TRUE(meansAbsent(ENODEV));
  EXPECT_FALSE(meansAbsent(EPERM));
  EXPECT_FALSE(meansAbsent(EINVAL));
}

}  // namespace
}  // namespace vipd::net
