#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "vipd/net/garp.h"

namespace vipd::net {
namespace {

using util::IpAddress;

const MacAddress kSenderMac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

std::vector<std::uint8_t> bytes(const GarpFrame& f) { return {f.begin(), f.end()}; }

// keepalived 2.2.7 vrrp_arp.c:send_gratuitous_arp_immediate and the reference
// notes (keepalived.md §4.3): broadcast, ARP request, sender IP = target IP =
// VIP, target hardware address all ones.
TEST(ArpFrameTest, RequestIsByteForByteKeepalivedsGratuitousArp) {
  const auto frame = buildGratuitousArp(kSenderMac, *IpAddress::parse("192.0.2.100"));
  const std::vector<std::uint8_t> expected = {
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // Ethernet dst: broadcast
      0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // Ethernet src: the interface MAC
      0x08, 0x06,                          // ARP
      0x00, 0x01,                          // htype Ethernet
      0x08, 0x00,                          // ptype IPv4
      0x06, 0x04,                          // hlen, plen
      0x00, 0x01,                          // op request
      0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // sender hw
      192,  0,    2,    100,               // sender IP = VIP
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // target hw: all ones
      192,  0,    2,    100,               // target IP = VIP
  };
  EXPECT_EQ(bytes(frame), expected);
  EXPECT_EQ(frame.size(), 42u);
}

// The frame keepalived 2.2.7 sent for 192.0.2.11, as captured in
// tests/data/golden/README.md ("Gratuitous ARP burst on becoming MASTER").
TEST(ArpFrameTest, RequestEqualsTheFrameCapturedFromKeepalived) {
  const std::vector<std::uint8_t> captured = {
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
      0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
      0xc0, 0x00, 0x02, 0x0b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc0, 0x00, 0x02, 0x0b};
  EXPECT_EQ(bytes(buildGratuitousArp(kSenderMac, *IpAddress::parse("192.0.2.11"))), captured);
}

TEST(ArpFrameTest, VmacIsUsedAsBothEthernetAndSenderHardwareAddress) {
  const MacAddress vmac{0x00, 0x00, 0x5e, 0x00, 0x01, 0x33};
  const auto f = buildGratuitousArp(vmac, *IpAddress::parse("198.51.100.7"));
  EXPECT_EQ(std::vector<std::uint8_t>(f.begin() + 6, f.begin() + 12),
            std::vector<std::uint8_t>(vmac.begin(), vmac.end()));
  EXPECT_EQ(std::vector<std::uint8_t>(f.begin() + 22, f.begin() + 28),
            std::vector<std::uint8_t>(vmac.begin(), vmac.end()));
}

TEST(ArpFrameTest, ReplyFormCarriesOpTwoAndOwnMacAsTargetHardwareAddress) {
  const auto f = buildGratuitousArp(kSenderMac, *IpAddress::parse("203.0.113.9"), ArpOp::Reply);
  EXPECT_EQ(f[20], 0x00);
  EXPECT_EQ(f[21], 0x02);
  EXPECT_EQ(std::vector<std::uint8_t>(f.begin() + 32, f.begin() + 38),
            std::vector<std::uint8_t>(kSenderMac.begin(), kSenderMac.end()));
  EXPECT_EQ(std::vector<std::uint8_t>(f.begin(), f.begin() + 6),
            std::vector<std::uint8_t>(6, 0xff));  // still broadcast
  EXPECT_EQ(std::vector<std::uint8_t>(f.begin() + 28, f.begin() + 32),
            std::vector<std::uint8_t>(f.begin() + 38, f.begin() + 42));
}

TEST(ArpFrameTest, MacTextRoundTrips) {
  auto mac = parseMac("02:AB:cd:00:10:ff");
  ASSERT_TRUE(mac.has_value());
  EXPECT_EQ(*mac, (MacAddress{0x02, 0xab, 0xcd, 0x00, 0x10, 0xff}));
  EXPECT_EQ(toString(*mac), "02:ab:cd:00:10:ff");
}

TEST(ArpFrameTest, MacParserRejectsAnythingElse) {
  for (const char* text : {"", "02:00:00:00:00", "02:00:00:00:00:01:", "02-00-00-00-00-01",
                           "0g:00:00:00:00:01", "020:00:00:00:00:1", " 02:00:00:00:00:01"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parseMac(text).has_value());
  }
}

}  // namespace
}  // namespace vipd::net
