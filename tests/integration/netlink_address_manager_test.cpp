// NetlinkAddressManager against a real kernel, in a network namespace of its
// own with a veth pair (va, vb). Documentation addresses only.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "netns.h"
#include "vipd/net/address_manager_netlink.h"

namespace vipd::net {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using vipd::testing::EnterNetNs;
using vipd::testing::NetNs;

class NetlinkAddressManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!vipd::testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for namespaces";
    ns_.emplace("nladdr");
    ns_->exec(
        "ip link add va type veth peer name vb && ip link set va mtu 1400 up && "
        "ip link set vb up");
    enter_.emplace(*ns_);
    manager_ = std::make_unique<NetlinkAddressManager>();
    auto link = manager_->linkByName("va");
    ASSERT_TRUE(link) << link.error().message();
    ifindex_ = link.value().ifindex;
  }

  void TearDown() override {
    manager_.reset();
    enter_.reset();
    ns_.reset();
  }

  InterfaceAddress vip(const char* ip, std::uint8_t prefix) const {
    InterfaceAddress a;
    a.ifindex = ifindex_;
    a.address = *util::IpAddress::parse(ip);
    a.prefixLength = prefix;
    return a;
  }

  /// `ip -o <family> addr show dev va`, one line per address.
  std::string shownAddresses(const char* family) const {
    return ns_->exec(std::string("ip -o ") + family + " addr show dev va");
  }

  /// The `ip -o` line of one address, or "" when absent.
  std::string shownLine(const char* family, const std::string& needle) const {
    std::string all = shownAddresses(family);
    std::size_t at = all.find(needle);
    if (at == std::string::npos) return "";
    std::size_t begin = all.rfind('\n', at);
    std::size_t end = all.find('\n', at);
    return all.substr(begin == std::string::npos ? 0 : begin + 1,
                      end == std::string::npos ? std::string::npos : end - begin - 1);
  }

  std::optional<NetNs> ns_;
  std::optional<EnterNetNs> enter_;
  std::unique_ptr<NetlinkAddressManager> manager_;
  int ifindex_ = 0;
};

TEST_F(NetlinkAddressManagerTest, LinkByNameReportsIndexMacMtuAndState) {
  auto link = manager_->linkByName("va");

  ASSERT_TRUE(link);
  EXPECT_EQ(link.value().name, "va");
  EXPECT_EQ(std::to_string(link.value().ifindex) + "\n",
            ns_->exec("cat /sys/class/net/va/ifindex"));
  EXPECT_EQ(link.value().mtu, 1400u);
  EXPECT_TRUE(link.value().adminUp);
  EXPECT_TRUE(link.value().operUp);
  const auto& m = link.value().mac;
  char mac[32];
  std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x\n", m[0], m[1], m[2], m[3], m[4],
                m[5]);
  EXPECT_EQ(mac, ns_->exec("cat /sys/class/net/va/address"));
}

TEST_F(NetlinkAddressManagerTest, LinkByIndexMatchesLinkByName) {
  auto byIndex = manager_->linkByIndex(ifindex_);

  ASSERT_TRUE(byIndex);
  EXPECT_EQ(byIndex.value(), manager_->linkByName("va").value());
}

TEST_F(NetlinkAddressManagerTest, MissingLinkIsNoSuchDevice) {
  auto byName = manager_->linkByName("nosuch0");
  auto byIndex = manager_->linkByIndex(99999);

  ASSERT_FALSE(byName);
  EXPECT_EQ(byName.error(), std::errc::no_such_device);
  ASSERT_FALSE(byIndex);
  EXPECT_EQ(byIndex.error(), std::errc::no_such_device);
}

TEST_F(NetlinkAddressManagerTest, LinkStateFollowsAdminAndCarrier) {
  ns_->exec("ip link set vb down");  // va loses its carrier
  auto noCarrier = manager_->linkByIndex(ifindex_);
  ns_->exec("ip link set va down");
  auto down = manager_->linkByIndex(ifindex_);

  ASSERT_TRUE(noCarrier);
  EXPECT_TRUE(noCarrier.value().adminUp);
  EXPECT_FALSE(noCarrier.value().operUp);
  ASSERT_TRUE(down);
  EXPECT_FALSE(down.value().adminUp);
  EXPECT_FALSE(down.value().operUp);
}

TEST_F(NetlinkAddressManagerTest, AddsIpv4VipWithPrefixAndLabel) {
  auto address = vip("192.0.2.10", 24);
  address.label = "va:vip";

  auto outcome = manager_->add(address);

  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome.value(), AddOutcome::Added);
  std::string line = shownLine("-4", "192.0.2.10/24");
  EXPECT_THAT(line, HasSubstr("scope global va:vip"));
  // keepalived sends no IFA_BROADCAST unless the VIP has `brd`.
  EXPECT_THAT(line, Not(HasSubstr("brd")));
}

