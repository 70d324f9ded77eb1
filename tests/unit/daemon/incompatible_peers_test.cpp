#include "vipd/daemon/incompatible_peers.h"

#include <gtest/gtest.h>

#include "daemon_test_support.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using proto::DropReason;
using Clock = IncompatiblePeers::Clock;

using testing::ip;

const util::IpAddress kPeer = ip("198.51.100.2");
const std::string kVipsDiffer = "VIP list differs: theirs 192.0.2.100, ours 192.0.2.101";

class IncompatiblePeersTest : public ::testing::Test {
 protected:
  IncompatiblePeers::Report drop(const util::IpAddress& peer = kPeer,
                                 DropReason reason = DropReason::AddressListMismatch,
                                 const std::string& difference = kVipsDiffer) {
    return peers_.dropped(peer, reason, difference, 4s, now_);
  }

  IncompatiblePeers peers_{10s, 3};
  Clock::time_point now_{1h};
};

TEST_F(IncompatiblePeersTest, FirstDropLogsAtOnceThenOncePerIntervalWithTheCount) {
  const auto first = drop();
  EXPECT_TRUE(first.log);
  EXPECT_TRUE(first.first);
  for (int i = 0; i < 9; ++i) {
    now_ += 1s;
    EXPECT_FALSE(drop().log) << "second " << i + 1;
  }
  now_ += 1s;
  const auto reminder = drop();
  EXPECT_TRUE(reminder.log);
  EXPECT_FALSE(reminder.first);
  EXPECT_EQ(reminder.sinceLastLine, 10u);
  ASSERT_EQ(peers_.entries().size(), 1u);
  EXPECT_EQ(peers_.entries()[0].adverts, 11u);
  EXPECT_EQ(peers_.entries()[0].since, Clock::time_point{1h});
}

TEST_F(IncompatiblePeersTest, AChangedDifferenceLogsAtOnce) {
  drop();
  now_ += 1s;
  const auto changed = drop(kPeer, DropReason::AddressListMismatch, "VIP list differs: other");
  EXPECT_TRUE(changed.log);
  EXPECT_FALSE(changed.first);
  EXPECT_EQ(peers_.entries()[0].difference, "VIP list differs: other");
}

// A sender whose VIP list changes with every packet must not get a line per packet.
TEST_F(IncompatiblePeersTest, ADifferenceChangingEveryPacketLogsAtMostOncePerSecond) {
  drop();
  int lines = 0;
  for (int i = 0; i < 100; ++i) {
    now_ += std::chrono::milliseconds(10);
    if (drop(kPeer, DropReason::AddressListMismatch, "VIP list differs: " + std::to_string(i))
            .log) {
      ++lines;
    }
  }
  EXPECT_EQ(lines, 1) << "one line in the second after the first";
  EXPECT_EQ(peers_.entries()[0].difference, "VIP list differs: 99") << "the latest is kept";
}

TEST_F(IncompatiblePeersTest, EachPeerAndReasonIsItsOwnEntry) {
  drop();
  drop(kPeer, DropReason::IntervalMismatch, "advert interval differs: theirs 2 s, ours 1 s");
  drop(ip("198.51.100.3"));
  EXPECT_EQ(peers_.entries().size(), 3u);
  EXPECT_EQ(peers_.peerCount(), 2u);
}

TEST_F(IncompatiblePeersTest, AValidAdvertClearsEveryEntryOfThatPeerOnly) {
  drop();
  drop(kPeer, DropReason::IntervalMismatch, "interval");
  drop(ip("198.51.100.3"));
  const auto gone = peers_.agreed(kPeer);
  EXPECT_EQ(gone.size(), 2u);
  ASSERT_EQ(peers_.entries().size(), 1u);
  EXPECT_EQ(peers_.entries()[0].peer, ip("198.51.100.3"));
  EXPECT_TRUE(peers_.agreed(kPeer).empty());
}

TEST_F(IncompatiblePeersTest, SilenceForTheHoldTimeClearsTheEntry) {
  drop();
  now_ += 3s;
  drop();  // heard again: the hold restarts
  EXPECT_EQ(peers_.nextExpiry(), now_ + 4s);
  EXPECT_TRUE(peers_.expire(now_ + 3999ms).empty());
  const auto gone = peers_.expire(now_ + 4s);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].adverts, 2u);
  EXPECT_TRUE(peers_.entries().empty());
  EXPECT_EQ(peers_.nextExpiry(), std::nullopt);
}

TEST_F(IncompatiblePeersTest, AFullTableCountsFurtherPeersAsOverflowOnly) {
  drop(ip("198.51.100.2"));
  drop(ip("198.51.100.3"));
  drop(ip("198.51.100.4"));
  const auto fourth = drop(ip("198.51.100.5"));
  EXPECT_FALSE(fourth.log);
  EXPECT_EQ(peers_.entries().size(), 3u);
  EXPECT_EQ(peers_.overflow(), 1u);
  // A tracked peer still counts.
  now_ += 11s;
  EXPECT_TRUE(drop(ip("198.51.100.3")).log);
}

TEST_F(IncompatiblePeersTest, AfterClearingTheSamePeerIsNewAgain) {
  drop();
  peers_.agreed(kPeer);
  now_ += 1s;
  const auto again = drop();
  EXPECT_TRUE(again.log);
  EXPECT_TRUE(again.first);
  EXPECT_EQ(peers_.entries()[0].adverts, 1u);
}

}  // namespace
}  // namespace vipd::daemon
