#include "vipd/daemon/status.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <time.h>

#include <optional>
#include <regex>
#include <string>

#include "instance_harness.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// v3, advert_int 1 s, priority 100: Master_Down_Interval = 3 s + 60 cs skew.
constexpr auto kDownAt100 = 3600ms;

class StatusTest : public ::testing::Test {
 protected:
  void SetUp() override { t0_ = h_.clock.now(); }

  /// VI_1 (VRID 51, priority 100, two VIPs), started and left to take over.
  Instance& master() {
    Instance& m = h_.add("VI_1", 51, 100, {"192.0.2.100/24", "192.0.2.101/24"});
    m.start(true);
    h_.clock.advanceTo(t0_ + kDownAt100);
    EXPECT_EQ(m.state(), core::State::Master);
    return m;
  }

  /// VI_2 (VRID 52, priority 100), started, hearing a master at priority 110.
  Instance& backup() {
    Instance& b = h_.add("VI_2", 52, 100, {"192.0.2.200/24"});
    b.start(true);
    h_.clock.advance(1s);
    b.onAdvert(InstanceHarness::advert(52, "192.0.2.9", 110, {"192.0.2.200"}));
    EXPECT_EQ(b.state(), core::State::Backup);
    return b;
  }

  json status(const Instance& instance) { return instanceStatus(instance, h_.clock.now()); }

  InstanceHarness h_;
  Scheduler::Clock::time_point t0_;
};

// An RFC 3339 UTC time with milliseconds.
const std::regex kRfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");

TEST_F(StatusTest, MasterReportsItselfAndItsVips) {
  const json s = status(master());
  EXPECT_EQ(s["name"], "VI_1");
  EXPECT_EQ(s["interface"], "eth0");
  EXPECT_EQ(s["vrid"], 51);
  EXPECT_EQ(s["family"], "inet");
  EXPECT_EQ(s["version"], 3);
  EXPECT_EQ(s["state"], "MASTER");
  EXPECT_EQ(s["priority"], 100);
  EXPECT_EQ(s["base_priority"], 100);
  EXPECT_EQ(s["master"], "192.0.2.1") << "a master hears itself";
  EXPECT_EQ(s["advert_interval_s"], 1.0);
  EXPECT_EQ(s["master_advert_interval_s"], 1.0);
  EXPECT_EQ(s["vips"], (json{"192.0.2.100/24", "192.0.2.101/24"}));
  EXPECT_EQ(s["vips_present"], true);
  EXPECT_EQ(s["maintenance"], false);
  EXPECT_EQ(s["faulted"], false);
}

TEST_F(StatusTest, LastTransitionNamesFromToCauseAndWhen) {
  const json s = status(master());
  const json& t = s["last_transition"];
  EXPECT_EQ(t["from"], "BACKUP");
  EXPECT_EQ(t["to"], "MASTER");
  EXPECT_EQ(t["cause"], "MasterDownTimer");
  EXPECT_EQ(t["priority"], 100);
  ASSERT_TRUE(t["at"].is_string());
  EXPECT_TRUE(std::regex_match(t["at"].get<std::string>(), kRfc3339)) << t["at"];
}

TEST_F(StatusTest, TimeInStateFollowsTheClock) {
  Instance& m = master();
  EXPECT_EQ(status(m)["in_state_s"], 0.0) << "just taken over";
  h_.clock.advance(2500ms);
  EXPECT_DOUBLE_EQ(status(m)["in_state_s"].get<double>(), 2.5);
  h_.clock.advance(1h);
  EXPECT_DOUBLE_EQ(status(m)["in_state_s"].get<double>(), 3602.5);
}

TEST_F(StatusTest, BeforeStartThereIsNoStateHistory) {
  const json s = status(h_.add("VI_1", 51, 100, {"192.0.2.100/24"}));
  EXPECT_EQ(s["state"], "INIT");
  EXPECT_TRUE(s["master"].is_null());
  EXPECT_TRUE(s["in_state_s"].is_null());
  EXPECT_TRUE(s["last_transition"].is_null());
  EXPECT_EQ(s["vips_present"], false);
}

