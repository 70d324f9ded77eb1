// Instances waiting for their interface or address (issue 10 items 7 and
// 8): pending, logged once per thing they wait for, ready when the host has
// it, and what `vipctl status` shows of them meanwhile.
#include "vipd/daemon/pending_instances.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "daemon_test_support.h"
#include "fakes/fake_address_manager.h"
#include "fakes/fake_clock.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using testing::ip;
using testing::parseConfig;

constexpr int kPendingEth0 = 2;
constexpr int kPendingEth1 = 7;

net::InterfaceAddress pendingAddress(int ifindex, const char* address, std::uint8_t length) {
  net::InterfaceAddress a;
  a.ifindex = ifindex;
  a.address = ip(address);
  a.prefixLength = length;
  return a;
}

/// Two instances: A on eth0 from 192.0.2.1 (unicast), B on eth1 (multicast).
const char* kPendingConfig =
    "vrrp_instance A {\n interface eth0\n virtual_router_id 51\n priority 150\n"
    " virtual_ipaddress {\n  192.0.2.100/24\n }\n unicast_src_ip 192.0.2.1\n"
    " unicast_peer {\n  192.0.2.2\n }\n}\n"
    "vrrp_instance B {\n interface eth1\n virtual_router_id 52\n"
    " virtual_ipaddress {\n  198.51.100.100/24\n }\n"
    " virtual_ipaddress_excluded {\n  2001:db8::100/64\n }\n}\n";

class PendingInstancesTest : public ::testing::Test {
 protected:
  PendingInstancesTest() : config_(parseConfig(kPendingConfig)) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(log_);
    sink->set_pattern("%l %v");
    pending_ =
        std::make_unique<PendingInstances>(kernel_, std::make_shared<spdlog::logger>("vrrp", sink));
    kernel_.setLink(net::LinkInfo{kPendingEth0, "eth0", {}, true, true, 1500});
  }

  const config::VrrpInstance& a() const { return config_.instances.at(0); }
  const config::VrrpInstance& b() const { return config_.instances.at(1); }

  std::vector<std::string> names(const std::vector<const config::VrrpInstance*>& ready) {
    std::vector<std::string> out;
    for (const auto* in : ready) out.push_back(in->name);
    return out;
  }

  /// The log lines so far, and forgets them.
  std::string takeLog() {
    auto text = log_.str();
    log_.str("");
    return text;
  }

  config::Config config_;
  fakes::FakeAddressManager kernel_;
  fakes::FakeClock clock_;
  std::ostringstream log_;
  std::unique_ptr<PendingInstances> pending_;
};

TEST_F(PendingInstancesTest, AnInstanceWithEverythingIsReadyAndNotPending) {
  kernel_.putAddress(pendingAddress(kPendingEth0, "192.0.2.1", 24));
  EXPECT_TRUE(pending_->ready(a(), clock_.now()));
  EXPECT_TRUE(pending_->empty());
  EXPECT_EQ(takeLog(), "");
}

TEST_F(PendingInstancesTest, AMissingSourceMakesItPendingWithOneWarningNotAFault) {
  EXPECT_FALSE(pending_->ready(a(), clock_.now()));
  ASSERT_TRUE(pending_->contains("A"));
  EXPECT_EQ(takeLog(),
            "warning (A) pending: waiting for address 192.0.2.1 (unicast_src_ip); the instance "
            "starts when it appears (not FAULT)\n");
  // Nothing new on the host: no new line, however often it is asked.
  EXPECT_EQ(names(pending_->recheck(config_, clock_.now())), std::vector<std::string>{});
  EXPECT_EQ(names(pending_->recheck(config_, clock_.now())), std::vector<std::string>{});
  EXPECT_EQ(takeLog(), "");
}

TEST_F(PendingInstancesTest, ItIsReadyOnceTheAddressAppearsAndStaysListedUntilStarted) {
  ASSERT_FALSE(pending_->ready(a(), clock_.now()));
  clock_.advance(2s);
  kernel_.putAddress(pendingAddress(kPendingEth0, "192.0.2.1", 24));
  EXPECT_EQ(names(pending_->recheck(config_, clock_.now())), std::vector<std::string>{"A"});
  EXPECT_TRUE(pending_->contains("A"));
  takeLog();
  pending_->started("A", clock_.now());
  EXPECT_FALSE(pending_->contains("A"));
  EXPECT_EQ(takeLog(),
            "info (A) was pending for 2.000 s (waiting for address 192.0.2.1 (unicast_src_ip)); "
            "starting\n");
}

