// The managers that keep the ledger: a record reaches the store before the
// kernel is asked (so a crash in between never leaves something installed
// and unrecorded), a failed install is forgotten again, and what the kernel
// no longer has is forgotten, addresses, routes, rules and VMACs alike.
#include "vipd/daemon/recording_managers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "daemon_test_support.h"
#include "fakes/fake_address_manager.h"
#include "fakes/fake_route_manager.h"
#include "fakes/fake_vmac_kernel.h"
#include "ledger_test_support.h"

namespace vipd::daemon {
namespace {

using testing::ip;
using testing::kIfindex;
using testing::MemoryStore;

/// The fake kernel, telling `events` of each add and remove as it happens.
class SequencedAddresses final : public net::AddressManager {
 public:
  SequencedAddresses(fakes::FakeAddressManager& fake, std::vector<std::string>& events)
      : fake_(fake), events_(events) {}

  net::NetlinkResult<net::AddOutcome> add(const net::InterfaceAddress& a) override {
    events_.push_back("kernel add " + a.address.toString());
    return fake_.add(a);
  }
  net::NetlinkResult<net::RemoveOutcome> remove(const net::InterfaceAddress& a) override {
    events_.push_back("kernel remove " + a.address.toString());
    return fake_.remove(a);
  }
  net::NetlinkResult<bool> contains(const net::InterfaceAddress& a) override {
    return fake_.contains(a);
  }
  net::NetlinkResult<net::LinkInfo> linkByName(const std::string& name) override {
    return fake_.linkByName(name);
  }
  net::NetlinkResult<net::LinkInfo> linkByIndex(int ifindex) override {
    return fake_.linkByIndex(ifindex);
  }
  net::NetlinkResult<std::vector<net::InterfaceAddress>> addressesOf(int ifindex,
                                                                     util::Family f) override {
    return fake_.addressesOf(ifindex, f);
  }
  net::NetlinkResult<std::vector<net::InterfaceAddress>> hostAddresses(util::Family f) override {
    return fake_.hostAddresses(f);
  }

 private:
  fakes::FakeAddressManager& fake_;
  std::vector<std::string>& events_;
};

net::InterfaceAddress vip(const char* address, int ifindex = kIfindex) {
  net::InterfaceAddress a;
  a.ifindex = ifindex;
  a.address = ip(address);
  a.prefixLength = 24;
  return a;
}

class RecordingAddressManagerTest : public ::testing::Test {
 protected:
  RecordingAddressManagerTest() {
    net::LinkInfo eth0;
    eth0.ifindex = kIfindex;
    eth0.name = "eth0";
    kernel_.setLink(eth0);
  }

