// virtual_routes / virtual_rules of an instance and static_routes /
// static_rules at the top level [K5 §Static routes/addresses/rules;
// SRC vrrp_iproute.c:alloc_route, vrrp_iprule.c:alloc_rule].

#include <gtest/gtest.h>

#include <tuple>

#include "config_test_support.h"
#include "vipd/config/dump.h"

namespace vipd::config {
namespace {

using testing::errors;
using testing::instance;
using testing::messages;
using testing::parse;
using testing::warnings;

util::IpAddress routeIp(const char* text) { return *util::IpAddress::parse(text); }

VrrpInstance withBlocks(const std::string& blocks) {
  const ParseResult result = parse(instance(blocks));
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_TRUE(result.diagnostics.empty()) << ::testing::PrintToString(messages(result));
  if (!result.ok()) return VrrpInstance{};
  return result.config->instances.at(0);
}

std::vector<VirtualRoute> routes(const std::string& lines) {
  return withBlocks("virtual_routes {\n" + lines + "\n}").virtualRoutes;
}

std::vector<VirtualRule> rules(const std::string& lines) {
  return withBlocks("virtual_rules {\n" + lines + "\n}").virtualRules;
}

TEST(RouteConfigTest, ReadsEveryOptionOfAUnicastRoute) {
  const auto r = routes(
      "src 192.0.2.10 198.51.100.0/24 via 192.0.2.1 or 192.0.2.2 dev eth1 scope link "
      "table 100 metric 7 proto static onlink no_track");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, RouteType::Unicast);
  EXPECT_EQ(r[0].destination, (IpPrefix{routeIp("198.51.100.0"), 24}));
  EXPECT_EQ(r[0].source, routeIp("192.0.2.10"));
  EXPECT_EQ(r[0].gateway, routeIp("192.0.2.1"));
  EXPECT_EQ(r[0].alternateGateway, routeIp("192.0.2.2"));
  EXPECT_EQ(r[0].device, "eth1");
  EXPECT_EQ(r[0].scope, AddressScope::Link);
  EXPECT_EQ(r[0].table, 100u);
  EXPECT_EQ(r[0].metric, 7u);
  EXPECT_EQ(r[0].protocol, 4);
  EXPECT_TRUE(r[0].onLink);
  EXPECT_TRUE(r[0].noTrack);
}

TEST(RouteConfigTest, DefaultsAreMainTableKeepalivedProtocolAndFullLength) {
  const auto r = routes("to 203.0.113.7 gw 192.0.2.1\n2001:db8:1::/48 dev eth0 preference 5");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].destination, (IpPrefix{routeIp("203.0.113.7"), 32}));
  EXPECT_EQ(r[0].table, kTableMain);
  EXPECT_EQ(r[0].protocol, kProtocolKeepalived);
  EXPECT_FALSE(r[0].metric);
  EXPECT_FALSE(r[0].scope);
  EXPECT_EQ(r[1].family(), util::Family::V6);
  EXPECT_EQ(r[1].metric, 5u);
}

TEST(RouteConfigTest, TypedRoutesAndDefaultTakeTheFamilyOfTheirAddresses) {
  const auto r = routes(
      "blackhole 198.51.100.128/25 table local\nunreachable 2001:db8::/32\n"
      "prohibit 203.0.113.0/24\nthrow 192.0.2.0/24 table 7\ndefault via 2001:db8::1\n"
      "default via 192.0.2.1 table default");
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[0].type, RouteType::Blackhole);
  EXPECT_EQ(r[0].table, kTableLocal);
  EXPECT_EQ(r[1].type, RouteType::Unreachable);
  EXPECT_EQ(r[2].type, RouteType::Prohibit);
  EXPECT_EQ(r[3].type, RouteType::Throw);
  EXPECT_EQ(r[4].destination, (IpPrefix{util::IpAddress::v6({}), 0}));
  EXPECT_EQ(r[5].destination, (IpPrefix{util::IpAddress::v4({}), 0}));
  EXPECT_EQ(r[5].table, kTableDefault);
}

