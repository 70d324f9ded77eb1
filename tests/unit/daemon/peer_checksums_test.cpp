#include "vipd/daemon/peer_checksums.h"

#include <gtest/gtest.h>

#include "daemon_test_support.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using config::OldUnicastChecksum;
using proto::ChecksumForm;
using testing::ip;
using Clock = PeerChecksums::Clock;

const util::IpAddress kVendor = ip("192.0.2.2");
const util::IpAddress kKeepalived = ip("192.0.2.3");
const util::IpAddress kGroup = ip("224.0.0.18");

class PeerChecksumsTest : public ::testing::Test {
 protected:
  ChecksumForm answer(bool unicast, const util::IpAddress& to) {
    return transmitForm(policy_, unicast, to, peers_, now_ - 10s);
  }

  PeerChecksums peers_{3};
  TransmitChecksum policy_;
  Clock::time_point now_{1h};
};

TEST_F(PeerChecksumsTest, ANewPeerAndAChangedFormAreNewsTheSameFormIsNot) {
  EXPECT_TRUE(peers_.heard(kVendor, ChecksumForm::MessageOnly, now_));
  EXPECT_FALSE(peers_.heard(kVendor, ChecksumForm::MessageOnly, now_));
  EXPECT_TRUE(peers_.heard(kVendor, ChecksumForm::Ipv4PseudoHeader, now_));
  ASSERT_EQ(peers_.peers().size(), 1u);
  EXPECT_EQ(peers_.peers()[0].adverts, 3u);
  EXPECT_EQ(peers_.formOf(kVendor, now_), ChecksumForm::Ipv4PseudoHeader);
}

TEST_F(PeerChecksumsTest, ByDefaultWeSendThePseudoHeaderWhateverPeersUse) {
  peers_.heard(kVendor, ChecksumForm::MessageOnly, now_);
  EXPECT_EQ(answer(false, kGroup), ChecksumForm::Ipv4PseudoHeader);
  EXPECT_EQ(answer(true, kVendor), ChecksumForm::Ipv4PseudoHeader);
}

TEST_F(PeerChecksumsTest, AsV2AlwaysSendsTheMessageOnlyForm) {
  policy_.base = ChecksumForm::MessageOnly;
  EXPECT_EQ(answer(false, kGroup), ChecksumForm::MessageOnly);
  peers_.heard(kKeepalived, ChecksumForm::Ipv4PseudoHeader, now_);
  EXPECT_EQ(answer(false, kGroup), ChecksumForm::MessageOnly);
}

TEST_F(PeerChecksumsTest, FollowingAnswersEachUnicastPeerInItsOwnForm) {
  policy_.followPeers = true;
  peers_.heard(kVendor, ChecksumForm::MessageOnly, now_);
  peers_.heard(kKeepalived, ChecksumForm::Ipv4PseudoHeader, now_);
  EXPECT_EQ(answer(true, kVendor), ChecksumForm::MessageOnly);
  EXPECT_EQ(answer(true, kKeepalived), ChecksumForm::Ipv4PseudoHeader);
  EXPECT_EQ(answer(true, ip("192.0.2.9")), ChecksumForm::Ipv4PseudoHeader) << "not heard: base";
}

TEST_F(PeerChecksumsTest, FollowingMulticastNeedsEveryRecentPeerToAgree) {
  policy_.followPeers = true;
  peers_.heard(kVendor, ChecksumForm::MessageOnly, now_);
  EXPECT_EQ(answer(false, kGroup), ChecksumForm::MessageOnly);
  peers_.heard(kKeepalived, ChecksumForm::Ipv4PseudoHeader, now_);
  EXPECT_EQ(answer(false, kGroup), ChecksumForm::Ipv4PseudoHeader) << "disagree: base";
  // keepalived falls silent: only the vendor counts again.
  now_ += 11s;
  peers_.heard(kVendor, ChecksumForm::MessageOnly, now_);
  EXPECT_EQ(answer(false, kGroup), ChecksumForm::MessageOnly);
}

TEST_F(PeerChecksumsTest, AFormHeardLongAgoIsForgotten) {
  policy_.followPeers = true;
  peers_.heard(kVendor, ChecksumForm::MessageOnly, now_);
  now_ += 11s;
  EXPECT_EQ(answer(true, kVendor), ChecksumForm::Ipv4PseudoHeader);
}

// keepalived's auto-detection: a unicast peer using the pre-1.3.6 form gets it back, unless
// `old_unicast_checksum never`; the keyword alone forces it.
TEST_F(PeerChecksumsTest, OldUnicastFormIsLearnedByDefaultForcedOrRefused) {
  peers_.heard(kKeepalived, ChecksumForm::Ipv4PseudoHeaderMulticastDst, now_);
  EXPECT_EQ(answer(true, kKeepalived), ChecksumForm::Ipv4PseudoHeaderMulticastDst);
  policy_.oldUnicast = OldUnicastChecksum::Never;
  EXPECT_EQ(answer(true, kKeepalived), ChecksumForm::Ipv4PseudoHeader);
  policy_.oldUnicast = OldUnicastChecksum::Always;
  EXPECT_EQ(answer(true, kVendor), ChecksumForm::Ipv4PseudoHeaderMulticastDst);
  EXPECT_EQ(answer(false, kGroup), ChecksumForm::Ipv4PseudoHeader) << "multicast: no old form";
}

TEST_F(PeerChecksumsTest, AFullTableDropsTheLeastRecentlyHeardPeer) {
  peers_.heard(ip("192.0.2.2"), ChecksumForm::MessageOnly, now_);
  peers_.heard(ip("192.0.2.3"), ChecksumForm::MessageOnly, now_ + 1s);
  peers_.heard(ip("192.0.2.4"), ChecksumForm::MessageOnly, now_ + 2s);
  peers_.heard(ip("192.0.2.5"), ChecksumForm::MessageOnly, now_ + 3s);
  ASSERT_EQ(peers_.peers().size(), 3u);
  EXPECT_EQ(peers_.formOf(ip("192.0.2.2"), now_), std::nullopt);
  EXPECT_EQ(peers_.formOf(ip("192.0.2.5"), now_), ChecksumForm::MessageOnly);
}

}  // namespace
}  // namespace vipd::daemon
