#include "vipd/daemon/advert_source.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "daemon_test_support.h"

namespace vipd::daemon {
namespace {

using testing::ip;


const net::MacAddress kSourceMac{0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

net::InterfaceAddress ifAddress(const char* text, bool tentative = false, bool secondary = false) {
  net::InterfaceAddress a;
  a.ifindex = 2;
  a.address = ip(text);
  a.tentative = tentative;
  a.secondary = secondary;
  return a;
}

std::string chooseText(util::Family family, std::vector<net::InterfaceAddress> addresses,
                   std::vector<util::IpAddress> vips = {}) {
  auto chosen = chooseAdvertSource(family, addresses, kSourceMac, vips);
  return chosen ? chosen.value().toString() : "error: " + chosen.error();
}

TEST(AdvertSourceTest, Eui64OfTheMacFollowsRfc4291) {
  EXPECT_EQ(eui64LinkLocal(kSourceMac).toString(), "fe80::5054:ff:fe12:3456");
}

TEST(AdvertSourceTest, TheMacDerivedLinkLocalWinsWhateverElseIsThere) {
  EXPECT_EQ(chooseText(util::Family::V6, {ifAddress("fe80::1"), ifAddress("2001:db8::1"),
                                ifAddress("fe80::5054:ff:fe12:3456"), ifAddress("fe80::ffff")}),
            "fe80::5054:ff:fe12:3456");
}

TEST(AdvertSourceTest, WithoutItTheLowestLinkLocalInAnyOrder) {
  std::vector<net::InterfaceAddress> addresses = {ifAddress("fe80::b"), ifAddress("fe80::a"),
                                                  ifAddress("fe80::c"), ifAddress("2001:db8::1")};
  std::sort(addresses.begin(), addresses.end(),
            [](const auto& x, const auto& y) { return x.address < y.address; });
  do {
    EXPECT_EQ(chooseText(util::Family::V6, addresses), "fe80::a");
  } while (std::next_permutation(addresses.begin(), addresses.end(),
                                 [](const auto& x, const auto& y) { return x.address < y.address; }));
}

TEST(AdvertSourceTest, TentativeAndVipLinkLocalsAreNotSources) {
  EXPECT_EQ(chooseText(util::Family::V6,
                   {ifAddress("fe80::5054:ff:fe12:3456", true), ifAddress("fe80::9"),
                    ifAddress("fe80::1")},
                   {ip("fe80::1")}),
            "fe80::9");
}

TEST(AdvertSourceTest, NoneOrOnlyTentativeSayWhich) {
  EXPECT_EQ(chooseText(util::Family::V6, {ifAddress("2001:db8::1")}), "error: no IPv6 link-local address");
  EXPECT_EQ(chooseText(util::Family::V6, {ifAddress("fe80::5054:ff:fe12:3456", true)}),
            "error: its IPv6 link-local address is tentative (duplicate address detection)");
}

TEST(AdvertSourceTest, Ipv4TakesTheFirstPrimaryThatIsNoVip) {
  EXPECT_EQ(chooseText(util::Family::V4,
                   {ifAddress("192.0.2.100"), ifAddress("192.0.2.1"), ifAddress("192.0.2.7", false, true)},
                   {ip("192.0.2.100")}),
            "192.0.2.1");
  EXPECT_EQ(chooseText(util::Family::V4, {ifAddress("192.0.2.7", false, true)}),
            "error: no primary IPv4 address");
}

}  // namespace
}  // namespace vipd::daemon
