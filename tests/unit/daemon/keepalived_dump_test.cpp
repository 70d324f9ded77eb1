#include "vipd/daemon/keepalived_dump.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include "daemon_test_support.h"
#include "fakes/fake_address_manager.h"
#include "fakes/fake_packet_io.h"
#include "fakes/fake_route_manager.h"
#include "fakes/fake_scheduler.h"
#include "vipd/config/parser.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using testing::ip;
using testing::kIfindex;
using testing::kMac;
using testing::parseInstance;
using util::IpAddress;

constexpr int kOtherIfindex = 3;

// VRRPv2 with a password, as keepalived's dumps show it: the password is
// the thing that must never reach the files.
const char* kV2WithPassword = R"(
  interface eth0
  virtual_router_id 51
  version 2
  priority 100
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass secret12
  }
  virtual_ipaddress {
    192.0.2.100/24
    192.0.2.101/24 label eth0:1
  }
  virtual_ipaddress_excluded {
    198.51.100.7/32 dev eth1
  }
  track_interface {
    eth1
  }
)";

class KeepalivedDumpTest : public ::testing::Test {
 protected:
  void make(const std::string& body = kV2WithPassword) {
    kernel_.setLink(net::LinkInfo{kIfindex, "eth0", kMac, true, true, 1500});
    auto in = parseInstance(body);
    ResolvedInterface itf{"eth0", kIfindex, kMac, ip("192.0.2.1"), false};
    auto settings = resolveInstance(in, config::GlobalDefs{}, itf, [](const std::string& name) {
      return name == "eth1" ? std::optional<int>(kOtherIfindex) : std::nullopt;
    });
    auto log =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    instances_.push_back(std::make_unique<Instance>(
        std::move(settings), Instance::Deps{clock_, kernel_, announcer_, transport_, routes_},
        log));
    track::ResolvedTracker eth1;
    eth1.kind = track::TrackerKind::Interface;
    eth1.name = "eth1";
    instance().setTracking(track::InstanceTracking(100, {eth1}));
  }

  Instance& instance() { return *instances_.front(); }

  // Master_Down_Interval: 3 s + (256 - 100) / 256 s; the next advert is due
  // 1 s after the takeover's.
  void becomeMaster() {
    instance().start(true);
    clock_.advance(3700ms);
    ASSERT_EQ(instance().state(), core::State::Master);
  }

  proto::ReceivedAdvertisement advertFrom(const char* from, std::uint8_t priority,
                                          const std::string& password = "secret12") {
    proto::ReceivedAdvertisement r;
    r.advert.version = proto::Version::V2;
    r.advert.vrid = 51;
    r.advert.priority = priority;
    r.advert.intervalCs = 100;
    r.advert.addresses = {ip("192.0.2.100"), ip("192.0.2.101")};
    r.advert.authType = proto::AuthType::SimplePassword;
    std::copy(password.begin(), password.end(), r.advert.authData.begin());
    r.meta = {ip(from), ip("224.0.0.18"), 255, proto::Delivery::Multicast};
    r.checksumForm = proto::ChecksumForm::Ipv4PseudoHeader;
    return r;
  }

  nlohmann::ordered_json json() { return keepalivedJson(instances_, names_); }
  std::string data() { return keepalivedDataText(instances_, clock_.now(), names_); }

  InterfaceNamer names_ = [](int ifindex) {
    return ifindex == kOtherIfindex ? std::string("eth1") : std::string("?");
  };
  fakes::FakeScheduler clock_;
  fakes::FakeAddressManager kernel_;
  fakes::FakeRouteManager routes_;
  fakes::FakeAnnouncer announcer_;
  fakes::FakeTransport transport_;
  std::vector<std::unique_ptr<Instance>> instances_;
};