TEST_F(StatusTest, BackupReportsTheSenderOfTheLastAdvert) {
  const json s = status(backup());
  EXPECT_EQ(s["state"], "BACKUP");
  EXPECT_EQ(s["master"], "192.0.2.9");
  EXPECT_EQ(s["vips"], json{"192.0.2.200/24"});
  EXPECT_EQ(s["vips_present"], false);
  EXPECT_EQ(s["last_transition"]["from"], "INIT");
  EXPECT_EQ(s["last_transition"]["to"], "BACKUP");
  EXPECT_EQ(s["last_transition"]["cause"], "Startup");
  EXPECT_DOUBLE_EQ(s["in_state_s"].get<double>(), 1.0);
}

TEST_F(StatusTest, BackupForgetsTheMasterAfterMasterDownInterval) {
  Instance& b = backup();
  const auto heard = h_.clock.now();
  const auto down = b.router().masterDownInterval();
  // The master heard last is reported up to Master_Down_Interval, not after.
  EXPECT_EQ(instanceStatus(b, heard + down)["master"], "192.0.2.9");
  EXPECT_TRUE(instanceStatus(b, heard + down + 1ns)["master"].is_null());
}

TEST_F(StatusTest, DrainedBackupThatHearsNobodyReportsNoMaster) {
  Instance& b = backup();
  b.setMaintenance(true);
  h_.clock.advance(10s);  // no adverts: a drained backup does not take over
  const json s = status(b);
  EXPECT_EQ(s["state"], "BACKUP");
  EXPECT_EQ(s["maintenance"], true);
  EXPECT_TRUE(s["master"].is_null()) << s["master"];
}

TEST_F(StatusTest, BackupThatHeardTheMasterResignReportsNoMaster) {
  Instance& b = backup();
  b.onAdvert(InstanceHarness::advert(52, "192.0.2.9", 0, {"192.0.2.200"}));
  const json s = status(b);
  ASSERT_EQ(s["state"], "BACKUP") << "still waiting for Skew_Time";
  EXPECT_TRUE(s["master"].is_null()) << "a priority-0 advert is a resignation";
}

TEST_F(StatusTest, DrainedMasterHandsOverAndSaysWhy) {
  Instance& m = master();
  h_.clock.advance(5s);
  m.setMaintenance(true);
  const json s = status(m);
  EXPECT_EQ(s["state"], "BACKUP");
  EXPECT_EQ(s["maintenance"], true);
  EXPECT_EQ(s["vips_present"], false);
  EXPECT_EQ(s["last_transition"]["from"], "MASTER");
  EXPECT_EQ(s["last_transition"]["to"], "BACKUP");
  EXPECT_EQ(s["last_transition"]["cause"], "Maintenance");
  EXPECT_EQ(s["in_state_s"], 0.0);
  EXPECT_TRUE(s["master"].is_null()) << "nobody else has been heard";
}

TEST_F(StatusTest, DocumentListsInstancesInOrder) {
  master();
  backup();
  const json doc = statusDocument(h_.instances, h_.clock.now());
  ASSERT_EQ(doc["instances"].size(), 2u);
  EXPECT_EQ(doc["instances"][0]["name"], "VI_1");
  EXPECT_EQ(doc["instances"][1]["name"], "VI_2");
  EXPECT_EQ(doc["instances"][1], status(*h_.instances[1]));
}