  std::vector<std::string> events_;
  fakes::FakeAddressManager kernel_;
  SequencedAddresses sequenced_{kernel_, events_};
  MemoryStore store_{&events_};
  InstallLedger ledger_{store_, testing::quietLogger()};
  RecordingAddressManager addresses_{sequenced_, ledger_};
};

TEST_F(RecordingAddressManagerTest, TheRecordIsSavedBeforeTheKernelIsAsked) {
  ASSERT_TRUE(addresses_.add(vip("192.0.2.100")));
  EXPECT_EQ(events_, (std::vector<std::string>{"save 1", "kernel add 192.0.2.100"}));
  EXPECT_EQ(ledger_.items(),
            (std::vector<InstalledItem>{InstalledAddress{"eth0", kIfindex, ip("192.0.2.100"), 24}}))
      << "with the interface's name";
}

TEST_F(RecordingAddressManagerTest, RemovalIsForgottenAfterTheKernelDidIt) {
  ASSERT_TRUE(addresses_.add(vip("192.0.2.100")));
  events_.clear();
  ASSERT_TRUE(addresses_.remove(vip("192.0.2.100")));
  EXPECT_EQ(events_, (std::vector<std::string>{"kernel remove 192.0.2.100", "discard"}));
}

TEST_F(RecordingAddressManagerTest, AFailedAddIsForgottenAgain) {
  kernel_.failNext(fakes::FakeAddressManager::Op::Add,
                   std::make_error_code(std::errc::permission_denied));
  EXPECT_FALSE(addresses_.add(vip("192.0.2.100")));
  EXPECT_TRUE(ledger_.items().empty());
  EXPECT_EQ(events_, (std::vector<std::string>{"save 1", "kernel add 192.0.2.100", "discard"}));
}

TEST_F(RecordingAddressManagerTest, AFailedAddOfWhatWasRecordedKeepsTheRecord) {
  ASSERT_TRUE(addresses_.add(vip("192.0.2.100")));
  kernel_.failNext(fakes::FakeAddressManager::Op::Add,
                   std::make_error_code(std::errc::permission_denied));
  EXPECT_FALSE(addresses_.add(vip("192.0.2.100")));
  EXPECT_EQ(ledger_.items().size(), 1u) << "the first add put it there";
}

TEST_F(RecordingAddressManagerTest, AFailedRemoveKeepsTheRecord) {
  ASSERT_TRUE(addresses_.add(vip("192.0.2.100")));
  kernel_.failNext(fakes::FakeAddressManager::Op::Remove,
                   std::make_error_code(std::errc::permission_denied));
  EXPECT_FALSE(addresses_.remove(vip("192.0.2.100")));
  EXPECT_EQ(ledger_.items().size(), 1u) << "still there: the next start removes it";
}

TEST_F(RecordingAddressManagerTest, AnAdoptedAddressIsRecordedLikeAnAddedOne) {
  kernel_.putAddress(vip("192.0.2.100"));
  auto added = addresses_.add(vip("192.0.2.100"));
  ASSERT_TRUE(added);
  EXPECT_EQ(added.value(), net::AddOutcome::AlreadyPresent);
  EXPECT_EQ(ledger_.items().size(), 1u) << "vipd removes it at stop, so it is vipd's now";
}

TEST_F(RecordingAddressManagerTest, TheInterfaceNameIsAskedOncePerIfindex) {
  ASSERT_TRUE(addresses_.add(vip("192.0.2.100")));
  ASSERT_TRUE(addresses_.add(vip("192.0.2.101")));
  ASSERT_TRUE(addresses_.remove(vip("192.0.2.100")));
  ASSERT_TRUE(addresses_.add(vip("192.0.2.100")));
  int lookups = 0;
  for (const auto& call : kernel_.calls()) {
    lookups += call.op == fakes::FakeAddressManager::Op::LinkByIndex ? 1 : 0;
  }
  EXPECT_EQ(lookups, 1) << "a takeover pays no netlink round trip per VIP";
}

TEST(RecordingRouteManagerTest, RoutesAndRulesAreRecordedBeforeAndForgottenAfter) {
  fakes::FakeRouteManager kernel;
  MemoryStore store;
  InstallLedger ledger(store, testing::quietLogger());
  RecordingRouteManager routes(kernel, ledger);
  net::RouteSpec route;
  route.destination = {ip("203.0.113.0"), 24};
  net::RuleSpec rule;
  rule.from = net::Prefix{ip("192.0.2.100"), 32};
  rule.table = 100;

  ASSERT_TRUE(routes.addRoute(route));
  ASSERT_TRUE(routes.addRule(rule));
  EXPECT_EQ(ledger.items(), (std::vector<InstalledItem>{route, rule}));
  ASSERT_TRUE(routes.removeRule(rule));
  EXPECT_EQ(ledger.items(), (std::vector<InstalledItem>{route}));
  ASSERT_TRUE(routes.removeRoute(route));
  EXPECT_TRUE(store.discarded);

  kernel.refuse("198.51.100.0/24");
  net::RouteSpec refused;
  refused.destination = {ip("198.51.100.0"), 24};
  EXPECT_FALSE(routes.addRoute(refused));
  EXPECT_TRUE(ledger.items().empty()) << "refused: never installed, so forgotten";
  EXPECT_GE(store.saves, 3) << "the refused route was saved before the kernel was asked";
}

class VmacRecordingTest : public ::testing::Test {
 protected:
  static net::VmacSpec spec() {
    net::VmacSpec s;
    s.name = "vrrp.51";
    s.baseName = "eth0";
    s.baseIfindex = kIfindex;
    s.mac = net::virtualRouterMac(51, util::Family::V4);
    return s;
  }

  /// The macvlans in the ledger (the sysctls their manager changed aside).
  std::vector<InstalledItem> macvlans() const {
    std::vector<InstalledItem> out;
    for (const auto& item : ledger_.items()) {
      if (std::holds_alternative<InstalledMacvlan>(item)) out.push_back(item);
    }
    return out;
  }

