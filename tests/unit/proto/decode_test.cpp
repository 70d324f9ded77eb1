#include "vipd/proto/decode.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace vipd::proto {
namespace {

using testing::dropOf;
using testing::ip;
using testing::meta;
using testing::refreshChecksum;
using testing::v2Advert;
using testing::v3v4Advert;
using testing::v3v6Advert;
using testing::v4Multicast;
using testing::v4Unicast;
using testing::v6Multicast;
using testing::wire;

TEST(AdvertisementDecodeTest, DecodesV2Ipv4) {
  Advertisement a = v2Advert();
  a.authType = AuthType::SimplePassword;
  a.authData = {'s', 'e', 'c', 'r', 'e', 't', 0, 0};
  const auto r = decode(wire(a, v4Multicast()), v4Multicast());
  ASSERT_TRUE(r) << toString(r.error());
  EXPECT_EQ(r.value().advert, a);
  EXPECT_EQ(r.value().checksumForm, ChecksumForm::MessageOnly);
  EXPECT_EQ(r.value().meta.source, ip("192.0.2.1"));
}

TEST(AdvertisementDecodeTest, DecodesV3Ipv4AndV3Ipv6) {
  const auto r4 = decode(wire(v3v4Advert(), v4Multicast()), v4Multicast());
  ASSERT_TRUE(r4);
  EXPECT_EQ(r4.value().advert, v3v4Advert());
  const auto r6 = decode(wire(v3v6Advert(), v6Multicast()), v6Multicast());
  ASSERT_TRUE(r6);
  EXPECT_EQ(r6.value().advert, v3v6Advert());
  EXPECT_EQ(r6.value().checksumForm, ChecksumForm::Ipv6PseudoHeader);
}

TEST(AdvertisementDecodeTest, RejectsMetadataWithMixedFamilies) {
  const PacketMeta mixed{ip("192.0.2.1"), ip("ff02::12"), 255, Delivery::Multicast};
  EXPECT_EQ(dropOf(decode(wire(v3v4Advert(), v4Multicast()), mixed)),
            DropReason::AddressFamilyMismatch);
}

TEST(AdvertisementDecodeTest, RejectsTtlBelow255ForMulticast) {
  const auto bytes = wire(v3v4Advert(), v4Multicast());
  for (std::uint8_t ttl : std::initializer_list<std::uint8_t>{0, 1, 64, 254}) {
    SCOPED_TRACE(ttl);
    EXPECT_EQ(dropOf(decode(bytes, meta("192.0.2.1", "224.0.0.18", ttl))), DropReason::TtlNot255);
  }
  EXPECT_TRUE(decode(bytes, meta("192.0.2.1", "224.0.0.18", 255)));
}

TEST(AdvertisementDecodeTest, RejectsHopLimitBelow255ForIpv6Multicast) {
  const auto bytes = wire(v3v6Advert(), v6Multicast());
  EXPECT_EQ(dropOf(decode(bytes, meta("fe80::1", "ff02::12", 1))), DropReason::TtlNot255);
  EXPECT_TRUE(decode(bytes, v6Multicast()));
}

TEST(AdvertisementDecodeTest, AcceptsAnyUnicastTtlByDefaultLikeKeepalived) {
  const auto bytes = wire(v3v4Advert(), v4Unicast());
  EXPECT_TRUE(decode(bytes, meta("192.0.2.1", "192.0.2.2", 64)));
}

TEST(AdvertisementDecodeTest, RejectsUnicastTtlBelow255WhenPolicyChecksIt) {
  const auto bytes = wire(v3v4Advert(), v4Unicast());
  ReceivePolicy policy;
  policy.checkUnicastTtl = true;
  EXPECT_EQ(dropOf(decode(bytes, meta("192.0.2.1", "192.0.2.2", 64), policy)),
            DropReason::TtlNot255);
  EXPECT_TRUE(decode(bytes, meta("192.0.2.1", "192.0.2.2", 255), policy));
}

TEST(AdvertisementDecodeTest, AcceptsAnyMulticastTtlWhenPolicyDisablesTheCheck) {
  ReceivePolicy policy;
  policy.checkMulticastTtl = false;
  EXPECT_TRUE(
      decode(wire(v3v4Advert(), v4Multicast()), meta("192.0.2.1", "224.0.0.18", 1), policy));
}

TEST(AdvertisementDecodeTest, RejectsPacketShorterThanFixedHeader) {
  const auto bytes = wire(v3v4Advert(), v4Multicast());
  for (std::size_t n = 0; n < kHeaderSize; ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(dropOf(decode(std::span(bytes).first(n), v4Multicast())), DropReason::Truncated);
  }
}

TEST(AdvertisementDecodeTest, RejectsVersionsOtherThan2And3) {
  auto bytes = wire(v3v4Advert(), v4Multicast());
  for (int version : {0, 1, 4, 5, 15}) {
    SCOPED_TRACE(version);
    bytes[0] = static_cast<std::uint8_t>(version << 4 | 1);
    EXPECT_EQ(dropOf(decode(bytes, v4Multicast())), DropReason::UnsupportedVersion);
  }
}

TEST(AdvertisementDecodeTest, RejectsVersion2OverIpv6) {
  auto bytes = wire(v3v6Advert(), v6Multicast());
  bytes[0] = 0x21;
  EXPECT_EQ(dropOf(decode(bytes, v6Multicast())), DropReason::Version2OverIpv6);
}

TEST(AdvertisementDecodeTest, RejectsTypesOtherThanAdvertisement) {
  auto bytes = wire(v3v4Advert(), v4Multicast());
  for (int type : {0, 2, 3, 15}) {
    SCOPED_TRACE(type);
    bytes[0] = static_cast<std::uint8_t>(0x30 | type);
    EXPECT_EQ(dropOf(decode(bytes, v4Multicast())), DropReason::UnknownType);
  }
}

TEST(AdvertisementDecodeTest, RejectsCountNeedingMoreAddressesThanReceived) {
  auto bytes = wire(v3v4Advert(), v4Multicast());
  bytes[3] = 4;  // three are present
  EXPECT_EQ(dropOf(decode(bytes, v4Multicast())), DropReason::CountExceedsLength);
  bytes[3] = 255;
  EXPECT_EQ(dropOf(decode(bytes, v4Multicast())), DropReason::CountExceedsLength);
}

TEST(AdvertisementDecodeTest, RejectsV2WithoutItsAuthenticationData) {
  const auto bytes = wire(v2Advert(), v4Multicast());
  const auto cut = std::span(bytes).first(bytes.size() - 1);
  EXPECT_EQ(dropOf(decode(cut, v4Multicast())), DropReason::CountExceedsLength);
  EXPECT_EQ(dropOf(decode(std::span(bytes).first(bytes.size() - kAuthDataSize), v4Multicast())),
            DropReason::CountExceedsLength);
}

TEST(AdvertisementDecodeTest, RejectsTrailingBytesLikeKeepalived) {
  for (const auto& [advert, m] :
       {std::pair{v2Advert(), v4Multicast()}, std::pair{v3v4Advert(), v4Multicast()},
        std::pair{v3v6Advert(), v6Multicast()}}) {
    auto bytes = wire(advert, m);
    bytes.push_back(0);
    EXPECT_EQ(dropOf(decode(bytes, m)), DropReason::TooLong);
  }
}

TEST(AdvertisementDecodeTest, RejectsV3WithZeroAddressCount) {
  Advertisement a = v3v4Advert();
  a.addresses.clear();
  const auto bytes = wire(a, v4Multicast());
  EXPECT_EQ(dropOf(decode(bytes, v4Multicast())), DropReason::ZeroAddressCount);
}

TEST(AdvertisementDecodeTest, AcceptsZeroAddressCountWhenPolicyAllowsIt) {
  Advertisement a = v3v6Advert();
  a.addresses.clear();
  ReceivePolicy policy;
  policy.rejectZeroAddressCount = false;
  const auto r = decode(wire(a, v6Multicast()), v6Multicast(), policy);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r.value().advert.addresses.empty());
}