TEST_F(PendingInstancesTest, TheInterfaceThenItsAddressEachLoggedOnce) {
  ASSERT_FALSE(pending_->ready(b(), clock_.now()));
  EXPECT_EQ(toString(*pending_->find("B")->wait), "interface eth1");
  takeLog();
  // The interface appears without an address (a bond being built).
  kernel_.setLink(net::LinkInfo{kPendingEth1, "eth1", {}, true, true, 1500});
  EXPECT_EQ(names(pending_->recheck(config_, clock_.now())), std::vector<std::string>{});
  EXPECT_EQ(takeLog(), "info (B) pending: now waiting for an IPv4 address on eth1\n");
  kernel_.putAddress(pendingAddress(kPendingEth1, "198.51.100.1", 24));
  EXPECT_EQ(names(pending_->recheck(config_, clock_.now())), std::vector<std::string>{"B"});
}

TEST_F(PendingInstancesTest, OthersAreNotHeldUpAndRecheckKeepsConfigurationOrder) {
  ASSERT_FALSE(pending_->ready(b(), clock_.now()));
  ASSERT_FALSE(pending_->ready(a(), clock_.now()));
  kernel_.setLink(net::LinkInfo{kPendingEth1, "eth1", {}, true, true, 1500});
  kernel_.putAddress(pendingAddress(kPendingEth1, "198.51.100.1", 24));
  kernel_.putAddress(pendingAddress(kPendingEth0, "192.0.2.1", 24));
  EXPECT_EQ(names(pending_->recheck(config_, clock_.now())), (std::vector<std::string>{"A", "B"}));
}

TEST_F(PendingInstancesTest, AFailedStartStaysPendingAndIsLoggedOncePerReason) {
  kernel_.putAddress(pendingAddress(kPendingEth0, "192.0.2.1", 24));
  pending_->failed("A", "bind: Cannot assign requested address", clock_.now());
  EXPECT_TRUE(pending_->contains("A"));
  EXPECT_NE(takeLog().find("error (A) pending: cannot start: bind"), std::string::npos);
  pending_->failed("A", "bind: Cannot assign requested address", clock_.now());
  EXPECT_EQ(takeLog(), "");
  // Tried again at the next change, while the host has everything.
  EXPECT_EQ(names(pending_->recheck(config_, clock_.now())), std::vector<std::string>{"A"});
}

TEST_F(PendingInstancesTest, AHostQueryThatFailsKeepsItWaiting) {
  ASSERT_FALSE(pending_->ready(a(), clock_.now()));
  kernel_.putAddress(pendingAddress(kPendingEth0, "192.0.2.1", 24));
  kernel_.failAlways(fakes::FakeAddressManager::Op::LinkByName,
                     std::error_code(EPERM, std::system_category()));
  EXPECT_EQ(names(pending_->recheck(config_, clock_.now())), std::vector<std::string>{});
  EXPECT_TRUE(pending_->contains("A"));
}

TEST_F(PendingInstancesTest, HoldAndForget) {
  HostWait wait;
  wait.interface = "eth0";
  pending_->hold("A", wait, clock_.now());
  EXPECT_EQ(takeLog(), "") << "the caller says why";
  ASSERT_TRUE(pending_->contains("A"));
  pending_->forget("A");
  EXPECT_TRUE(pending_->empty());
}

TEST_F(PendingInstancesTest, ViewsCarryTheConfiguredIdentityAndWhatTheyWaitFor) {
  ASSERT_FALSE(pending_->ready(b(), clock_.now()));
  ASSERT_FALSE(pending_->ready(a(), clock_.now()));
  const auto views = pendingViews(*pending_, config_, {"B"});
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0].name, "B");
  EXPECT_EQ(views[0].interface, "eth1");
  EXPECT_EQ(views[0].vrid, 52);
  EXPECT_EQ(views[0].vips, (std::vector<std::string>{"198.51.100.100/24", "2001:db8::100/64"}));
  EXPECT_TRUE(views[0].maintenance);
  EXPECT_EQ(views[0].waitingFor, "interface eth1");
  EXPECT_EQ(views[1].name, "A");
  EXPECT_EQ(views[1].priority, 150);
  EXPECT_FALSE(views[1].maintenance);
  EXPECT_EQ(views[1].waitingFor, "address 192.0.2.1 (unicast_src_ip)");
  // An entry whose instance the configuration no longer has is left out.
  EXPECT_EQ(
      pendingViews(*pending_,
                   parseConfig(std::string(kPendingConfig)
                                   .substr(0, std::string(kPendingConfig).find("vrrp_instance B"))),
                   {})
          .size(),
      1u);
}

}  // namespace
}  // namespace vipd::daemon
