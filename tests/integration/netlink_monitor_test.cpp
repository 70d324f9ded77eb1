// NetlinkMonitor against a real kernel: changes made from outside with `ip`
// in a namespace of the test's own must show up as NetEvents within a bounded
// wait (poll on fd(), never sleep-as-sync).

#include "vipd/net/netlink_monitor.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "netns.h"
#include "vipd/net/address_manager_netlink.h"

namespace vipd::net {
namespace {

using namespace std::chrono_literals;
using vipd::testing::EnterNetNs;
using vipd::testing::NetNs;

constexpr auto kEventTimeout = 5s;

/// Reads events until one satisfies `match` or `timeout` passes, waiting
/// with poll() on the monitor's descriptor. Every event read is kept in
/// `seen` (for failure messages and later checks).
std::optional<NetEvent> waitForEvent(NetlinkMonitor& monitor,
                                     const std::function<bool(const NetEvent&)>& match,
                                     std::vector<NetEvent>& seen,
                                     std::chrono::milliseconds timeout = kEventTimeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto& event : monitor.readEvents()) {
      seen.push_back(event);
      if (match(event)) return event;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return std::nullopt;
    pollfd pfd{monitor.fd(), POLLIN, 0};
    ::poll(&pfd, 1, static_cast<int>(left.count()));
  }
}

std::string describe(const std::vector<NetEvent>& events) {
  std::string out;
  for (const auto& event : events) out += "\n  " + toString(event);
  return out.empty() ? " (none)" : out;
}

template <class Event>
std::function<bool(const NetEvent&)> is(std::function<bool(const Event&)> match) {
  return [match](const NetEvent& event) {
    const auto* typed = std::get_if<Event>(&event);
    return typed != nullptr && match(*typed);
  };
}

class NetlinkMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!vipd::testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for namespaces";
    ns_.emplace("nlmon");
    ns_->exec("ip link add va type veth peer name vb && ip link set va up && ip link set vb up");
    enter_.emplace(*ns_);
    manager_ = std::make_unique<NetlinkAddressManager>();
    ifindex_ = manager_->linkByName("va").value().ifindex;
  }

  void TearDown() override {
    monitor_.reset();
    manager_.reset();
    enter_.reset();
    ns_.reset();
  }

  void openMonitor(const MonitorOptions& options = {}) { monitor_.emplace(options); }

  std::optional<NetEvent> waitFor(const std::function<bool(const NetEvent&)>& match) {
    return waitForEvent(*monitor_, match, seen_);
  }

  std::optional<NetEvent> waitForLink(const std::string& name, bool adminUp, bool operUp) {
    return waitFor(is<LinkChanged>([&](const LinkChanged& e) {
      return e.link.name == name && e.link.adminUp == adminUp && e.link.operUp == operUp;
    }));
  }

  std::optional<NetEvent> waitForAddressAdded(const std::string& ip) {
    return waitFor(is<AddressAdded>(
        [&](const AddressAdded& e) { return e.address.address.toString() == ip; }));
  }

  std::optional<NetEvent> waitForAddressRemoved(const std::string& ip) {
    return waitFor(is<AddressRemoved>(
        [&](const AddressRemoved& e) { return e.address.address.toString() == ip; }));
  }

  std::optional<NetNs> ns_;
  std::optional<EnterNetNs> enter_;
  std::unique_ptr<NetlinkAddressManager> manager_;
  std::optional<NetlinkMonitor> monitor_;
  std::vector<NetEvent> seen_;
  int ifindex_ = 0;
};

