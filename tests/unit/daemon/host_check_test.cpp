// What an instance waits for on the host, and `vipd -t`'s host checks
// (issue 10 item 7): a peer that is this host is an error, a missing
// interface or source address a warning (vipd waits for it).
#include "vipd/daemon/host_check.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <system_error>

#include "daemon_test_support.h"
#include "fakes/fake_address_manager.h"

namespace vipd::daemon {
namespace {

using testing::ip;
using testing::parseConfig;

constexpr int kCheckEth0 = 2;
constexpr int kCheckEth1 = 3;

net::InterfaceAddress hostAddress(int ifindex, const char* address, std::uint8_t length) {
  net::InterfaceAddress a;
  a.ifindex = ifindex;
  a.address = ip(address);
  a.prefixLength = length;
  return a;
}

/// One unicast instance on `interface` from 192.0.2.1 to 192.0.2.2 (or the
/// given lines instead of the default source and peers).
std::string unicastConfig(const std::string& interface = "eth0",
                          const std::string& lines =
                              " unicast_src_ip 192.0.2.1\n"
                              " unicast_peer {\n  192.0.2.2\n }\n") {
  return "vrrp_instance VI_1 {\n interface " + interface +
         "\n virtual_router_id 51\n"
         " virtual_ipaddress {\n  192.0.2.100/24\n }\n" +
         lines + "}\n";
}

class HostCheckTest : public ::testing::Test {
 protected:
  HostCheckTest() { kernel_.setLink(net::LinkInfo{kCheckEth0, "eth0", {}, true, true, 1500}); }

  std::optional<HostWait> waitOf(const std::string& text) {
    return hostWait(parseConfig(text).instances.at(0), kernel_);
  }
  std::vector<std::string> findings(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& d : checkHost(parseConfig(text), kernel_)) out.push_back(config::format(d));
    return out;
  }

  fakes::FakeAddressManager kernel_;
};

TEST_F(HostCheckTest, AnInstanceWithItsInterfaceAndSourceIsReady) {
  kernel_.putAddress(hostAddress(kCheckEth0, "192.0.2.1", 24));
  EXPECT_EQ(waitOf(unicastConfig()), std::nullopt);
  EXPECT_EQ(findings(unicastConfig()), std::vector<std::string>{});
}

TEST_F(HostCheckTest, AMissingInterfaceIsWaitedForFirst) {
  const auto wait = waitOf(unicastConfig("eth1"));
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->kind, HostWait::Kind::Interface);
  EXPECT_EQ(toString(*wait), "interface eth1");
}

TEST_F(HostCheckTest, AMissingSourceIsWaitedForOnAnyInterface) {
  const auto wait = waitOf(unicastConfig());
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->kind, HostWait::Kind::SourceAddress);
  EXPECT_EQ(toString(*wait), "address 192.0.2.1 (unicast_src_ip)");
  // On another interface is local all the same: the socket can bind to it.
  kernel_.setLink(net::LinkInfo{kCheckEth1, "eth1", {}, true, true, 1500});
  kernel_.putAddress(hostAddress(kCheckEth1, "192.0.2.1", 32));
  EXPECT_EQ(waitOf(unicastConfig()), std::nullopt);
}

TEST_F(HostCheckTest, ATentativeIpv6SourceIsWaitedForUntilDadEnds) {
  auto source = hostAddress(kCheckEth0, "2001:db8::1", 64);
  source.tentative = true;
  kernel_.putAddress(source);
  const std::string text =
      "vrrp_instance VI_6 {\n interface eth0\n virtual_router_id 51\n"
      " virtual_ipaddress {\n  2001:db8::100/64\n }\n unicast_src_ip 2001:db8::1\n"
      " unicast_peer {\n  2001:db8::2\n }\n}\n";
  const auto wait = waitOf(text);
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->kind, HostWait::Kind::SourceDad);
  EXPECT_EQ(toString(*wait),
            "address 2001:db8::1 (unicast_src_ip) to finish duplicate address detection");
  kernel_.finishDad(source);
  EXPECT_EQ(waitOf(text), std::nullopt);
}

TEST_F(HostCheckTest, WithoutASourceTheInterfaceNeedsAPrimaryAddressOrALinkLocalOne) {
  const std::string v4 = unicastConfig("eth0", " unicast_peer {\n  192.0.2.2\n }\n");
  ASSERT_TRUE(waitOf(v4));
  EXPECT_EQ(toString(*waitOf(v4)), "an IPv4 address on eth0");
  // A VIP of the instance left on the interface is not a source.
  kernel_.putAddress(hostAddress(kCheckEth0, "192.0.2.100", 32));
  EXPECT_TRUE(waitOf(v4));
  kernel_.putAddress(hostAddress(kCheckEth0, "192.0.2.1", 24));
  EXPECT_EQ(waitOf(v4), std::nullopt);

  const std::string v6 =
      "vrrp_instance VI_6 {\n interface eth0\n virtual_router_id 51\n"
      " virtual_ipaddress {\n  2001:db8::100/64\n }\n}\n";
  kernel_.putAddress(hostAddress(kCheckEth0, "2001:db8::1", 64));
  ASSERT_TRUE(waitOf(v6)) << "a global address is not the advert source";
  EXPECT_EQ(toString(*waitOf(v6)), "an IPv6 link-local address on eth0");
  kernel_.putAddress(hostAddress(kCheckEth0, "fe80::1", 64));
  EXPECT_EQ(waitOf(v6), std::nullopt);
}

