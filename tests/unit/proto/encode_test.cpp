#include "vipd/proto/encode.h"

#include <gtest/gtest.h>

#include <set>

#include "test_support.h"
#include "vipd/proto/decode.h"

namespace vipd::proto {
namespace {

using testing::ip;
using testing::meta;
using testing::v2Advert;
using testing::v3v4Advert;
using testing::v3v6Advert;

// Expected bytes computed independently (Python, RFC 1071).

TEST(AdvertisementEncodeTest, EncodesV2WithPasswordByteForByte) {
  Advertisement a;
  a.version = Version::V2;
  a.vrid = 7;
  a.priority = 150;
  a.intervalCs = 300;
  a.addresses = {ip("10.0.0.10"), ip("10.0.0.11")};
  a.authType = AuthType::SimplePassword;
  a.authData = {'s', 'e', 'c', 'r', 'e', 't', 0, 0};
  const std::vector<std::uint8_t> expected = {0x21, 0x07, 0x96, 0x02, 0x01, 0x03, 0xf7, 0x91,
                                              0x0a, 0x00, 0x00, 0x0a, 0x0a, 0x00, 0x00, 0x0b,
                                              's',  'e',  'c',  'r',  'e',  't',  0x00, 0x00};
  EXPECT_EQ(encode(a, ip("10.0.0.1"), ip("224.0.0.18")).value(), expected);
}

TEST(AdvertisementEncodeTest, EncodesV3Ipv4UnicastInEachForm) {
  Advertisement a;
  a.vrid = 9;
  a.priority = 200;
  a.intervalCs = 350;
  a.addresses = {ip("10.1.1.100"), ip("10.1.1.101")};
  const std::vector<std::uint8_t> body = {0x31, 0x09, 0xc8, 0x02, 0x01, 0x5e, 0x00, 0x00,
                                          0x0a, 0x01, 0x01, 0x64, 0x0a, 0x01, 0x01, 0x65};
  const std::pair<ChecksumForm, std::uint16_t> cases[] = {
      {ChecksumForm::Ipv4PseudoHeader, 0xd845},
      {ChecksumForm::MessageOnly, 0xeeca},
      {ChecksumForm::Ipv4PseudoHeaderMulticastDst, 0x0336},
  };
  for (const auto& [form, sum] : cases) {
    SCOPED_TRACE(toString(form));
    auto expected = body;
    expected[6] = static_cast<std::uint8_t>(sum >> 8);
    expected[7] = static_cast<std::uint8_t>(sum & 0xff);
    EXPECT_EQ(encode(a, ip("10.1.1.1"), ip("10.1.1.2"), form).value(), expected);
  }
}

TEST(AdvertisementEncodeTest, DefaultsToKeepalivedPseudoHeaderForm) {
  const auto m = testing::v4Unicast();
  EXPECT_EQ(encode(v3v4Advert(), m.source, m.destination).value(),
            encode(v3v4Advert(), m.source, m.destination, ChecksumForm::Ipv4PseudoHeader).value());
}

TEST(AdvertisementEncodeTest, SendsV3ReservedBitsAsZero) {
  Advertisement a = v3v4Advert();
  a.intervalCs = kMaxIntervalCs;
  const auto bytes = testing::wire(a, testing::v4Multicast());
  EXPECT_EQ(bytes[4], 0x0f);
  EXPECT_EQ(bytes[5], 0xff);
}

struct RoundTrip {
  const char* name;
  Advertisement advert;
  PacketMeta meta;
  ChecksumForm form;
};

void PrintTo(const RoundTrip& t, std::ostream* os) { *os << t.name; }

class AdvertisementRoundTripTest : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(AdvertisementRoundTripTest, DecodesWhatItEncodedAndReEncodesIdentically) {
  const RoundTrip& t = GetParam();
  const auto bytes = testing::wire(t.advert, t.meta, t.form);
  const auto decoded = decode(bytes, t.meta);
  ASSERT_TRUE(decoded) << toString(decoded.error());
  EXPECT_EQ(decoded.value().advert, t.advert);
  EXPECT_EQ(decoded.value().checksumForm, t.form);
  EXPECT_EQ(testing::wire(decoded.value().advert, t.meta, decoded.value().checksumForm), bytes);
}

Advertisement withMaxAddresses(Advertisement a) {
  a.addresses.clear();
  for (int i = 0; i < 255; ++i) {
    a.addresses.push_back(util::IpAddress::v4({10, 9, 0, static_cast<std::uint8_t>(i)}));
  }
  return a;
}

Advertisement v2Slowest() {
  Advertisement a = v2Advert();
  a.intervalCs = 25500;
  a.priority = 255;
  a.authType = AuthType::IpsecAh;
  return a;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AdvertisementRoundTripTest,
    ::testing::Values(
        RoundTrip{"v2", v2Advert(), testing::v4Multicast(), ChecksumForm::MessageOnly},
        RoundTrip{"v2_unicast_slowest_ah", v2Slowest(), testing::v4Unicast(),
                  ChecksumForm::MessageOnly},
        RoundTrip{"v3_ipv4_pseudo", v3v4Advert(), testing::v4Multicast(),
                  ChecksumForm::Ipv4PseudoHeader},
        RoundTrip{"v3_ipv4_message_only", v3v4Advert(), testing::v4Unicast(),
                  ChecksumForm::MessageOnly},
        RoundTrip{"v3_ipv4_legacy", v3v4Advert(), testing::v4Unicast(),
                  ChecksumForm::Ipv4PseudoHeaderMulticastDst},
        RoundTrip{"v3_ipv4_255_addresses", withMaxAddresses(v3v4Advert()), testing::v4Multicast(),
                  ChecksumForm::Ipv4PseudoHeader},
        RoundTrip{"v3_ipv6", v3v6Advert(), testing::v6Multicast(), ChecksumForm::Ipv6PseudoHeader},
        RoundTrip{"v3_ipv6_unicast", v3v6Advert(), meta("fe80::1", "fe80::2"),
                  ChecksumForm::Ipv6PseudoHeader}),
    [](const auto& test) { return std::string(test.param.name); });

std::optional<EncodeError> errorOf(const Advertisement& a, const PacketMeta& m,
                                   std::optional<ChecksumForm> form = std::nullopt) {
  const auto r = encode(a, m.source, m.destination, form);
  if (r) return std::nullopt;
  return r.error();
}

TEST(AdvertisementEncodeTest, RefusesVersion2OverIpv6) {
  Advertisement a = v3v6Advert();
  a.version = Version::V2;
  a.intervalCs = 100;
  EXPECT_EQ(errorOf(a, testing::v6Multicast()), EncodeError::Version2OverIpv6);
}

TEST(AdvertisementEncodeTest, RefusesAddressesOrEndpointsOfAnotherFamily) {
  Advertisement a = v3v4Advert();
  a.addresses.push_back(ip("2001:db8::1"));
  EXPECT_EQ(errorOf(a, testing::v4Multicast()), EncodeError::AddressFamilyMismatch);
  EXPECT_EQ(errorOf(v3v4Advert(), testing::v6Multicast()), EncodeError::AddressFamilyMismatch);
}

TEST(AdvertisementEncodeTest, RefusesMoreThan255Addresses) {
  Advertisement a = withMaxAddresses(v3v4Advert());
  a.addresses.push_back(ip("10.9.1.0"));
  EXPECT_EQ(errorOf(a, testing::v4Multicast()), EncodeError::TooManyAddresses);
}

TEST(AdvertisementEncodeTest, RefusesIntervalsTheFieldCannotCarry) {
  for (std::uint16_t cs : std::initializer_list<std::uint16_t>{0, 4096, 65535}) {
    Advertisement a = v3v4Advert();
    a.intervalCs = cs;
    EXPECT_EQ(errorOf(a, testing::v4Multicast()), EncodeError::IntervalOutOfRange) << cs;
  }
  for (std::uint16_t cs : std::initializer_list<std::uint16_t>{0, 50, 150, 25600}) {
    Advertisement a = v2Advert();
    a.intervalCs = cs;
    EXPECT_EQ(errorOf(a, testing::v4Multicast()), EncodeError::IntervalOutOfRange) << cs;
  }
}

TEST(AdvertisementEncodeTest, RefusesAuthenticationOnV3) {
  Advertisement a = v3v4Advert();
  a.authType = AuthType::SimplePassword;
  EXPECT_EQ(errorOf(a, testing::v4Multicast()), EncodeError::AuthenticationOnVersion3);
  a = v3v4Advert();
  a.authData[0] = 1;
  EXPECT_EQ(errorOf(a, testing::v4Multicast()), EncodeError::AuthenticationOnVersion3);
}

TEST(AdvertisementEncodeTest, RefusesChecksumFormOfAnotherVersionOrFamily) {
  EXPECT_EQ(errorOf(v2Advert(), testing::v4Multicast(), ChecksumForm::Ipv4PseudoHeader),
            EncodeError::ChecksumFormNotApplicable);
  EXPECT_EQ(errorOf(v3v6Advert(), testing::v6Multicast(), ChecksumForm::MessageOnly),
            EncodeError::ChecksumFormNotApplicable);
  EXPECT_EQ(errorOf(v3v4Advert(), testing::v4Multicast(), ChecksumForm::Ipv6PseudoHeader),
            EncodeError::ChecksumFormNotApplicable);
}

TEST(AdvertisementEncodeTest, ErrorNamesAreDistinct) {
  std::set<std::string_view> names;
  for (auto e : {EncodeError::Version2OverIpv6, EncodeError::AddressFamilyMismatch,
                 EncodeError::TooManyAddresses, EncodeError::IntervalOutOfRange,
                 EncodeError::AuthenticationOnVersion3, EncodeError::ChecksumFormNotApplicable}) {
    names.insert(toString(e));
  }
  EXPECT_EQ(names.size(), 6u);
  EXPECT_EQ(names.count("unknown"), 0u);
}

}  // namespace
}  // namespace vipd::proto
