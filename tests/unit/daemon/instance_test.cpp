#include "vipd/daemon/instance.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include "daemon_test_support.h"
#include "fakes/fake_address_manager.h"
#include "fakes/fake_packet_io.h"
#include "fakes/fake_route_manager.h"
#include "fakes/fake_scheduler.h"
#include "vipd/config/parser.h"
#include "vipd/proto/decode.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using testing::ip;
using testing::kIfindex;
using testing::kMac;
using util::IpAddress;

const char* kBasic = R"(
  interface eth0
  virtual_router_id 51
  priority 100
  advert_int 1
  virtual_ipaddress {
    192.0.2.100/24
    192.0.2.101/24
  }
)";

class InstanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kernel_.setLink(net::LinkInfo{kIfindex, "eth0", kMac, true, true, 1500});
    kernel_.takeEvents();
  }

  InstanceSettings settingsFor(const std::string& body) {
    auto in = testing::parseInstance(body, "global_defs { vrrp_version 3 }\n");
    ResolvedInterface itf{"eth0", kIfindex, kMac, source_, false};
    return resolveInstance(in, config::GlobalDefs{}, itf,
                           [](const std::string&) { return std::optional<int>(); });
  }

  void make(const std::string& body = kBasic) {
    auto settings = settingsFor(body);
    auto log =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    instance_ = std::make_unique<Instance>(
        std::move(settings), Instance::Deps{clock_, kernel_, announcer_, transport_, routes_}, log);
  }

  /// Decodes the n-th advert we sent.
  proto::Advertisement sentAdvert(std::size_t n) {
    const auto& s = transport_.sent.at(n);
    proto::PacketMeta meta{source_, s.destination.value_or(ip("224.0.0.18")), 255,
                           s.destination ? proto::Delivery::Unicast : proto::Delivery::Multicast};
    auto decoded = proto::decode(std::span<const std::uint8_t>(s.payload), meta);
    EXPECT_TRUE(decoded) << "our own advert does not decode";
    return decoded ? decoded.value().advert : proto::Advertisement{};
  }

  proto::ReceivedAdvertisement advertFrom(const char* from, std::uint8_t priority,
                                          std::vector<IpAddress> vips = {ip("192.0.2.100"),
                                                                         ip("192.0.2.101")}) {
    proto::ReceivedAdvertisement r;
    r.advert.version = proto::Version::V3;
    r.advert.vrid = 51;
    r.advert.priority = priority;
    r.advert.intervalCs = 100;
    r.advert.addresses = std::move(vips);
    r.meta = {ip(from), ip("224.0.0.18"), 255, proto::Delivery::Multicast};
    r.checksumForm = proto::ChecksumForm::Ipv4PseudoHeader;
    return r;
  }

  bool holds(const char* vip) {
    net::InterfaceAddress a;
    a.ifindex = kIfindex;
    a.address = ip(vip);
    a.prefixLength = 24;
    return kernel_.has(a);
  }

  IpAddress source_ = ip("192.0.2.1");
  fakes::FakeScheduler clock_;
  fakes::FakeAddressManager kernel_;
  fakes::FakeRouteManager routes_;
  fakes::FakeAnnouncer announcer_;
  fakes::FakeTransport transport_;
  std::unique_ptr<Instance> instance_;
};

TEST_F(InstanceTest, StartRemovesVipsLeftByAPreviousRunAndEntersBackupSilently) {
  make();
  net::InterfaceAddress stale;
  stale.ifindex = kIfindex;
  stale.address = ip("192.0.2.100");
  stale.prefixLength = 24;
  kernel_.putAddress(stale);
  instance_->start(true);
  EXPECT_FALSE(holds("192.0.2.100"));
  EXPECT_EQ(instance_->state(), core::State::Backup);
  EXPECT_TRUE(transport_.sent.empty()) << "backups are silent";
}

