// Golden vectors: real keepalived 2.2.7 adverts captured into tests/data/golden/*.hex (full IP
// packets; see tests/data/golden/README.md for the configs). Every vector must decode without a
// drop, re-encode byte for byte with the checksum form it matched, and carry the values the
// README documents. Tests run with the project root as working directory.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ip_packet.h"
#include "test_support.h"
#include "vipd/proto/decode.h"
#include "vipd/proto/encode.h"
#include "vipd/proto/validate.h"

namespace vipd::proto {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = "tests/data/golden";
constexpr std::size_t kMinimumVectors = 8;

/// What tests/data/golden/README.md ("Expected values") says each capture holds.
struct Expected {
  Version version;
  util::Family family;
  std::uint8_t vrid;
  std::uint8_t priority;
  std::uint16_t intervalCs;
  std::vector<const char*> addresses;
  const char* source;
  const char* destination;
  AuthType authType;
  std::array<std::uint8_t, kAuthDataSize> authData;
  /// The README's recomputed checksums: on the wire, without pseudo-header, with the real
  /// destination, with 224.0.0.18 (0 where the README says "n/a").
  std::uint16_t wire;
  std::uint16_t messageOnly;
  std::uint16_t pseudoHeader;
  std::uint16_t pseudoHeaderMulticastDst;
};

constexpr auto V2 = Version::V2;
constexpr auto V3 = Version::V3;
constexpr auto V4 = util::Family::V4;
constexpr auto V6 = util::Family::V6;
constexpr std::array<std::uint8_t, kAuthDataSize> kNoAuth{};
constexpr std::array<std::uint8_t, kAuthDataSize> kSecret12{'s', 'e', 'c', 'r', 'e', 't', '1', '2'};

const std::map<std::string, Expected>& expectedValues() {
  static const std::map<std::string, Expected> values = {
      {"v2_ipv4_1addr",
       {V2,
        V4,
        10,
        150,
        100,
        {"192.0.2.10"},
        "192.0.2.1",
        "224.0.0.18",
        AuthType::None,
        kNoAuth,
        0x86e8,
        0x86e8,
        0xe44f,
        0xe44f}},
      {"v2_ipv4_3addr",
       {V2,
        V4,
        11,
        200,
        100,
        {"192.0.2.11", "198.51.100.11", "203.0.113.11"},
        "192.0.2.1",
        "224.0.0.18",
        AuthType::None,
        kNoAuth,
        0xee98,
        0xee98,
        0x4bf8,
        0x4bf8}},
      {"v2_ipv4_authpass",
       {V2,
        V4,
        12,
        150,
        100,
        {"192.0.2.12"},
        "192.0.2.1",
        "224.0.0.18",
        AuthType::SimplePassword,
        kSecret12,
        0x1866,
        0x1866,
        0x75cd,
        0x75cd}},
      {"v3_ipv4_1addr",
       {V3,
        V4,
        20,
        150,
        100,
        {"192.0.2.20"},
        "192.0.2.1",
        "224.0.0.18",
        AuthType::None,
        kNoAuth,
        0xd3e0,
        0x7671,
        0xd3e0,
        0xd3e0}},
      {"v3_ipv4_3addr",
       {V3,
        V4,
        21,
        200,
        50,
        {"192.0.2.21", "198.51.100.21", "203.0.113.21"},
        "192.0.2.1",
        "224.0.0.18",
        AuthType::None,
        kNoAuth,
        0x3ba7,
        0xde3f,
        0x3ba7,
        0x3ba7}},
      {"v3_ipv4_unicast",
       {V3,
        V4,
        22,
        150,
        100,
        {"192.0.2.22"},
        "192.0.2.1",
        "192.0.2.2",
        AuthType::None,
        kNoAuth,
        0xf1ec,
        0x766d,
        0xf1ec,
        0xd3dc}},
      {"v3_ipv6_1addr",
       {V3,
        V6,
        30,
        150,
        100,
        {"2001:db8::100"},
        "fe80::ff:fe00:1",
        "ff02::12",
        AuthType::None,
        kNoAuth,
        0x0ca4,
        0x09c3,
        0x0ca4,
        0}},
      {"v3_ipv6_3addr",
       {V3,
        V6,
        31,
        200,
        100,
        {"2001:db8::101", "2001:db8::102", "2001:db8::103"},
        "fe80::ff:fe00:1",
        "ff02::12",
        AuthType::None,
        kNoAuth,
        0x7d08,
        0x7a47,
        0x7d08,
        0}},
      {"v3_ipv4_prio0",
       {V3,
        V4,
        40,
        0,
        100,
        {"192.0.2.40"},
        "192.0.2.1",
        "224.0.0.18",
        AuthType::None,
        kNoAuth,
        0x69b9,
        0x0c4a,
        0x69b9,
        0x69b9}},
  };
  return values;
}

std::vector<fs::path> goldenFiles() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kGoldenDir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".hex") files.push_back(entry);
  }
  std::sort(files.begin(), files.end());
  return files;
}