TEST(AdvertisementDecodeTest, AcceptsV2WithZeroAddressCount) {
  Advertisement a = v2Advert();
  a.addresses.clear();
  EXPECT_TRUE(decode(wire(a, v4Multicast()), v4Multicast()));
}

TEST(AdvertisementDecodeTest, RejectsZeroIntervalInBothVersions) {
  auto v3 = wire(v3v4Advert(), v4Multicast());
  v3[4] = 0xf0;  // reserved bits set, interval 0
  v3[5] = 0x00;
  refreshChecksum(v3, v4Multicast(), ChecksumForm::Ipv4PseudoHeader);
  EXPECT_EQ(dropOf(decode(v3, v4Multicast())), DropReason::ZeroInterval);
  auto v2 = wire(v2Advert(), v4Multicast());
  v2[5] = 0;
  refreshChecksum(v2, v4Multicast(), ChecksumForm::MessageOnly);
  EXPECT_EQ(dropOf(decode(v2, v4Multicast())), DropReason::ZeroInterval);
}

TEST(AdvertisementDecodeTest, IgnoresReservedBitsOfV3Interval) {
  auto bytes = wire(v3v4Advert(), v4Multicast());
  bytes[4] |= 0xf0;
  refreshChecksum(bytes, v4Multicast(), ChecksumForm::Ipv4PseudoHeader);
  const auto r = decode(bytes, v4Multicast());
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().advert.intervalCs, 100);
}

