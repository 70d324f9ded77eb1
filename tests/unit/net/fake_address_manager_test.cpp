// The fake must behave like NetlinkAddressManager does against the kernel
// (tests/integration/netlink_address_manager_test.cpp checks the real one),
// or daemon tests written against it prove nothing.

#include "fakes/fake_address_manager.h"

#include <gtest/gtest.h>

namespace vipd::fakes {
namespace {

using net::AddOutcome;
using net::InterfaceAddress;
using net::RemoveOutcome;
using Op = FakeAddressManager::Op;

InterfaceAddress address(const char* ip, std::uint8_t prefix, int ifindex = 2) {
  InterfaceAddress a;
  a.ifindex = ifindex;
  a.address = *util::IpAddress::parse(ip);
  a.prefixLength = prefix;
  return a;
}

class FakeAddressManagerTest : public ::testing::Test {
 protected:
  FakeAddressManagerTest() {
    fake_.setLink({2, "eth0", {0x02, 0, 0, 0, 0, 0x01}, true, true, 1500});
    fake_.takeEvents();
  }

  FakeAddressManager fake_;
  net::AddressManager& manager_ = fake_;
};

TEST_F(FakeAddressManagerTest, AddThenAddAgainAdoptsTheAddress) {
  auto vip = address("192.0.2.10", 24);

  auto first = manager_.add(vip);
  auto second = manager_.add(vip);

  ASSERT_TRUE(first);
  EXPECT_EQ(first.value(), AddOutcome::Added);
  ASSERT_TRUE(second);
  EXPECT_EQ(second.value(), AddOutcome::AlreadyPresent);
  EXPECT_EQ(fake_.allAddresses().size(), 1u);
}

TEST_F(FakeAddressManagerTest, RemoveThenRemoveAgainIsSuccessBothTimes) {
  auto vip = address("192.0.2.10", 24);
  ASSERT_TRUE(manager_.add(vip));

  auto first = manager_.remove(vip);
  auto second = manager_.remove(vip);

  ASSERT_TRUE(first);
  EXPECT_EQ(first.value(), RemoveOutcome::Removed);
  ASSERT_TRUE(second);
  EXPECT_EQ(second.value(), RemoveOutcome::WasAbsent);
  EXPECT_TRUE(fake_.allAddresses().empty());
}

TEST_F(FakeAddressManagerTest, AddOnAMissingInterfaceIsNoSuchDevice) {
  auto result = manager_.add(address("192.0.2.10", 24, 99));

  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), std::errc::no_such_device);
}

TEST_F(FakeAddressManagerTest, RemoveOnAMissingInterfaceIsAbsent) {
  auto result = manager_.remove(address("192.0.2.10", 24, 99));

  ASSERT_TRUE(result);
  EXPECT_EQ(result.value(), RemoveOutcome::WasAbsent);
}

TEST_F(FakeAddressManagerTest, ValidatesLabelsLikeTheRealOne) {
  auto vip = address("192.0.2.10", 24);
  vip.label = "eth1:vip";

  auto result = manager_.add(vip);

  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), net::NetlinkErrc::LabelMismatch);
  vip.label = "eth0:vip";
  EXPECT_TRUE(manager_.add(vip));
}

TEST_F(FakeAddressManagerTest, ReportsPrimaryAndSecondaryInOrder) {
  fake_.putAddress(address("192.0.2.1", 24));
  ASSERT_TRUE(manager_.add(address("192.0.2.10", 24)));
  ASSERT_TRUE(manager_.add(address("198.51.100.10", 32)));

  auto v4 = manager_.addressesOf(2, util::Family::V4);

  ASSERT_TRUE(v4);
  ASSERT_EQ(v4.value().size(), 3u);
  EXPECT_FALSE(v4.value()[0].secondary);
  EXPECT_TRUE(v4.value()[1].secondary);
  EXPECT_FALSE(v4.value()[2].secondary);   // another subnet: a primary of its own
  EXPECT_EQ(v4.value()[1].label, "eth0");  // the kernel's default label
}

TEST_F(FakeAddressManagerTest, Ipv6IsTentativeOnlyWithDad) {
  auto withDad = address("2001:db8::1", 64);
  withDad.noDad = false;
  ASSERT_TRUE(manager_.add(withDad));
  ASSERT_TRUE(manager_.add(address("2001:db8::2", 64)));

  auto v6 = manager_.addressesOf(2, util::Family::V6);
  ASSERT_TRUE(v6);
  ASSERT_EQ(v6.value().size(), 2u);
  EXPECT_TRUE(v6.value()[0].tentative);
  EXPECT_FALSE(v6.value()[1].tentative);

  fake_.finishDad(withDad);
  EXPECT_FALSE(manager_.addressesOf(2, util::Family::V6).value()[0].tentative);
}