TEST_F(NetlinkAddressManagerTest, AddingAPresentAddressAdoptsIt) {
  auto address = vip("192.0.2.10", 24);
  ASSERT_TRUE(manager_->add(address));
  ns_->exec("ip addr add 192.0.2.11/24 dev va");

  auto again = manager_->add(address);
  auto foreign = manager_->add(vip("192.0.2.11", 24));

  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again.value(), AddOutcome::AlreadyPresent);
  ASSERT_TRUE(foreign) << foreign.error().message();
  EXPECT_EQ(foreign.value(), AddOutcome::AlreadyPresent);
}

TEST_F(NetlinkAddressManagerTest, QueryReportsWhatWasAdded) {
  auto address = vip("192.0.2.10", 24);
  address.label = "va:vip";
  ASSERT_TRUE(manager_->add(address));

  auto v4 = manager_->addressesOf(ifindex_, util::Family::V4);
  auto present = manager_->contains(address);
  auto otherPrefix = manager_->contains(vip("192.0.2.10", 32));

  ASSERT_TRUE(v4) << v4.error().message();
  ASSERT_EQ(v4.value().size(), 1u);
  const auto& got = v4.value()[0];
  EXPECT_TRUE(sameAddress(got, address)) << toString(got);
  EXPECT_EQ(got.label, "va:vip");
  EXPECT_EQ(got.scope, Scope::Global);
  EXPECT_FALSE(got.secondary);
  EXPECT_EQ(got.preferredLifetime, kForeverLifetime);
  ASSERT_TRUE(present);
  EXPECT_TRUE(present.value());
  ASSERT_TRUE(otherPrefix);
  EXPECT_FALSE(otherPrefix.value());
}

// The host checks ask "is this address ours?" of every interface at once.
TEST_F(NetlinkAddressManagerTest, HostAddressesListEveryInterfacesAddressesOfAFamily) {
  ASSERT_TRUE(manager_->add(vip("192.0.2.10", 24)));
  auto vb = manager_->linkByName("vb");
  ASSERT_TRUE(vb);
  auto other = vip("198.51.100.7", 24);
  other.ifindex = vb.value().ifindex;
  ASSERT_TRUE(manager_->add(other));

  auto v4 = manager_->hostAddresses(util::Family::V4);
  ASSERT_TRUE(v4) << v4.error().message();
  const auto has = [&](const char* ip, int ifindex) {
    return std::any_of(v4.value().begin(), v4.value().end(), [&](const InterfaceAddress& a) {
      return a.address == *util::IpAddress::parse(ip) && a.ifindex == ifindex;
    });
  };
  EXPECT_TRUE(has("192.0.2.10", ifindex_));
  EXPECT_TRUE(has("198.51.100.7", vb.value().ifindex));
  for (const auto& a : v4.value()) EXPECT_TRUE(a.address.isV4()) << toString(a);
  // addressesOf() still keeps to its interface.
  EXPECT_EQ(manager_->addressesOf(ifindex_, util::Family::V4).value().size(), 1u);
}

TEST_F(NetlinkAddressManagerTest, RemoveTwiceSucceedsBothTimes) {
  auto address = vip("192.0.2.10", 24);
  ASSERT_TRUE(manager_->add(address));

  auto first = manager_->remove(address);
  auto second = manager_->remove(address);

  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(first.value(), RemoveOutcome::Removed);
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second.value(), RemoveOutcome::WasAbsent);
  EXPECT_EQ(shownLine("-4", "192.0.2.10"), "");
  EXPECT_FALSE(manager_->contains(address).value());
}

TEST_F(NetlinkAddressManagerTest, RemoveMatchesTheIpv4PrefixLength) {
  ns_->exec("ip addr add 192.0.2.10/32 dev va");

  auto outcome = manager_->remove(vip("192.0.2.10", 24));

  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome.value(), RemoveOutcome::WasAbsent);
  EXPECT_THAT(shownLine("-4", "192.0.2.10"), HasSubstr("192.0.2.10/32"));
}

TEST_F(NetlinkAddressManagerTest, RemoveOnAMissingInterfaceIsAbsent) {
  auto address = vip("192.0.2.10", 24);
  address.ifindex = 99999;

  auto outcome = manager_->remove(address);

  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome.value(), RemoveOutcome::WasAbsent);
}

TEST_F(NetlinkAddressManagerTest, PrimaryAddressComesBeforeItsSecondaries) {
  ns_->exec("ip addr add 198.51.100.1/24 dev va");
  ASSERT_TRUE(manager_->add(vip("198.51.100.10", 24)));

  auto v4 = manager_->addressesOf(ifindex_, util::Family::V4);

  ASSERT_TRUE(v4);
  ASSERT_EQ(v4.value().size(), 2u);
  EXPECT_EQ(v4.value()[0].address.toString(), "198.51.100.1");
  EXPECT_FALSE(v4.value()[0].secondary);
  EXPECT_EQ(v4.value()[1].address.toString(), "198.51.100.10");
  EXPECT_TRUE(v4.value()[1].secondary);
}

