// Removing what a previous run left behind: only what is still present, in
// the reverse of the install order, one info line each; nothing that is no
// longer what vipd made (an ifindex with another name, a macvlan that
// changed); what the kernel refuses is reported. configuredItems() is what
// a configuration installs on this host; cleanUpAfterCrash() is the work of
// `vipd --cleanup`.
#include "vipd/daemon/leftovers.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "daemon_test_support.h"
#include "fakes/fake_address_manager.h"
#include "fakes/fake_route_manager.h"
#include "fakes/fake_vmac_kernel.h"
#include "ledger_test_support.h"
#include "vipd/daemon/cleanup_command.h"

namespace vipd::daemon {
namespace {

using testing::ip;
using testing::kIfindex;
using testing::loggerInto;
using testing::MemoryStore;

constexpr int kVmacIfindex = 10;  // FakeVmacKernel's first

const net::MacAddress kVmac51 = net::virtualRouterMac(51, util::Family::V4);

net::InterfaceAddress kernelVip(const char* address, int ifindex = kIfindex,
                                std::uint8_t prefix = 24) {
  net::InterfaceAddress a;
  a.ifindex = ifindex;
  a.address = ip(address);
  a.prefixLength = prefix;
  return a;
}

net::RouteSpec route(const char* destination) {
  net::RouteSpec r;
  r.destination = {ip(destination), 24};
  r.nextHops = {{ip("192.0.2.254"), "eth0", false}};
  return r;
}

net::RuleSpec rule() {
  net::RuleSpec r;
  r.from = net::Prefix{ip("192.0.2.100"), 32};
  r.table = 100;
  r.priority = 100;
  return r;
}

class LeftoversTest : public ::testing::Test {
 protected:
  LeftoversTest() { addLink(kIfindex, "eth0"); }

  void addLink(int ifindex, const std::string& name) {
    net::LinkInfo link;
    link.ifindex = ifindex;
    link.name = name;
    addresses_.setLink(link);
  }

  /// vrrp.51 on eth0, as the previous run made it.
  void leftoverVmac(net::MacAddress mac = kVmac51, int parent = kIfindex, bool macvlan = true) {
    vmacs_.links["vrrp.51"] = net::ExistingLink{kVmacIfindex, macvlan, parent, mac, true};
    addLink(kVmacIfindex, "vrrp.51");
  }

  CleanupReport clean(const std::vector<InstalledItem>& items,
                      const std::function<bool(const InstalledItem&)>& keep = {}) {
    return removeLeftovers(items, deps_, "state file", keep);
  }

