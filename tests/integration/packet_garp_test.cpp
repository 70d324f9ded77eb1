// GarpSender between two namespaces: the frame on the wire and its effect on
// the peer's neighbour table (keepalived.md §4.3, vrrp_arp.c).
#include <gtest/gtest.h>
#include <linux/rtnetlink.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "packet_test_env.h"
#include "vipd/net/garp.h"

namespace vipd::net {
namespace {

using testing::EnterNetNs;
using testing::FrameCapture;
using testing::NetlinkWatch;
using testing::VethPair;
using util::IpAddress;
using namespace std::chrono_literals;

bool isArp(std::span<const std::uint8_t> f) {
  return f.size() >= 42 && f[12] == 0x08 && f[13] == 0x06;
}

std::vector<std::uint8_t> bytesOf(const MacAddress& m) { return {m.begin(), m.end()}; }

class GarpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root (network namespaces)";
    net_ = std::make_unique<VethPair>();
    {
      EnterNetNs in(net_->b);
      capture_ = std::make_unique<FrameCapture>(net_->ifB);
      neighbours_ = std::make_unique<NetlinkWatch>(RTMGRP_NEIGH);
    }
    {
      EnterNetNs in(net_->a);
      sender_ = std::make_unique<GarpSender>(net_->ifA);
    }
  }

  /// True once the peer's neighbour table maps `ip` to A's MAC.
  bool peerLearns(const std::string& ip) {
    const std::string want = "lladdr " + toString(net_->macA);
    return neighbours_->waitFor(
        [&] {
          return net_->b.exec("ip -4 neigh show " + ip + " dev " + net_->ifB).find(want) !=
                 std::string::npos;
        },
        5s);
  }

  std::unique_ptr<VethPair> net_;
  std::unique_ptr<FrameCapture> capture_;
  std::unique_ptr<NetlinkWatch> neighbours_;
  std::unique_ptr<GarpSender> sender_;
};

TEST_F(GarpTest, FrameOnTheWireIsKeepalivedsGratuitousArpRequest) {
  const auto vip = *IpAddress::parse("192.0.2.100");
  ASSERT_FALSE(sender_->send(vip, net_->macA));
  const auto f = capture_->next(isArp, 5s);
  ASSERT_TRUE(f.has_value());
  // veth does not pad: exactly keepalived's 42 bytes.
  ASSERT_EQ(f->size(), 42u);
  const std::vector<std::uint8_t> v(f->begin(), f->end());
  EXPECT_EQ(std::vector<std::uint8_t>(v.begin(), v.begin() + 6), bytesOf(kBroadcastMac));
  EXPECT_EQ(std::vector<std::uint8_t>(v.begin() + 6, v.begin() + 12), bytesOf(net_->macA));
  EXPECT_EQ(std::vector<std::uint8_t>(v.begin() + 14, v.begin() + 22),
            (std::vector<std::uint8_t>{0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01}));
  EXPECT_EQ(std::vector<std::uint8_t>(v.begin() + 22, v.begin() + 28), bytesOf(net_->macA));
  EXPECT_EQ(std::vector<std::uint8_t>(v.begin() + 28, v.begin() + 32),
            (std::vector<std::uint8_t>{192, 0, 2, 100}));
  EXPECT_EQ(std::vector<std::uint8_t>(v.begin() + 32, v.begin() + 38), bytesOf(kBroadcastMac));
  EXPECT_EQ(std::vector<std::uint8_t>(v.begin() + 38, v.begin() + 42),
            (std::vector<std::uint8_t>{192, 0, 2, 100}));
}

// Linux creates entries from gratuitous ARP only with arp_accept=1.
TEST_F(GarpTest, PeerWithArpAcceptLearnsTheVip) {
  net_->b.exec("sysctl -qw net.ipv4.conf." + net_->ifB + ".arp_accept=1");
  ASSERT_FALSE(sender_->send(*IpAddress::parse("192.0.2.100"), net_->macA));
  EXPECT_TRUE(peerLearns("192.0.2.100"));
}

// Without arp_accept an existing entry (the old master's MAC) is still
// overridden: that is what moves traffic on failover.
TEST_F(GarpTest, PeerUpdatesAnExistingEntryToTheNewMac) {
  net_->b.exec("ip neigh replace 192.0.2.101 lladdr 02:00:00:00:00:99 dev " + net_->ifB +
               " nud stale");
  ASSERT_FALSE(sender_->send(*IpAddress::parse("192.0.2.101"), net_->macA));
  EXPECT_TRUE(peerLearns("192.0.2.101"));
}

TEST_F(GarpTest, ReplyFormIsAlsoAcceptedAsGratuitous) {
  net_->b.exec("sysctl -qw net.ipv4.conf." + net_->ifB + ".arp_accept=1");
  ASSERT_FALSE(sender_->send(*IpAddress::parse("192.0.2.102"), net_->macA, ArpOp::Reply));
  const auto f = capture_->next(isArp, 5s);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ((*f)[21], 2);
  EXPECT_TRUE(peerLearns("192.0.2.102"));
}

TEST_F(GarpTest, VmacIsAnnouncedWhenGiven) {
  const MacAddress vmac{0x00, 0x00, 0x5e, 0x00, 0x01, 0x07};
  ASSERT_FALSE(sender_->send(*IpAddress::parse("192.0.2.103"), vmac));
  const auto f = capture_->next(isArp, 5s);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(std::vector<std::uint8_t>(f->begin() + 6, f->begin() + 12), bytesOf(vmac));
  EXPECT_EQ(std::vector<std::uint8_t>(f->begin() + 22, f->begin() + 28), bytesOf(vmac));
}

TEST_F(GarpTest, Ipv6AddressIsRefusedWithAnErrorCode) {
  EXPECT_EQ(sender_->send(*IpAddress::parse("2001:db8::1"), net_->macA),
            std::make_error_code(std::errc::address_family_not_supported));
}

TEST_F(GarpTest, ConstructorErrorNamesTheInterface) {
  EnterNetNs in(net_->a);
  try {
    GarpSender missing("nosuch0");
    ADD_FAILURE() << "no exception";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("nosuch0: if_nametoindex"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace vipd::net