TEST_F(HostCheckTest, TheInterfaceOfAVipWithADevIsWaitedFor) {
  kernel_.putAddress(hostAddress(kCheckEth0, "192.0.2.1", 24));
  const std::string text =
      "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
      " virtual_ipaddress {\n  192.0.2.100/24\n  198.51.100.1/24 dev eth1\n }\n}\n";
  ASSERT_TRUE(waitOf(text));
  EXPECT_EQ(toString(*waitOf(text)), "interface eth1");
  kernel_.setLink(net::LinkInfo{kCheckEth1, "eth1", {}, true, true, 1500});
  EXPECT_EQ(waitOf(text), std::nullopt);
}

TEST_F(HostCheckTest, AHostThatCannotBeAskedThrows) {
  kernel_.failAlways(fakes::FakeAddressManager::Op::LinkByName,
                     std::error_code(EPERM, std::system_category()));
  EXPECT_THROW(waitOf(unicastConfig()), std::system_error);
}

TEST_F(HostCheckTest, APeerThatIsAnAddressOfThisHostIsAnErrorAtItsLine) {
  kernel_.putAddress(hostAddress(kCheckEth0, "192.0.2.1", 24));
  kernel_.setLink(net::LinkInfo{kCheckEth1, "eth1", {}, true, true, 1500});
  kernel_.putAddress(hostAddress(kCheckEth1, "198.51.100.7", 24));
  const auto text = unicastConfig(
      "eth0", " unicast_src_ip 192.0.2.1\n unicast_peer {\n  192.0.2.2\n  198.51.100.7\n }\n");
  EXPECT_EQ(findings(text),
            std::vector<std::string>{
                "test.conf:10:3: error: vrrp_instance VI_1 has unicast_peer 198.51.100.7, an "
                "address of this host (on eth1): list the other routers, not this one"});
}

// The typical swap (GH#2216): this node's address given as the peer and the
// peer's as the source. Both lines are named.
TEST_F(HostCheckTest, SwappedSourceAndPeerGiveAWarningAndAnError) {
  kernel_.putAddress(hostAddress(kCheckEth0, "192.0.2.2", 24));
  EXPECT_EQ(findings(unicastConfig()),
            (std::vector<std::string>{
                "test.conf:7:17: warning: vrrp_instance VI_1 has unicast_src_ip 192.0.2.1, which "
                "is not on any interface of this host now; vipd will wait for it (the instance "
                "is PENDING, not FAULT)",
                "test.conf:9:3: error: vrrp_instance VI_1 has unicast_peer 192.0.2.2, an address "
                "of this host (on eth0): list the other routers, not this one"}));
}

TEST_F(HostCheckTest, AMissingInterfaceIsAWarningAtTheInstance) {
  EXPECT_EQ(findings(unicastConfig("eth1")),
            std::vector<std::string>{
                "test.conf:1:1: warning: vrrp_instance VI_1 needs interface eth1, which is not on "
                "this host now; vipd will wait for it (the instance is PENDING, not FAULT)"});
}

TEST_F(HostCheckTest, AMulticastInstanceWithoutAnAddressIsAWarning) {
  EXPECT_EQ(findings(unicastConfig("eth0", "")),
            std::vector<std::string>{
                "test.conf:1:1: warning: vrrp_instance VI_1 needs an IPv4 address on eth0 to send "
                "adverts from, and there is none now; vipd will wait for it (the instance is "
                "PENDING, not FAULT)"});
}

TEST(DefaultSourceTest, TheFirstPrimaryIpv4AddressThatIsNoVip) {
  const auto in = testing::parseInstance(
      "interface eth0\nvirtual_router_id 51\nvirtual_ipaddress {\n192.0.2.100/24\n}");
  auto vip = hostAddress(kCheckEth0, "192.0.2.100", 24);
  auto secondary = hostAddress(kCheckEth0, "192.0.2.50", 24);
  secondary.secondary = true;
  auto primary = hostAddress(kCheckEth0, "192.0.2.1", 24);
  const net::MacAddress mac{0x02, 0, 0, 0, 0, 0x01};
  EXPECT_EQ(defaultSource(in, {vip, secondary, primary}, mac), ip("192.0.2.1"));
  EXPECT_EQ(defaultSource(in, {vip, secondary}, mac), std::nullopt);
}

}  // namespace
}  // namespace vipd::daemon