  /// The log's lines, without the level.
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    std::istringstream in(logText_.str());
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  std::ostringstream logText_;
  std::shared_ptr<spdlog::logger> log_ = loggerInto(logText_);
  fakes::FakeAddressManager addresses_;
  fakes::FakeRouteManager routes_;
  fakes::FakeVmacKernel vmacs_;
  CleanupDeps deps_{addresses_, routes_, vmacs_, *log_};
};

const InstalledAddress kVip100{"eth0", kIfindex, ip("192.0.2.100"), 24};
const InstalledMacvlan kMacvlan{"vrrp.51", "eth0", kIfindex, kVmac51};

TEST_F(LeftoversTest, WhatIsStillPresentGoesLastInstalledFirst) {
  leftoverVmac();
  addresses_.putAddress(kernelVip("192.0.2.100"));
  ASSERT_TRUE(routes_.addRoute(route("203.0.113.0")));
  ASSERT_TRUE(routes_.addRule(rule()));
  const std::vector<InstalledItem> items = {kMacvlan, kVip100, route("203.0.113.0"), rule()};

  const auto report = clean(items);

  EXPECT_EQ(report.removed, 4u);
  EXPECT_TRUE(report.failed.empty());
  EXPECT_FALSE(addresses_.has(kernelVip("192.0.2.100")));
  EXPECT_TRUE(routes_.routes().empty());
  EXPECT_TRUE(routes_.rules().empty());
  EXPECT_EQ(vmacs_.links.count("vrrp.51"), 0u);
  const auto log = lines();
  ASSERT_EQ(log.size(), 4u) << logText_.str();
  EXPECT_EQ(log[0].rfind("info removed rule inet from 192.0.2.100/32", 0), 0u) << log[0];
  EXPECT_EQ(log[1].rfind("info removed route 203.0.113.0/24 via 192.0.2.254", 0), 0u) << log[1];
  EXPECT_EQ(log[2], "info removing 192.0.2.100/24 on eth0 left by a previous run (state file)");
  EXPECT_EQ(log[3], "info removing macvlan vrrp.51 on eth0 left by a previous run (state file)");
  EXPECT_NE(log[0].find("left by a previous run (state file)"), std::string::npos);
}

TEST_F(LeftoversTest, WhatIsAbsentAlreadyIsSkippedSilently) {
  const std::vector<InstalledItem> items = {kMacvlan, kVip100, route("203.0.113.0"), rule()};
  const auto report = clean(items);
  EXPECT_EQ(report.removed, 0u);
  EXPECT_TRUE(report.failed.empty());
  EXPECT_EQ(logText_.str(), "");
  EXPECT_TRUE(vmacs_.calls.empty()) << "nothing to delete";
}

TEST_F(LeftoversTest, AnAddressOnAnInterfaceGoneIsGoneWithIt) {
  const auto report = clean({InstalledAddress{"vrrp.51", 44, ip("192.0.2.100"), 24}});
  EXPECT_EQ(report.removed, 0u);
  EXPECT_TRUE(report.failed.empty());
}

TEST_F(LeftoversTest, AnIfindexThatIsAnotherInterfaceNowIsLeftAlone) {
  addLink(5, "eth5");
  addresses_.putAddress(kernelVip("192.0.2.100", 5));
  const auto report = clean({InstalledAddress{"eth1", 5, ip("192.0.2.100"), 24}});
  EXPECT_EQ(report.removed, 0u);
  EXPECT_TRUE(addresses_.has(kernelVip("192.0.2.100", 5)));
  EXPECT_NE(logText_.str().find("leaving 192.0.2.100/24 on eth1 alone: ifindex 5 is now eth5"),
            std::string::npos)
      << logText_.str();
}

TEST_F(LeftoversTest, AnIpv4AddressWithAnotherPrefixIsNotOurs) {
  addresses_.putAddress(kernelVip("192.0.2.100", kIfindex, 32));
  EXPECT_EQ(clean({kVip100}).removed, 0u);
  EXPECT_TRUE(addresses_.has(kernelVip("192.0.2.100", kIfindex, 32)));
}

TEST_F(LeftoversTest, AMacvlanThatChangedIsLeftAlone) {
  const std::vector<std::pair<std::string, std::function<void()>>> cases = {
      {"another MAC", [&] { leftoverVmac(net::virtualRouterMac(52, util::Family::V4)); }},
      {"another parent", [&] { leftoverVmac(kVmac51, 3); }},
      {"not a macvlan", [&] { leftoverVmac(kVmac51, kIfindex, false); }},
  };
  for (const auto& [what, setUp] : cases) {
    SCOPED_TRACE(what);
    vmacs_.links.clear();
    setUp();
    EXPECT_EQ(clean({kMacvlan}).removed, 0u);
    EXPECT_EQ(vmacs_.links.count("vrrp.51"), 1u);
  }
  EXPECT_TRUE(vmacs_.calls.empty());
  EXPECT_NE(logText_.str().find("leaving macvlan vrrp.51 on eth0 alone"), std::string::npos);
}

TEST_F(LeftoversTest, KeptItemsStayWhereTheyAre) {
  leftoverVmac();
  addresses_.putAddress(kernelVip("192.0.2.100"));
  const auto report = clean({kMacvlan, kVip100}, [](const InstalledItem& item) {
    return std::holds_alternative<InstalledMacvlan>(item);
  });
  EXPECT_EQ(report.removed, 1u);
  EXPECT_EQ(vmacs_.links.count("vrrp.51"), 1u) << "reused by the new configuration";
  EXPECT_FALSE(addresses_.has(kernelVip("192.0.2.100")));
}

TEST_F(LeftoversTest, WhatTheKernelRefusesIsReportedAndLogged) {
  leftoverVmac();
  addresses_.putAddress(kernelVip("192.0.2.100"));
  addresses_.failNext(fakes::FakeAddressManager::Op::Remove,
                      std::make_error_code(std::errc::operation_not_permitted));
  vmacs_.failOn = "remove";
  const auto report = clean({kVip100, kMacvlan});
  EXPECT_EQ(report.removed, 0u);
  EXPECT_EQ(report.failed, (std::vector<InstalledItem>{kVip100, kMacvlan}));
  EXPECT_NE(logText_.str().find("error cannot remove 192.0.2.100/24 on eth0 left by a previous "
                                "run (state file): Operation not permitted"),
            std::string::npos)
      << logText_.str();
}

TEST_F(LeftoversTest, ASysctlIsPutBackOnlyWhileItHoldsVipdsValue) {
  const InstalledSysctl arpIgnore{{util::Family::V4, "eth0", "arp_ignore", 1}, 0};
  const InstalledSysctl rpFilter{{util::Family::V4, "all", "rp_filter", 0}, 1};
  vmacs_.sysctls["/proc/sys/net/ipv4/conf/eth0/arp_ignore"] = 1;
  vmacs_.sysctls["/proc/sys/net/ipv4/conf/all/rp_filter"] = 2;  // changed since by someone
  const auto report = clean({arpIgnore, rpFilter});
  EXPECT_EQ(report.removed, 1u);
  EXPECT_EQ(vmacs_.sysctls["/proc/sys/net/ipv4/conf/eth0/arp_ignore"], 0);
  EXPECT_EQ(vmacs_.sysctls["/proc/sys/net/ipv4/conf/all/rp_filter"], 2);
  EXPECT_NE(logText_.str().find("info resetting sysctl net.ipv4.conf.eth0.arp_ignore=1 to 0 left "
                                "by a previous run (state file)"),
            std::string::npos)
      << logText_.str();
  EXPECT_NE(logText_.str().find("leaving sysctl net.ipv4.conf.all.rp_filter=0 alone: it is 2 now"),
            std::string::npos)
      << logText_.str();
}

// ---- configuredItems --------------------------------------------------------------------

TEST_F(LeftoversTest, TheConfigurationInstallsItsAddressesRoutesRulesAndVmacs) {
  leftoverVmac();  // the VMAC of VI_2 exists: its VIPs can be present
  const auto config = testing::parseConfig(R"(
static_ipaddress {
    198.51.100.1/24 dev eth0
    198.51.100.2/24
    198.51.100.3/24 dev eth9
}
static_routes {
    198.51.100.0/25 via 192.0.2.254 dev eth0
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 50
    priority 100
    virtual_ipaddress {
        192.0.2.100/24
        192.0.2.150/24 dev eth9
    }
    virtual_ipaddress_excluded {
        192.0.2.160/24
    }
    virtual_routes {
        203.0.113.0/24 via 192.0.2.254 dev eth0
    }
    virtual_rules {
        from 192.0.2.100 table 100 priority 100
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 51
    priority 100
    use_vmac vrrp.51
    virtual_ipaddress {
        192.0.2.200/24
    }
}
vrrp_instance VI_3 {
    interface eth9
    virtual_router_id 53
    priority 100
    use_vmac vrrp.53
    virtual_ipaddress {
        192.0.2.53/24
    }
}
)");
  const auto items = configuredItems(config, addresses_);
  std::vector<std::string> described;
  for (const auto& item : items) described.push_back(describe(item));
  EXPECT_EQ(described, (std::vector<std::string>{
                           "192.0.2.100/24 on eth0",
                           "192.0.2.160/24 on eth0",
                           "route " + net::describe(std::get<net::RouteSpec>(items[2])),
                           "rule " + net::describe(std::get<net::RuleSpec>(items[3])),
                           "192.0.2.200/24 on vrrp.51",
                           "macvlan vrrp.51 on eth0",
                           "198.51.100.1/24 on eth0",
                           "198.51.100.2/24 on eth0",
                           "route " + net::describe(std::get<net::RouteSpec>(items[8])),
                       }))
      << "eth9 does not exist, so nothing is on it (nor on the VMAC it would carry)";
  EXPECT_EQ(std::get<net::RouteSpec>(items[2]).destination.address, ip("203.0.113.0"));
  EXPECT_EQ(std::get<InstalledMacvlan>(items[5]), kMacvlan);
  EXPECT_EQ(std::get<InstalledAddress>(items[4]).ifindex, kVmacIfindex);
}

TEST_F(LeftoversTest, ARestartKeepsTheVmacsAndStaticEntriesItInstallsAgainAndNothingElse) {
  const auto config = testing::parseConfig(R"(
static_ipaddress {
    198.51.100.1/24 dev eth0
}
static_routes {
    198.51.100.0/25 via 192.0.2.254 dev eth0
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    use_vmac vrrp.51
    virtual_ipaddress {
        192.0.2.100/24
    }
}
)");
  const auto keep = keptAtStart(config, addresses_);
  const auto staticRoute = configuredItems(config, addresses_).back();
  ASSERT_TRUE(std::holds_alternative<net::RouteSpec>(staticRoute));
  EXPECT_TRUE(keep(kMacvlan)) << "reused as it is";
  EXPECT_TRUE(keep(InstalledAddress{"eth0", kIfindex, ip("198.51.100.1"), 24}))
      << "a static address is adopted, as keepalived does";
  EXPECT_TRUE(keep(staticRoute));
  EXPECT_FALSE(keep(InstalledAddress{"vrrp.51", kVmacIfindex, ip("192.0.2.100"), 24}))
      << "a configured VIP goes: the instance starts as backup";
  EXPECT_FALSE(keep(InstalledAddress{"eth0", kIfindex, ip("198.51.100.1"), 25}));
  auto otherMac = kMacvlan;
  otherMac.mac = net::virtualRouterMac(52, util::Family::V4);
  EXPECT_FALSE(keep(otherMac)) << "not the VMAC this configuration makes";
  EXPECT_FALSE(keep(route("203.0.113.0")));
}

// ---- cleanUpAfterCrash (vipd --cleanup) -------------------------------------------------

TEST_F(LeftoversTest, CleanupRemovesTheRecordedThenTheConfiguredAndDiscardsTheStore) {
  // The killed run had 192.0.2.100; the configuration now says 192.0.2.101,
  // which keepalived's start-up cleanup (or a run without state file) left.
  addresses_.putAddress(kernelVip("192.0.2.100"));
  addresses_.putAddress(kernelVip("192.0.2.101"));
  addresses_.putAddress(kernelVip("192.0.2.1"));  // the host's own
  const auto config = testing::parseConfig(
      "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 100\n"
      " virtual_ipaddress {\n  192.0.2.101/24\n }\n}\n");
  MemoryStore store;
  store.save(ledgerText({kVip100}));

  const auto done = cleanUpAfterCrash({kVip100}, &config, deps_, store);

  EXPECT_EQ(done.removed, 2u);
  EXPECT_TRUE(done.failed.empty());
  EXPECT_FALSE(addresses_.has(kernelVip("192.0.2.100")));
  EXPECT_FALSE(addresses_.has(kernelVip("192.0.2.101")));
  EXPECT_TRUE(addresses_.has(kernelVip("192.0.2.1"))) << "never recorded nor configured";
  EXPECT_TRUE(store.discarded);
  EXPECT_NE(logText_.str().find("removing 192.0.2.101/24 on eth0 left by a previous run "
                                "(configuration)"),
            std::string::npos)
      << logText_.str();
}

TEST_F(LeftoversTest, CleanupKeepsWhatItCouldNotRemoveInTheStore) {
  addresses_.putAddress(kernelVip("192.0.2.100"));
  addresses_.failAlways(fakes::FakeAddressManager::Op::Remove,
                        std::make_error_code(std::errc::operation_not_permitted));
  const auto config = testing::parseConfig(
      "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 100\n"
      " virtual_ipaddress {\n  192.0.2.100/24\n }\n}\n");
  MemoryStore store;

  const auto done = cleanUpAfterCrash({kVip100}, &config, deps_, store);

  EXPECT_EQ(done.failed, (std::vector<InstalledItem>{kVip100})) << "tried once, reported once";
  auto kept = parseLedgerText(store.text);
  ASSERT_TRUE(kept) << store.text;
  EXPECT_EQ(kept.value(), (std::vector<InstalledItem>{kVip100}));
}

}  // namespace
}  // namespace vipd::daemon