TEST_F(InstanceTest, TakesOverAtMasterDownIntervalAddingVipsThenAnnouncingThem) {
  make();
  const auto t0 = clock_.now();
  instance_->start(true);
  // v3, priority 100, 1 s: Master_Down_Interval = 3 s + 60 cs skew.
  clock_.advanceTo(t0 + 3590ms);
  EXPECT_EQ(instance_->state(), core::State::Backup);
  clock_.advanceTo(t0 + 3600ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  EXPECT_TRUE(holds("192.0.2.100"));
  EXPECT_TRUE(holds("192.0.2.101"));
  ASSERT_EQ(transport_.sent.size(), 1u);
  auto advert = sentAdvert(0);
  EXPECT_EQ(advert.priority, 100);
  EXPECT_EQ(advert.intervalCs, 100);
  EXPECT_EQ(advert.addresses, (std::vector<IpAddress>{ip("192.0.2.100"), ip("192.0.2.101")}));
  // keepalived's pattern: 5 rounds over the VIPs now, and again 5 s later.
  ASSERT_EQ(announcer_.announced.size(), 10u);
  EXPECT_EQ(announcer_.announced[0], ip("192.0.2.100"));
  EXPECT_EQ(announcer_.announced[1], ip("192.0.2.101"));
  clock_.advanceTo(t0 + 3600ms + 5s);
  EXPECT_EQ(announcer_.announced.size(), 20u);
  EXPECT_EQ(instance_->stats().transitions[static_cast<std::size_t>(core::Cause::MasterDownTimer)],
            1u);
  ASSERT_TRUE(instance_->stats().lastTakeover);
  EXPECT_FALSE(instance_->stats().lastTakeover->detection) << "no master was ever heard";
}

// ---- Reload -----------------------------------------------------------------------------

const char* kReloaded = R"(
  interface eth0
  virtual_router_id 51
  priority 120
  advert_int 0.5
  virtual_ipaddress {
    192.0.2.101/24
    192.0.2.102/24
  }
)";