void checkValues(const testing::IpPacket& p, const Advertisement& a, const Expected& e) {
  EXPECT_EQ(a.version, e.version);
  EXPECT_EQ(a.family, e.family);
  EXPECT_EQ(a.vrid, e.vrid);
  EXPECT_EQ(a.priority, e.priority);
  EXPECT_EQ(a.intervalCs, e.intervalCs);
  EXPECT_EQ(a.authType, e.authType);
  EXPECT_EQ(a.authData, e.authData);
  std::vector<util::IpAddress> addresses;
  for (const char* text : e.addresses) addresses.push_back(testing::ip(text));
  EXPECT_EQ(a.addresses, addresses);
  EXPECT_EQ(p.meta.source, testing::ip(e.source));
  EXPECT_EQ(p.meta.destination, testing::ip(e.destination));
  EXPECT_EQ(p.meta.ttl, kVrrpTtl);
}

/// Our checksum in every form against the README's independently recomputed values.
void checkChecksums(const testing::IpPacket& p, const Expected& e) {
  const auto sum = [&](ChecksumForm form) {
    return computeChecksum(p.payload, form, p.meta.source, p.meta.destination);
  };
  EXPECT_EQ(p.payload[6] << 8 | p.payload[7], e.wire);
  EXPECT_EQ(sum(ChecksumForm::MessageOnly), e.messageOnly);
  if (e.family == V4) {
    EXPECT_EQ(sum(ChecksumForm::Ipv4PseudoHeader), e.pseudoHeader);
    EXPECT_EQ(sum(ChecksumForm::Ipv4PseudoHeaderMulticastDst), e.pseudoHeaderMulticastDst);
  } else {
    EXPECT_EQ(sum(ChecksumForm::Ipv6PseudoHeader), e.pseudoHeader);
  }
}

void checkVector(const fs::path& file) {
  SCOPED_TRACE(file.string());
  const auto bytes = testing::readHexFile(file);
  ASSERT_TRUE(bytes) << bytes.error();
  const auto packet = testing::splitIpPacket(bytes.value());
  ASSERT_TRUE(packet) << packet.error();
  const testing::IpPacket& p = packet.value();
  const auto rx = decode(p.payload, p.meta);
  ASSERT_TRUE(rx) << "dropped: " << toString(rx.error());
  const ReceivedAdvertisement& r = rx.value();
  const auto again = encode(r.advert, p.meta.source, p.meta.destination, r.checksumForm);
  ASSERT_TRUE(again) << toString(again.error());
  EXPECT_EQ(again.value(), p.payload) << "re-encoded with " << toString(r.checksumForm);
  EXPECT_EQ(r.checksumForm, defaultChecksumForm(r.advert.version, r.advert.family))
      << "keepalived 2.2.7 sends its default form";
  const auto expected = expectedValues().find(file.stem().string());
  if (expected == expectedValues().end()) return;  // extra vectors: decode and re-encode only
  checkValues(p, r.advert, expected->second);
  checkChecksums(p, expected->second);
}

TEST(GoldenVectorTest, HasTheKeepalivedCaptures) {
  const auto files = goldenFiles();
  EXPECT_GE(files.size(), kMinimumVectors) << "in " << fs::absolute(kGoldenDir);
  for (const auto& [name, values] : expectedValues()) {
    EXPECT_TRUE(fs::exists(kGoldenDir / (name + ".hex"))) << name << ".hex missing";
  }
}

TEST(GoldenVectorTest, EveryCaptureDecodesAndReEncodesByteForByte) {
  const auto files = goldenFiles();
  ASSERT_GE(files.size(), kMinimumVectors) << "in " << fs::absolute(kGoldenDir);
  for (const fs::path& file : files) checkVector(file);
}

testing::IpPacket loadVector(const std::string& name) {
  const auto bytes = testing::readHexFile(kGoldenDir / (name + ".hex"));
  EXPECT_TRUE(bytes) << bytes.error();
  if (!bytes) return {};
  const auto packet = testing::splitIpPacket(bytes.value());
  EXPECT_TRUE(packet) << packet.error();
  return packet ? packet.value() : testing::IpPacket{};
}

std::optional<DropReason> decodeWithChecksum(testing::IpPacket p, std::uint16_t sum,
                                             std::optional<ChecksumForm>* matched = nullptr) {
  p.payload[6] = static_cast<std::uint8_t>(sum >> 8);
  p.payload[7] = static_cast<std::uint8_t>(sum & 0xff);
  const auto r = decode(p.payload, p.meta);
  if (!r) return r.error();
  if (matched != nullptr) *matched = r.value().checksumForm;
  return std::nullopt;
}

