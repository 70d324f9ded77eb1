// VrrpSocket between two namespaces: what the peer receives, and what is on
// the wire (compared with keepalived 2.2.7: TOS/traffic class 0xc0, TTL 255,
// no DF, IPv6 source link-local; keepalived.md §4.1).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "packet_test_env.h"
#include "vipd/net/vrrp_socket.h"

namespace vipd::net {
namespace {

using testing::EnterNetNs;
using testing::FrameCapture;
using testing::NetNs;
using testing::VethPair;
using testing::waitReadable;
using util::Family;
using util::IpAddress;
using namespace std::chrono_literals;

// Any bytes will do: the socket moves them unchanged (the codec owns the
// format). Bytes 6-7 sit where the VRRP checksum is, to show nobody rewrites it.
const std::vector<std::uint8_t> kPayload = {0x31, 0x07, 0x64, 0x01, 0x00, 0x64,
                                            0xab, 0xcd, 192,  0,    2,    100};

class PacketVrrpSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root (network namespaces)";
    net_ = std::make_unique<VethPair>();
  }

  /// Opens a socket inside `ns` (it stays in that namespace afterwards).
  std::unique_ptr<VrrpSocket> open(const NetNs& ns, VrrpSocketConfig config) {
    EnterNetNs in(ns);
    return std::make_unique<VrrpSocket>(std::move(config));
  }

  VrrpSocketConfig config(bool sideA, Family family, bool unicast = false) {
    VrrpSocketConfig c;
    c.interface = sideA ? net_->ifA : net_->ifB;
    c.family = family;
    if (family == Family::V4) {
      c.source = sideA ? net_->v4A : net_->v4B;
    } else {
      c.source = sideA ? net_->llA : net_->llB;
    }
    c.unicast = unicast;
    return c;
  }

  /// Waits for and reads everything queued (at most `max`).
  std::vector<ReceivedPacket> receive(VrrpSocket& socket, std::size_t max = 16) {
    std::vector<ReceivedPacket> out;
    if (!waitReadable(socket.fd(), 5s)) return out;
    EXPECT_FALSE(socket.drain(out, max));
    return out;
  }

  std::unique_ptr<VethPair> net_;
};

TEST_F(PacketVrrpSocketTest, Ipv4MulticastReachesThePeerWithGroupTtl255AndIfindex) {
  auto a = open(net_->a, config(true, Family::V4));
  auto b = open(net_->b, config(false, Family::V4));
  ASSERT_FALSE(a->send(kPayload, 1));

  const auto got = receive(*b);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, kPayload);
  EXPECT_EQ(got[0].source, net_->v4A);
  EXPECT_EQ(got[0].destination, *IpAddress::parse("224.0.0.18"));
  EXPECT_EQ(got[0].ttl, 255);
  EXPECT_EQ(got[0].ifindex, net_->indexB);
  EXPECT_TRUE(got[0].multicast);
  EXPECT_EQ(a->stats().sent, 1u);
  EXPECT_EQ(b->stats().received, 1u);
}

TEST_F(PacketVrrpSocketTest, Ipv6MulticastComesFromTheLinkLocalWithHopLimit255) {
  auto a = open(net_->a, config(true, Family::V6));
  auto b = open(net_->b, config(false, Family::V6));
  ASSERT_FALSE(a->send(kPayload, 1));

  const auto got = receive(*b);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, kPayload);  // no kernel checksum rewrite (no IPV6_CHECKSUM)
  EXPECT_EQ(got[0].source, net_->llA);
  EXPECT_TRUE(got[0].source.isLinkLocal());
  EXPECT_EQ(got[0].destination, *IpAddress::parse("ff02::12"));
  EXPECT_EQ(got[0].ttl, 255);
  EXPECT_EQ(got[0].ifindex, net_->indexB);
  EXPECT_TRUE(got[0].multicast);
}

TEST_F(PacketVrrpSocketTest, Ipv4UnicastReachesThePeerAddressWithTtl255ByDefault) {
  auto a = open(net_->a, config(true, Family::V4, true));
  auto b = open(net_->b, config(false, Family::V4, true));
  EXPECT_EQ(a->send(kPayload, 1), std::make_error_code(std::errc::destination_address_required));
  ASSERT_FALSE(a->sendTo(kPayload, net_->v4B, 1));

  const auto got = receive(*b);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, kPayload);
  EXPECT_EQ(got[0].source, net_->v4A);
  EXPECT_EQ(got[0].destination, net_->v4B);
  EXPECT_EQ(got[0].ttl, 255);
  EXPECT_FALSE(got[0].multicast);
}

