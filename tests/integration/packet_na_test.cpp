// NeighborAdvertSender between two namespaces: the frame on the wire and its
// effect on the peer's neighbour table (keepalived.md §4.3, vrrp_ndisc.c).
#include <gtest/gtest.h>
#include <linux/rtnetlink.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "packet_test_env.h"
#include "vipd/net/garp_announcer.h"
#include "vipd/net/neighbor_advert.h"

namespace vipd::net {
namespace {

using testing::EnterNetNs;
using testing::FrameCapture;
using testing::NetlinkWatch;
using testing::VethPair;
using util::IpAddress;
using namespace std::chrono_literals;

bool isNeighborAdvert(std::span<const std::uint8_t> f) {
  return f.size() >= 78 && f[12] == 0x86 && f[13] == 0xdd && f[20] == 58 && f[54] == 136;
}

std::vector<std::uint8_t> bytesOf(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }

class NaTest : public ::testing::Test {
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
      sender_ = std::make_unique<NeighborAdvertSender>(net_->ifA);
    }
  }

  NeighborAdvert advert(const char* target) {
    NeighborAdvert na;
    na.mac = net_->macA;
    na.target = *IpAddress::parse(target);
    return na;
  }

  std::unique_ptr<VethPair> net_;
  std::unique_ptr<FrameCapture> capture_;
  std::unique_ptr<NetlinkWatch> neighbours_;
  std::unique_ptr<NeighborAdvertSender> sender_;
};

TEST_F(NaTest, FrameOnTheWireCarriesOverrideFlagAndTargetLinkLayerOption) {
  ASSERT_FALSE(sender_->send(advert("2001:db8::100")));
  const auto f = capture_->next(isNeighborAdvert, 5s);
  ASSERT_TRUE(f.has_value());
  ASSERT_EQ(f->size(), 86u);
  const std::span<const std::uint8_t> v(*f);
  const auto target = *IpAddress::parse("2001:db8::100");
  EXPECT_EQ(bytesOf(v.subspan(0, 6)), (std::vector<std::uint8_t>{0x33, 0x33, 0, 0, 0, 1}));
  EXPECT_EQ(bytesOf(v.subspan(6, 6)), bytesOf(net_->macA));
  EXPECT_EQ(v[21], 255);                                           // hop limit
  EXPECT_EQ(bytesOf(v.subspan(22, 16)), bytesOf(target.bytes()));  // source = VIP (keepalived)
  EXPECT_EQ(bytesOf(v.subspan(38, 16)), bytesOf(IpAddress::parse("ff02::1")->bytes()));
  EXPECT_EQ(v[58], 0x20);  // O only: not a router, unsolicited
  EXPECT_EQ(bytesOf(v.subspan(62, 16)), bytesOf(target.bytes()));
  EXPECT_EQ(v[78], 2);  // target link-layer address option
  EXPECT_EQ(v[79], 1);
  EXPECT_EQ(bytesOf(v.subspan(80, 6)), bytesOf(net_->macA));
  EXPECT_EQ(icmpv6Checksum(target, *IpAddress::parse("ff02::1"), v.subspan(54)), 0);
}

TEST_F(NaTest, RouterFlagIsSentWhenForwarding) {
  NeighborAdvert na = advert("2001:db8::101");
  na.router = true;
  ASSERT_FALSE(sender_->send(na));
  const auto f = capture_->next(isNeighborAdvert, 5s);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ((*f)[58], 0xa0);
}

// The kernel only applies the NA after checking hop limit 255, code 0 and the
// ICMPv6 checksum, and only replaces a known MAC because of the O flag.
TEST_F(NaTest, PeerReplacesTheCachedMacOfTheTarget) {
  net_->b.exec("ip -6 neigh replace 2001:db8::102 lladdr 02:00:00:00:00:99 dev " + net_->ifB +
               " nud stale");
  ASSERT_FALSE(sender_->send(advert("2001:db8::102")));
  const std::string want = "lladdr " + toString(net_->macA);
  EXPECT_TRUE(neighbours_->waitFor(
      [&] {
        return net_->b.exec("ip -6 neigh show 2001:db8::102 dev " + net_->ifB).find(want) !=
               std::string::npos;
      },
      5s));
}

TEST_F(NaTest, LinkLocalSourceCanBeChosen) {
  NeighborAdvert na = advert("2001:db8::103");
  na.source = net_->llA;
  ASSERT_FALSE(sender_->send(na));
  const auto f = capture_->next(isNeighborAdvert, 5s);
  ASSERT_TRUE(f.has_value());
  const std::span<const std::uint8_t> v(*f);
  EXPECT_EQ(bytesOf(v.subspan(22, 16)), bytesOf(net_->llA.bytes()));
  EXPECT_EQ(icmpv6Checksum(net_->llA, *IpAddress::parse("ff02::1"), v.subspan(54)), 0);
}

TEST_F(NaTest, Ipv4TargetIsRefusedWithAnErrorCode) {
  EXPECT_EQ(sender_->send(advert("192.0.2.1")),
            std::make_error_code(std::errc::address_family_not_supported));
}

// The announcer picks GARP for IPv4 and NA for IPv6 on the same interface.
TEST_F(NaTest, InterfaceAnnouncerSendsGarpForIpv4AndNaForIpv6) {
  std::unique_ptr<InterfaceAnnouncer> announcer;
  {
    EnterNetNs in(net_->a);
    announcer = std::make_unique<InterfaceAnnouncer>(net_->ifA);
  }
  ASSERT_FALSE(announcer->announce(*IpAddress::parse("192.0.2.104"), net_->macA, false));
  ASSERT_FALSE(announcer->announce(*IpAddress::parse("2001:db8::104"), net_->macA, true));
  const auto arp = capture_->next(
      [](std::span<const std::uint8_t> f) {
        return f.size() >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[31] == 104;
      },
      5s);
  ASSERT_TRUE(arp.has_value());
  const auto na = capture_->next(isNeighborAdvert, 5s);
  ASSERT_TRUE(na.has_value());
  EXPECT_EQ((*na)[58], 0xa0);  // R | O
  EXPECT_EQ((*na)[77], 0x04);  // target 2001:db8::104
}

}  // namespace
}  // namespace vipd::net