TEST(AdvertisementDecodeTest, ReadsV2IntervalAsSecondsAndFullV3Range) {
  auto v2 = wire(v2Advert(), v4Multicast());
  v2[5] = 255;
  refreshChecksum(v2, v4Multicast(), ChecksumForm::MessageOnly);
  EXPECT_EQ(decode(v2, v4Multicast()).value().advert.intervalCs, 25500);
  Advertisement a = v3v4Advert();
  a.intervalCs = kMaxIntervalCs;
  EXPECT_EQ(decode(wire(a, v4Multicast()), v4Multicast()).value().advert.intervalCs, 4095);
}

TEST(AdvertisementDecodeTest, RejectsUnknownV2AuthType) {
  auto bytes = wire(v2Advert(), v4Multicast());
  for (int type : {3, 4, 254, 255}) {
    SCOPED_TRACE(type);
    bytes[4] = static_cast<std::uint8_t>(type);
    refreshChecksum(bytes, v4Multicast(), ChecksumForm::MessageOnly);
    EXPECT_EQ(dropOf(decode(bytes, v4Multicast())), DropReason::UnknownAuthType);
  }
}

TEST(AdvertisementDecodeTest, RecognisesV2AuthTypesNonePasswordAndAh) {
  for (AuthType type : {AuthType::None, AuthType::SimplePassword, AuthType::IpsecAh}) {
    Advertisement a = v2Advert();
    a.authType = type;
    const auto r = decode(wire(a, v4Multicast()), v4Multicast());
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value().advert.authType, type);
  }
}

TEST(AdvertisementDecodeTest, RejectsGlobalFirstIpv6AddressWhenPolicyRequiresLinkLocal) {
  ReceivePolicy policy;
  policy.requireLinkLocalFirstIpv6 = true;
  Advertisement a = v3v6Advert();
  std::swap(a.addresses[0], a.addresses[1]);
  const auto bytes = wire(a, v6Multicast());
  EXPECT_EQ(dropOf(decode(bytes, v6Multicast(), policy)), DropReason::FirstAddressNotLinkLocal);
  EXPECT_TRUE(decode(bytes, v6Multicast()));  // default: keepalived does not check
  EXPECT_TRUE(decode(wire(v3v6Advert(), v6Multicast()), v6Multicast(), policy));
}

TEST(AdvertisementDecodeTest, KeepsPriorityZeroForTheStateMachine) {
  Advertisement a = v3v4Advert();
  a.priority = 0;
  const auto r = decode(wire(a, v4Multicast()), v4Multicast());
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value().advert.priority, 0);
}

}  // namespace
}  // namespace vipd::proto
