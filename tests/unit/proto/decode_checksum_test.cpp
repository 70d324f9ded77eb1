// decode(): checksum verification and the reported ChecksumForm.

#include <gtest/gtest.h>

#include "test_support.h"
#include "vipd/proto/decode.h"

namespace vipd::proto {
namespace {

using testing::dropOf;
using testing::meta;
using testing::v2Advert;
using testing::v3v4Advert;
using testing::v3v6Advert;
using testing::v4Multicast;
using testing::v4Unicast;
using testing::v6Multicast;
using testing::wire;

TEST(AdvertisementChecksumTest, RejectsAnyCorruptedByte) {
  for (const auto& [advert, m] :
       {std::pair{v2Advert(), v4Multicast()}, std::pair{v3v4Advert(), v4Multicast()},
        std::pair{v3v6Advert(), v6Multicast()}}) {
    const auto good = wire(advert, m);
    ASSERT_TRUE(decode(good, m));
    // Bytes 4.. only: corrupting version, type or count is caught by earlier checks.
    for (std::size_t i = 4; i < good.size(); ++i) {
      SCOPED_TRACE(i);
      auto bad = good;
      bad[i] ^= 0x01;
      EXPECT_EQ(dropOf(decode(bad, m)), DropReason::BadChecksum);
    }
  }
}

TEST(AdvertisementChecksumTest, RejectsChecksumOverTheWrongSource) {
  const auto bytes = wire(v3v4Advert(), v4Multicast());
  EXPECT_EQ(dropOf(decode(bytes, meta("192.0.2.9", "224.0.0.18"))), DropReason::BadChecksum);
  const auto v6 = wire(v3v6Advert(), v6Multicast());
  EXPECT_EQ(dropOf(decode(v6, meta("fe80::9", "ff02::12"))), DropReason::BadChecksum);
}

TEST(AdvertisementChecksumTest, ReportsPseudoHeaderFormForKeepalivedDefault) {
  const auto r = decode(wire(v3v4Advert(), v4Unicast()), v4Unicast());
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().checksumForm, ChecksumForm::Ipv4PseudoHeader);
}

TEST(AdvertisementChecksumTest, AcceptsRfc9568MessageOnlyFormForV3Ipv4) {
  for (const PacketMeta& m : {v4Multicast(), v4Unicast()}) {
    const auto r = decode(wire(v3v4Advert(), m, ChecksumForm::MessageOnly), m);
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value().checksumForm, ChecksumForm::MessageOnly);
  }
}

TEST(AdvertisementChecksumTest, RejectsMessageOnlyFormWhenPolicyDisablesIt) {
  ReceivePolicy policy;
  policy.acceptV3Ipv4MessageOnly = false;
  const auto bytes = wire(v3v4Advert(), v4Multicast(), ChecksumForm::MessageOnly);
  EXPECT_EQ(dropOf(decode(bytes, v4Multicast(), policy)), DropReason::BadChecksum);
}

TEST(AdvertisementChecksumTest, AcceptsKeepalivedOldUnicastChecksum) {
  const auto bytes = wire(v3v4Advert(), v4Unicast(), ChecksumForm::Ipv4PseudoHeaderMulticastDst);
  const auto r = decode(bytes, v4Unicast());
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().checksumForm, ChecksumForm::Ipv4PseudoHeaderMulticastDst);
}

TEST(AdvertisementChecksumTest, RejectsOldUnicastChecksumWhenPolicyDisablesIt) {
  ReceivePolicy policy;
  policy.acceptV3Ipv4LegacyUnicast = false;
  const auto bytes = wire(v3v4Advert(), v4Unicast(), ChecksumForm::Ipv4PseudoHeaderMulticastDst);
  EXPECT_EQ(dropOf(decode(bytes, v4Unicast(), policy)), DropReason::BadChecksum);
}

TEST(AdvertisementChecksumTest, ReportsMulticastDestinationAsTheStandardForm) {
  // For packets sent to 224.0.0.18 the legacy form is the same computation.
  const auto bytes = wire(v3v4Advert(), v4Multicast(), ChecksumForm::Ipv4PseudoHeaderMulticastDst);
  const auto r = decode(bytes, v4Multicast());
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().checksumForm, ChecksumForm::Ipv4PseudoHeader);
}

TEST(AdvertisementChecksumTest, RejectsPseudoHeaderChecksumOnV2) {
  auto bytes = wire(v2Advert(), v4Multicast());
  testing::refreshChecksum(bytes, v4Multicast(), ChecksumForm::Ipv4PseudoHeader);
  EXPECT_EQ(dropOf(decode(bytes, v4Multicast())), DropReason::BadChecksum);
}

TEST(AdvertisementChecksumTest, RejectsMessageOnlyChecksumOnIpv6) {
  auto bytes = wire(v3v6Advert(), v6Multicast());
  testing::refreshChecksum(bytes, v6Multicast(), ChecksumForm::MessageOnly);
  EXPECT_EQ(dropOf(decode(bytes, v6Multicast())), DropReason::BadChecksum);
}

TEST(AdvertisementChecksumTest, AcceptsBothEncodingsOfAZeroChecksum) {
  // 0x0000 and 0xffff are +0 and -0 in one's complement; RFC 1071 verification accepts either.
  // Words 3101 6401 0064 0a00 6099 sum to ffff, so the computed checksum is 0x0000.
  Advertisement a = v3v4Advert();
  a.vrid = 0x01;
  a.priority = 0x64;
  a.addresses = {testing::ip("10.0.96.153")};
  auto bytes = wire(a, v4Multicast(), ChecksumForm::MessageOnly);
  ASSERT_EQ(bytes[6], 0x00);
  ASSERT_EQ(bytes[7], 0x00);
  EXPECT_TRUE(decode(bytes, v4Multicast()));
  bytes[6] = 0xff;
  bytes[7] = 0xff;
  EXPECT_TRUE(decode(bytes, v4Multicast()));
}

}  // namespace
}  // namespace vipd::proto