TEST_F(NetlinkAddressManagerTest, Ipv6VipIsUsableAtOnceWithoutDad) {
  auto address = vip("2001:db8::10", 64);

  auto outcome = manager_->add(address);

  ASSERT_TRUE(outcome) << outcome.error().message();
  std::string line = shownLine("-6", "2001:db8::10/64");
  EXPECT_THAT(line, HasSubstr("nodad"));
  EXPECT_THAT(line, Not(HasSubstr("tentative")));
  auto v6 = manager_->addressesOf(ifindex_, util::Family::V6);
  ASSERT_TRUE(v6);
  auto it = std::find_if(v6.value().begin(), v6.value().end(),
                         [&](const InterfaceAddress& a) { return sameAddress(a, address); });
  ASSERT_NE(it, v6.value().end());
  EXPECT_TRUE(it->noDad);
  EXPECT_FALSE(it->tentative);
}

TEST_F(NetlinkAddressManagerTest, Ipv6HostVipIsDeprecatedLikeKeepalived) {
  ASSERT_TRUE(manager_->add(vip("2001:db8::11", 128)));

  std::string line = shownLine("-6", "2001:db8::11/128");

  EXPECT_THAT(line, HasSubstr("preferred_lft 0sec"));
  EXPECT_THAT(line, HasSubstr("valid_lft forever"));
}

TEST_F(NetlinkAddressManagerTest, Ipv6LinkLocalIsReportedWithLinkScope) {
  auto v6 = manager_->addressesOf(ifindex_, util::Family::V6);

  ASSERT_TRUE(v6);
  auto it = std::find_if(v6.value().begin(), v6.value().end(),
                         [](const InterfaceAddress& a) { return a.address.isLinkLocal(); });
  ASSERT_NE(it, v6.value().end());
  EXPECT_EQ(it->scope, Scope::Link);
  EXPECT_EQ(it->prefixLength, 64);
}

TEST_F(NetlinkAddressManagerTest, RemoveFindsAnIpv6AddressWhateverItsPrefixLength) {
  ns_->exec("ip addr add 2001:db8::20/64 dev va nodad");

  auto outcome = manager_->remove(vip("2001:db8::20", 128));

  ASSERT_TRUE(outcome) << outcome.error().message();
  EXPECT_EQ(outcome.value(), RemoveOutcome::Removed);
  EXPECT_EQ(shownLine("-6", "2001:db8::20"), "");
}

TEST_F(NetlinkAddressManagerTest, AddOnAMissingInterfaceNamesTheKernelReason) {
  auto address = vip("192.0.2.10", 24);
  address.ifindex = 99999;

  auto outcome = manager_->add(address);

  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error(), std::errc::no_such_device);
  EXPECT_EQ(&outcome.error().category(), &std::system_category());
  EXPECT_EQ(outcome.error().message(), "No such device");
  // Extended ack text, when the kernel gives one ("ipv4: Device not found").
  if (!manager_->lastKernelMessage().empty()) {
    EXPECT_THAT(manager_->lastKernelMessage(), HasSubstr("evice"));
  }
}

TEST_F(NetlinkAddressManagerTest, LabelMustStartWithTheInterfaceName) {
  auto address = vip("192.0.2.10", 24);
  address.label = "eth0:vip";

  auto outcome = manager_->add(address);

  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error(), NetlinkErrc::LabelMismatch);
  EXPECT_EQ(shownLine("-4", "192.0.2.10"), "");
}

TEST_F(NetlinkAddressManagerTest, NoPrefixRouteLeavesTheRoutingTableAlone) {
  auto quiet = vip("203.0.113.10", 24);
  quiet.noPrefixRoute = true;
  ASSERT_TRUE(manager_->add(quiet));
  EXPECT_THAT(ns_->exec("ip route show dev va"), Not(HasSubstr("203.0.113.0/24")));
  EXPECT_TRUE(manager_->addressesOf(ifindex_, util::Family::V4).value()[0].noPrefixRoute);

  ASSERT_TRUE(manager_->add(vip("198.51.100.10", 24)));
  EXPECT_THAT(ns_->exec("ip route show dev va"), HasSubstr("198.51.100.0/24"));
}

TEST_F(NetlinkAddressManagerTest, BroadcastAndScopeAreApplied) {
  auto address = vip("203.0.113.20", 24);
  address.broadcast = util::IpAddress::parse("203.0.113.255");
  address.scope = Scope::Host;

  ASSERT_TRUE(manager_->add(address));

  EXPECT_THAT(shownLine("-4", "203.0.113.20/24"), HasSubstr("brd 203.0.113.255 scope host"));
  auto got = manager_->addressesOf(ifindex_, util::Family::V4).value().at(0);
  EXPECT_EQ(got.scope, Scope::Host);
  EXPECT_EQ(got.broadcast, address.broadcast);
}

}  // namespace
}  // namespace vipd::net
