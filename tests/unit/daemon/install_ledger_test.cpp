// The installed set (InstallLedger): its JSON form, read back exactly; a
// corrupt or foreign state file is an error naming the file, never a guess;
// every change is saved, the set is discarded once empty, and a failing store
// is logged once and counted.
#include "vipd/daemon/install_ledger.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon_test_support.h"
#include "ledger_test_support.h"

namespace vipd::daemon {
namespace {

using testing::ip;
using testing::loggerInto;
using testing::MemoryStore;

InstalledAddress vip4(int ifindex = 2, std::uint8_t prefix = 24) {
  return {"eth0", ifindex, ip("192.0.2.100"), prefix};
}

net::RouteSpec fullRoute() {
  net::RouteSpec r;
  r.kind = net::RouteKind::Unicast;
  r.destination = {ip("203.0.113.0"), 24};
  r.preferredSource = ip("192.0.2.100");
  r.nextHops = {{ip("192.0.2.254"), "eth0", true}, {ip("192.0.2.253"), std::nullopt, false}};
  r.table = 100;
  r.metric = 7;
  r.protocol = 18;
  r.scope = 0;
  return r;
}

net::RuleSpec fullRule() {
  net::RuleSpec r;
  r.family = util::Family::V6;
  r.from = net::Prefix{ip("2001:db8::100"), 128};
  r.to = net::Prefix{ip("2001:db8:1::"), 48};
  r.inputInterface = "eth0";
  r.outputInterface = "eth1";
  r.fwmark = 5;
  r.fwmask = 0xff;
  r.priority = 100;
  r.kind = net::RuleKind::Goto;
  r.table = 254;
  r.gotoTarget = 200;
  return r;
}

InstalledMacvlan vmac() {
  return {"vrrp.51", "eth0", 2, net::MacAddress{0x00, 0x00, 0x5e, 0x00, 0x01, 0x33}};
}

TEST(LedgerTextTest, EveryKindRoundTripsWithEveryField) {
  net::RouteSpec blackhole;
  blackhole.kind = net::RouteKind::Blackhole;
  blackhole.destination = {ip("2001:db8:ff::"), 48};
  const std::vector<InstalledItem> items = {
      vip4(),
      InstalledAddress{"vrrp.51", 9, ip("2001:db8::100"), 64},
      InstalledAddress{"", 3, ip("fe80::1"), 64},
      fullRoute(),
      blackhole,
      fullRule(),
      net::RuleSpec{},
      vmac(),
      InstalledSysctl{{util::Family::V4, "all", "rp_filter", 0}, 1},
      InstalledSysctl{{util::Family::V6, "vrrp.51", "disable_ipv6", 1}, 0},
  };
  const auto text = ledgerText(items);
  auto parsed = parseLedgerText(text);
  ASSERT_TRUE(parsed) << parsed.error() << "\n" << text;
  EXPECT_EQ(parsed.value(), items) << text;
}

TEST(LedgerTextTest, AnEmptySetRoundTrips) {
  auto parsed = parseLedgerText(ledgerText({}));
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_TRUE(parsed.value().empty());
}

TEST(LedgerTextTest, IsAHeaderThenOneJsonObjectPerLine) {
  EXPECT_EQ(ledgerText({vip4()}),
            "{\"vipd_state_version\":1}\n"
            "{\"type\":\"address\",\"interface\":\"eth0\",\"ifindex\":2,"
            "\"address\":\"192.0.2.100/24\"}\n");
  auto parsed = parseLedgerText("\n" + ledgerText({vip4()}) + "\n  \n");
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed.value().size(), 1u) << "blank lines are nothing";
}

TEST(LedgerTextTest, TextThatIsNotJsonIsAnErrorWithNlohmannsReason) {
  auto parsed = parseLedgerText("{\"vipd_state_version\":1}\n{\"type\": \"addr");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().rfind("line 2: ", 0), 0u) << parsed.error();
  EXPECT_NE(parsed.error().find("parse error"), std::string::npos) << parsed.error();
}

TEST(LedgerTextTest, AnotherFormatVersionOrNoneIsNotGuessedAt) {
  auto parsed = parseLedgerText("{\"vipd_state_version\": 2}\n");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().find("format version 2"), std::string::npos) << parsed.error();
  auto headless = parseLedgerText(ledgerLine(vip4()));
  ASSERT_FALSE(headless);
  EXPECT_NE(headless.error().find("vipd_state_version"), std::string::npos) << headless.error();
  auto empty = parseLedgerText("");
  ASSERT_FALSE(empty) << "an empty file is not an empty set: it was cut short";
}