TEST_F(PacketVrrpSocketTest, UnicastTtlIsConfigurable) {
  auto c = config(true, Family::V4, true);
  c.unicastTtl = 17;
  auto a = open(net_->a, c);
  auto b = open(net_->b, config(false, Family::V4, true));
  ASSERT_FALSE(a->sendTo(kPayload, net_->v4B, 1));
  const auto got = receive(*b);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].ttl, 17);
}

TEST_F(PacketVrrpSocketTest, Ipv6UnicastToPeerLinkLocal) {
  auto c = config(true, Family::V6, true);
  c.unicastTtl = 255;
  auto a = open(net_->a, c);
  auto b = open(net_->b, config(false, Family::V6, true));
  ASSERT_FALSE(a->sendTo(kPayload, net_->llB, 1));

  const auto got = receive(*b);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, kPayload);
  EXPECT_EQ(got[0].source, net_->llA);
  EXPECT_EQ(got[0].destination, net_->llB);
  EXPECT_EQ(got[0].ttl, 255);
  EXPECT_FALSE(got[0].multicast);
}

// keepalived leaves the IPv6 unicast hop limit to the kernel unless
// unicast_ttl is set (vrrp.c:vrrp_complete_instance).
TEST_F(PacketVrrpSocketTest, Ipv6UnicastWithoutUnicastTtlUsesTheKernelHopLimit) {
  net_->a.exec("sysctl -qw net.ipv6.conf." + net_->ifA + ".hop_limit=42");
  auto a = open(net_->a, config(true, Family::V6, true));
  auto b = open(net_->b, config(false, Family::V6, true));
  ASSERT_FALSE(a->sendTo(kPayload, net_->llB, 1));
  const auto got = receive(*b);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].ttl, 42);
}

// The multicast socket is bound to the group (IPv4) or ::1 (IPv6), so the
// kernel does not queue unicast on it. The unicast packet is sent first; when
// the multicast one has arrived, the unicast one would have too.
TEST_F(PacketVrrpSocketTest, MulticastSocketDoesNotReceiveUnicast) {
  for (Family family : {Family::V4, Family::V6}) {
    SCOPED_TRACE(family == Family::V4 ? "IPv4" : "IPv6");
    auto aUnicast = open(net_->a, config(true, family, true));
    auto aMulticast = open(net_->a, config(true, family));
    auto b = open(net_->b, config(false, family));
    ASSERT_FALSE(aUnicast->sendTo(kPayload, family == Family::V4 ? net_->v4B : net_->llB, 1));
    ASSERT_FALSE(aMulticast->send(kPayload, 1));
    const auto got = receive(*b);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(got[0].multicast);
  }
}

// IP(V6)_MULTICAST_LOOP is off: A's own advert never comes back to A. A sends,
// B answers when it has A's advert; A's first packet must be B's (a looped
// copy would have been queued on A before B even received the original).
TEST_F(PacketVrrpSocketTest, OwnMulticastIsNotLoopedBack) {
  for (Family family : {Family::V4, Family::V6}) {
    SCOPED_TRACE(family == Family::V4 ? "IPv4" : "IPv6");
    auto a = open(net_->a, config(true, family));
    auto b = open(net_->b, config(false, family));
    ASSERT_FALSE(a->send(kPayload, 1));
    ASSERT_EQ(receive(*b).size(), 1u);
    ASSERT_FALSE(b->send(kPayload, 1));
    const auto got = receive(*a);
    ASSERT_GE(got.size(), 1u);
    EXPECT_EQ(got[0].source, family == Family::V4 ? net_->v4B : net_->llB);
    EXPECT_EQ(got.size(), 1u);
  }
}

bool isIpv4Vrrp(std::span<const std::uint8_t> f) {
  return f.size() >= 34 && f[12] == 0x08 && f[13] == 0x00 && f[23] == 112;
}

bool isIpv6Vrrp(std::span<const std::uint8_t> f) {
  return f.size() >= 54 && f[12] == 0x86 && f[13] == 0xdd && f[20] == 112;
}