TEST(RouteConfigTest, ReadsEveryOptionOfARule) {
  const auto r = rules(
      "from 192.0.2.0/24 to 198.51.100.1 iif eth0 oif eth1 fwmark 0x10/0xff priority 100 "
      "table 10 no_track\nfrom all fwmark 3 pref 7 goto 100\ninet6 iif eth0 prohibit\n"
      "to 2001:db8::/48 lookup main\nfrom 203.0.113.0/24");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].from, (IpPrefix{routeIp("192.0.2.0"), 24}));
  EXPECT_EQ(r[0].to, (IpPrefix{routeIp("198.51.100.1"), 32}));
  EXPECT_EQ(r[0].inputInterface, "eth0");
  EXPECT_EQ(r[0].outputInterface, "eth1");
  EXPECT_EQ(r[0].fwmark, 16u);
  EXPECT_EQ(r[0].fwmask, 255u);
  EXPECT_EQ(r[0].priority, 100u);
  EXPECT_EQ(r[0].action, RuleAction::Table);
  EXPECT_EQ(r[0].table, 10u);
  EXPECT_TRUE(r[0].noTrack);
  EXPECT_FALSE(r[1].from);
  EXPECT_EQ(r[1].fwmark, 3u);
  EXPECT_FALSE(r[1].fwmask);
  EXPECT_EQ(r[1].action, RuleAction::Goto);
  EXPECT_EQ(r[1].gotoTarget, 100u);
  EXPECT_EQ(r[1].family, util::Family::V4);
  EXPECT_EQ(r[2].family, util::Family::V6);
  EXPECT_EQ(r[2].action, RuleAction::Prohibit);
  EXPECT_EQ(r[3].family, util::Family::V6);
  EXPECT_EQ(r[3].table, kTableMain);
  EXPECT_EQ(r[4].action, RuleAction::Table);
  EXPECT_EQ(r[4].table, kTableMain);
}

// The daemon installs them: no "parsed but not installed" warning, even with --strict.
TEST(RouteConfigTest, BlocksParseWithoutAnyWarning) {
  const ParseResult result =
      parse("static_routes {\n}\n" + instance("virtual_rules {\nfrom all table 5\n}"));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(warnings(result).empty()) << ::testing::PrintToString(messages(result));
}

TEST(RouteConfigTest, StaticBlocksAreReadAtTheTopLevel) {
  const ParseResult result = parse(
      "static_routes {\n 198.51.100.0/24 via 192.0.2.1\n}\n"
      "static_rules {\n from 192.0.2.0/24 table 5 priority 10\n}\n" +
      instance(""));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_TRUE(result.diagnostics.empty()) << ::testing::PrintToString(messages(result));
  ASSERT_EQ(result.config->staticRoutes.size(), 1u);
  ASSERT_EQ(result.config->staticRules.size(), 1u);
  EXPECT_EQ(result.config->staticRoutes[0].gateway, routeIp("192.0.2.1"));
  EXPECT_EQ(result.config->staticRules[0].priority, 10u);
}

TEST(RouteConfigTest, UnsupportedOptionsAreErrorsAtTheirWord) {
  const ParseResult result = parse(instance(
      "virtual_routes {\n198.51.100.0/24 via 192.0.2.1 mtu 1400\nnexthop via 192.0.2.1\n}\n"
      "virtual_rules {\nfrom 192.0.2.0/24 tos 4 table 5\nfrom 192.0.2.0/24 bogus\n}"));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(errors(result),
            (std::vector<std::string>{
                "vipd.conf:8:31: error: 'mtu' in a route is not supported by vipd",
                "vipd.conf:9:1: error: 'nexthop' in a route is not supported by vipd",
                "vipd.conf:12:19: error: 'tos' in a rule is not supported by vipd",
                "vipd.conf:13:19: error: unexpected 'bogus' in a rule; expected from, to, iif, "
                "oif, fwmark, priority, table, goto, blackhole, unreachable, prohibit or inet6"}));
}

TEST(RouteConfigTest, ContradictionsAreErrors) {
  const ParseResult result = parse(instance(
      "virtual_routes {\n198.51.100.0/24 via 2001:db8::1\nblackhole 192.0.2.0/24 dev eth0\n"
      "src 192.0.2.1\n198.51.100.0/24 203.0.113.0/24\n192.0.2.0/24 onlink\n"
      "192.0.2.0/24 table foo\n}\n"
      "virtual_rules {\nfrom 192.0.2.0/24 to 2001:db8::/32\ntable 5 goto 7\n}"));
  EXPECT_EQ(errors(result),
            (std::vector<std::string>{
                "vipd.conf:8:1: error: the route to 198.51.100.0 mixes IPv4 and IPv6 addresses "
                "(vipd does not support an IPv6 gateway for an IPv4 route)",
                "vipd.conf:9:1: error: a blackhole route has no next hop: drop its via and dev",
                "vipd.conf:10:1: error: the route has no destination (expected [to] PREFIX)",
                "vipd.conf:11:17: error: unexpected '203.0.113.0/24': the route's destination "
                "is already given (expected src, via, dev, scope, table, metric, proto or "
                "onlink)",
                "vipd.conf:12:1: error: onlink needs a 'via' gateway",
                "vipd.conf:16:1: error: the rule mixes IPv4 and IPv6 (from, to and inet6 must "
                "agree)",
                "vipd.conf:17:9: error: a rule has one action; 'table' was given before 'goto'"}));
  // A table name that is not main/local/default is a malformed value.
  EXPECT_EQ(warnings(result),
            (std::vector<std::string>{
                "vipd.conf:13:20: warning: table expects main, local, default or 1..4294967295, "
                "got 'foo'; the route is skipped, as keepalived does"}));
}

