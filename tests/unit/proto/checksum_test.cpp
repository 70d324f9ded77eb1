#include "vipd/proto/checksum.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "test_support.h"

namespace vipd::proto {
namespace {

using testing::ip;

// Known answers were computed with an independent Python implementation of RFC 1071.

TEST(ChecksumTest, MatchesRfc1071Example) {
  // RFC 1071 §3: the sum of 0001 f203 f4f5 f6f7 is ddf2, so the checksum is 220d. Bytes 6..7 are
  // the checksum field and read as zero, so put the example elsewhere: prefix 8 zero bytes.
  const std::vector<std::uint8_t> msg = {0,    0,    0,    0,    0,    0,    0xaa, 0xbb,
                                         0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(computeChecksum(msg, ChecksumForm::MessageOnly, {}, {}), 0x220d);
}

TEST(ChecksumTest, HandlesOddLengthByPaddingWithZero) {
  const std::vector<std::uint8_t> msg = {0x12, 0x34, 0, 0, 0, 0, 0, 0, 0x56};
  // 0x1234 + 0x5600 = 0x6834, complement 0x97cb.
  EXPECT_EQ(computeChecksum(msg, ChecksumForm::MessageOnly, {}, {}), 0x97cb);
}

struct KnownAnswer {
  const char* name;
  std::vector<std::uint8_t> message;  // with its checksum in bytes 6..7
  ChecksumForm form;
  const char* source;
  const char* destination;
  std::uint16_t checksum;
};

void PrintTo(const KnownAnswer& k, std::ostream* os) { *os << k.name; }

class ChecksumKnownAnswerTest : public ::testing::TestWithParam<KnownAnswer> {};

TEST_P(ChecksumKnownAnswerTest, ComputesAndVerifies) {
  const KnownAnswer& k = GetParam();
  const auto src = ip(k.source);
  const auto dst = ip(k.destination);
  EXPECT_EQ(computeChecksum(k.message, k.form, src, dst), k.checksum);
  EXPECT_TRUE(verifyChecksum(std::as_bytes(std::span(k.message)), k.form, src, dst));
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ChecksumKnownAnswerTest,
    ::testing::Values(
        KnownAnswer{"v2",
                    {0x21, 0x33, 0x64, 0x01, 0x00, 0x01, 0xf2, 0x10, 0xc0, 0xa8,
                     0xc8, 0x10, 0,    0,    0,    0,    0,    0,    0,    0},
                    ChecksumForm::MessageOnly,
                    "192.168.1.1",
                    "224.0.0.18",
                    0xf210},
        KnownAnswer{"v3_ipv4_pseudo_multicast",
                    {0x31, 0x33, 0x64, 0x01, 0x00, 0x64, 0x06, 0x22, 0xc0, 0xa8, 0x01, 0x64},
                    ChecksumForm::Ipv4PseudoHeader,
                    "192.168.1.1",
                    "224.0.0.18",
                    0x0622},
        KnownAnswer{"v3_ipv4_message_only",
                    {0x31, 0x33, 0x64, 0x01, 0x00, 0x64, 0xa8, 0x5a, 0xc0, 0xa8, 0x01, 0x64},
                    ChecksumForm::MessageOnly,
                    "192.168.1.1",
                    "224.0.0.18",
                    0xa85a},
        KnownAnswer{"v3_ipv4_pseudo_unicast",
                    {0x31, 0x09, 0xc8, 0x02, 0x01, 0x5e, 0xd8, 0x45, 0x0a, 0x01, 0x01, 0x64, 0x0a,
                     0x01, 0x01, 0x65},
                    ChecksumForm::Ipv4PseudoHeader,
                    "10.1.1.1",
                    "10.1.1.2",
                    0xd845},
        KnownAnswer{"v3_ipv4_legacy_unicast",
                    {0x31, 0x09, 0xc8, 0x02, 0x01, 0x5e, 0x03, 0x36, 0x0a, 0x01, 0x01, 0x64, 0x0a,
                     0x01, 0x01, 0x65},
                    ChecksumForm::Ipv4PseudoHeaderMulticastDst,
                    "10.1.1.1",
                    "10.1.1.2",
                    0x0336},
        KnownAnswer{
            "v3_ipv6",
            {0x31, 0x0a, 0xfe, 0x02, 0x00, 0x64, 0xa4, 0x25, 0xfe, 0x80, 0,    0,    0,    0,
             0,    0,    0,    0,    0,    0,    0,    0,    0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8,
             0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0x01, 0x00},
            ChecksumForm::Ipv6PseudoHeader,
            "fe80::1",
            "ff02::12",
            0xa425}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(ChecksumTest, VerifyRejectsACorruptedMessage) {
  std::vector<std::uint8_t> msg = {0x31, 0x33, 0x64, 0x01, 0x00, 0x64,
                                   0x06, 0x22, 0xc0, 0xa8, 0x01, 0x64};
  const auto src = ip("192.168.1.1");
  const auto dst = ip("224.0.0.18");
  ASSERT_TRUE(
      verifyChecksum(std::as_bytes(std::span(msg)), ChecksumForm::Ipv4PseudoHeader, src, dst));
  msg[11] ^= 0x01;
  EXPECT_FALSE(
      verifyChecksum(std::as_bytes(std::span(msg)), ChecksumForm::Ipv4PseudoHeader, src, dst));
}

TEST(ChecksumTest, PseudoHeaderFormsNeedEndpointsOfTheirFamily) {
  const std::vector<std::uint8_t> msg(12, 0);
  EXPECT_FALSE(verifyChecksum(std::as_bytes(std::span(msg)), ChecksumForm::Ipv6PseudoHeader,
                              ip("192.0.2.1"), ip("224.0.0.18")));
  EXPECT_FALSE(verifyChecksum(std::as_bytes(std::span(msg)), ChecksumForm::Ipv4PseudoHeader,
                              ip("fe80::1"), ip("ff02::12")));
}

TEST(ChecksumTest, ApplicabilityFollowsVersionAndFamily) {
  using F = ChecksumForm;
  using util::Family;
  EXPECT_TRUE(isApplicable(F::MessageOnly, Version::V2, Family::V4));
  EXPECT_FALSE(isApplicable(F::Ipv4PseudoHeader, Version::V2, Family::V4));
  EXPECT_FALSE(isApplicable(F::MessageOnly, Version::V2, Family::V6));
  EXPECT_TRUE(isApplicable(F::MessageOnly, Version::V3, Family::V4));
  EXPECT_TRUE(isApplicable(F::Ipv4PseudoHeader, Version::V3, Family::V4));
  EXPECT_TRUE(isApplicable(F::Ipv4PseudoHeaderMulticastDst, Version::V3, Family::V4));
  EXPECT_FALSE(isApplicable(F::Ipv6PseudoHeader, Version::V3, Family::V4));
  EXPECT_TRUE(isApplicable(F::Ipv6PseudoHeader, Version::V3, Family::V6));
  EXPECT_FALSE(isApplicable(F::MessageOnly, Version::V3, Family::V6));
}

TEST(ChecksumTest, DefaultFormIsKeepalivedsTransmitForm) {
  EXPECT_EQ(defaultChecksumForm(Version::V2, util::Family::V4), ChecksumForm::MessageOnly);
  EXPECT_EQ(defaultChecksumForm(Version::V3, util::Family::V4), ChecksumForm::Ipv4PseudoHeader);
  EXPECT_EQ(defaultChecksumForm(Version::V3, util::Family::V6), ChecksumForm::Ipv6PseudoHeader);
}

TEST(ChecksumTest, FormNamesAreDistinct) {
  std::set<std::string_view> names;
  for (ChecksumForm f : kAllChecksumForms) names.insert(toString(f));
  EXPECT_EQ(names.size(), kAllChecksumForms.size());
  EXPECT_EQ(names.count("unknown"), 0u);
}

}  // namespace
}  // namespace vipd::proto