// keepalived.md §4.1: TOS 0xc0, TTL 255, no DF; Ethernet source = real MAC.
TEST_F(PacketVrrpSocketTest, Ipv4WireHeaderMatchesKeepalived) {
  std::unique_ptr<FrameCapture> capture;
  {
    EnterNetNs in(net_->b);
    capture = std::make_unique<FrameCapture>(net_->ifB);
  }
  auto a = open(net_->a, config(true, Family::V4));
  auto aUnicast = open(net_->a, config(true, Family::V4, true));
  // One advert to the group, then one advert with two unicast copies:
  // keepalived's IDs are 1, then 2 for both copies (vrrp.c:vrrp_send_adv,
  // vrrp_update_pkt).
  Ipv4IdCounter ids;
  ASSERT_FALSE(a->send(kPayload, ids.next()));
  const std::uint16_t second = ids.next();
  ASSERT_FALSE(aUnicast->sendTo(kPayload, net_->v4B, second));
  ASSERT_FALSE(aUnicast->sendTo(kPayload, net_->v4B, second));

  for (const int copy : {0, 1, 2}) {
    const bool multicast = copy == 0;
    SCOPED_TRACE(copy);
    const auto f = capture->next(isIpv4Vrrp, 5s);
    ASSERT_TRUE(f.has_value());
    const std::vector<std::uint8_t> dstMac =
        multicast ? std::vector<std::uint8_t>{0x01, 0x00, 0x5e, 0x00, 0x00, 0x12}
                  : std::vector<std::uint8_t>(net_->macB.begin(), net_->macB.end());
    EXPECT_EQ(std::vector<std::uint8_t>(f->begin(), f->begin() + 6), dstMac);
    EXPECT_EQ(std::vector<std::uint8_t>(f->begin() + 6, f->begin() + 12),
              std::vector<std::uint8_t>(net_->macA.begin(), net_->macA.end()));
    const std::uint8_t* ip = f->data() + 14;
    EXPECT_EQ(ip[0], 0x45);                              // IPv4, no options
    EXPECT_EQ(ip[1], 0xc0);                              // TOS: precedence 6
    EXPECT_EQ(ip[3], 20 + kPayload.size());              // total length
    EXPECT_EQ((ip[4] << 8) | ip[5], multicast ? 1 : 2);  // ID: keepalived's counter
    EXPECT_EQ(ip[6] & 0x40, 0);                          // DF clear
    EXPECT_EQ(((ip[6] & 0x1f) << 8) | ip[7], 0);         // not a fragment
    EXPECT_EQ(ip[8], 255);                               // TTL
    EXPECT_EQ(ip[9], 112);                               // VRRP
    EXPECT_EQ(std::vector<std::uint8_t>(ip + 12, ip + 16),
              std::vector<std::uint8_t>(net_->v4A.bytes().begin(), net_->v4A.bytes().end()));
    EXPECT_EQ(std::vector<std::uint8_t>(ip + 20, ip + 20 + kPayload.size()), kPayload);
  }
}

// keepalived.md §4.1 and vrrp_if.c:if_setsockopt_priority (IPV6_TCLASS 0xc0).
TEST_F(PacketVrrpSocketTest, Ipv6WireHeaderMatchesKeepalived) {
  std::unique_ptr<FrameCapture> capture;
  {
    EnterNetNs in(net_->b);
    capture = std::make_unique<FrameCapture>(net_->ifB);
  }
  auto a = open(net_->a, config(true, Family::V6));
  ASSERT_FALSE(a->send(kPayload, 1));
  const auto f = capture->next(isIpv6Vrrp, 5s);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(std::vector<std::uint8_t>(f->begin(), f->begin() + 6),
            (std::vector<std::uint8_t>{0x33, 0x33, 0x00, 0x00, 0x00, 0x12}));
  const std::uint8_t* ip = f->data() + 14;
  const unsigned trafficClass = ((ip[0] & 0x0f) << 4) | (ip[1] >> 4);
  EXPECT_EQ(ip[0] >> 4, 6);
  EXPECT_EQ(trafficClass, 0xc0u);
  EXPECT_EQ(((ip[4] << 8) | ip[5]), static_cast<int>(kPayload.size()));
  EXPECT_EQ(ip[7], 255);  // hop limit
  EXPECT_EQ(std::vector<std::uint8_t>(ip + 8, ip + 24),
            std::vector<std::uint8_t>(net_->llA.bytes().begin(), net_->llA.bytes().end()));
  const auto group = *IpAddress::parse("ff02::12");
  EXPECT_EQ(std::vector<std::uint8_t>(ip + 24, ip + 40),
            std::vector<std::uint8_t>(group.bytes().begin(), group.bytes().end()));
  EXPECT_EQ(std::vector<std::uint8_t>(ip + 40, ip + 40 + kPayload.size()), kPayload);
}

