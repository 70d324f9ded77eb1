#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "unit/net/packet_golden.h"
#include "vipd/net/vrrp_socket.h"
#include "vipd/net/vrrp_socket_ipv4.h"

namespace vipd::net {
namespace {

using util::IpAddress;

// A VRRPv2 advert from 192.0.2.1 to 224.0.0.18 as keepalived sends it: TOS
// 0xc0, DF clear, TTL 255, protocol 112; 20-byte header + 20-byte VRRP body.
std::vector<std::uint8_t> keepalivedStyleDatagram() {
  std::vector<std::uint8_t> d = {
      0x45, 0xc0, 0x00, 0x28, 0x12, 0x34, 0x00, 0x00, 0xff, 0x70, 0x00, 0x00,  //
      192,  0,    2,    1,    224,  0,    0,    18,                            //
  };
  for (std::uint8_t i = 0; i < 20; ++i) d.push_back(i);
  return d;
}

TEST(PacketIpv4HeaderTest, CopiesEveryFieldOfAKeepalivedAdvert) {
  const auto d = keepalivedStyleDatagram();
  auto r = parseIpv4Header(d);
  ASSERT_TRUE(r.has_value());
  const Ipv4Header& h = r.value();
  EXPECT_EQ(h.headerLength, 20);
  EXPECT_EQ(h.tos, 0xc0);
  EXPECT_EQ(h.totalLength, 40);
  EXPECT_EQ(h.id, 0x1234);
  EXPECT_FALSE(h.dontFragment);
  EXPECT_FALSE(h.moreFragments);
  EXPECT_EQ(h.fragmentOffset, 0);
  EXPECT_EQ(h.ttl, 255);
  EXPECT_EQ(h.protocol, 112);
  EXPECT_EQ(h.source, *IpAddress::parse("192.0.2.1"));
  EXPECT_EQ(h.destination, *IpAddress::parse("224.0.0.18"));
}

TEST(PacketIpv4HeaderTest, ReadsFlagsAndFragmentOffset) {
  auto d = keepalivedStyleDatagram();
  d[6] = 0x60;  // DF | MF, offset high bits 0
  d[7] = 0x05;
  auto r = parseIpv4Header(d);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r.value().dontFragment);
  EXPECT_TRUE(r.value().moreFragments);
  EXPECT_EQ(r.value().fragmentOffset, 5);
}

TEST(PacketIpv4HeaderTest, HeaderWithOptionsMovesThePayload) {
  auto d = keepalivedStyleDatagram();
  d[0] = 0x46;  // IHL 6: 4 bytes of options
  d.insert(d.begin() + 20, {0x01, 0x01, 0x01, 0x00});
  d[3] = 44;
  auto r = parseIpv4Header(d);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r.value().headerLength, 24);
  EXPECT_EQ(r.value().totalLength, 44);
}

TEST(PacketIpv4HeaderTest, TrailingBytesBeyondTotalLengthAreAllowed) {
  auto d = keepalivedStyleDatagram();
  d.push_back(0);  // e.g. link-layer padding: the payload is bounded by totalLength
  auto r = parseIpv4Header(d);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r.value().totalLength, 40);
}

struct BadCase {
  const char* name;
  std::vector<std::uint8_t> bytes;
  Ipv4HeaderError expected;
};

TEST(PacketIpv4HeaderTest, RejectsMalformedHeadersWithTypedErrors) {
  const auto good = keepalivedStyleDatagram();
  auto with = [&](std::size_t at, std::uint8_t v) {
    auto d = good;
    d[at] = v;
    return d;
  };
  const BadCase cases[] = {
      {"empty", {}, Ipv4HeaderError::Truncated},
      {"19 bytes", std::vector<std::uint8_t>(good.begin(), good.begin() + 19),
       Ipv4HeaderError::Truncated},
      {"version 6", with(0, 0x65), Ipv4HeaderError::NotIpv4},
      {"IHL 4", with(0, 0x44), Ipv4HeaderError::BadHeaderLength},
      {"IHL 0", with(0, 0x40), Ipv4HeaderError::BadHeaderLength},
      {"IHL 15, 40 bytes", with(0, 0x4f), Ipv4HeaderError::Truncated},
      {"total length > received", with(3, 41), Ipv4HeaderError::BadTotalLength},
      {"total length < header", with(3, 19), Ipv4HeaderError::BadTotalLength},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = parseIpv4Header(c.bytes);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), c.expected);
  }
}

