#include "vipd/proto/validate.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace vipd::proto {
namespace {

using testing::ip;
using testing::meta;

/// A v2 advert as received, and the expectations of the instance that sent it: validate()
/// accepts the pair, and each test changes one thing.
struct Fixture {
  ReceivedAdvertisement rx;
  InstanceExpectations ex;
};

Fixture v2Pair() {
  Fixture f;
  f.rx.advert = testing::v2Advert();
  f.rx.meta = testing::v4Multicast();
  f.rx.checksumForm = ChecksumForm::MessageOnly;
  f.ex.version = Version::V2;
  f.ex.family = util::Family::V4;
  f.ex.vrid = f.rx.advert.vrid;
  f.ex.intervalCs = f.rx.advert.intervalCs;
  f.ex.addresses = f.rx.advert.addresses;
  return f;
}

Fixture v3Pair() {
  Fixture f;
  f.rx.advert = testing::v3v6Advert();
  f.rx.meta = testing::v6Multicast();
  f.rx.checksumForm = ChecksumForm::Ipv6PseudoHeader;
  f.ex.version = Version::V3;
  f.ex.family = util::Family::V6;
  f.ex.vrid = f.rx.advert.vrid;
  f.ex.intervalCs = f.rx.advert.intervalCs;
  f.ex.addresses = f.rx.advert.addresses;
  return f;
}

Fixture passwordPair() {
  Fixture f = v2Pair();
  f.rx.advert.authType = AuthType::SimplePassword;
  f.rx.advert.authData = {'s', 'e', 'c', 'r', 'e', 't', 0, 0};
  f.ex.authType = AuthType::SimplePassword;
  f.ex.authData = f.rx.advert.authData;
  return f;
}

Fixture unicastPair() {
  Fixture f = v2Pair();
  f.rx.meta = meta("192.0.2.1", "192.0.2.2", 64);
  f.ex.unicastPeers = {UnicastPeer{ip("192.0.2.7")}, UnicastPeer{ip("192.0.2.1"), 60, 70}};
  f.ex.checkUnicastSource = true;
  return f;
}

std::optional<DropReason> dropOf(const Fixture& f) {
  const auto r = validate(f.rx, f.ex);
  if (r) return std::nullopt;
  return r.error();
}

TEST(AdvertisementValidateTest, AcceptsMatchingV2AndV3Adverts) {
  EXPECT_EQ(dropOf(v2Pair()), std::nullopt);
  EXPECT_EQ(dropOf(v3Pair()), std::nullopt);
  EXPECT_EQ(dropOf(passwordPair()), std::nullopt);
  EXPECT_EQ(dropOf(unicastPair()), std::nullopt);
}

TEST(AdvertisementValidateTest, RejectsOtherVersionThanConfigured) {
  Fixture f = v2Pair();
  f.ex.version = Version::V3;
  EXPECT_EQ(dropOf(f), DropReason::VersionMismatch);
}

TEST(AdvertisementValidateTest, RejectsOtherFamilyThanConfigured) {
  Fixture f = v3Pair();
  f.ex.family = util::Family::V4;
  EXPECT_EQ(dropOf(f), DropReason::AddressFamilyMismatch);
}

TEST(AdvertisementValidateTest, RejectsOtherVrid) {
  Fixture f = v3Pair();
  f.ex.vrid = static_cast<std::uint8_t>(f.rx.advert.vrid + 1);
  EXPECT_EQ(dropOf(f), DropReason::VridMismatch);
}

TEST(AdvertisementValidateTest, RejectsEverythingWhileLocalRouterOwnsTheAddressesInRfcMode) {
  Fixture f = v3Pair();
  f.ex.localIsAddressOwner = true;
  EXPECT_EQ(dropOf(f), std::nullopt) << "keepalived default: not discarded";
  f.ex.discardWhenLocalIsOwner = true;
  EXPECT_EQ(dropOf(f), DropReason::LocalIsAddressOwner);
  f.ex.localIsAddressOwner = false;
  EXPECT_EQ(dropOf(f), std::nullopt);
}

TEST(AdvertisementValidateTest, RejectsMulticastWhenUnicastPeersAreConfigured) {
  Fixture f = unicastPair();
  f.rx.meta = testing::v4Multicast();
  EXPECT_EQ(dropOf(f), DropReason::DeliveryMismatch);
}

TEST(AdvertisementValidateTest, RejectsUnicastWhenNoPeersAreConfigured) {
  Fixture f = v2Pair();
  f.rx.meta = testing::v4Unicast();
  EXPECT_EQ(dropOf(f), DropReason::DeliveryMismatch);
}

TEST(AdvertisementValidateTest, RejectsEveryPacketWhenConfiguredForAh) {
  Fixture f = v2Pair();
  f.ex.authType = AuthType::IpsecAh;
  f.rx.advert.authType = AuthType::IpsecAh;
  EXPECT_EQ(dropOf(f), DropReason::AuthAhUnsupported);
}

TEST(AdvertisementValidateTest, RejectsAuthTypeOtherThanConfigured) {
  const std::pair<AuthType, AuthType> cases[] = {
      {AuthType::None, AuthType::SimplePassword},
      {AuthType::SimplePassword, AuthType::None},
      {AuthType::IpsecAh, AuthType::None},
      {AuthType::IpsecAh, AuthType::SimplePassword},
  };
  for (const auto& [received, configured] : cases) {
    Fixture f = passwordPair();
    f.rx.advert.authType = received;
    f.ex.authType = configured;
    EXPECT_EQ(dropOf(f), DropReason::AuthTypeMismatch);
  }
}

TEST(AdvertisementValidateTest, RejectsWrongPasswordInAnyByte) {
  for (std::size_t i = 0; i < kAuthDataSize; ++i) {
    SCOPED_TRACE(i);
    Fixture f = passwordPair();
    f.rx.advert.authData[i] ^= 0x20;
    EXPECT_EQ(dropOf(f), DropReason::AuthFailure);
  }
}

TEST(AdvertisementValidateTest, IgnoresAuthenticationDataWhenNoneIsConfigured) {
  Fixture f = v2Pair();
  f.rx.advert.authData = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(dropOf(f), std::nullopt);
}

TEST(AdvertisementValidateTest, IgnoresAuthenticationConfigForV3) {
  Fixture f = v3Pair();
  f.ex.authType = AuthType::SimplePassword;
  f.ex.authData = {'x'};
  EXPECT_EQ(dropOf(f), std::nullopt);
}

TEST(AdvertisementValidateTest, RejectsV2IntervalMismatch) {
  Fixture f = v2Pair();
  f.ex.intervalCs = 200;
  EXPECT_EQ(dropOf(f), DropReason::IntervalMismatch);
  f.ex.intervalCs = 150;  // keepalived: a fractional v2 interval never matches
  EXPECT_EQ(dropOf(f), DropReason::IntervalMismatch);
}

TEST(AdvertisementValidateTest, LearnsRatherThanChecksV3Interval) {
  Fixture f = v3Pair();
  f.ex.intervalCs = 300;
  EXPECT_EQ(dropOf(f), std::nullopt);
}

TEST(AdvertisementValidateTest, RejectsAddressCountMismatch) {
  Fixture f = v3Pair();
  f.ex.addresses.push_back(ip("2001:db8::99"));
  EXPECT_EQ(dropOf(f), DropReason::AddressCountMismatch);
  f = v3Pair();
  f.ex.addresses.pop_back();
  EXPECT_EQ(dropOf(f), DropReason::AddressCountMismatch);
}

TEST(AdvertisementValidateTest, RejectsConfiguredAddressMissingFromAdvert) {
  Fixture f = v2Pair();
  f.ex.addresses.back() = ip("192.0.2.199");
  EXPECT_EQ(dropOf(f), DropReason::AddressListMismatch);
}

TEST(AdvertisementValidateTest, AcceptsAddressesInAnyOrder) {
  Fixture f = v2Pair();
  std::swap(f.ex.addresses.front(), f.ex.addresses.back());
  EXPECT_EQ(dropOf(f), std::nullopt);
}

TEST(AdvertisementValidateTest, SkipsAddressCheckLikeSkipCheckAdvAddr) {
  Fixture f = v2Pair();
  f.ex.addresses = {ip("192.0.2.199")};
  f.ex.checkAddresses = false;
  EXPECT_EQ(dropOf(f), std::nullopt);
}

TEST(AdvertisementValidateTest, RejectsUnicastSourceThatIsNotAPeer) {
  Fixture f = unicastPair();
  f.rx.meta.source = ip("192.0.2.66");
  EXPECT_EQ(dropOf(f), DropReason::UnicastSourceNotPeer);
  f.ex.checkUnicastSource = false;
  EXPECT_EQ(dropOf(f), std::nullopt);
}

TEST(AdvertisementValidateTest, RejectsUnicastTtlOutsidePeerRange) {
  for (const auto& [ttl, drop] :
       {std::pair<int, std::optional<DropReason>>{59, DropReason::UnicastTtlOutOfRange},
        {60, std::nullopt},
        {70, std::nullopt},
        {71, DropReason::UnicastTtlOutOfRange}}) {
    SCOPED_TRACE(ttl);
    Fixture f = unicastPair();
    f.rx.meta.ttl = static_cast<std::uint8_t>(ttl);
    EXPECT_EQ(dropOf(f), drop);
  }
}

}  // namespace
}  // namespace vipd::proto