TEST_F(FakeAddressManagerTest, ContainsFollowsKernelIdentity) {
  ASSERT_TRUE(manager_.add(address("2001:db8::1", 64)));
  ASSERT_TRUE(manager_.add(address("192.0.2.10", 24)));

  EXPECT_TRUE(manager_.contains(address("2001:db8::1", 128)).value());
  EXPECT_FALSE(manager_.contains(address("192.0.2.10", 32)).value());
  EXPECT_TRUE(manager_.contains(address("192.0.2.10", 24)).value());
}

TEST_F(FakeAddressManagerTest, LinkQueries) {
  auto byName = manager_.linkByName("eth0");
  auto byIndex = manager_.linkByIndex(2);
  auto missing = manager_.linkByName("eth9");

  ASSERT_TRUE(byName);
  EXPECT_EQ(byName.value().ifindex, 2);
  ASSERT_TRUE(byIndex);
  EXPECT_EQ(byIndex.value().name, "eth0");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), std::errc::no_such_device);
}

TEST_F(FakeAddressManagerTest, InjectedFailureHitsTheNextCallsOnlyAndChangesNothing) {
  const std::error_code busy(EBUSY, std::system_category());
  fake_.failNext(Op::Add, busy, 2);
  auto vip = address("192.0.2.10", 24);

  auto first = manager_.add(vip);
  auto second = manager_.add(vip);
  auto third = manager_.add(vip);

  ASSERT_FALSE(first);
  EXPECT_EQ(first.error(), busy);
  ASSERT_FALSE(second);
  ASSERT_TRUE(third);
  EXPECT_EQ(third.value(), AddOutcome::Added);
  EXPECT_EQ(fake_.allAddresses().size(), 1u);
}

TEST_F(FakeAddressManagerTest, FailAlwaysLastsUntilCleared) {
  const std::error_code busy(EBUSY, std::system_category());
  fake_.failAlways(Op::LinkByIndex, busy);

  EXPECT_FALSE(manager_.linkByIndex(2));
  EXPECT_FALSE(manager_.linkByIndex(2));
  fake_.clearFailures();
  EXPECT_TRUE(manager_.linkByIndex(2));
}

TEST_F(FakeAddressManagerTest, LogsEveryCallInOrderWithItsResult) {
  auto vip = address("192.0.2.10", 24);
  fake_.failNext(Op::Remove, std::error_code(EIO, std::system_category()));

  (void)manager_.linkByName("eth0");
  (void)manager_.add(vip);
  (void)manager_.contains(vip);
  (void)manager_.remove(vip);
  (void)manager_.addressesOf(2, util::Family::V4);
  (void)manager_.linkByIndex(7);

  EXPECT_EQ(fake_.callOps(), (std::vector<Op>{Op::LinkByName, Op::Add, Op::Contains, Op::Remove,
                                              Op::AddressesOf, Op::LinkByIndex}));
  const auto& calls = fake_.calls();
  EXPECT_EQ(calls[0].name, "eth0");
  ASSERT_TRUE(calls[1].address);
  EXPECT_EQ(*calls[1].address, vip);
  EXPECT_FALSE(calls[1].result);
  EXPECT_EQ(calls[3].result, std::error_code(EIO, std::system_category()));
  EXPECT_EQ(calls[5].ifindex, 7);
  EXPECT_EQ(calls[5].result, std::errc::no_such_device);
}

TEST_F(FakeAddressManagerTest, EmitsTheEventsTheKernelWouldSend) {
  auto vip = address("192.0.2.10", 24);
  ASSERT_TRUE(manager_.add(vip));
  ASSERT_TRUE(manager_.add(vip));  // adopted: no event
  fake_.setLinkState(2, true, false);
  fake_.deleteLink(2);

  auto events = fake_.takeEvents();

  ASSERT_EQ(events.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<net::AddressAdded>(events[0]));
  ASSERT_TRUE(std::holds_alternative<net::LinkChanged>(events[1]));
  EXPECT_FALSE(std::get<net::LinkChanged>(events[1]).link.operUp);
  EXPECT_TRUE(std::holds_alternative<net::AddressRemoved>(events[2]));
  EXPECT_EQ(events[3], net::NetEvent(net::LinkRemoved{2, "eth0"}));
  EXPECT_TRUE(fake_.takeEvents().empty());
  EXPECT_TRUE(fake_.allAddresses().empty());
}

}  // namespace
}  // namespace vipd::fakes