TEST_F(KeepalivedDumpTest, JsonIsAnArrayOfDataAndStatsWithKeepalivedsFieldNames) {
  make();
  becomeMaster();
  const auto doc = json();
  ASSERT_TRUE(doc.is_array());
  ASSERT_EQ(doc.size(), 1u);
  const auto& data = doc[0]["data"];
  EXPECT_EQ(data["iname"], "VI_1");
  EXPECT_EQ(data["ifp_ifname"], "eth0");
  EXPECT_EQ(data["vrid"], 51);
  EXPECT_EQ(data["base_priority"], 100);
  EXPECT_EQ(data["effective_priority"], 100);
  EXPECT_EQ(data["version"], 2);
  EXPECT_EQ(data["vipset"], true);
  EXPECT_EQ(data["adver_int"], 1);
  EXPECT_TRUE(data["adver_int"].is_number_integer()) << "keepalived writes 1, not 1.0";
  EXPECT_EQ(data["accept"], 1);
  EXPECT_EQ(data["nopreempt"], false);
  EXPECT_EQ(data["garp_delay"], 5);
  EXPECT_EQ(data["garp_rep"], 5);
  EXPECT_EQ(data["skip_check_adv_addr"], 0);
  EXPECT_EQ(data["auth_type"], 1) << "PASS";
  EXPECT_TRUE(data["last_transition"].is_number_float());
  EXPECT_EQ(data["track_ifp"], nlohmann::ordered_json::array({"eth1"}));
  EXPECT_FALSE(data.contains("track_process")) << "keepalived leaves out empty lists";
  EXPECT_FALSE(data.contains("vmac_ifname")) << "no use_vmac: left out, not invented";
  const auto& stats = doc[0]["stats"];
  for (const char* key : {"advert_rcvd", "advert_sent", "become_master", "release_master",
                          "packet_len_err", "advert_interval_err", "ip_ttl_err",
                          "invalid_type_rcvd", "addr_list_err", "invalid_authtype",
                          "authtype_mismatch", "auth_failure", "pri_zero_rcvd", "pri_zero_sent"}) {
    EXPECT_TRUE(stats.contains(key)) << key;
  }
  EXPECT_EQ(stats["become_master"], 1);
  EXPECT_EQ(stats["advert_sent"], 1) << "the advert sent on becoming master";
}

TEST_F(KeepalivedDumpTest, StateIsKeepalivedsNumber) {
  make();
  instance().start(true);
  EXPECT_EQ(json()[0]["data"]["state"], 1) << "BACKUP";
  clock_.advance(5s);
  EXPECT_EQ(json()[0]["data"]["state"], 2) << "MASTER";
  EXPECT_EQ(json()[0]["data"]["wantstate"], 2);
  instance().onLinkState(false);
  EXPECT_EQ(json()[0]["data"]["state"], 3) << "FAULT";
  EXPECT_EQ(keepalivedState(core::State::Initialize), 0);
}

TEST_F(KeepalivedDumpTest, NoDumpEverContainsThePassword) {
  make();
  becomeMaster();
  const auto text = json().dump() + data() + keepalivedStatsText(instances_);
  EXPECT_EQ(text.find("secret12"), std::string::npos);
  EXPECT_FALSE(json()[0]["data"].contains("auth_data"));
  EXPECT_NE(data().find("Authentication type = SIMPLE_PASSWORD"), std::string::npos);
  EXPECT_EQ(data().find("Password"), std::string::npos);
}

TEST_F(KeepalivedDumpTest, VipsAndExcludedVipsAreListedAsKeepalivedFormatsThem) {
  make();
  instance().start(true);
  auto vips = json()[0]["data"]["vips"];
  ASSERT_EQ(vips.size(), 2u);
  EXPECT_EQ(vips[0], "192.0.2.100/24 dev eth0 scope global") << "not set while BACKUP";
  EXPECT_EQ(vips[1], "192.0.2.101/24 dev eth0 scope global label eth0:1");
  clock_.advance(5s);
  vips = json()[0]["data"]["vips"];
  EXPECT_EQ(vips[0], "192.0.2.100/24 dev eth0 scope global set");
  EXPECT_EQ(json()[0]["data"]["evips"],
            nlohmann::ordered_json::array({"198.51.100.7/32 dev eth1 scope global set"}));
}