  MemoryStore store_;
  InstallLedger ledger_{store_, testing::quietLogger()};
  LedgerVmacRecorder recorder_{ledger_};
  fakes::FakeVmacKernel kernel_;
};

TEST_F(VmacRecordingTest, TheMacvlanIsRecordedBeforeItIsCreated) {
  net::VmacManager vmacs(kernel_, &recorder_);
  std::string storedAtCreate;
  kernel_.onCreate = [&](const net::VmacSpec&) { storedAtCreate = store_.text; };
  kernel_.failOn = "create";
  EXPECT_FALSE(vmacs.acquire(spec()));
  EXPECT_NE(storedAtCreate.find("\"vrrp.51\""), std::string::npos)
      << "saved before the create was tried: " << storedAtCreate;
  EXPECT_TRUE(ledger_.items().empty()) << "and forgotten when it failed";
  EXPECT_TRUE(store_.discarded);

  kernel_.failOn.reset();
  ASSERT_TRUE(vmacs.acquire(spec()));
  EXPECT_EQ(macvlans(), (std::vector<InstalledItem>{LedgerVmacRecorder::entryOf(spec())}));
}

TEST_F(VmacRecordingTest, AReusedLeftoverIsRecordedToo) {
  kernel_.links["vrrp.51"] = net::ExistingLink{7, true, kIfindex, spec().mac, true};
  net::VmacManager vmacs(kernel_, &recorder_);
  auto ifindex = vmacs.acquire(spec());
  ASSERT_TRUE(ifindex);
  EXPECT_EQ(ifindex.value(), 7) << "reused";
  EXPECT_EQ(macvlans().size(), 1u) << "vipd deletes it at stop: it is vipd's";
}

TEST_F(VmacRecordingTest, ReleaseForgetsTheMacvlanAndTheAddressesOnIt) {
  net::VmacManager vmacs(kernel_, &recorder_);
  auto ifindex = vmacs.acquire(spec());
  ASSERT_TRUE(ifindex);
  ledger_.record(InstalledAddress{"vrrp.51", ifindex.value(), ip("2001:db8::1"), 64});
  ledger_.record(InstalledAddress{"eth0", kIfindex, ip("192.0.2.100"), 24});
  vmacs.release("vrrp.51");
  EXPECT_EQ(
      ledger_.items(),
      (std::vector<InstalledItem>{InstalledAddress{"eth0", kIfindex, ip("192.0.2.100"), 24}}));
}

TEST_F(VmacRecordingTest, TheSysctlsChangedForTheVmacAreRecordedWithTheirValueBefore) {
  kernel_.sysctls["/proc/sys/net/ipv4/conf/all/rp_filter"] = 1;
  kernel_.sysctls["/proc/sys/net/ipv4/conf/eth0/arp_filter"] = 1;  // already as wanted
  {
    net::VmacManager vmacs(kernel_, &recorder_);
    ASSERT_TRUE(vmacs.acquire(spec()));
    std::vector<std::string> recorded;
    for (const auto& item : ledger_.items()) {
      if (const auto* s = std::get_if<InstalledSysctl>(&item)) {
        recorded.push_back(describe(item) + " was " + std::to_string(s->original));
      }
    }
    EXPECT_EQ(recorded, (std::vector<std::string>{
                            "sysctl net.ipv4.conf.default.rp_filter=1 was 0",
                            "sysctl net.ipv4.conf.lo.rp_filter=1 was 0",
                            "sysctl net.ipv4.conf.eth0.rp_filter=1 was 0",
                            // Raised like every interface, then set to 0 for
                            // the VMAC: gone with it, and skipped then.
                            "sysctl net.ipv4.conf.vrrp.51.rp_filter=1 was 0",
                            "sysctl net.ipv4.conf.all.rp_filter=0 was 1",
                            "sysctl net.ipv4.conf.eth0.arp_ignore=1 was 0",
                        }))
        << "not the macvlan's own settings (they go with it), nor what had the value already";
  }  // released: every value is back
  EXPECT_TRUE(ledger_.items().empty());
  EXPECT_EQ(kernel_.sysctls["/proc/sys/net/ipv4/conf/eth0/arp_ignore"], 0);
}

TEST_F(VmacRecordingTest, AMacvlanTheKernelWouldNotDeleteStaysRecorded) {
  {
    net::VmacManager vmacs(kernel_, &recorder_);
    ASSERT_TRUE(vmacs.acquire(spec()));
    kernel_.failOn = "remove";
  }  // the destructor releases it
  EXPECT_EQ(macvlans().size(), 1u) << "still there: the next start removes it";
}

}  // namespace
}  // namespace vipd::daemon
