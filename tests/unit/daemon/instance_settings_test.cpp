#include "vipd/daemon/instance_settings.h"

#include <gtest/gtest.h>

#include "daemon_test_support.h"
#include "vipd/config/parser.h"

namespace vipd::daemon {
namespace {

using testing::ip;
using testing::parseConfig;
using util::IpAddress;

InstanceSettings resolve(const config::Config& c, IfindexLookup lookup = nullptr) {
  ResolvedInterface itf{"eth0", 2, {}, ip("192.0.2.1"), false};
  if (!lookup) lookup = [](const std::string&) { return std::optional<int>(); };
  return resolveInstance(c.instances.at(0), c.global, itf, lookup);
}

TEST(InstanceSettingsTest, V2WithPasswordCarriesAuthInAdvertAndExpectations) {
  auto c = parseConfig(R"(vrrp_instance A {
    interface eth0
    virtual_router_id 7
    priority 150
    advert_int 2
    authentication { auth_type PASS
      auth_pass secret12 }
    virtual_ipaddress { 192.0.2.100/24 }
  })");
  auto s = resolve(c);
  EXPECT_EQ(s.advert.version, proto::Version::V2);
  EXPECT_EQ(s.advert.authType, proto::AuthType::SimplePassword);
  EXPECT_EQ(std::string(s.advert.authData.begin(), s.advert.authData.end()), "secret12");
  EXPECT_EQ(s.expect.authData, s.advert.authData);
  EXPECT_EQ(s.expect.intervalCs, 200);
  EXPECT_EQ(s.router.priority, 150);
  EXPECT_EQ(s.router.primaryAddress, ip("192.0.2.1"));
  EXPECT_EQ(s.destinations, std::vector<IpAddress>{ip("224.0.0.18")});
  EXPECT_FALSE(s.unicast);
}

TEST(InstanceSettingsTest, ExcludedAddressesAreInstalledButNotAdvertised) {
  auto c = parseConfig(R"(vrrp_instance A {
    interface eth0
    virtual_router_id 7
    virtual_ipaddress { 192.0.2.100/24 }
    virtual_ipaddress_excluded { 2001:db8::100/64 }
  })");
  auto s = resolve(c);
  EXPECT_EQ(s.advert.addresses, std::vector<IpAddress>{ip("192.0.2.100")});
  ASSERT_EQ(s.addresses.size(), 2u);
  EXPECT_EQ(s.addresses[1].address, ip("2001:db8::100"));
  EXPECT_TRUE(s.addresses[1].noDad) << "keepalived adds IPv6 VIPs with nodad";
  EXPECT_FALSE(s.addresses[0].noDad);
}

TEST(InstanceSettingsTest, UnicastPeersBecomeDestinationsAndSourceChecks) {
  auto c = parseConfig(R"(vrrp_instance A {
    interface eth0
    virtual_router_id 7
    unicast_src_ip 192.0.2.1
    unicast_peer { 192.0.2.2 min_ttl 250 }
    virtual_ipaddress { 192.0.2.100/24 }
  })");
  auto s = resolve(c);
  EXPECT_TRUE(s.unicast);
  EXPECT_EQ(s.destinations, std::vector<IpAddress>{ip("192.0.2.2")});
  ASSERT_EQ(s.expect.unicastPeers.size(), 1u);
  EXPECT_EQ(s.expect.unicastPeers[0].minTtl, 250);
}

TEST(InstanceSettingsTest, VipOnAnotherDeviceUsesThatDevicesIndex) {
  auto c = parseConfig(R"(vrrp_instance A {
    interface eth0
    virtual_router_id 7
    virtual_ipaddress { 192.0.2.100/24 dev eth1 }
  })");
  auto s = resolve(c, [](const std::string& name) {
    return name == "eth1" ? std::optional<int>(5) : std::nullopt;
  });
  EXPECT_EQ(s.addresses.at(0).ifindex, 5);
}

TEST(InstanceSettingsTest, VipOnAMissingDeviceIsAnErrorNamingTheConfigLine) {
  auto c = parseConfig(
      "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
      " virtual_ipaddress {\n  192.0.2.100/24 dev nope0\n }\n}\n");
  try {
    resolve(c);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("test.conf:5"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("nope0"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace vipd::daemon