TEST_F(StatusTest, APendingInstanceComesAfterTheRunningOnesAndSaysWhatItWaitsFor) {
  master();
  PendingView p;
  p.name = "VI_3";
  p.interface = "eth1";
  p.vrid = 53;
  p.family = util::Family::V4;
  p.version = 3;
  p.priority = 150;
  p.advertInterval = config::Centiseconds(50);
  p.vips = {"198.51.100.100/24"};
  p.waitingFor = "address 198.51.100.1 (unicast_src_ip)";
  p.since = h_.clock.now();
  h_.clock.advance(2500ms);
  const json doc = statusDocument(h_.instances, h_.clock.now(), {p});
  ASSERT_EQ(doc["instances"].size(), 2u);
  EXPECT_TRUE(doc["instances"][0]["waiting_for"].is_null())
      << "a running instance waits for nothing";
  const json& s = doc["instances"][1];
  EXPECT_EQ(s["name"], "VI_3");
  EXPECT_EQ(s["state"], "PENDING");
  EXPECT_EQ(s["waiting_for"], "address 198.51.100.1 (unicast_src_ip)");
  EXPECT_EQ(s["faulted"], false) << "pending is not FAULT";
  EXPECT_EQ(s["vrid"], 53);
  EXPECT_EQ(s["priority"], 150);
  EXPECT_EQ(s["advert_interval_s"], 0.5);
  EXPECT_EQ(s["vips"], json({"198.51.100.100/24"}));
  EXPECT_EQ(s["vips_present"], false);
  EXPECT_TRUE(s["master"].is_null());
  EXPECT_TRUE(s["last_transition"].is_null());
  EXPECT_DOUBLE_EQ(s["in_state_s"].get<double>(), 2.5);
  // Every key a running instance has, so scripts read both alike.
  for (const auto& [key, value] : doc["instances"][0].items()) {
    EXPECT_TRUE(s.contains(key)) << key;
  }
}

TEST_F(StatusTest, EmptyDocumentHasAnEmptyList) {
  EXPECT_EQ(statusDocument(h_.instances, h_.clock.now()),
            (json{{"instances", json::array()}, {"refused_scripts", json::array()}}));
  const json stats = statsDocument(h_.instances, {}, h_.clock.now());
  EXPECT_EQ(stats["instances"], json::array());
  EXPECT_EQ(stats["scripts"], json::array());
  EXPECT_EQ(stats["notifies"], json::array());
  EXPECT_EQ(stats["refused_scripts"], json::array());
  ASSERT_TRUE(stats["unattributed_drops"].is_object());
  for (const auto& [reason, n] : stats["unattributed_drops"].items()) EXPECT_EQ(n, 0) << reason;
  EXPECT_EQ(stats["log_lines_overwritten"], 0);
  EXPECT_EQ(stats["state_file_errors"], 0);
}

TEST_F(StatusTest, StatsCarryTheUnattributedDropsByReason) {
  backup();
  DropCounts unattributed{};
  unattributed[static_cast<std::size_t>(proto::DropReason::Truncated)] = 3;
  unattributed[static_cast<std::size_t>(proto::DropReason::VridMismatch)] = 40;
  DaemonCounters counters{unattributed, 7};
  counters.stateFileErrors = 2;
  const json doc = statsDocument(h_.instances, counters, h_.clock.now());
  ASSERT_EQ(doc["instances"].size(), 1u);
  const json drops = doc["unattributed_drops"];
  EXPECT_EQ(drops.size(), kDropReasonCount) << "one counter per reason, zero or not";
  EXPECT_EQ(drops["truncated"], 3);
  EXPECT_EQ(drops["vrid_mismatch"], 40);
  EXPECT_EQ(drops["bad_checksum"], 0);
  EXPECT_EQ(doc["instances"][0]["drops"]["truncated"], 0) << "not the instance's";
  EXPECT_EQ(doc["log_lines_overwritten"], 7);
  EXPECT_EQ(doc["state_file_errors"], 2);
}

// A script that does not run is listed with why and who runs without it
// (keepalived drops it with one log line [GH#901, GH#2184]).
TEST_F(StatusTest, StatusListsTheRefusedScriptsWithTheReason) {
  backup();
  const std::vector<RefusedScriptReport> refused = {
      {{"vrrp_script chk",
        "'/opt/chk' is group-writable (mode 0775, group 1000) and the script "
        "would run as root",
        notify::RefusalKind::Security},
       {"VI_1"}},
      {{"notify_master VI_1", "Cannot find script x in path", notify::RefusalKind::Unavailable},
       {}}};
  const json doc = statusDocument(h_.instances, h_.clock.now(), {}, refused);
  ASSERT_EQ(doc["refused_scripts"].size(), 2u);
  EXPECT_EQ(doc["refused_scripts"][0],
            (json{{"script", "vrrp_script chk"},
                  {"kind", "security"},
                  {"reason",
                   "'/opt/chk' is group-writable (mode 0775, group 1000) and the script would "
                   "run as root"},
                  {"tracked_by", {"VI_1"}}}));
  EXPECT_EQ(doc["refused_scripts"][1]["kind"], "unavailable");
  EXPECT_EQ(doc["refused_scripts"][1]["tracked_by"], json::array());
}

