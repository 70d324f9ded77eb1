#include "vipd/proto/mismatch.h"

#include <gtest/gtest.h>

namespace vipd::proto {
namespace {

util::IpAddress ip(const char* text) { return *util::IpAddress::parse(text); }

class MismatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    expected_.version = Version::V2;
    expected_.vrid = 51;
    expected_.intervalCs = 100;
    expected_.addresses = {ip("192.0.2.100"), ip("192.0.2.101")};
    received_.advert.version = Version::V2;
    received_.advert.vrid = 51;
    received_.advert.intervalCs = 100;
    received_.advert.addresses = {ip("192.0.2.100"), ip("192.0.2.101")};
    received_.meta = {ip("198.51.100.2"), ip("224.0.0.18"), 255, Delivery::Multicast};
  }

  std::optional<std::string> describe() {
    auto valid = validate(received_, expected_);
    EXPECT_FALSE(valid) << "the advert should be dropped";
    if (valid) return std::nullopt;
    return describeMismatch(received_, expected_, valid.error());
  }

  InstanceExpectations expected_;
  ReceivedAdvertisement received_;
};

TEST_F(MismatchTest, VipListNamesTheirsAndOurs) {
  received_.advert.addresses = {ip("192.0.2.100")};
  EXPECT_EQ(describe(), "VIP list differs: theirs 192.0.2.100, ours 192.0.2.100 192.0.2.101");
}

TEST_F(MismatchTest, SameCountOtherAddressesIsAVipListDifference) {
  received_.advert.addresses = {ip("192.0.2.100"), ip("192.0.2.102")};
  EXPECT_EQ(describe(),
            "VIP list differs: theirs 192.0.2.100 192.0.2.102, ours 192.0.2.100 "
            "192.0.2.101");
}

TEST_F(MismatchTest, Version2IntervalInSeconds) {
  received_.advert.intervalCs = 200;
  EXPECT_EQ(describe(), "advert interval differs: theirs 2 s, ours 1 s");
}

TEST_F(MismatchTest, AuthenticationTypeUsesKeepalivedsNames) {
  received_.advert.authType = AuthType::SimplePassword;
  EXPECT_EQ(describe(), "authentication differs: theirs PASS, ours none");
}

TEST_F(MismatchTest, PasswordDifferenceNeverShowsEitherPassword) {
  expected_.authType = AuthType::SimplePassword;
  expected_.authData = {'s', 'e', 'c', 'r', 'e', 't', 0, 0};
  received_.advert.authType = AuthType::SimplePassword;
  received_.advert.authData = {'o', 't', 'h', 'e', 'r', 0, 0, 0};
  const auto text = describe();
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "authentication password differs");
  EXPECT_EQ(text->find("secret"), std::string::npos);
  EXPECT_EQ(text->find("other"), std::string::npos);
}

TEST_F(MismatchTest, VersionNamesBoth) {
  received_.advert.version = Version::V3;
  EXPECT_EQ(describe(), "VRRP version differs: theirs 3, ours 2");
}

TEST_F(MismatchTest, DeliveryMulticastWhereUnicastIsConfigured) {
  expected_.unicastPeers = {UnicastPeer{ip("198.51.100.2")}};
  EXPECT_EQ(describe(), "delivery differs: theirs multicast, ours unicast");
}

TEST_F(MismatchTest, UnicastSenderMissingFromOurPeers) {
  expected_.unicastPeers = {UnicastPeer{ip("198.51.100.3")}};
  expected_.checkUnicastSource = true;
  received_.meta.delivery = Delivery::Unicast;
  EXPECT_EQ(describe(), "sender is not one of our unicast_peer addresses");
}

TEST_F(MismatchTest, ChecksumFromDecodeIsAMismatchWithAFixedPhrase) {
  EXPECT_TRUE(isConfigurationMismatch(DropReason::BadChecksum));
  EXPECT_EQ(describeDecodeMismatch(DropReason::BadChecksum),
            "checksum matches none of the accepted forms");
  EXPECT_EQ(describeDecodeMismatch(DropReason::Truncated), std::nullopt);
}

// Not a peer's configuration: damage, another VRID, or our own set-up.
TEST_F(MismatchTest, OtherReasonsAreNotMismatches) {
  for (DropReason reason : {DropReason::TtlNot255, DropReason::Truncated, DropReason::VridMismatch,
                            DropReason::AuthAhUnsupported, DropReason::LocalIsAddressOwner,
                            DropReason::UnicastTtlOutOfRange}) {
    EXPECT_FALSE(isConfigurationMismatch(reason)) << toString(reason);
    EXPECT_EQ(describeMismatch(received_, expected_, reason), std::nullopt) << toString(reason);
  }
}

// Every reason describeMismatch() explains is one isConfigurationMismatch() admits.
TEST_F(MismatchTest, DescriptionsExactlyForMismatches) {
  for (DropReason reason : kAllDropReasons) {
    EXPECT_EQ(describeMismatch(received_, expected_, reason).has_value(),
              isConfigurationMismatch(reason))
        << toString(reason);
  }
}

}  // namespace
}  // namespace vipd::proto
