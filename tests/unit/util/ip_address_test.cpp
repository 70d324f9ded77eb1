#include "vipd/util/ip_address.h"

#include <gtest/gtest.h>

namespace vipd::util {
namespace {

TEST(IpAddressTest, ParsesAndFormatsIpv4) {
  auto a = IpAddress::parse("192.0.2.10");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->isV4());
  EXPECT_EQ(a->size(), 4u);
  EXPECT_EQ(a->toString(), "192.0.2.10");
}

TEST(IpAddressTest, ParsesAndFormatsIpv6) {
  auto a = IpAddress::parse("2001:db8::1");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->isV6());
  EXPECT_EQ(a->toString(), "2001:db8::1");
}

TEST(IpAddressTest, RejectsGarbage) {
  EXPECT_FALSE(IpAddress::parse("192.0.2"));
  EXPECT_FALSE(IpAddress::parse("not an address"));
  EXPECT_FALSE(IpAddress::parse(""));
  EXPECT_FALSE(IpAddress::parse(std::string(200, '1')));
}

TEST(IpAddressTest, OrdersNumericallyForTieBreak) {
  EXPECT_LT(*IpAddress::parse("192.0.2.9"), *IpAddress::parse("192.0.2.10"));
  EXPECT_LT(*IpAddress::parse("2001:db8::9"), *IpAddress::parse("2001:db8::a"));
}

TEST(IpAddressTest, ClassifiesLinkLocalAndMulticast) {
  EXPECT_TRUE(IpAddress::parse("fe80::1")->isLinkLocal());
  EXPECT_FALSE(IpAddress::parse("2001:db8::1")->isLinkLocal());
  EXPECT_TRUE(IpAddress::parse("224.0.0.18")->isMulticast());
  EXPECT_TRUE(IpAddress::parse("ff02::12")->isMulticast());
  EXPECT_FALSE(IpAddress::parse("192.0.2.1")->isMulticast());
}

TEST(IpAddressTest, FromBytesChecksSize) {
  const std::uint8_t three[3] = {1, 2, 3};
  EXPECT_FALSE(IpAddress::fromBytes(three));
  const std::uint8_t four[4] = {198, 51, 100, 7};
  EXPECT_EQ(IpAddress::fromBytes(four)->toString(), "198.51.100.7");
}

}  // namespace
}  // namespace vipd::util
