// NetlinkVmacKernel and VmacManager against a real kernel, in a network
// namespace of their own with a veth pair (va, vb).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "netns.h"
#include "vipd/net/vmac.h"

namespace vipd::net {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using vipd::testing::EnterNetNs;
using vipd::testing::NetNs;

class NetlinkVmacTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!vipd::testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for namespaces";
    ns_.emplace("nlvmac");
    ns_->exec("ip link add va type veth peer name vb && ip link set va up && ip link set vb up");
    enter_.emplace(*ns_);
    kernel_ = std::make_unique<NetlinkVmacKernel>();
    baseIfindex_ = std::stoi(ns_->exec("cat /sys/class/net/va/ifindex"));
  }

  void TearDown() override {
    kernel_.reset();
    enter_.reset();
    ns_.reset();
  }

  VmacSpec spec(util::Family family = util::Family::V4, const std::string& name = "vrrp.51") {
    VmacSpec s;
    s.name = name;
    s.baseName = "va";
    s.baseIfindex = baseIfindex_;
    s.mac = virtualRouterMac(51, family);
    s.family = family;
    s.ipv6 = family == util::Family::V6;
    return s;
  }

  std::string sysctl(const std::string& path) { return ns_->exec("cat " + path); }

  std::optional<NetNs> ns_;
  std::optional<EnterNetNs> enter_;
  std::unique_ptr<NetlinkVmacKernel> kernel_;
  int baseIfindex_ = 0;
};

TEST_F(NetlinkVmacTest, AcquireCreatesAPrivateMacvlanWithTheVmacUpOnTheInterface) {
  VmacManager manager(*kernel_);
  auto ifindex = manager.acquire(spec());
  ASSERT_TRUE(ifindex) << ifindex.error().message();

  const std::string shown = ns_->exec("ip -d link show vrrp.51");
  EXPECT_THAT(shown, HasSubstr("vrrp.51@va"));
  EXPECT_THAT(shown, HasSubstr("link/ether 00:00:5e:00:01:33"));
  EXPECT_THAT(shown, HasSubstr("macvlan mode private"));
  EXPECT_THAT(shown, HasSubstr("UP"));
  EXPECT_EQ(std::to_string(ifindex.value()) + "\n",
            ns_->exec("cat /sys/class/net/vrrp.51/ifindex"));
  EXPECT_EQ(sysctl("/proc/sys/net/ipv4/conf/vrrp.51/arp_ignore"), "1\n");
  EXPECT_EQ(sysctl("/proc/sys/net/ipv4/conf/vrrp.51/accept_local"), "1\n");
  EXPECT_EQ(sysctl("/proc/sys/net/ipv4/conf/vrrp.51/rp_filter"), "0\n");
  EXPECT_EQ(sysctl("/proc/sys/net/ipv4/conf/vrrp.51/promote_secondaries"), "1\n");
  EXPECT_EQ(sysctl("/proc/sys/net/ipv6/conf/vrrp.51/disable_ipv6"), "1\n");
  EXPECT_EQ(sysctl("/proc/sys/net/ipv4/conf/va/arp_ignore"), "1\n");
  EXPECT_EQ(sysctl("/proc/sys/net/ipv4/conf/va/arp_filter"), "1\n");
}

TEST_F(NetlinkVmacTest, ReleaseRemovesTheMacvlanAndRestoresTheInterface) {
  ns_->exec("echo 2 > /proc/sys/net/ipv4/conf/va/arp_ignore");
  {
    VmacManager manager(*kernel_);
    ASSERT_TRUE(manager.acquire(spec()));
    manager.release("vrrp.51");
  }
  EXPECT_THAT(ns_->exec("ip -o link show"), Not(HasSubstr("vrrp.51")));
  EXPECT_EQ(sysctl("/proc/sys/net/ipv4/conf/va/arp_ignore"), "2\n");
  EXPECT_EQ(sysctl("/proc/sys/net/ipv4/conf/va/arp_filter"), "0\n");
}

TEST_F(NetlinkVmacTest, Ipv6VmacHasAddrgenmodeNoneAndNoLinkLocalOfItsOwn) {
  VmacManager manager(*kernel_);
  ASSERT_TRUE(manager.acquire(spec(util::Family::V6)));
  const std::string shown = ns_->exec("ip -d link show vrrp.51");
  EXPECT_THAT(shown, HasSubstr("link/ether 00:00:5e:00:02:33"));
  EXPECT_THAT(shown, HasSubstr("addrgenmode none"));
  EXPECT_EQ(ns_->exec("ip -6 -o addr show dev vrrp.51"), "");
}

TEST_F(NetlinkVmacTest, ALeftoverMacvlanIsReusedAndAWrongOneReplaced) {
  ns_->exec("ip link add link va name vrrp.51 address 00:00:5e:00:01:33 type macvlan mode private");
  const std::string leftover = ns_->exec("cat /sys/class/net/vrrp.51/ifindex");
  ns_->exec("ip link add link va name vrrp.52 address 02:00:00:00:00:52 type macvlan mode bridge");
  VmacManager manager(*kernel_);

  auto reused = manager.acquire(spec());
  ASSERT_TRUE(reused) << reused.error().message();
  EXPECT_EQ(std::to_string(reused.value()) + "\n", leftover);
  VmacSpec second = spec(util::Family::V4, "vrrp.52");
  second.mac = virtualRouterMac(52, util::Family::V4);
  auto replaced = manager.acquire(second);
  ASSERT_TRUE(replaced) << replaced.error().message();
  const std::string shown = ns_->exec("ip -d link show vrrp.52");
  EXPECT_THAT(shown, HasSubstr("link/ether 00:00:5e:00:01:34"));
  EXPECT_THAT(shown, HasSubstr("macvlan mode private"));
}

TEST_F(NetlinkVmacTest, AnInterfaceOfThatNameThatIsNoMacvlanIsLeftAlone) {
  ns_->exec("ip link add vrrp.51 type veth peer name vpeer");
  VmacManager manager(*kernel_);
  EXPECT_FALSE(manager.acquire(spec()));
  EXPECT_THAT(ns_->exec("ip -d link show vrrp.51"), HasSubstr("veth"));
}

}  // namespace
}  // namespace vipd::net