TEST_F(InstanceTest, ReconfiguredMasterSwapsOnlyTheVipsThatDifferAndStaysMaster) {
  make();
  const auto t0 = clock_.now();
  instance_->start(true);
  clock_.advanceTo(t0 + 3600ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  const auto announcedBefore = announcer_.announced.size();
  const auto sentBefore = transport_.sent.size();
  kernel_.takeEvents();

  instance_->reconfigure(settingsFor(kReloaded));
  EXPECT_EQ(instance_->state(), core::State::Master);
  EXPECT_FALSE(holds("192.0.2.100"));
  EXPECT_TRUE(holds("192.0.2.101"));
  EXPECT_TRUE(holds("192.0.2.102"));
  // 192.0.2.101 was never touched: exactly one delete and one add.
  EXPECT_EQ(kernel_.takeEvents().size(), 2u);
  // Only the new VIP is announced, garp_master_repeat (5) times.
  ASSERT_EQ(announcer_.announced.size(), announcedBefore + 5);
  EXPECT_EQ(announcer_.announced.back(), ip("192.0.2.102"));
  EXPECT_EQ(transport_.sent.size(), sentBefore) << "a reload sends no extra advert";
  // The running advert timer fires as armed (1 s), then the new interval applies.
  clock_.advanceTo(t0 + 4600ms);
  ASSERT_EQ(transport_.sent.size(), sentBefore + 1);
  auto advert = sentAdvert(sentBefore);
  EXPECT_EQ(advert.priority, 120);
  EXPECT_EQ(advert.intervalCs, 50);
  EXPECT_EQ(advert.addresses, (std::vector<IpAddress>{ip("192.0.2.101"), ip("192.0.2.102")}));
  clock_.advanceTo(t0 + 5100ms);
  EXPECT_EQ(transport_.sent.size(), sentBefore + 2);
  std::size_t transitions = 0;
  for (auto n : instance_->stats().transitions) transitions += n;
  EXPECT_EQ(transitions, 2u) << "INIT->BACKUP and BACKUP->MASTER only";
}

TEST_F(InstanceTest, ReconfiguredBackupInstallsNothingAndUsesTheNewPriority) {
  make();
  instance_->start(true);
  instance_->onAdvert(advertFrom("192.0.2.9", 110));
  instance_->reconfigure(settingsFor(kReloaded));
  EXPECT_EQ(instance_->state(), core::State::Backup);
  EXPECT_FALSE(holds("192.0.2.102"));
  EXPECT_EQ(instance_->router().priority(), 120);
  // With priority 120 and preempt, the 110 master's adverts no longer hold us back.
  const auto t = clock_.now();
  instance_->onAdvert(advertFrom("192.0.2.9", 110, {ip("192.0.2.101"), ip("192.0.2.102")}));
  clock_.advanceTo(t + 3600ms);
  EXPECT_EQ(instance_->state(), core::State::Master);
}

TEST_F(InstanceTest, ReconfigureRefusesAChangedVrid) {
  make();
  std::string other = kBasic;
  other.replace(other.find("51"), 2, "52");
  auto next = settingsFor(other);
  EXPECT_FALSE(instance_->canReconfigure(next));
  EXPECT_THROW(instance_->reconfigure(next), std::invalid_argument);
}

// ---- Tracking ------------------------------------------------------------------------

track::InstanceTracking trackingWithScript(std::int32_t weight) {
  track::ResolvedTracker chk;
  chk.kind = track::TrackerKind::Script;
  chk.name = "chk";
  chk.weight = weight;
  return track::InstanceTracking(100, {chk});
}

std::uint64_t transitionsOf(const Instance& instance, core::Cause cause) {
  return instance.stats().transitions[static_cast<std::size_t>(cause)];
}

TEST_F(InstanceTest, StartWaitsInInitForTheFirstScriptResultAsKeepalived) {
  make();
  instance_->setTracking(trackingWithScript(0));
  instance_->start(true);
  EXPECT_EQ(instance_->state(), core::State::Initialize) << "no FAULT before the check ran";
  instance_->onScriptChanged("chk", true);
  EXPECT_EQ(instance_->state(), core::State::Backup);
  std::uint64_t total = 0;
  for (auto n : instance_->stats().transitions) total += n;
  EXPECT_EQ(total, 1u) << "INIT->BACKUP only";
}

TEST_F(InstanceTest, AFailingFirstCheckStartsInFaultAndItsRecoveryGoesBackup) {
  make();
  instance_->setTracking(trackingWithScript(0));
  instance_->start(true);
  instance_->onScriptChanged("chk", false);
  EXPECT_EQ(instance_->state(), core::State::Fault);
  instance_->onScriptChanged("chk", true);
  EXPECT_EQ(instance_->state(), core::State::Backup);
}

TEST_F(InstanceTest, AWeightedScriptMovesTheEffectivePriority) {
  make();
  instance_->setTracking(trackingWithScript(-30));
  instance_->start(true);
  instance_->onScriptChanged("chk", false);
  EXPECT_EQ(instance_->state(), core::State::Backup);
  EXPECT_EQ(instance_->router().priority(), 70);
  instance_->onScriptChanged("chk", true);
  EXPECT_EQ(instance_->router().priority(), 100);
  EXPECT_EQ(transitionsOf(*instance_, core::Cause::Startup), 1u);
}

TEST_F(InstanceTest, MasterAdvertisesEveryIntervalWithIncreasingIpv4Id) {
  make();
  const auto t0 = clock_.now();
  instance_->start(true);
  clock_.advanceTo(t0 + 3600ms + 3s);
  ASSERT_EQ(transport_.sent.size(), 4u);
  for (std::size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(transport_.sent[i].ipv4Id, transport_.sent[i - 1].ipv4Id + 1);
  }
}

TEST_F(InstanceTest, ValidAdvertsFromAHigherPriorityMasterKeepUsBackup) {
  make();
  const auto t0 = clock_.now();
  instance_->start(true);
  for (int i = 1; i <= 10; ++i) {
    clock_.advanceTo(t0 + i * 1s);
    instance_->onAdvert(advertFrom("192.0.2.2", 200));
  }
  EXPECT_EQ(instance_->state(), core::State::Backup);
  EXPECT_EQ(instance_->stats().advertsReceived, 10u);
  // Once they stop, we take over after the master-down interval, and know
  // how long ago the master was last heard.
  clock_.advanceTo(t0 + 10s + 3600ms);
  EXPECT_EQ(instance_->state(), core::State::Master);
  ASSERT_TRUE(instance_->stats().lastTakeover->detection);
  EXPECT_EQ(*instance_->stats().lastTakeover->detection, 3600ms);
}

TEST_F(InstanceTest, AdvertWithADifferentVipListIsDroppedAndCountedNotObeyed) {
  make();
  const auto t0 = clock_.now();
  instance_->start(true);
  for (int i = 1; i <= 3; ++i) {
    clock_.advanceTo(t0 + i * 1s);
    instance_->onAdvert(advertFrom("192.0.2.2", 200, {ip("192.0.2.100")}));
  }
  const auto& drops = instance_->stats().drops;
  EXPECT_EQ(drops[static_cast<std::size_t>(proto::DropReason::AddressCountMismatch)], 3u);
  EXPECT_EQ(instance_->stats().advertsReceived, 0u);
  clock_.advanceTo(t0 + 3600ms);
  EXPECT_EQ(instance_->state(), core::State::Master) << "invalid adverts must not reset the timer";
}

TEST_F(InstanceTest, HigherPriorityAdvertMakesMasterYieldAndRemoveVips) {
  make();
  instance_->start(true);
  clock_.advance(3600ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  instance_->onAdvert(advertFrom("192.0.2.2", 200));
  EXPECT_EQ(instance_->state(), core::State::Backup);
  EXPECT_FALSE(holds("192.0.2.100"));
  // The second GARP burst (due 5 s after takeover) belongs to mastership:
  // cancelled on leaving it. The new master keeps advertising meanwhile.
  const auto announced = announcer_.announced.size();
  for (int i = 0; i < 10; ++i) {
    clock_.advance(1s);
    instance_->onAdvert(advertFrom("192.0.2.2", 200));
  }
  EXPECT_EQ(instance_->state(), core::State::Backup);
  EXPECT_EQ(announcer_.announced.size(), announced);
}

TEST_F(InstanceTest, LowerPriorityAdvertsShareOneSecondAnnouncementBurst) {
  make();
  instance_->start(true);
  clock_.advance(3600ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  clock_.advance(6s);  // past the takeover's second burst
  const auto before = announcer_.announced.size();
  // A rogue master at centisecond adverts: each one is answered at once
  // (5 rounds over the 2 VIPs, as keepalived) ...
  for (int i = 0; i < 100; ++i) {
    instance_->onAdvert(advertFrom("192.0.2.2", 50));
    clock_.advance(10ms);
  }
  EXPECT_EQ(instance_->state(), core::State::Master);
  EXPECT_EQ(announcer_.announced.size(), before + 100 * 10);
  // ... but garp_lower_prio_delay later comes one second burst, not 100.
  const auto answered = announcer_.announced.size();
  clock_.advance(6s);
  EXPECT_EQ(announcer_.announced.size(), answered + 10);
  // Once it has gone, the next lower-priority advert earns its own.
  instance_->onAdvert(advertFrom("192.0.2.2", 50));
  clock_.advance(5s);
  EXPECT_EQ(announcer_.announced.size(), answered + 10 + 10 + 10);
}

TEST_F(InstanceTest, GracefulShutdownOfMasterSendsPriorityZeroThenRemovesVips) {
  make();
  instance_->start(true);
  clock_.advance(3600ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  transport_.sent.clear();
  instance_->shutdown();
  ASSERT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(sentAdvert(0).priority, 0);
  EXPECT_FALSE(holds("192.0.2.100"));
  EXPECT_FALSE(holds("192.0.2.101"));
  EXPECT_EQ(clock_.pending(), 0u) << "no timer may outlive the stop";
}

TEST_F(InstanceTest, LinkDownPutsMasterInFaultAndLinkUpBringsItBackAsBackup) {
  make();
  instance_->start(true);
  clock_.advance(3600ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  instance_->onLinkState(false);
  EXPECT_EQ(instance_->state(), core::State::Fault);
  EXPECT_FALSE(holds("192.0.2.100"));
  clock_.advance(30s);
  EXPECT_EQ(instance_->state(), core::State::Fault) << "never master while in fault";
  instance_->onLinkState(true);
  EXPECT_EQ(instance_->state(), core::State::Backup);
}

TEST_F(InstanceTest, StartWithLinkDownEntersFault) {
  make();
  instance_->start(false);
  clock_.advance(10s);
  EXPECT_EQ(instance_->state(), core::State::Fault);
  EXPECT_TRUE(transport_.sent.empty());
}

TEST_F(InstanceTest, VipRemovedBySomeoneElseWhileMasterIsPutBack) {
  make();
  instance_->start(true);
  clock_.advance(3600ms);
  net::InterfaceAddress vip;
  vip.ifindex = kIfindex;
  vip.address = ip("192.0.2.101");
  vip.prefixLength = 24;
  kernel_.dropAddress(vip);
  instance_->onAddressRemoved(vip);
  EXPECT_TRUE(holds("192.0.2.101"));
  EXPECT_EQ(instance_->stats().addressesRestored, 1u);
}

TEST_F(InstanceTest, AddressRemovedWhileBackupIsNotOurs) {
  make();
  instance_->start(true);
  net::InterfaceAddress vip;
  vip.ifindex = kIfindex;
  vip.address = ip("192.0.2.101");
  vip.prefixLength = 24;
  instance_->onAddressRemoved(vip);
  EXPECT_FALSE(holds("192.0.2.101"));
  EXPECT_EQ(instance_->stats().addressesRestored, 0u);
}

TEST_F(InstanceTest, UnicastSendsOneCopyPerPeerWithTheSameIpv4Id) {
  make(std::string(kBasic) + R"(
  unicast_src_ip 192.0.2.1
  unicast_peer {
    192.0.2.2
    192.0.2.3
  })");
  instance_->start(true);
  clock_.advance(3600ms);
  ASSERT_EQ(transport_.sent.size(), 2u);
  EXPECT_EQ(transport_.sent[0].destination, ip("192.0.2.2"));
  EXPECT_EQ(transport_.sent[1].destination, ip("192.0.2.3"));
  EXPECT_EQ(transport_.sent[0].ipv4Id, transport_.sent[1].ipv4Id);
  // The v3 checksum covers the destination: each copy decodes for its peer.
  EXPECT_EQ(sentAdvert(0).vrid, 51);
  EXPECT_EQ(sentAdvert(1).vrid, 51);
}

TEST_F(InstanceTest, SendFailuresAreCountedAndDoNotStopTheInstance) {
  make();
  transport_.failWith = std::make_error_code(std::errc::network_unreachable);
  instance_->start(true);
  clock_.advance(3600ms + 2s);
  EXPECT_EQ(instance_->state(), core::State::Master);
  EXPECT_EQ(instance_->stats().advertSendErrors, 3u);
  EXPECT_EQ(instance_->stats().advertsSent, 0u);
}

// --- virtual_routes / virtual_rules (issue 9) ---

const char* kRouted = R"(
  interface eth0
  virtual_router_id 51
  priority 100
  advert_int 1
  virtual_ipaddress {
    192.0.2.100/24
    192.0.2.101/24
  }
  virtual_routes {
    198.51.100.0/24 via 192.0.2.254 dev eth0
    203.0.113.0/24 via 192.0.2.254 dev eth0
  }
  virtual_rules {
    from 192.0.2.100 table 100
  }
)";

using RouteOp = fakes::FakeRouteManager::Op;

TEST_F(InstanceTest, BackupInstallsNoRouteAndTakeoverAddsRoutesThenRules) {
  make(kRouted);
  instance_->start(true);
  ASSERT_EQ(instance_->state(), core::State::Backup);
  EXPECT_TRUE(routes_.routes().empty());
  EXPECT_TRUE(routes_.rules().empty());
  routes_.clearCalls();

  clock_.advance(3600ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  EXPECT_EQ(routes_.ops(),
            (std::vector<RouteOp>{RouteOp::AddRoute, RouteOp::AddRoute, RouteOp::AddRule}));
  ASSERT_EQ(routes_.routes().size(), 2u);
  EXPECT_EQ(routes_.routes()[0].destination, (net::Prefix{ip("198.51.100.0"), 24}));
  ASSERT_EQ(routes_.rules().size(), 1u);
  EXPECT_EQ(routes_.rules()[0].table, 100u);
  EXPECT_EQ(instance_->stats().routeErrors, 0u);
}

TEST_F(InstanceTest, LeavingMasterRemovesRulesThenRoutes) {
  make(kRouted);
  instance_->start(true);
  clock_.advance(3600ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  routes_.clearCalls();

  instance_->onAdvert(advertFrom("192.0.2.2", 200));
  EXPECT_EQ(instance_->state(), core::State::Backup);
  EXPECT_EQ(routes_.ops(), (std::vector<RouteOp>{RouteOp::RemoveRule, RouteOp::RemoveRoute,
                                                 RouteOp::RemoveRoute}));
  EXPECT_TRUE(routes_.routes().empty());
  EXPECT_TRUE(routes_.rules().empty());
}

TEST_F(InstanceTest, GracefulShutdownOfMasterRemovesItsRoutesAndRules) {
  make(kRouted);
  instance_->start(true);
  clock_.advance(3600ms);
  ASSERT_EQ(routes_.routes().size(), 2u);
  instance_->shutdown();
  EXPECT_TRUE(routes_.routes().empty());
  EXPECT_TRUE(routes_.rules().empty());
  EXPECT_EQ(instance_->stats().routeErrors, 0u);
}

TEST_F(InstanceTest, ARefusedRouteIsLoggedAndCountedButTheMasterKeepsItsVips) {
  make(kRouted);
  routes_.refuse("198.51.100.0/24");
  instance_->start(true);
  clock_.advance(3600ms);
  EXPECT_EQ(instance_->state(), core::State::Master);
  EXPECT_TRUE(holds("192.0.2.100"));
  EXPECT_TRUE(holds("192.0.2.101"));
  EXPECT_EQ(instance_->stats().routeErrors, 1u);
  EXPECT_EQ(instance_->stats().addressErrors, 0u);
  // The others were still installed.
  ASSERT_EQ(routes_.routes().size(), 1u);
  EXPECT_EQ(routes_.routes()[0].destination, (net::Prefix{ip("203.0.113.0"), 24}));
  EXPECT_EQ(routes_.rules().size(), 1u);
  // And it goes on serving: adverts keep going out as master.
  const auto sent = transport_.sent.size();
  clock_.advance(3s);
  EXPECT_EQ(instance_->state(), core::State::Master);
  EXPECT_EQ(transport_.sent.size(), sent + 3);
}

TEST_F(InstanceTest, StartRemovesRoutesAndRulesLeftByAPreviousRun) {
  make(kRouted);
  for (const auto& route : instance_->settings().routes) ASSERT_TRUE(routes_.addRoute(route));
  for (const auto& rule : instance_->settings().rules) ASSERT_TRUE(routes_.addRule(rule));
  instance_->start(true);
  EXPECT_EQ(instance_->state(), core::State::Backup);
  EXPECT_TRUE(routes_.routes().empty());
  EXPECT_TRUE(routes_.rules().empty());
}

TEST_F(InstanceTest, ReconfiguredMasterMovesOnlyTheRoutesThatDiffer) {
  make(kRouted);
  instance_->start(true);
  clock_.advance(3600ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  routes_.clearCalls();

  std::string next = kRouted;
  next.replace(next.find("203.0.113.0/24"), 14, "203.0.113.0/25");
  instance_->reconfigure(settingsFor(next));
  EXPECT_EQ(instance_->state(), core::State::Master);
  ASSERT_EQ(routes_.routes().size(), 2u);
  EXPECT_EQ(routes_.routes()[1].destination, (net::Prefix{ip("203.0.113.0"), 25}));
  EXPECT_EQ(routes_.rules().size(), 1u);
  // The unchanged rule and route were never removed.
  for (const auto& call : routes_.calls()) {
    if (call.op == RouteOp::RemoveRoute || call.op == RouteOp::RemoveRule) {
      EXPECT_NE(call.what.find("203.0.113.0/24"), std::string::npos) << call.what;
    }
  }
}

TEST_F(InstanceTest, ReconfiguredBackupInstallsNoRoute) {
  make(kBasic);
  instance_->start(true);
  instance_->reconfigure(settingsFor(kRouted));
  EXPECT_EQ(instance_->state(), core::State::Backup);
  EXPECT_TRUE(routes_.routes().empty());
  EXPECT_TRUE(routes_.rules().empty());
}

}  // namespace
}  // namespace vipd::daemon

namespace vipd::daemon {
namespace {

// A reload that finds the interface re-created (another ifindex) cannot keep the socket and
// announcer made for the old one: the instance must be restarted.
TEST_F(InstanceTest, ANewInterfaceIndexCannotBeReconfiguredInPlace) {
  make();
  auto same = settingsFor(kBasic);
  EXPECT_TRUE(instance_->canReconfigure(same));
  auto moved = settingsFor(kBasic);
  moved.interface.ifindex += 1;
  moved.interface.advertIfindex += 1;
  moved.interface.baseIfindex += 1;
  EXPECT_FALSE(instance_->canReconfigure(moved));
}

// Issue 10 item 11: the VRRPv3/IPv4 checksum form of our adverts, fixed or learned per peer.
class InstanceChecksumTest : public InstanceTest {
 protected:
  /// Starts the instance with `extra` lines and lets it take over (priority 100, nobody else).
  void startMaster(const std::string& extra) {
    make(std::string(kBasic).insert(1, extra + "\n"));
    instance_->start(true);
    clock_.advance(std::chrono::milliseconds(3700));
    ASSERT_EQ(instance_->state(), core::State::Master);
  }

  proto::ChecksumForm lastSentForm() {
    const auto& s = transport_.sent.back();
    proto::PacketMeta meta{source_, ip("224.0.0.18"), 255, proto::Delivery::Multicast};
    auto decoded = proto::decode(std::span<const std::uint8_t>(s.payload), meta);
    EXPECT_TRUE(decoded) << "our own advert does not decode";
    return decoded ? decoded.value().checksumForm : proto::ChecksumForm::Ipv6PseudoHeader;
  }

  /// A lower-priority advert (we stay master) checksummed without the pseudo-header.
  void hearVendor() {
    auto r = advertFrom("192.0.2.2", 50);
    r.checksumForm = proto::ChecksumForm::MessageOnly;
    instance_->onAdvert(r);
    clock_.advance(std::chrono::seconds(1));
  }
};

TEST_F(InstanceChecksumTest, ByDefaultAdvertsCarryThePseudoHeaderAndThePeerFormIsRecorded) {
  startMaster("");
  EXPECT_EQ(lastSentForm(), proto::ChecksumForm::Ipv4PseudoHeader);
  hearVendor();
  EXPECT_EQ(lastSentForm(), proto::ChecksumForm::Ipv4PseudoHeader);
  ASSERT_EQ(instance_->peerChecksums().peers().size(), 1u);
  EXPECT_EQ(instance_->peerChecksums().peers()[0].form, proto::ChecksumForm::MessageOnly);
}

TEST_F(InstanceChecksumTest, AsV2SendsTheMessageOnlyFormFromTheStart) {
  startMaster("v3_checksum_as_v2");
  EXPECT_EQ(lastSentForm(), proto::ChecksumForm::MessageOnly);
}

TEST_F(InstanceChecksumTest, FollowingPeersAnswersAVendorInItsForm) {
  startMaster("v3_checksum_follow_peers");
  EXPECT_EQ(lastSentForm(), proto::ChecksumForm::Ipv4PseudoHeader) << "nothing learned yet";
  hearVendor();
  EXPECT_EQ(lastSentForm(), proto::ChecksumForm::MessageOnly);
}

}  // namespace
}  // namespace vipd::daemon
