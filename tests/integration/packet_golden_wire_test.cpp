// The strongest wire check: given the VRRP message keepalived 2.2.7 sent (a
// golden vector) and keepalived's ID for it, VrrpSocket must put the very same
// IP packet on the wire, byte for byte, IP header included. The namespaces
// are set up as in tools/capture-golden (same MACs, addresses and link-local;
// IPv6 flow labels off). See tests/data/golden/README.md.
#include <gtest/gtest.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "packet_test_env.h"
#include "unit/net/packet_golden.h"
#include "vipd/net/vrrp_socket.h"

namespace vipd::net {
namespace {

using testing::EnterNetNs;
using testing::FrameCapture;
using testing::VethPair;
using util::Family;
using util::IpAddress;
using namespace std::chrono_literals;

struct GoldenCase {
  const char* vector;
  Family family;
  const char* unicastPeer;  // nullptr: multicast
  int advertsBefore;        // the ID is Ipv4IdCounter's value after this many adverts
  std::vector<std::uint8_t> dstMac;
};

class PacketGoldenWireTest : public ::testing::TestWithParam<GoldenCase> {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root (network namespaces)";
    net_ = std::make_unique<VethPair>();
    // As in the capture: a zero flow label instead of a per-boot random hash.
    net_->a.exec("sysctl -qw net.ipv6.auto_flowlabels=0");
  }
  std::unique_ptr<VethPair> net_;
};

TEST_P(PacketGoldenWireTest, SocketSendsKeepalivedsPacketByteForByte) {
  const GoldenCase& c = GetParam();
  const std::vector<std::uint8_t> golden = testing::readGolden(c.vector);
  const std::size_t ipHeader = c.family == Family::V4 ? 20 : 40;
  ASSERT_GT(golden.size(), ipHeader);
  const std::span<const std::uint8_t> vrrp(golden.data() + ipHeader, golden.size() - ipHeader);

  std::unique_ptr<FrameCapture> capture;
  {
    EnterNetNs in(net_->b);
    capture = std::make_unique<FrameCapture>(net_->ifB);
  }
  VrrpSocketConfig config;
  config.interface = net_->ifA;
  config.family = c.family;
  config.source = c.family == Family::V4 ? net_->v4A : net_->llA;
  config.unicast = c.unicastPeer != nullptr;
  std::unique_ptr<VrrpSocket> socket;
  {
    EnterNetNs in(net_->a);
    socket = std::make_unique<VrrpSocket>(config);
  }
  Ipv4IdCounter ids;
  for (int i = 0; i < c.advertsBefore; ++i) ids.next();
  const std::uint16_t id = ids.next();
  if (c.unicastPeer) {
    ASSERT_FALSE(socket->sendTo(vrrp, *IpAddress::parse(c.unicastPeer), id));
  } else {
    ASSERT_FALSE(socket->send(vrrp, id));
  }

  const std::uint8_t etherType = c.family == Family::V4 ? 0x00 : 0xdd;
  const auto frame = capture->next(
      [&](std::span<const std::uint8_t> f) {
        return f.size() > 14 + ipHeader && f[13] == etherType &&
               f[14 + (c.family == Family::V4 ? 9 : 6)] == 112;
      },
      5s);
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(std::vector<std::uint8_t>(frame->begin(), frame->begin() + 6), c.dstMac);
  EXPECT_EQ(std::vector<std::uint8_t>(frame->begin() + 6, frame->begin() + 12),
            std::vector<std::uint8_t>(net_->macA.begin(), net_->macA.end()));
  EXPECT_EQ(std::vector<std::uint8_t>(frame->begin() + 14, frame->end()), golden);
}

const std::vector<std::uint8_t> kMac4{0x01, 0x00, 0x5e, 0x00, 0x00, 0x12};
const std::vector<std::uint8_t> kMac6{0x33, 0x33, 0x00, 0x00, 0x00, 0x12};
const std::vector<std::uint8_t> kPeerMac{0x02, 0, 0, 0, 0, 0x02};

INSTANTIATE_TEST_SUITE_P(
    Vectors, PacketGoldenWireTest,
    ::testing::Values(GoldenCase{"v2_ipv4_1addr", Family::V4, nullptr, 0, kMac4},
                      GoldenCase{"v2_ipv4_3addr", Family::V4, nullptr, 0, kMac4},
                      GoldenCase{"v2_ipv4_authpass", Family::V4, nullptr, 0, kMac4},
                      GoldenCase{"v3_ipv4_1addr", Family::V4, nullptr, 0, kMac4},
                      GoldenCase{"v3_ipv4_3addr", Family::V4, nullptr, 0, kMac4},
                      GoldenCase{"v3_ipv4_unicast", Family::V4, "192.0.2.2", 0, kPeerMac},
                      GoldenCase{"v3_ipv4_prio0", Family::V4, nullptr, 3, kMac4},
                      GoldenCase{"v3_ipv6_1addr", Family::V6, nullptr, 0, kMac6},
                      GoldenCase{"v3_ipv6_3addr", Family::V6, nullptr, 0, kMac6}),
    [](const ::testing::TestParamInfo<GoldenCase>& p) { return std::string(p.param.vector); });

}  // namespace
}  // namespace vipd::net
