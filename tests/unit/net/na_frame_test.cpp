#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <vector>

#include "vipd/net/neighbor_advert.h"

namespace vipd::net {
namespace {

using util::IpAddress;

const MacAddress kAdvertiserMac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

std::vector<std::uint8_t> slice(const NaFrame& f, std::size_t from, std::size_t n) {
  return {f.begin() + static_cast<std::ptrdiff_t>(from),
          f.begin() + static_cast<std::ptrdiff_t>(from + n)};
}

std::vector<std::uint8_t> v6(const char* text) {
  auto a = IpAddress::parse(text);
  return {a->bytes().begin(), a->bytes().end()};
}

NeighborAdvert vipAdvert() {
  NeighborAdvert na;
  na.mac = kAdvertiserMac;
  na.target = *IpAddress::parse("2001:db8::100");
  return na;
}

// keepalived 2.2.7 vrrp_ndisc.c:ndisc_send_unsolicited_na_immediate.
TEST(NaFrameTest, FrameIsKeepalivedsUnsolicitedNeighborAdvert) {
  const NaFrame f = buildUnsolicitedNa(vipAdvert());
  ASSERT_EQ(f.size(), 86u);
  // Ethernet: 33:33:00:00:00:01 (RFC 2464 §7), our MAC, IPv6.
  EXPECT_EQ(slice(f, 0, 6), (std::vector<std::uint8_t>{0x33, 0x33, 0, 0, 0, 1}));
  EXPECT_EQ(slice(f, 6, 6),
            (std::vector<std::uint8_t>(kAdvertiserMac.begin(), kAdvertiserMac.end())));
  EXPECT_EQ(slice(f, 12, 2), (std::vector<std::uint8_t>{0x86, 0xdd}));
  // IPv6: version 6, traffic class 0, flow 0, length 32, ICMPv6, hop limit 255.
  EXPECT_EQ(slice(f, 14, 8), (std::vector<std::uint8_t>{0x60, 0, 0, 0, 0, 32, 58, 255}));
  EXPECT_EQ(slice(f, 22, 16), v6("2001:db8::100"));  // keepalived: source = the VIP
  EXPECT_EQ(slice(f, 38, 16), v6("ff02::1"));
  // ICMPv6 NA: type 136, code 0, O flag only, target.
  EXPECT_EQ(f[54], 136);
  EXPECT_EQ(f[55], 0);
  EXPECT_EQ(slice(f, 58, 4), (std::vector<std::uint8_t>{0x20, 0, 0, 0}));
  EXPECT_EQ(slice(f, 62, 16), v6("2001:db8::100"));
  // Target Link-Layer Address option.
  EXPECT_EQ(f[78], 2);
  EXPECT_EQ(f[79], 1);
  EXPECT_EQ(slice(f, 80, 6),
            (std::vector<std::uint8_t>(kAdvertiserMac.begin(), kAdvertiserMac.end())));
}

// Known answers computed independently (Python, RFC 8200 §8.1 pseudo-header).
TEST(NaFrameTest, ChecksumMatchesKnownAnswers) {
  NeighborAdvert na = vipAdvert();
  EXPECT_EQ(slice(buildUnsolicitedNa(na), 56, 2), (std::vector<std::uint8_t>{0xf7, 0x2c}));
  na.router = true;
  EXPECT_EQ(slice(buildUnsolicitedNa(na), 56, 2), (std::vector<std::uint8_t>{0x77, 0x2c}));
  na.router = false;
  na.source = *IpAddress::parse("fe80::ff:fe00:1");
  EXPECT_EQ(slice(buildUnsolicitedNa(na), 56, 2), (std::vector<std::uint8_t>{0x28, 0x64}));
}

TEST(NaFrameTest, ChecksumOfTheBuiltMessageVerifiesToZero) {
  NeighborAdvert na = vipAdvert();
  na.router = true;
  const NaFrame f = buildUnsolicitedNa(na);
  const auto icmp = std::span<const std::uint8_t>(f).subspan(54);
  EXPECT_EQ(icmpv6Checksum(*IpAddress::parse("2001:db8::100"), *IpAddress::parse("ff02::1"), icmp),
            0);
}

TEST(NaFrameTest, RouterFlagFollowsForwarding) {
  NeighborAdvert na = vipAdvert();
  na.router = true;
  EXPECT_EQ(buildUnsolicitedNa(na)[58], 0xa0);  // R | O, S clear (unsolicited)
}

TEST(NaFrameTest, ExplicitSourceReplacesTheTargetInTheIpv6Header) {
  NeighborAdvert na = vipAdvert();
  na.source = *IpAddress::parse("fe80::ff:fe00:1");
  const NaFrame f = buildUnsolicitedNa(na);
  EXPECT_EQ(slice(f, 22, 16), v6("fe80::ff:fe00:1"));
  EXPECT_EQ(slice(f, 62, 16), v6("2001:db8::100"));  // target unchanged
}

TEST(NaFrameTest, OddLengthChecksumPadsWithZero) {
  // RFC 1071: an odd trailing byte is summed as if followed by a zero byte.
  const std::vector<std::uint8_t> odd = {0x01};
  const std::vector<std::uint8_t> even = {0x01, 0x00};
  const auto a = *IpAddress::parse("2001:db8::1");
  const auto b = *IpAddress::parse("2001:db8::2");
  // Same words summed; only the length in the pseudo-header differs by one.
  EXPECT_EQ(static_cast<std::uint16_t>(icmpv6Checksum(a, b, odd) - 1), icmpv6Checksum(a, b, even));
}

}  // namespace
}  // namespace vipd::net