TEST_F(StatusTest, StatsCarryTheScriptsAndNotifiesWithTheirCounters) {
  DaemonCounters daemon;
  ScriptStats script;
  script.runs = 7;
  script.failures = 3;
  script.timeouts = 2;
  script.late = 4;
  script.lastRuntime = std::chrono::milliseconds(3001);
  daemon.scripts.push_back({"chk", "vrrp_script", "BAD", script});
  notify::NotifyStats notifies;
  notifies.runs = 5;
  notifies.failures = 1;
  notifies.timeouts = 1;
  daemon.notifies.push_back({"instance", "VI_1", notifies});
  daemon.notifies.push_back({"group", "SG", {}});
  const json doc = statsDocument(h_.instances, daemon, h_.clock.now());
  ASSERT_EQ(doc["scripts"].size(), 1u);
  EXPECT_EQ(doc["scripts"][0], (json{{"name", "chk"},
                                     {"kind", "vrrp_script"},
                                     {"status", "BAD"},
                                     {"runs", 7},
                                     {"failures", 3},
                                     {"timeouts", 2},
                                     {"retries", 0},
                                     {"late", 4},
                                     {"last_runtime_s", 3.001}}));
  ASSERT_EQ(doc["notifies"].size(), 2u);
  EXPECT_EQ(doc["notifies"][0], (json{{"type", "instance"},
                                      {"name", "VI_1"},
                                      {"runs", 5},
                                      {"failures", 1},
                                      {"timeouts", 1},
                                      {"last_runtime_s", nullptr}}));
  EXPECT_EQ(doc["notifies"][1]["type"], "group");
}

// ---- Stats -----------------------------------------------------------------------------

TEST_F(StatusTest, StatsNameEveryDropReasonAndCountByIt) {
  Instance& b = backup();
  b.onDecodeDrop(proto::DropReason::BadChecksum, InstanceHarness::ip("192.0.2.66"));
  b.onDecodeDrop(proto::DropReason::BadChecksum, InstanceHarness::ip("192.0.2.66"));
  b.onAdvert(InstanceHarness::advert(99, "192.0.2.9", 110, {"192.0.2.200"}));  // wrong VRID
  const json drops = instanceStats(b, h_.clock.now())["drops"];
  ASSERT_TRUE(drops.is_object());
  EXPECT_EQ(drops.size(), kDropReasonCount) << "one counter per reason, zero or not";
  EXPECT_EQ(drops["bad_checksum"], 2);
  EXPECT_EQ(drops["vrid_mismatch"], 1);
  std::uint64_t total = 0;
  for (const auto& [reason, n] : drops.items()) total += n.get<std::uint64_t>();
  EXPECT_EQ(total, 3u);
}

TEST_F(StatusTest, StatsCountAdvertsAndTransitionsByCause) {
  Instance& m = master();
  const json s = instanceStats(m, h_.clock.now());
  EXPECT_EQ(s["name"], "VI_1");
  EXPECT_EQ(s["adverts_sent"], 1);
  EXPECT_EQ(s["adverts_received"], 0);
  EXPECT_EQ(s["transitions"].size(), kCauseCount);
  EXPECT_EQ(s["transitions"]["Startup"], 1);
  EXPECT_EQ(s["transitions"]["MasterDownTimer"], 1);
  EXPECT_EQ(s["transitions"]["Maintenance"], 0);
  EXPECT_EQ(s["announcements_sent"], 10) << "5 rounds over 2 VIPs";
}