TEST(LedgerTextTest, ABadEntryIsNamedByLineAndField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"type": "address", "interface": "eth0", "ifindex": 2, "address": "192.0.2.300/24"})",
       "address"},
      {R"({"type": "address", "interface": "eth0", "ifindex": 0, "address": "192.0.2.1/24"})",
       "ifindex"},
      {R"({"type": "address", "interface": "eth0", "ifindex": 2, "address": "192.0.2.1/33"})",
       "prefix length"},
      {R"({"type": "macvlan", "name": "vrrp.51", "parent": "eth0", "parent_ifindex": 2, )"
       R"("mac": "00:00:5e"})",
       "mac"},
      {R"({"type": "route", "kind": "unicast", "destination": "203.0.113.0/24", )"
       R"("next_hops": [], "table": 254, "protocol": 300, "scope": 0})",
       "protocol"},
      {R"({"type": "rule", "family": "ipx", "kind": "table", "table": 1, "goto": 0})", "family"},
      {R"({"type": "sysctl", "family": "inet", "interface": "..", "name": "rp_filter", )"
       R"("value": 0, "original": 1})",
       "plain names"},
      {R"({"type": "sysctl", "family": "inet", "interface": "eth0", "name": "a/b", )"
       R"("value": 0, "original": 1})",
       "plain names"},
      {R"({"type": "tunnel"})", "type"},
  };
  for (const auto& [entry, field] : cases) {
    SCOPED_TRACE(entry);
    const std::string text = ledgerText({vip4()}) + entry + "\n";
    auto parsed = parseLedgerText(text);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().rfind("line 3: ", 0), 0u) << parsed.error();
    EXPECT_NE(parsed.error().find(field), std::string::npos) << parsed.error();
  }
}

TEST(SameItemTest, FollowsTheKernelsIdentityOfEachKind) {
  EXPECT_TRUE(sameItem(vip4(2, 24), InstalledAddress{"renamed", 2, ip("192.0.2.100"), 24}))
      << "the name is not part of the identity";
  EXPECT_FALSE(sameItem(vip4(2, 24), vip4(2, 32))) << "IPv4: the prefix length is";
  EXPECT_FALSE(sameItem(vip4(2, 24), vip4(3, 24)));
  EXPECT_TRUE(sameItem(InstalledAddress{"eth0", 2, ip("2001:db8::100"), 64},
                       InstalledAddress{"eth0", 2, ip("2001:db8::100"), 128}))
      << "IPv6: an address exists once per interface";
  auto moved = vmac();
  moved.parentIfindex = 7;
  EXPECT_TRUE(sameItem(vmac(), moved)) << "one macvlan per name";
  auto otherRoute = fullRoute();
  otherRoute.metric = 8;
  EXPECT_FALSE(sameItem(fullRoute(), otherRoute));
  EXPECT_FALSE(sameItem(vip4(), vmac()));
  EXPECT_TRUE(sameItem(InstalledSysctl{{util::Family::V4, "eth0", "arp_ignore", 1}, 0},
                       InstalledSysctl{{util::Family::V4, "eth0", "arp_ignore", 0}, 1}))
      << "a sysctl by its name";
  EXPECT_FALSE(sameItem(InstalledSysctl{{util::Family::V4, "eth0", "arp_ignore", 1}, 0},
                        InstalledSysctl{{util::Family::V4, "eth1", "arp_ignore", 1}, 0}));
}

TEST(DescribeTest, SaysWhatAndWhere) {
  EXPECT_EQ(describe(vip4()), "192.0.2.100/24 on eth0");
  EXPECT_EQ(describe(InstalledAddress{"", 5, ip("2001:db8::1"), 64}),
            "2001:db8::1/64 on ifindex 5");
  EXPECT_EQ(describe(vmac()), "macvlan vrrp.51 on eth0");
  EXPECT_EQ(describe(InstalledSysctl{{util::Family::V4, "eth0", "arp_ignore", 1}, 0}),
            "sysctl net.ipv4.conf.eth0.arp_ignore=1");
  EXPECT_EQ(describe(InstalledItem(fullRoute())).rfind("route 203.0.113.0/24 src 192.0.2.100", 0),
            0u)
      << describe(InstalledItem(fullRoute()));
  EXPECT_EQ(describe(InstalledItem(fullRule())).rfind("rule inet6 from 2001:db8::100/128", 0), 0u)
      << describe(InstalledItem(fullRule()));
}

class StateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vipd-state-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path() const { return (dir_ / "run" / "vipd.state").string(); }

  std::filesystem::path dir_;
};

TEST_F(StateFileTest, NoFileIsNothingRecorded) {
  auto loaded = StateFile(path()).load();
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_TRUE(loaded.value().empty());
}

TEST_F(StateFileTest, SaveCreatesTheDirectoryAndLoadReadsItBack) {
  StateFile file(path());
  ASSERT_FALSE(file.save(ledgerText({vip4(), vmac()})));
  EXPECT_EQ(std::filesystem::status(path()).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
      << "mode 0600";
  auto loaded = StateFile(path()).load();
  ASSERT_TRUE(loaded) << loaded.error();
  EXPECT_EQ(loaded.value(), (std::vector<InstalledItem>{vip4(), vmac()}));

  ASSERT_FALSE(file.discard());
  EXPECT_FALSE(std::filesystem::exists(path()));
  EXPECT_FALSE(file.discard()) << "nothing to discard is fine";
}

TEST_F(StateFileTest, ACorruptFileIsAnErrorNamingItsPath) {
  std::filesystem::create_directories(dir_ / "run");
  std::ofstream(path()) << "{\"vipd_state_version\":1}\n{\"type\": ";
  auto loaded = StateFile(path()).load();
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().find("state file " + path() + ": "), std::string::npos)
      << loaded.error();
  EXPECT_NE(loaded.error().find("parse error"), std::string::npos) << loaded.error();
}

