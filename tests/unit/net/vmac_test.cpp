// The pure part of use_vmac: the RFC 5798 §7.3 MAC, keepalived's sysctls,
// the create/reuse/replace decision, and VmacManager over a fake kernel.

#include "vipd/net/vmac.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "fakes/fake_vmac_kernel.h"

namespace vipd::net {
namespace {

using util::Family;

VmacSpec spec(const std::string& name = "vrrp.51", Family family = Family::V4) {
  VmacSpec s;
  s.name = name;
  s.baseName = "eth0";
  s.baseIfindex = 2;
  s.mac = virtualRouterMac(51, family);
  s.family = family;
  s.ipv6 = family == Family::V6;
  return s;
}

using fakes::FakeVmacKernel;

TEST(VmacTest, MacIsRfc5798VirtualRouterMacPerFamily) {
  EXPECT_EQ(virtualRouterMac(51, Family::V4), (MacAddress{0x00, 0x00, 0x5e, 0x00, 0x01, 51}));
  EXPECT_EQ(virtualRouterMac(255, Family::V6), (MacAddress{0x00, 0x00, 0x5e, 0x00, 0x02, 255}));
}

TEST(VmacTest, SysctlPathKeepsTheDotsOfTheInterfaceName) {
  EXPECT_EQ(sysctlPath({Family::V4, "vrrp.51", "arp_ignore", 1}),
            "/proc/sys/net/ipv4/conf/vrrp.51/arp_ignore");
  EXPECT_EQ(sysctlPath({Family::V6, "vrrp.51", "disable_ipv6", 1}),
            "/proc/sys/net/ipv6/conf/vrrp.51/disable_ipv6");
}

TEST(VmacTest, Ipv4VmacGetsKeepalivedsSysctlsAndNoIpv6) {
  EXPECT_EQ(vmacSysctls(spec()),
            (std::vector<Sysctl>{{Family::V4, "vrrp.51", "arp_ignore", 1},
                                 {Family::V4, "vrrp.51", "accept_local", 1},
                                 {Family::V4, "vrrp.51", "rp_filter", 0},
                                 {Family::V4, "vrrp.51", "promote_secondaries", 1},
                                 {Family::V6, "vrrp.51", "disable_ipv6", 1}}));
  EXPECT_EQ(baseSysctls(spec()), (std::vector<Sysctl>{{Family::V4, "eth0", "arp_ignore", 1},
                                                      {Family::V4, "eth0", "arp_filter", 1}}));
}

TEST(VmacTest, Ipv4VmacWithIpv6EvipsKeepsIpv6) {
  VmacSpec s = spec();
  s.ipv6 = true;
  EXPECT_EQ(vmacSysctls(s).size(), 4u);
}

TEST(VmacTest, Ipv6VmacSetsNoSysctls) {
  EXPECT_TRUE(vmacSysctls(spec("vrrp.51", Family::V6)).empty());
  EXPECT_TRUE(baseSysctls(spec("vrrp.51", Family::V6)).empty());
}

TEST(VmacTest, PlanReusesOnlyOurOwnMacvlan) {
  const VmacSpec s = spec();
  const ExistingLink ours{7, true, 2, s.mac, true};
  EXPECT_EQ(planVmac(std::nullopt, s), VmacStep::Create);
  EXPECT_EQ(planVmac(ours, s), VmacStep::Reuse);
  ExistingLink otherBase = ours;
  otherBase.lowerIfindex = 3;
  EXPECT_EQ(planVmac(otherBase, s), VmacStep::Replace);
  ExistingLink otherMac = ours;
  otherMac.mac[5] = 52;
  EXPECT_EQ(planVmac(otherMac, s), VmacStep::Replace);
  ExistingLink bridgeMode = ours;
  bridgeMode.privateMode = false;
  EXPECT_EQ(planVmac(bridgeMode, s), VmacStep::Replace);
  ExistingLink realInterface = ours;
  realInterface.macvlan = false;
  EXPECT_EQ(planVmac(realInterface, s), VmacStep::Refuse);
}

TEST(VmacManagerTest, AcquireCreatesConfiguresThenBringsUp) {
  FakeVmacKernel kernel;
  VmacManager manager(kernel);
  auto ifindex = manager.acquire(spec());
  ASSERT_TRUE(ifindex);
  EXPECT_EQ(ifindex.value(), 10);
  EXPECT_EQ(kernel.calls, (std::vector<std::string>{
                              "create vrrp.51",
                              "/proc/sys/net/ipv4/conf/vrrp.51/arp_ignore=1",
                              "/proc/sys/net/ipv4/conf/vrrp.51/accept_local=1",
                              "/proc/sys/net/ipv4/conf/vrrp.51/rp_filter=0",
                              "/proc/sys/net/ipv4/conf/vrrp.51/promote_secondaries=1",
                              "/proc/sys/net/ipv6/conf/vrrp.51/disable_ipv6=1",
                              "/proc/sys/net/ipv4/conf/eth0/arp_ignore=1",
                              "/proc/sys/net/ipv4/conf/eth0/arp_filter=1",
                              "up 10",
                          }));
}

TEST(VmacManagerTest, Ipv6AcquireTurnsOffAddressGenerationBeforeUp) {
  FakeVmacKernel kernel;
  VmacManager manager(kernel);
  ASSERT_TRUE(manager.acquire(spec("vrrp.51", Family::V6)));
  EXPECT_EQ(kernel.calls,
            (std::vector<std::string>{"create vrrp.51", "addrgenmode none 10", "up 10"}));
}

TEST(VmacManagerTest, ALeftoverOfOursIsReusedAndAForeignOneReplaced) {
  FakeVmacKernel kernel;
  kernel.links["vrrp.51"] = ExistingLink{5, true, 2, spec().mac, true};
  kernel.links["vrrp.52"] = ExistingLink{6, true, 9, spec().mac, true};
  VmacManager manager(kernel);
  auto reused = manager.acquire(spec());
  ASSERT_TRUE(reused);
  EXPECT_EQ(reused.value(), 5);
  auto replaced = manager.acquire(spec("vrrp.52"));
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced.value(), 10);
  EXPECT_EQ(std::count(kernel.calls.begin(), kernel.calls.end(), "remove 6"), 1);
  EXPECT_EQ(std::count(kernel.calls.begin(), kernel.calls.end(), "create vrrp.51"), 0);
}

TEST(VmacManagerTest, ARealInterfaceOfThatNameIsNeverTouched) {
  FakeVmacKernel kernel;
  kernel.links["vrrp.51"] = ExistingLink{5, false, 0, {}, false};
  VmacManager manager(kernel);
  EXPECT_FALSE(manager.acquire(spec()));
  EXPECT_TRUE(kernel.calls.empty());
  EXPECT_TRUE(kernel.links.contains("vrrp.51"));
}

TEST(VmacManagerTest, ReleaseDeletesAndRestoresTheBaseAfterItsLastVmac) {
  FakeVmacKernel kernel;
  kernel.sysctls["/proc/sys/net/ipv4/conf/eth0/arp_ignore"] = 2;
  VmacManager manager(kernel);
  ASSERT_TRUE(manager.acquire(spec("vrrp.51")));
  ASSERT_TRUE(manager.acquire(spec("vrrp.52")));
  manager.release("vrrp.51");
  EXPECT_FALSE(kernel.links.contains("vrrp.51"));
  EXPECT_EQ(kernel.sysctls["/proc/sys/net/ipv4/conf/eth0/arp_ignore"], 1) << "still in use";
  manager.release("vrrp.52");
  EXPECT_TRUE(kernel.links.empty());
  EXPECT_EQ(kernel.sysctls["/proc/sys/net/ipv4/conf/eth0/arp_ignore"], 2);
  EXPECT_EQ(kernel.sysctls["/proc/sys/net/ipv4/conf/eth0/arp_filter"], 0);
}

TEST(VmacManagerTest, NonZeroAllRpFilterIsMovedToEachInterfaceAndBackAsKeepalivedDoes) {
  FakeVmacKernel kernel;
  const std::string all = "/proc/sys/net/ipv4/conf/all/rp_filter";
  kernel.sysctls[all] = 1;
  kernel.sysctls["/proc/sys/net/ipv4/conf/eth0/rp_filter"] = 2;  // above: left alone
  VmacManager manager(kernel);
  ASSERT_TRUE(manager.acquire(spec()));
  EXPECT_EQ(kernel.sysctls[all], 0);
  EXPECT_EQ(kernel.sysctls["/proc/sys/net/ipv4/conf/default/rp_filter"], 1);
  EXPECT_EQ(kernel.sysctls["/proc/sys/net/ipv4/conf/lo/rp_filter"], 1);
  EXPECT_EQ(kernel.sysctls["/proc/sys/net/ipv4/conf/eth0/rp_filter"], 2);
  EXPECT_EQ(kernel.sysctls["/proc/sys/net/ipv4/conf/vrrp.51/rp_filter"], 0) << "set after";
  kernel.sysctls["/proc/sys/net/ipv4/conf/lo/rp_filter"] = 2;  // changed by someone else

  manager.release("vrrp.51");
  EXPECT_EQ(kernel.sysctls[all], 1);
  EXPECT_EQ(kernel.sysctls["/proc/sys/net/ipv4/conf/default/rp_filter"], 0);
  EXPECT_EQ(kernel.sysctls["/proc/sys/net/ipv4/conf/lo/rp_filter"], 2);
}

TEST(VmacManagerTest, ZeroAllRpFilterIsLeftAlone) {
  FakeVmacKernel kernel;
  VmacManager manager(kernel);
  ASSERT_TRUE(manager.acquire(spec()));
  EXPECT_FALSE(kernel.sysctls.contains("/proc/sys/net/ipv4/conf/default/rp_filter"));
}

TEST(VmacManagerTest, AFailedStepLeavesNothingBehind) {
  FakeVmacKernel kernel;
  kernel.failOn = "up";
  VmacManager manager(kernel);
  EXPECT_FALSE(manager.acquire(spec()));
  EXPECT_TRUE(kernel.links.empty());
  EXPECT_EQ(kernel.sysctls["/proc/sys/net/ipv4/conf/eth0/arp_ignore"], 0);
}

TEST(VmacManagerTest, DestructionReleasesEverything) {
  FakeVmacKernel kernel;
  {
    VmacManager manager(kernel);
    ASSERT_TRUE(manager.acquire(spec()));
  }
  EXPECT_TRUE(kernel.links.empty());
}

}  // namespace
}  // namespace vipd::net