TEST_F(KeepalivedDumpTest, ABackupShowsTheMasterItHearsAndItsPriority) {
  make();
  instance().start(true);
  instance().onAdvert(advertFrom("192.0.2.2", 150));
  EXPECT_EQ(json()[0]["data"]["master_priority"], 150);
  const auto text = data();
  EXPECT_NE(text.find(" VRRP Instance = VI_1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("   State = BACKUP\n"), std::string::npos) << text;
  EXPECT_NE(text.find("   Master router = 192.0.2.2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("   Master priority = 150\n"), std::string::npos) << text;
  EXPECT_NE(text.find("   Advert interval = 1 sec\n"), std::string::npos) << text;
  EXPECT_NE(text.find("------< vipd status >------\nINSTANCE"), std::string::npos)
      << "then vipctl status's table";
}

TEST_F(KeepalivedDumpTest, DropReasonsLandInKeepalivedsErrorCounters) {
  make();
  instance().start(true);
  instance().onAdvert(advertFrom("192.0.2.2", 150, "wrong"));
  instance().onDecodeDrop(proto::DropReason::TtlNot255, ip("192.0.2.2"));
  instance().onDecodeDrop(proto::DropReason::Truncated, ip("192.0.2.2"));
  instance().onDecodeDrop(proto::DropReason::TooLong, ip("192.0.2.2"));
  instance().onDecodeDrop(proto::DropReason::BadChecksum, ip("192.0.2.2"));
  const auto k = keepalivedStats(instance().stats());
  EXPECT_EQ(k.authFailure, 1u);
  EXPECT_EQ(k.ipTtlErr, 1u);
  EXPECT_EQ(k.packetLenErr, 2u);
  EXPECT_EQ(k.advertRcvd, 0u) << "dropped adverts are not received ones";
  const auto stats = json()[0]["stats"];
  EXPECT_EQ(stats["auth_failure"], 1);
  EXPECT_EQ(stats["packet_len_err"], 2);
}

TEST_F(KeepalivedDumpTest, MastershipCountersAndPriorityZero) {
  make();
  becomeMaster();
  instance().onAdvert(advertFrom("192.0.2.2", 150));
  ASSERT_EQ(instance().state(), core::State::Backup);
  instance().onAdvert(advertFrom("192.0.2.2", 0));
  auto k = keepalivedStats(instance().stats());
  EXPECT_EQ(k.becomeMaster, 1u);
  EXPECT_EQ(k.releaseMaster, 1u);
  EXPECT_EQ(k.priZeroRcvd, 1u);
  EXPECT_EQ(k.advertRcvd, 2u);
  clock_.advance(2s);  // the resigned master's skew time
  ASSERT_EQ(instance().state(), core::State::Master);
  instance().shutdown();
  k = keepalivedStats(instance().stats());
  EXPECT_EQ(k.priZeroSent, 1u);
  EXPECT_EQ(k.becomeMaster, 2u);
}

TEST_F(KeepalivedDumpTest, StatsTextFollowsKeepalivedsLayoutLineForLine) {
  make();
  becomeMaster();
  EXPECT_EQ(keepalivedStatsText(instances_),
            "VRRP Instance: VI_1\n"
            "  Advertisements:\n"
            "    Received: 0\n"
            "    Sent: 1\n"
            "  Became master: 1\n"
            "  Released master: 0\n"
            "  Packet Errors:\n"
            "    Length: 0\n"
            "    TTL: 0\n"
            "    Invalid Type: 0\n"
            "    Advertisement Interval: 0\n"
            "    Address List: 0\n"
            "  Authentication Errors:\n"
            "    Invalid Type: 0\n"
            "    Type Mismatch: 0\n"
            "    Failure: 0\n"
            "  Priority Zero:\n"
            "    Received: 0\n"
            "    Sent: 0\n");
}

TEST_F(KeepalivedDumpTest, ClearedStatsShowZero) {
  make();
  becomeMaster();
  instance().clearStats();
  EXPECT_EQ(json()[0]["stats"]["advert_sent"], 0);
  EXPECT_EQ(json()[0]["stats"]["become_master"], 0);
}

TEST_F(KeepalivedDumpTest, Version3ReportsNoAuthenticationAndIntervalsInMilliseconds) {
  make(R"(
  interface eth0
  virtual_router_id 52
  version 3
  advert_int 0.5
  virtual_ipaddress {
    192.0.2.110/24
  }
)");
  instance().start(true);
  EXPECT_EQ(json()[0]["data"]["auth_type"], 0);
  EXPECT_EQ(json()[0]["data"]["adver_int"], 0.5);
  EXPECT_NE(data().find("   Advert interval = 500 milli-sec\n"), std::string::npos);
  EXPECT_EQ(data().find("Authentication type"), std::string::npos);
}

TEST(KeepalivedAddressTest, BroadcastAndScopeAsKeepalived) {
  net::InterfaceAddress a;
  a.address = ip("192.0.2.100");
  a.prefixLength = 24;
  a.broadcast = ip("192.0.2.255");
  a.scope = net::Scope::Link;
  EXPECT_EQ(keepalivedAddress(a, "eth0", false),
            "192.0.2.100/24 brd 192.0.2.255 dev eth0 scope link");
}

}  // namespace
}  // namespace vipd::daemon