TEST(PacketIpv4HeaderTest, ErrorNamesAreStable) {
  EXPECT_EQ(toString(Ipv4HeaderError::Truncated), "truncated");
  EXPECT_EQ(toString(Ipv4HeaderError::NotIpv4), "not_ipv4");
  EXPECT_EQ(toString(Ipv4HeaderError::BadHeaderLength), "bad_header_length");
  EXPECT_EQ(toString(Ipv4HeaderError::BadTotalLength), "bad_total_length");
}

}  // namespace
}  // namespace vipd::net

namespace vipd::net {
namespace {

using util::IpAddress;

// keepalived 2.2.7's own IPv4 headers (tests/data/golden, README "IP header"):
// the header we write from our constants must be byte-for-byte the same,
// checksum included.
struct GoldenHeaderCase {
  const char* vector;
  const char* destination;
  int advertsBefore;  // ID = Ipv4IdCounter after this many earlier adverts
};

TEST(PacketIpv4HeaderTest, BuiltHeaderIsKeepalivedsGoldenHeader) {
  const GoldenHeaderCase cases[] = {
      {"v2_ipv4_1addr", "224.0.0.18", 0},    {"v2_ipv4_3addr", "224.0.0.18", 0},
      {"v2_ipv4_authpass", "224.0.0.18", 0}, {"v3_ipv4_1addr", "224.0.0.18", 0},
      {"v3_ipv4_3addr", "224.0.0.18", 0},    {"v3_ipv4_unicast", "192.0.2.2", 0},
      {"v3_ipv4_prio0", "224.0.0.18", 3},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.vector);
    const auto golden = testing::readGolden(c.vector);
    ASSERT_GE(golden.size(), 20u);
    Ipv4IdCounter ids;
    for (int i = 0; i < c.advertsBefore; ++i) ids.next();
    Ipv4Header h;
    h.tos = kVrrpTos;
    h.totalLength = static_cast<std::uint16_t>(golden.size());
    h.id = ids.next();
    h.ttl = kVrrpTtl;
    h.protocol = kIpProtoVrrp;
    h.source = *IpAddress::parse("192.0.2.1");
    h.destination = *IpAddress::parse(c.destination);
    const auto built = buildIpv4Header(h);
    EXPECT_EQ(std::vector<std::uint8_t>(built.begin(), built.end()),
              std::vector<std::uint8_t>(golden.begin(), golden.begin() + 20));
  }
}

TEST(PacketIpv4HeaderTest, GoldenHeadersParseAsTos0xc0Ttl255NoDf) {
  for (const char* vector : {"v2_ipv4_1addr", "v3_ipv4_unicast", "v3_ipv4_prio0"}) {
    SCOPED_TRACE(vector);
    const auto golden = testing::readGolden(vector);
    auto r = parseIpv4Header(golden);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r.value().tos, 0xc0);
    EXPECT_EQ(r.value().ttl, 255);
    EXPECT_FALSE(r.value().dontFragment);
    EXPECT_EQ(r.value().protocol, 112);
    EXPECT_EQ(r.value().totalLength, golden.size());
    const auto rebuilt = buildIpv4Header(r.value());
    EXPECT_EQ(std::vector<std::uint8_t>(rebuilt.begin(), rebuilt.end()),
              std::vector<std::uint8_t>(golden.begin(), golden.begin() + 20));
  }
}

TEST(PacketIpv4HeaderTest, IdCounterStartsAtOneAndSkipsZeroOnWrap) {
  Ipv4IdCounter ids;
  EXPECT_EQ(ids.next(), 1);
  EXPECT_EQ(ids.next(), 2);
  for (int i = 2; i < 65535; ++i) ids.next();  // last value handed out: 65535
  EXPECT_EQ(ids.next(), 1);                    // 0 is skipped
}

}  // namespace
}  // namespace vipd::net
