// static_ipaddress at run time: added at start whatever the instances do,
// kept across a reload that still lists them, removed at stop.
#include "vipd/daemon/static_addresses.h"

#include <gtest/gtest.h>

#include "daemon_test_support.h"
#include "fakes/fake_address_manager.h"
#include "vipd/config/parser.h"

namespace vipd::daemon {
namespace {

using testing::ip;
using testing::parseConfig;

constexpr int kEth0 = 2;
constexpr int kEth1 = 3;

class StaticAddressesTest : public ::testing::Test {
 protected:
  StaticAddressesTest() {
    kernel_.setLink(net::LinkInfo{kEth0, "eth0", {}, true, true, 1500});
    kernel_.setLink(net::LinkInfo{kEth1, "eth1", {}, true, true, 1500});
  }

  /// The static_ipaddress entries of a configuration with one instance.
  static std::vector<config::VirtualAddress> entries(const std::string& lines) {
    const auto config = parseConfig("static_ipaddress {\n" + lines +
                                    "}\n"
                                    "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
                                    " virtual_ipaddress { 192.0.2.100 }\n}\n");
    return config.global.staticAddresses;
  }

  static net::InterfaceAddress on(int ifindex, const std::string& address, std::uint8_t length) {
    net::InterfaceAddress a;
    a.ifindex = ifindex;
    a.address = ip(address.c_str());
    a.prefixLength = length;
    return a;
  }

  fakes::FakeAddressManager kernel_;
  StaticAddresses statics_{kernel_, testing::quietLogger()};
};

TEST_F(StaticAddressesTest, ApplyAddsEveryEntryOnItsDeviceAndEth0WithoutOne) {
  statics_.apply(entries("198.51.100.1/24 dev eth1\n203.0.113.1/24\n2001:db8:1::1/64 dev eth1\n"));
  EXPECT_TRUE(kernel_.has(on(kEth1, "198.51.100.1", 24)));
  EXPECT_TRUE(kernel_.has(on(kEth0, "203.0.113.1", 24)));
  EXPECT_TRUE(kernel_.has(on(kEth1, "2001:db8:1::1", 64)));
  EXPECT_EQ(statics_.installed().size(), 3u);
}

TEST_F(StaticAddressesTest, RemoveAllTakesAwayWhatApplyAdded) {
  statics_.apply(entries("198.51.100.1/24 dev eth1\n2001:db8:1::1/64 dev eth1\n"));
  statics_.removeAll();
  EXPECT_FALSE(kernel_.has(on(kEth1, "198.51.100.1", 24)));
  EXPECT_FALSE(kernel_.has(on(kEth1, "2001:db8:1::1", 64)));
  EXPECT_TRUE(statics_.installed().empty());
}

TEST_F(StaticAddressesTest, AnAddressAlreadyThereIsAdoptedAndRemovedAtStopAsKeepalivedDoes) {
  kernel_.putAddress(on(kEth1, "198.51.100.1", 24));
  statics_.apply(entries("198.51.100.1/24 dev eth1\n"));
  EXPECT_EQ(statics_.installed().size(), 1u);
  statics_.removeAll();
  EXPECT_FALSE(kernel_.has(on(kEth1, "198.51.100.1", 24)));
}

TEST_F(StaticAddressesTest, AMissingInterfaceSkipsThatEntryOnly) {
  statics_.apply(entries("198.51.100.1/24 dev nosuch0\n198.51.100.2/24 dev eth1\n"));
  EXPECT_TRUE(kernel_.has(on(kEth1, "198.51.100.2", 24)));
  ASSERT_EQ(statics_.installed().size(), 1u);
  EXPECT_EQ(statics_.installed().front().address, ip("198.51.100.2"));
}

TEST_F(StaticAddressesTest, AKernelRefusalSkipsThatEntryOnly) {
  kernel_.failNext(fakes::FakeAddressManager::Op::Add,
                   std::make_error_code(std::errc::permission_denied));
  statics_.apply(entries("198.51.100.1/24 dev eth1\n198.51.100.2/24 dev eth1\n"));
  EXPECT_FALSE(kernel_.has(on(kEth1, "198.51.100.1", 24)));
  EXPECT_TRUE(kernel_.has(on(kEth1, "198.51.100.2", 24)));
  EXPECT_EQ(statics_.installed().size(), 1u);
}

TEST_F(StaticAddressesTest, ReapplyRemovesWhatIsNoLongerListedAndKeepsTheRest) {
  statics_.apply(entries("198.51.100.1/24 dev eth1\n198.51.100.2/24 dev eth1\n"));
  kernel_.clearCalls();
  statics_.apply(entries("198.51.100.2/24 dev eth1\n198.51.100.3/24 dev eth1\n"));
  EXPECT_FALSE(kernel_.has(on(kEth1, "198.51.100.1", 24)));
  EXPECT_TRUE(kernel_.has(on(kEth1, "198.51.100.2", 24)));
  EXPECT_TRUE(kernel_.has(on(kEth1, "198.51.100.3", 24)));
  // The kept one is never taken away, not even for a moment.
  for (const auto& call : kernel_.calls()) {
    if (call.op != fakes::FakeAddressManager::Op::Remove) continue;
    EXPECT_NE(call.address->address, ip("198.51.100.2"));
  }
}

}  // namespace
}  // namespace vipd::daemon