TEST_F(StateFileTest, NoPathMeansNoFile) {
  StateFile none("");
  EXPECT_FALSE(none.save(ledgerText({vip4()})));
  EXPECT_FALSE(none.discard());
  auto loaded = none.load();
  ASSERT_TRUE(loaded);
  EXPECT_TRUE(loaded.value().empty());
}

class InstallLedgerTest : public ::testing::Test {
 protected:
  std::vector<InstalledItem> stored() const {
    auto parsed = parseLedgerText(store_.text);
    EXPECT_TRUE(parsed) << store_.text;
    return parsed ? parsed.value() : std::vector<InstalledItem>{};
  }

  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> logger_ = loggerInto(log_);
  MemoryStore store_;
  InstallLedger ledger_{store_, logger_};
};

TEST_F(InstallLedgerTest, EachNewRecordIsSavedAtOnce) {
  EXPECT_TRUE(ledger_.record(vip4()));
  EXPECT_EQ(stored(), (std::vector<InstalledItem>{vip4()}));
  EXPECT_TRUE(ledger_.record(fullRoute()));
  EXPECT_EQ(stored(), (std::vector<InstalledItem>{vip4(), fullRoute()}));
  EXPECT_EQ(store_.saves, 2);
}

TEST_F(InstallLedgerTest, RecordingTheSameThingAgainChangesNothing) {
  ASSERT_TRUE(ledger_.record(vip4()));
  EXPECT_FALSE(ledger_.record(InstalledAddress{"eth0", 2, ip("192.0.2.100"), 24}));
  EXPECT_EQ(ledger_.items().size(), 1u);
  EXPECT_EQ(store_.saves, 1) << "an unchanged set is not written again";
}

TEST_F(InstallLedgerTest, ANewDescriptionOfTheSameObjectReplacesTheOld) {
  ASSERT_TRUE(ledger_.record(vmac()));
  auto moved = vmac();
  moved.parent = "eth1";
  moved.parentIfindex = 3;
  EXPECT_FALSE(ledger_.record(moved));
  EXPECT_EQ(stored(), (std::vector<InstalledItem>{moved}));
}

TEST_F(InstallLedgerTest, ForgettingTheLastItemDiscardsTheStore) {
  ledger_.record(vip4());
  ledger_.record(vmac());
  ledger_.forget(InstalledAddress{"", 2, ip("192.0.2.100"), 24});
  EXPECT_EQ(stored(), (std::vector<InstalledItem>{vmac()}));
  ledger_.forget(vmac());
  EXPECT_TRUE(ledger_.items().empty());
  EXPECT_TRUE(store_.discarded) << "no state file once nothing is installed";
  const int saves = store_.saves + store_.discards;
  ledger_.forget(vmac());
  EXPECT_EQ(store_.saves + store_.discards, saves) << "forgetting the unknown writes nothing";
}

TEST_F(InstallLedgerTest, AnInterfaceGoneTakesItsAddressesOnly) {
  ledger_.record(InstalledAddress{"vrrp.51", 9, ip("192.0.2.100"), 24});
  ledger_.record(InstalledAddress{"vrrp.51", 9, ip("192.0.2.101"), 24});
  ledger_.record(vip4(2));
  ledger_.record(vmac());
  ledger_.forgetAddressesOn(9);
  EXPECT_EQ(stored(), (std::vector<InstalledItem>{vip4(2), vmac()}));
}

TEST_F(InstallLedgerTest, ResetReplacesTheSet) {
  ledger_.record(vip4());
  ledger_.reset({fullRule()});
  EXPECT_EQ(stored(), (std::vector<InstalledItem>{fullRule()}));
  ledger_.reset({});
  EXPECT_TRUE(store_.discarded);
}

TEST_F(InstallLedgerTest, AFailingStoreIsLoggedOnceCountedAndRecovers) {
  store_.failure = std::make_error_code(std::errc::read_only_file_system);
  ledger_.record(vip4());
  ledger_.record(vmac());
  EXPECT_EQ(ledger_.saveErrors(), 2u);
  EXPECT_EQ(ledger_.items().size(), 2u) << "the set is kept in memory";
  const std::string failing = log_.str();
  EXPECT_NE(failing.find("warning cannot write memory store: Read-only file system"),
            std::string::npos)
      << failing;
  EXPECT_EQ(failing.find("warning", failing.find("warning") + 1), std::string::npos)
      << "once per streak: " << failing;

  store_.failure.clear();
  ledger_.record(fullRoute());
  EXPECT_NE(log_.str().find("info memory store written again"), std::string::npos) << log_.str();
  EXPECT_EQ(stored().size(), 3u) << "the next save carries everything";
}

}  // namespace
}  // namespace vipd::daemon