TEST_F(StatusTest, StatsOfATakeoverAfterAMasterWasHeard) {
  Instance& b = backup();
  const auto heard = h_.clock.now();
  ASSERT_EQ(b.router().masterDownInterval(), kDownAt100);
  h_.clock.advanceTo(heard + kDownAt100);
  ASSERT_EQ(b.state(), core::State::Master);
  const json s = instanceStats(b, h_.clock.now());
  ASSERT_TRUE(s["last_takeover"].is_object()) << s;
  // The fake clock does not move while the takeover runs: it took exactly
  // Master_Down_Interval from the last advert, and the timer was on time.
  EXPECT_DOUBLE_EQ(s["last_takeover"]["since_last_advert_s"].get<double>(), 3.6);
  EXPECT_EQ(s["last_takeover"]["timer_late_s"], 0.0);
  EXPECT_EQ(s["last_takeover"]["first_announcement_s"], 0.0);
  const json& h = s["failover_seconds"];
  EXPECT_EQ(h["count"], 1);
  EXPECT_DOUBLE_EQ(h["sum"].get<double>(), 3.6);
  // Cumulative buckets: the ones from 4 s up hold the takeover.
  ASSERT_EQ(h["buckets"].size(), 12u);
  for (const auto& bucket : h["buckets"]) {
    EXPECT_EQ(bucket["count"], bucket["le"].get<double>() >= 4 ? 1 : 0) << bucket;
  }
}

TEST_F(StatusTest, StatsOfAStartUpTakeoverHaveNoDetectionTime) {
  const json s = instanceStats(master(), h_.clock.now());
  ASSERT_TRUE(s["last_takeover"].is_object());
  EXPECT_TRUE(s["last_takeover"]["since_last_advert_s"].is_null()) << "no master was ever heard";
  EXPECT_EQ(s["failover_seconds"]["count"], 0) << "nothing failed over";
}

// ---- preempt (issue 10 item 10) and lower-priority answers (item 2) --------------------

TEST_F(StatusTest, APreemptingMasterHasNothingToExplain) {
  const json p = status(master())["preempt"];
  EXPECT_EQ(p["mode"], "preempt");
  EXPECT_TRUE(p["delay_remaining_s"].is_null());
  EXPECT_TRUE(p["why"].is_null());
}

TEST_F(StatusTest, ABackupHearingAHigherPriorityHasNothingToExplain) {
  const json p = status(backup())["preempt"];
  EXPECT_EQ(p["mode"], "preempt");
  EXPECT_TRUE(p["why"].is_null());
}

TEST_F(StatusTest, APreemptedLowerPriorityMasterIsExplainedOnTheNewMaster) {
  // VI_2 at 100 hears a master at 90: it discards the adverts and preempts.
  Instance& b = h_.add("VI_2", 52, 100, {"192.0.2.200/24"});
  b.start(true);
  h_.clock.advance(1s);
  b.onAdvert(InstanceHarness::advert(52, "192.0.2.9", 90, {"192.0.2.200"}));
  h_.clock.advanceTo(t0_ + kDownAt100);
  ASSERT_EQ(b.state(), core::State::Master);
  EXPECT_EQ(status(b)["last_transition"]["cause"], "Preempted");
  EXPECT_EQ(status(b)["preempt"]["why"],
            "preempted 192.0.2.9 (priority 90 < ours 100): preempt is on (the default)");
  // A master that answers a lower-priority master counts it (a healed partition).
  b.onAdvert(InstanceHarness::advert(52, "192.0.2.9", 90, {"192.0.2.200"}));
  EXPECT_EQ(instanceStats(b, h_.clock.now())["lower_priority_answers"], 1);
}

// ---- rfc3339 ---------------------------------------------------------------------------

std::chrono::system_clock::time_point epochPlus(std::chrono::milliseconds ms) {
  return std::chrono::system_clock::time_point(ms);
}

