// Hand-built full IP packets (built and checksummed with an independent Python script, written
// in the same format as tests/data/golden/*.hex) through the capture helper and decode().

#include <gtest/gtest.h>

#include "ip_packet.h"
#include "test_support.h"
#include "vipd/proto/decode.h"
#include "vipd/proto/encode.h"

namespace vipd::proto {
namespace {

using testing::ip;

constexpr const char* kV2Ipv4 = R"(
# VRRPv2, VRID 51, priority 100, advert_int 1, no auth, VIP 192.168.200.16
45 c0 00 28 00 01 00 00 ff 70 18 e9 c0 a8 01 01   # IPv4: TTL 255, proto 112
e0 00 00 12                                       # dst 224.0.0.18
21 33 64 01 00 01 f2 10 c0 a8 c8 10
00 00 00 00 00 00 00 00
)";

constexpr const char* kV3Ipv4LegacyUnicast = R"(
# VRRPv3 unicast 10.1.1.1 -> 10.1.1.2, checksum with 224.0.0.18 in the pseudo-header
# (keepalived < 1.3.6 / old_unicast_checksum). VRID 9, priority 200, 3.5 s.
45 c0 00 24 00 01 00 00 ff 70 a4 a4 0a 01 01 01
0a 01 01 02 31 09 c8 02 01 5e 03 36 0a 01 01 64
0a 01 01 65
)";

constexpr const char* kV3Ipv6 = R"(
# VRRPv3 IPv6 fe80::1 -> ff02::12, VRID 10, priority 254, 1 s, fe80::100 2001:db8::100
60 00 00 00 00 28 70 ff fe 80 00 00 00 00 00 00
00 00 00 00 00 00 00 01 ff 02 00 00 00 00 00 00
00 00 00 00 00 00 00 12 31 0a fe 02 00 64 a4 25
fe 80 00 00 00 00 00 00 00 00 00 00 00 00 01 00
20 01 0d b8 00 00 00 00 00 00 00 00 00 00 01 00
)";

testing::IpPacket split(const char* hex) {
  const auto bytes = testing::parseHex(hex);
  EXPECT_TRUE(bytes) << bytes.error();
  const auto packet = testing::splitIpPacket(bytes.value());
  EXPECT_TRUE(packet) << packet.error();
  return packet.value();
}

/// Decodes, then re-encodes with the matched form and compares byte for byte.
ReceivedAdvertisement decodeAndReEncode(const testing::IpPacket& p) {
  const auto r = decode(p.payload, p.meta);
  EXPECT_TRUE(r) << toString(r.error());
  const auto again =
      encode(r.value().advert, p.meta.source, p.meta.destination, r.value().checksumForm);
  EXPECT_TRUE(again);
  EXPECT_EQ(again.value(), p.payload);
  return r.value();
}

TEST(HandBuiltVectorTest, DecodesV2Ipv4Multicast) {
  const auto p = split(kV2Ipv4);
  EXPECT_EQ(p.meta.ttl, 255);
  EXPECT_EQ(p.meta.delivery, Delivery::Multicast);
  const auto rx = decodeAndReEncode(p);
  EXPECT_EQ(rx.advert.version, Version::V2);
  EXPECT_EQ(rx.advert.vrid, 51);
  EXPECT_EQ(rx.advert.priority, 100);
  EXPECT_EQ(rx.advert.intervalCs, 100);
  EXPECT_EQ(rx.advert.addresses, std::vector{ip("192.168.200.16")});
  EXPECT_EQ(rx.checksumForm, ChecksumForm::MessageOnly);
}

TEST(HandBuiltVectorTest, DecodesV3Ipv4UnicastWithOldKeepalivedChecksum) {
  const auto p = split(kV3Ipv4LegacyUnicast);
  EXPECT_EQ(p.meta.delivery, Delivery::Unicast);
  const auto rx = decodeAndReEncode(p);
  EXPECT_EQ(rx.advert.vrid, 9);
  EXPECT_EQ(rx.advert.priority, 200);
  EXPECT_EQ(rx.advert.intervalCs, 350);
  EXPECT_EQ(rx.advert.addresses, (std::vector{ip("10.1.1.100"), ip("10.1.1.101")}));
  EXPECT_EQ(rx.checksumForm, ChecksumForm::Ipv4PseudoHeaderMulticastDst);
}

TEST(HandBuiltVectorTest, DecodesV3Ipv6) {
  const auto p = split(kV3Ipv6);
  EXPECT_EQ(p.meta.source, ip("fe80::1"));
  EXPECT_EQ(p.meta.destination, ip("ff02::12"));
  const auto rx = decodeAndReEncode(p);
  EXPECT_EQ(rx.advert.family, util::Family::V6);
  EXPECT_EQ(rx.advert.vrid, 10);
  EXPECT_EQ(rx.advert.priority, 254);
  EXPECT_EQ(rx.advert.addresses, (std::vector{ip("fe80::100"), ip("2001:db8::100")}));
  EXPECT_EQ(rx.checksumForm, ChecksumForm::Ipv6PseudoHeader);
}

TEST(HandBuiltVectorTest, DropsTheSamePacketArrivingWithTtl64) {
  auto bytes = testing::parseHex(kV2Ipv4).value();
  bytes[8] = 64;  // as if routed
  const auto p = testing::splitIpPacket(bytes).value();
  EXPECT_EQ(decode(p.payload, p.meta).error(), DropReason::TtlNot255);
}

TEST(IpPacketHelperTest, RejectsMalformedHexAndHeaders) {
  EXPECT_FALSE(testing::parseHex("4"));
  EXPECT_FALSE(testing::parseHex("zz"));
  EXPECT_EQ(testing::parseHex("# only a comment\n 0a0B # x\n").value(),
            (std::vector<std::uint8_t>{0x0a, 0x0b}));
  EXPECT_FALSE(testing::splitIpPacket({}));
  EXPECT_FALSE(testing::splitIpPacket({0x45, 0x00}));
  auto v4 = testing::parseHex(kV2Ipv4).value();
  v4[9] = 51;  // AH
  EXPECT_FALSE(testing::splitIpPacket(v4));
}

}  // namespace
}  // namespace vipd::proto
