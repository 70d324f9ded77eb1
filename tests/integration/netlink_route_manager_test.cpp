// NetlinkRouteManager against a real kernel, in a network namespace of its
// own with a veth pair (ra, rb). Documentation addresses only.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "netns.h"
#include "vipd/net/route_manager.h"

namespace vipd::net {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using vipd::testing::EnterNetNs;
using vipd::testing::NetNs;

util::IpAddress routeIp(const char* text) { return *util::IpAddress::parse(text); }

class NetlinkRouteManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!vipd::testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for namespaces";
    ns_.emplace("nlroute");
    ns_->exec(
        "ip link add ra type veth peer name rb && ip link set ra up && ip link set rb up && "
        "ip addr add 192.0.2.2/24 dev ra && ip addr add 2001:db8::2/64 dev ra nodad");
    enter_.emplace(*ns_);
    manager_ = std::make_unique<NetlinkRouteManager>();
  }

  void TearDown() override {
    manager_.reset();
    enter_.reset();
    ns_.reset();
  }

  static RouteSpec route(const char* destination, std::uint8_t length, const char* gateway) {
    RouteSpec r;
    r.destination = {routeIp(destination), length};
    r.nextHops = {{routeIp(gateway), std::string("ra"), false}};
    r.table = 100;
    r.scope = routeScope(r.kind, r.nextHops, std::nullopt);
    return r;
  }

  std::string routes(const char* family) const {
    return ns_->exec(std::string("ip ") + family + " route show table all");
  }

  std::optional<NetNs> ns_;
  std::optional<EnterNetNs> enter_;
  std::unique_ptr<NetlinkRouteManager> manager_;
};

TEST_F(NetlinkRouteManagerTest, AddsAndRemovesAnIpv4RouteIdempotently) {
  const RouteSpec r = route("198.51.100.0", 24, "192.0.2.1");

  auto added = manager_->addRoute(r);
  ASSERT_TRUE(added) << added.error().message();
  EXPECT_EQ(added.value(), AddOutcome::Added);
  EXPECT_THAT(routes("-4"),
              HasSubstr("198.51.100.0/24 via 192.0.2.1 dev ra table 100 proto keepalived"));
  auto again = manager_->addRoute(r);
  ASSERT_TRUE(again);
  EXPECT_EQ(again.value(), AddOutcome::AlreadyPresent);

  auto removed = manager_->removeRoute(r);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed.value(), RemoveOutcome::Removed);
  EXPECT_THAT(routes("-4"), Not(HasSubstr("198.51.100.0/24")));
  auto absent = manager_->removeRoute(r);
  ASSERT_TRUE(absent);
  EXPECT_EQ(absent.value(), RemoveOutcome::WasAbsent);
}

TEST_F(NetlinkRouteManagerTest, AddsIpv6AndTypedRoutes) {
  RouteSpec v6 = route("2001:db8:1::", 48, "2001:db8::1");
  v6.metric = 7;
  RouteSpec blackhole;
  blackhole.kind = RouteKind::Blackhole;
  blackhole.destination = {routeIp("203.0.113.0"), 24};
  blackhole.scope = routeScope(blackhole.kind, {}, std::nullopt);

  ASSERT_TRUE(manager_->addRoute(v6));
  ASSERT_TRUE(manager_->addRoute(blackhole));
  EXPECT_THAT(routes("-6"), HasSubstr("2001:db8:1::/48 via 2001:db8::1 dev ra table 100 proto "
                                      "keepalived metric 7"));
  EXPECT_THAT(routes("-4"), HasSubstr("blackhole 203.0.113.0/24 proto keepalived"));

  ASSERT_TRUE(manager_->removeRoute(v6));
  ASSERT_TRUE(manager_->removeRoute(blackhole));
  EXPECT_THAT(routes("-6"), Not(HasSubstr("2001:db8:1::/48")));
  EXPECT_THAT(routes("-4"), Not(HasSubstr("203.0.113.0/24")));
}

TEST_F(NetlinkRouteManagerTest, RemovingLeavesARouteOfAnotherProtocolAlone) {
  ns_->exec("ip route add 198.51.100.0/24 via 192.0.2.1 table 100 proto static");
  auto removed = manager_->removeRoute(route("198.51.100.0", 24, "192.0.2.1"));
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed.value(), RemoveOutcome::WasAbsent);
  EXPECT_THAT(routes("-4"),
              HasSubstr("198.51.100.0/24 via 192.0.2.1 dev ra table 100 proto static"));
}

TEST_F(NetlinkRouteManagerTest, RefusalCarriesTheKernelsErrnoAndText) {
  // The gateway is not on any connected network.
  const RouteSpec unreachableGateway = route("198.51.100.0", 24, "203.0.113.1");

  auto added = manager_->addRoute(unreachableGateway);

  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().category(), std::system_category());
  EXPECT_EQ(added.error().value(), ENETUNREACH);
  EXPECT_THAT(manager_->lastKernelMessage(), HasSubstr("ateway"));

  RouteSpec missingDevice = route("198.51.100.0", 24, "192.0.2.1");
  missingDevice.nextHops[0].device = "nosuch0";
  auto noDevice = manager_->addRoute(missingDevice);
  ASSERT_FALSE(noDevice);
  EXPECT_EQ(noDevice.error(), std::errc::no_such_device);
}

TEST_F(NetlinkRouteManagerTest, AddsAndRemovesRulesOfBothFamiliesIdempotently) {
  RuleSpec v4;
  v4.from = Prefix{routeIp("192.0.2.0"), 24};
  v4.fwmark = 5;
  v4.fwmask = 0xff;
  v4.priority = 1000;
  v4.table = 100;
  RuleSpec v6;
  v6.family = util::Family::V6;
  v6.to = Prefix{routeIp("2001:db8:1::"), 48};
  v6.inputInterface = "ra";
  v6.priority = 1001;
  v6.kind = RuleKind::Goto;
  v6.gotoTarget = 2000;

  for (const RuleSpec* rule : {&v4, &v6}) {
    auto added = manager_->addRule(*rule);
    ASSERT_TRUE(added) << describe(*rule) << ": " << added.error().message() << " "
                       << manager_->lastKernelMessage();
    EXPECT_EQ(added.value(), AddOutcome::Added);
    auto again = manager_->addRule(*rule);
    ASSERT_TRUE(again);
    EXPECT_EQ(again.value(), AddOutcome::AlreadyPresent);
  }
  EXPECT_THAT(ns_->exec("ip -4 rule"),
              HasSubstr("1000:\tfrom 192.0.2.0/24 fwmark 0x5/0xff lookup 100"));
  EXPECT_THAT(ns_->exec("ip -6 rule"),
              HasSubstr("1001:\tfrom all to 2001:db8:1::/48 iif ra goto 2000"));

  for (const RuleSpec* rule : {&v4, &v6}) {
    auto removed = manager_->removeRule(*rule);
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed.value(), RemoveOutcome::Removed);
    auto absent = manager_->removeRule(*rule);
    ASSERT_TRUE(absent);
    EXPECT_EQ(absent.value(), RemoveOutcome::WasAbsent);
  }
  EXPECT_THAT(ns_->exec("ip -4 rule"), Not(HasSubstr("1000:")));
  EXPECT_THAT(ns_->exec("ip -6 rule"), Not(HasSubstr("1001:")));
}

}  // namespace
}  // namespace vipd::net