TEST(RouteConfigTest, MalformedValuesSkipTheLineWithAWarningAsKeepalivedDoes) {
  const ParseResult result = parse(instance(
      "virtual_routes {\n198.51.100./24 via 192.0.2.1\n192.0.2.0/33\n192.0.2.0/24 metric x\n"
      "192.0.2.0/24 via 192.0.2.1\n}\nvirtual_rules {\nfwmark 1/x table 5\n}"));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_EQ(warnings(result),
            (std::vector<std::string>{
                "vipd.conf:8:1: warning: expected an IP address[/prefix], got '198.51.100./24'; "
                "the route is skipped, as keepalived does",
                "vipd.conf:9:1: warning: expected a prefix length of 0..32, got '192.0.2.0/33'; "
                "the route is skipped, as keepalived does",
                "vipd.conf:10:21: warning: metric expects 0..4294967295, got 'x'; the route is "
                "skipped, as keepalived does",
                "vipd.conf:14:8: warning: fwmark expects N[/MASK], decimal or 0x hexadecimal, "
                "got '1/x'; the rule is skipped, as keepalived does"}));
  ASSERT_EQ(result.config->instances.at(0).virtualRoutes.size(), 1u);
  EXPECT_TRUE(result.config->instances.at(0).virtualRules.empty());
}

TEST(RouteConfigTest, DumpWritesCanonicalLinesThatReadBackToTheSameModel) {
  const std::string text =
      "static_routes {\n unreachable 2001:db8::/32 table 9\n}\n"
      "static_rules {\n inet6 fwmark 5/7 prohibit\n}\n" +
      instance(
          "virtual_routes {\nsrc 192.0.2.10 default via 192.0.2.1 or 192.0.2.2 dev \"e#1\" "
          "scope host metric 3 onlink no_track\n}\n"
          "virtual_rules {\nfrom 192.0.2.0/24 to all iif eth0 oif eth1 priority 9 goto 20\n"
          "to 2001:db8::/64 lookup 7 no_track\n}");
  const ParseResult first = parse(text);
  ASSERT_TRUE(first.ok()) << ::testing::PrintToString(messages(first));
  const std::string dumped = dumpConfig(*first.config);
  for (const char* line :
       {"static_routes {\n    unreachable 2001:db8::/32 table 9 proto 18\n}\n",
        "static_rules {\n    inet6 fwmark 5/7 prohibit\n}\n",
        "    virtual_routes {\n        0.0.0.0/0 src 192.0.2.10 via 192.0.2.1 or 192.0.2.2 dev "
        "\"e#1\" scope 254 table 254 metric 3 proto 18 onlink no_track\n    }\n",
        "    virtual_rules {\n        from 192.0.2.0/24 iif eth0 oif eth1 priority 9 goto 20\n"
        "        to 2001:db8::/64 table 7 no_track\n    }\n"}) {
    EXPECT_NE(dumped.find(line), std::string::npos) << line << "\nnot in\n" << dumped;
  }
  const ParseResult again = parse(dumped);
  ASSERT_TRUE(again.ok()) << ::testing::PrintToString(messages(again));
  EXPECT_EQ(dumpConfig(*again.config), dumped);
  const auto stripped = [](Config c) {
    for (auto& r : c.staticRoutes) r.where = {};
    for (auto& r : c.staticRules) r.where = {};
    for (auto& r : c.instances.at(0).virtualRoutes) r.where = {};
    for (auto& r : c.instances.at(0).virtualRules) r.where = {};
    return std::tuple(c.staticRoutes, c.staticRules, c.instances.at(0).virtualRoutes,
                      c.instances.at(0).virtualRules);
  };
  EXPECT_EQ(stripped(*again.config), stripped(*first.config));
}

}  // namespace
}  // namespace vipd::config