TEST_F(PacketVrrpSocketTest, DrainReadsAtMostTheGivenNumberPerCall) {
  auto a = open(net_->a, config(true, Family::V4));
  auto b = open(net_->b, config(false, Family::V4));
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(a->send(kPayload, 1));
  std::size_t total = 0;
  while (total < 5) {
    ASSERT_TRUE(waitReadable(b->fd(), 5s));
    std::vector<ReceivedPacket> out;
    ASSERT_FALSE(b->drain(out, 2));
    EXPECT_LE(out.size(), 2u);
    total += out.size();
  }
  EXPECT_EQ(total, 5u);
  std::vector<ReceivedPacket> none;
  EXPECT_FALSE(b->drain(none, 2));  // nothing queued is not an error
  EXPECT_TRUE(none.empty());
}

// Like keepalived's IP_HDRINCL socket, an IPv4 source that is not (yet) a
// local address is sent as given (e.g. an mcast_src_ip about to be added).
TEST_F(PacketVrrpSocketTest, Ipv4SourceNeedNotBeLocal) {
  std::unique_ptr<FrameCapture> capture;
  {
    EnterNetNs in(net_->b);
    capture = std::make_unique<FrameCapture>(net_->ifB);
  }
  auto c = config(true, Family::V4);
  c.source = *IpAddress::parse("203.0.113.77");
  auto a = open(net_->a, c);
  ASSERT_FALSE(a->send(kPayload, 1));
  const auto f = capture->next(isIpv4Vrrp, 5s);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(std::vector<std::uint8_t>(f->begin() + 26, f->begin() + 30),
            (std::vector<std::uint8_t>{203, 0, 113, 77}));
}

TEST_F(PacketVrrpSocketTest, SendErrorsAreReturnedAndCounted) {
  auto a = open(net_->a, config(true, Family::V4));
  EXPECT_EQ(a->sendTo(kPayload, net_->llB, 1),
            std::make_error_code(std::errc::address_family_not_supported));
  EXPECT_EQ(a->stats().sendErrors, 1u);
  net_->a.exec("ip link set dev " + net_->ifA + " down");
  EXPECT_TRUE(a->send(kPayload, 1));  // ENETUNREACH: returned, never thrown
  EXPECT_EQ(a->stats().sendErrors, 2u);
  EXPECT_EQ(a->stats().sent, 0u);
}

TEST_F(PacketVrrpSocketTest, ConstructorErrorsNameTheInterfaceAndTheCall) {
  auto expectThrows = [&](VrrpSocketConfig c, const std::string& part) {
    try {
      open(net_->a, std::move(c));
      ADD_FAILURE() << "no exception";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  auto missing = config(true, Family::V4);
  missing.interface = "nosuch0";
  expectThrows(missing, "nosuch0: if_nametoindex");
  auto notLocal = config(true, Family::V4, true);
  notLocal.source = *IpAddress::parse("198.51.100.1");
  expectThrows(notLocal, "vA: bind(198.51.100.1)");
  auto wrongFamily = config(true, Family::V6);
  wrongFamily.source = net_->v4A;
  expectThrows(wrongFamily, "vA");
}

TEST_F(PacketVrrpSocketTest, KernelRxBufSizeSetsTheReceiveBuffer) {
  auto c = config(false, Family::V4);
  c.kernelRxBufSize = 200000;
  auto b = open(net_->b, c);
  int value = 0;
  socklen_t len = sizeof value;
  ASSERT_EQ(::getsockopt(b->fd(), SOL_SOCKET, SO_RCVBUF, &value, &len), 0);
  EXPECT_GE(value, 200000);  // the kernel doubles it for bookkeeping
}

}  // namespace
}  // namespace vipd::net