TEST(Rfc3339Test, KnownInstants) {
  EXPECT_EQ(rfc3339(epochPlus(1250ms)), "1970-01-01T00:00:01.250Z");
  EXPECT_EQ(rfc3339(epochPlus(0ms)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(rfc3339(epochPlus(-250ms)), "1969-12-31T23:59:59.750Z") << "seconds round down";
  using namespace std::chrono;
  const auto at = sys_days{year{2026} / December / 4} + 20h + 15min + 12s + 345ms + 999us;
  EXPECT_EQ(rfc3339(at), "2026-12-04T20:15:12.345Z") << "milliseconds are truncated";
}

/// Sets TZ for one test and puts it back.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* tz) {
    if (const char* old = ::getenv("TZ")) old_ = old;
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  ~ScopedTimeZone() {
    if (old_) {
      ::setenv("TZ", old_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }

 private:
  std::optional<std::string> old_;
};

TEST(Rfc3339Test, IsUtcWhateverTheLocalTimeZone) {
  // "Z" promises UTC; the daemon's TZ (here five hours east) must not leak in.
  ScopedTimeZone zone("XST-5");
  EXPECT_EQ(rfc3339(epochPlus(1250ms)), "1970-01-01T00:00:01.250Z");
}

}  // namespace
}  // namespace vipd::daemon

namespace vipd::daemon {
namespace {

// The peer keepalived users cannot see: same VRID, another VIP list. Its adverts are dropped
// (RFC 5798 §7.1) but the status names it and the difference until it agrees or falls silent.
class IncompatiblePeerStatusTest : public StatusTest {
 protected:
  void hearMismatchedPeer(Instance& m) {
    m.onAdvert(InstanceHarness::advert(51, "192.0.2.9", 90, {"192.0.2.100"}));
  }
};

TEST_F(IncompatiblePeerStatusTest, AMismatchedPeerIsListedWithTheDifference) {
  Instance& m = master();
  hearMismatchedPeer(m);
  EXPECT_EQ(m.state(), core::State::Master) << "the advert is still dropped";
  const json peers = status(m)["incompatible_peers"];
  ASSERT_EQ(peers.size(), 1u) << peers;
  EXPECT_EQ(peers[0]["peer"], "192.0.2.9");
  EXPECT_EQ(peers[0]["reason"], "address_count_mismatch");
  EXPECT_EQ(peers[0]["difference"],
            "VIP list differs: theirs 192.0.2.100, ours 192.0.2.100 192.0.2.101");
  EXPECT_EQ(peers[0]["adverts_dropped"], 1);
  EXPECT_EQ(m.stats().drops[static_cast<std::size_t>(proto::DropReason::AddressCountMismatch)], 1u);
}

TEST_F(IncompatiblePeerStatusTest, AgreeingClearsTheCondition) {
  Instance& m = master();
  hearMismatchedPeer(m);
  h_.clock.advance(1s);
  m.onAdvert(InstanceHarness::advert(51, "192.0.2.9", 90, {"192.0.2.100", "192.0.2.101"}));
  EXPECT_TRUE(status(m)["incompatible_peers"].empty());
}

// Four advert intervals, but never under the drop-log period (10 s).
TEST_F(IncompatiblePeerStatusTest, SilenceClearsTheConditionAfterTheHoldTime) {
  Instance& m = master();
  hearMismatchedPeer(m);
  h_.clock.advance(9900ms);
  EXPECT_EQ(status(m)["incompatible_peers"].size(), 1u);
  h_.clock.advance(100ms);
  EXPECT_TRUE(status(m)["incompatible_peers"].empty());
}

TEST_F(IncompatiblePeerStatusTest, ABackupListsAMastersMismatchedAdvertsToo) {
  Instance& b = backup();
  b.onAdvert(InstanceHarness::advert(52, "192.0.2.9", 110, {"192.0.2.201"}));
  EXPECT_EQ(status(b)["incompatible_peers"].size(), 1u);
  EXPECT_EQ(status(b)["master"], "192.0.2.9") << "the valid master heard before is still it";
}

}  // namespace
}  // namespace vipd::daemon