TEST_F(NetlinkMonitorTest, ReadEventsNeverBlocks) {
  openMonitor();
  // Nothing is queued (or at most an IPv6 DAD note about va's link-local
  // address): either way the call must come back at once.
  const auto start = std::chrono::steady_clock::now();
  (void)monitor_->readEvents();
  (void)monitor_->readEvents();

  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(NetlinkMonitorTest, ReceiveBufferIsGenerousByDefault) {
  openMonitor();

  // Asked for 8 MiB; the kernel reports twice that.
  EXPECT_GE(monitor_->receiveBufferBytes(), 8 * 1024 * 1024);
}

TEST_F(NetlinkMonitorTest, SeesLinkGoDownAndComeBackUp) {
  openMonitor();

  ns_->exec("ip link set va down");
  auto down = waitForLink("va", false, false);
  ASSERT_TRUE(down) << "seen:" << describe(seen_);
  EXPECT_EQ(std::get<LinkChanged>(*down).link.ifindex, ifindex_);

  ns_->exec("ip link set va up");
  EXPECT_TRUE(waitForLink("va", true, true)) << "seen:" << describe(seen_);
}

TEST_F(NetlinkMonitorTest, SeesCarrierLossWhenThePeerGoesDown) {
  openMonitor();

  ns_->exec("ip link set vb down");

  EXPECT_TRUE(waitForLink("va", true, false)) << "seen:" << describe(seen_);
}

TEST_F(NetlinkMonitorTest, SeesIpv4AddressAddedAndRemovedFromOutside) {
  openMonitor();

  ns_->exec("ip addr add 192.0.2.50/24 dev va label va:ext");
  auto added = waitForAddressAdded("192.0.2.50");
  ASSERT_TRUE(added) << "seen:" << describe(seen_);
  const auto& address = std::get<AddressAdded>(*added).address;
  EXPECT_EQ(address.ifindex, ifindex_);
  EXPECT_EQ(address.prefixLength, 24);
  EXPECT_EQ(address.label, "va:ext");

  ns_->exec("ip addr del 192.0.2.50/24 dev va");
  EXPECT_TRUE(waitForAddressRemoved("192.0.2.50")) << "seen:" << describe(seen_);
}

TEST_F(NetlinkMonitorTest, SeesIpv6AddressAddedAndRemovedFromOutside) {
  openMonitor();

  ns_->exec("ip -6 addr add 2001:db8::50/64 dev va nodad");
  auto added = waitForAddressAdded("2001:db8::50");
  ASSERT_TRUE(added) << "seen:" << describe(seen_);
  EXPECT_TRUE(std::get<AddressAdded>(*added).address.noDad);
  EXPECT_FALSE(std::get<AddressAdded>(*added).address.tentative);

  ns_->exec("ip -6 addr del 2001:db8::50/64 dev va");
  EXPECT_TRUE(waitForAddressRemoved("2001:db8::50")) << "seen:" << describe(seen_);
}

TEST_F(NetlinkMonitorTest, SeesChangesMadeThroughTheAddressManager) {
  openMonitor();
  InterfaceAddress vip;
  vip.ifindex = ifindex_;
  vip.address = *util::IpAddress::parse("198.51.100.7");
  vip.prefixLength = 32;

  ASSERT_TRUE(manager_->add(vip));
  auto added = waitForAddressAdded("198.51.100.7");
  ASSERT_TRUE(manager_->remove(vip));
  auto removed = waitForAddressRemoved("198.51.100.7");

  ASSERT_TRUE(added) << "seen:" << describe(seen_);
  EXPECT_TRUE(sameAddress(std::get<AddressAdded>(*added).address, vip));
  EXPECT_TRUE(removed) << "seen:" << describe(seen_);
}

TEST_F(NetlinkMonitorTest, SeesLinksAppearAndDisappear) {
  openMonitor();

  ns_->exec("ip link add vc type veth peer name vd");
  auto created = waitFor(is<LinkChanged>([](const LinkChanged& e) { return e.link.name == "vc"; }));
  ASSERT_TRUE(created) << "seen:" << describe(seen_);
  const int vc = std::get<LinkChanged>(*created).link.ifindex;

  ns_->exec("ip link del vc");
  auto removed = waitFor(is<LinkRemoved>([](const LinkRemoved& e) { return e.name == "vc"; }));
  ASSERT_TRUE(removed) << "seen:" << describe(seen_);
  EXPECT_EQ(std::get<LinkRemoved>(*removed).ifindex, vc);
}

TEST_F(NetlinkMonitorTest, OverrunAsksForResyncAndKeepsWorking) {
  // The smallest buffer the kernel allows holds a handful of notifications.
  openMonitor(MonitorOptions{.receiveBufferBytes = 1, .forceReceiveBuffer = true});
  std::string batch;
  for (int i = 1; i <= 200; ++i) {
    batch += "addr add 203.0.113." + std::to_string(i) + "/32 dev va\n";
  }
  ns_->exec("printf '" + batch + "' | ip -batch -");

  auto resync = waitFor([](const NetEvent& e) { return std::holds_alternative<ResyncNeeded>(e); });

  ASSERT_TRUE(resync) << "seen:" << describe(seen_);
  EXPECT_GE(monitor_->stats().overruns, 1u);
  // After the resync the state comes from queries: all 200 are there.
  auto v4 = manager_->addressesOf(ifindex_, util::Family::V4);
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4.value().size(), 200u);
  // And the socket still delivers what happens next.
  ns_->exec("ip link set va down");
  EXPECT_TRUE(waitForLink("va", false, false)) << "seen:" << describe(seen_);
}

}  // namespace
}  // namespace vipd::net