TEST(GoldenVectorTest, JudgesTheReadmesAlternativeChecksumForms) {
  for (const auto& [name, e] : expectedValues()) {
    SCOPED_TRACE(name);
    const testing::IpPacket p = loadVector(name);
    if (p.payload.empty()) continue;
    std::optional<ChecksumForm> matched;
    if (e.version == V2) {
      // RFC 3768 §5.3.8: no pseudo-header in v2.
      EXPECT_EQ(decodeWithChecksum(p, e.pseudoHeader), DropReason::BadChecksum);
    } else if (e.family == V6) {
      // RFC 5798/9568 §5.2.8: the IPv6 pseudo-header is mandatory.
      EXPECT_EQ(decodeWithChecksum(p, e.messageOnly), DropReason::BadChecksum);
    } else {
      // RFC 9568 §5.2.8 (and Cisco, keepalived v3_checksum_as_v2): no IPv4 pseudo-header.
      EXPECT_EQ(decodeWithChecksum(p, e.messageOnly, &matched), std::nullopt);
      EXPECT_EQ(matched, ChecksumForm::MessageOnly);
    }
  }
}

TEST(GoldenVectorTest, AcceptsPre136KeepalivedUnicastChecksum) {
  const testing::IpPacket p = loadVector("v3_ipv4_unicast");
  ASSERT_FALSE(p.payload.empty());
  std::optional<ChecksumForm> matched;
  EXPECT_EQ(decodeWithChecksum(p, 0xd3dc, &matched), std::nullopt);
  EXPECT_EQ(matched, ChecksumForm::Ipv4PseudoHeaderMulticastDst);
}

TEST(GoldenVectorTest, Keepalived227SendsAGlobalFirstIpv6Address) {
  // Why ReceivePolicy::requireLinkLocalFirstIpv6 (RFC 9568 §5.2.9) is off by default.
  ReceivePolicy strict;
  strict.requireLinkLocalFirstIpv6 = true;
  for (const char* name : {"v3_ipv6_1addr", "v3_ipv6_3addr"}) {
    SCOPED_TRACE(name);
    const testing::IpPacket p = loadVector(name);
    ASSERT_FALSE(p.payload.empty());
    EXPECT_TRUE(decode(p.payload, p.meta));
    EXPECT_EQ(decode(p.payload, p.meta, strict).error(), DropReason::FirstAddressNotLinkLocal);
  }
}

/// The InstanceExpectations a peer configured like the capture's keepalived would use.
InstanceExpectations expectationsFor(const Expected& e) {
  InstanceExpectations ex;
  ex.version = e.version;
  ex.family = e.family;
  ex.vrid = e.vrid;
  ex.intervalCs = e.intervalCs;
  ex.authType = e.authType;
  ex.authData = e.authData;
  for (const char* text : e.addresses) ex.addresses.push_back(testing::ip(text));
  if (!testing::ip(e.destination).isMulticast()) ex.unicastPeers = {{testing::ip(e.source)}};
  ex.checkUnicastSource = true;
  return ex;
}

TEST(GoldenVectorTest, PassesValidationAgainstTheCapturedConfiguration) {
  for (const auto& [name, e] : expectedValues()) {
    SCOPED_TRACE(name);
    const testing::IpPacket p = loadVector(name);
    if (p.payload.empty()) continue;
    const auto rx = decode(p.payload, p.meta);
    ASSERT_TRUE(rx);
    const auto verdict = validate(rx.value(), expectationsFor(e));
    EXPECT_TRUE(verdict) << toString(verdict.error());
  }
}

TEST(GoldenVectorTest, RejectsTheCapturedPasswordAdvertWithAnotherPassword) {
  const testing::IpPacket p = loadVector("v2_ipv4_authpass");
  ASSERT_FALSE(p.payload.empty());
  InstanceExpectations ex = expectationsFor(expectedValues().at("v2_ipv4_authpass"));
  ex.authData = {'s', 'e', 'c', 'r', 'e', 't', '1', '3'};
  EXPECT_EQ(validate(decode(p.payload, p.meta).value(), ex).error(), DropReason::AuthFailure);
}

TEST(GoldenVectorTest, RejectsTheCapturedV2AdvertAtAnotherInterval) {
  // keepalived LAB: "advertisement interval mismatch mine=2 sec rcv'd=1 sec".
  const testing::IpPacket p = loadVector("v2_ipv4_1addr");
  ASSERT_FALSE(p.payload.empty());
  InstanceExpectations ex = expectationsFor(expectedValues().at("v2_ipv4_1addr"));
  ex.intervalCs = 200;
  EXPECT_EQ(validate(decode(p.payload, p.meta).value(), ex).error(), DropReason::IntervalMismatch);
}

}  // namespace
}  // namespace vipd::proto
