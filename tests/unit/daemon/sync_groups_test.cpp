// Sync groups in the daemon glue: two member Instances on fakes (VI_1
// priority 100, VI_2 priority 200, VRRPv3 at 1 s), grouped in G1. Every
// notify script run is observed through the fake process runner.
#include "vipd/daemon/sync_groups.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include "daemon_test_support.h"
#include "fakes/fake_address_manager.h"
#include "fakes/fake_packet_io.h"
#include "fakes/fake_process_runner.h"
#include "fakes/fake_route_manager.h"
#include "fakes/fake_scheduler.h"
#include "fakes/fake_script_env.h"
#include "vipd/config/parser.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using Lines = std::vector<std::string>;
using testing::kIfindex;
using testing::kMac;
using testing::parseConfig;
using testing::quietLogger;

std::string instanceBlock(const char* name, int vrid, int priority, const char* vip) {
  return std::string("vrrp_instance ") + name + " {\n interface eth0\n virtual_router_id " +
         std::to_string(vrid) + "\n priority " + std::to_string(priority) +
         "\n advert_int 1\n virtual_ipaddress {\n  " + vip + "/24\n }\n notify /x/inotify.sh\n}\n";
}

const std::string kConfig = "global_defs {\n vrrp_version 3\n}\n" +
                            instanceBlock("VI_1", 51, 100, "192.0.2.100") +
                            instanceBlock("VI_2", 52, 200, "192.0.2.101") +
                            "vrrp_sync_group G1 {\n group {\n  VI_1 VI_2\n }\n"
                            " notify /x/notify.sh\n}\n";

class SyncGroupsTest : public ::testing::Test {
 protected:
  SyncGroupsTest() : config_(parseConfig(kConfig)), groups_({clock_, runner_}, quietLogger()) {
    kernel_.setLink(net::LinkInfo{kIfindex, "eth0", kMac, true, true, 1500});
    kernel_.takeEvents();
    files_.dir("/x").file("/x/notify.sh").file("/x/inotify.sh");
    accounts_.user(exec::kDefaultScriptUser, 990, 991);
    notify::ScriptResolver resolver({}, files_, accounts_);
    for (std::size_t i = 0; i < config_.instances.size(); ++i)
      make(config_.instances[i], i, resolver);
    groups_.build(config_, instances_, resolver, {});
    t0_ = clock_.now();
  }

  void make(const config::VrrpInstance& in, std::size_t i, notify::ScriptResolver& resolver) {
    ResolvedInterface itf{"eth0", kIfindex, kMac, *util::IpAddress::parse("192.0.2.1"), false};
    auto settings = resolveInstance(in, config_.global, itf,
                                    [](const std::string&) { return std::optional<int>(); });
    instances_.push_back(std::make_unique<Instance>(
        std::move(settings), Instance::Deps{clock_, kernel_, announcer_, transports_[i], routes_},
        quietLogger()));
    notifiers_.push_back(std::make_unique<notify::Notifier>(notify::Subject::Instance, in.name,
                                                            in.notify, resolver, runner_,
                                                            std::vector<notify::FifoWriter*>{}));
    instances_.back()->setNotifier(notifiers_.back().get());
  }

  Instance& vi(std::size_t n) { return *instances_.at(n - 1); }

  void startBoth() {
    for (auto& instance : instances_) instance->start(true);
  }

  /// Both members MASTER: VI_2's timer (3.21 s) fires first and waits for
  /// VI_1's (3.6 s). Notifies so far are drained.
  void masters() {
    startBoth();
    clock_.advanceTo(t0_ + 3600ms);
    notifies();
  }

  /// The notify scripts that ran since the last call, generic ones without
  /// their path ("INSTANCE VI_1 MASTER 100"), each allowed to finish.
  Lines notifies() {
    Lines lines;
    for (; seen_ < runner_.runs().size(); ++seen_) {
      const auto& run = runner_.runs()[seen_];
      std::string line;
      for (std::size_t i = 1; i < run.command.argv.size(); ++i) {
        line += (i > 1 ? " " : "") + run.command.argv[i];
      }
      lines.push_back(line);
      if (run.active()) runner_.exitWith(run.id, 0);
    }
    return lines;
  }

  bool holds(const char* vip) {
    net::InterfaceAddress a;
    a.ifindex = kIfindex;
    a.address = *util::IpAddress::parse(vip);
    a.prefixLength = 24;
    return kernel_.has(a);
  }

  config::Config config_;
  fakes::FakeScheduler clock_;
  fakes::FakeAddressManager kernel_;
  fakes::FakeRouteManager routes_;
  fakes::FakeAnnouncer announcer_;
  std::array<fakes::FakeTransport, 2> transports_;
  fakes::FakeFileLookup files_;
  fakes::FakeAccountLookup accounts_;
  fakes::FakeProcessRunner runner_;
  std::vector<std::unique_ptr<notify::Notifier>> notifiers_;
  std::vector<std::unique_ptr<Instance>> instances_;
  SyncGroups groups_;
  fakes::FakeScheduler::Clock::time_point t0_;
  std::size_t seen_ = 0;
};

TEST_F(SyncGroupsTest, StartingMembersNotifyBackupAndTheGroupNotifiesBackupOnce) {
  ASSERT_EQ(groups_.size(), 1u);
  startBoth();
  EXPECT_EQ(notifies(),
            (Lines{"INSTANCE VI_1 BACKUP 100", "GROUP G1 BACKUP 0", "INSTANCE VI_2 BACKUP 200"}));
  EXPECT_EQ(groups_.group(0).state(), core::State::Backup);
}

TEST_F(SyncGroupsTest, MasterDownOfTheLastMemberTakesBothToMasterWithTheirVips) {
  startBoth();
  notifies();
  clock_.advanceTo(t0_ + 3300ms);
  // keepalived vrrp_sync_can_goto_master: VI_2 wants MASTER, VI_1 does not yet.
  EXPECT_EQ(vi(2).state(), core::State::Backup);
  EXPECT_FALSE(holds("192.0.2.101"));
  EXPECT_TRUE(transports_[1].sent.empty());

  clock_.advanceTo(t0_ + 3600ms);
  EXPECT_EQ(vi(1).state(), core::State::Master);
  EXPECT_EQ(vi(2).state(), core::State::Master);
  EXPECT_TRUE(holds("192.0.2.100"));
  EXPECT_TRUE(holds("192.0.2.101"));
  EXPECT_EQ(transports_[0].sent.size(), 1u);
  EXPECT_EQ(transports_[1].sent.size(), 1u);
  EXPECT_EQ(notifies(),
            (Lines{"INSTANCE VI_1 MASTER 100", "INSTANCE VI_2 MASTER 200", "GROUP G1 MASTER 0"}));
  ASSERT_TRUE(vi(2).stats().lastTakeover) << "the pulled-along member has takeover telemetry";
}

TEST_F(SyncGroupsTest, FaultOnOneMemberFaultsBothAndRecoveryBringsBothBack) {
  masters();
  vi(2).onLinkState(false);
  EXPECT_EQ(vi(1).state(), core::State::Fault);
  EXPECT_EQ(vi(2).state(), core::State::Fault);
  EXPECT_FALSE(holds("192.0.2.100"));
  EXPECT_FALSE(holds("192.0.2.101"));
  EXPECT_EQ(notifies(),
            (Lines{"INSTANCE VI_2 FAULT 200", "INSTANCE VI_1 FAULT 100", "GROUP G1 FAULT 0"}));

  vi(2).onLinkState(true);
  EXPECT_EQ(vi(1).state(), core::State::Backup);
  EXPECT_EQ(vi(2).state(), core::State::Backup);
  EXPECT_EQ(notifies(),
            (Lines{"INSTANCE VI_2 BACKUP 200", "INSTANCE VI_1 BACKUP 100", "GROUP G1 BACKUP 0"}));
  clock_.advance(3600ms);
  EXPECT_TRUE(holds("192.0.2.100") && holds("192.0.2.101"));
}

// reference §2.3: STOP notifies, instances first, then the group.
TEST_F(SyncGroupsTest, ShutdownNotifiesEachInstanceThenTheGroupStop) {
  masters();
  for (auto& instance : instances_) instance->shutdown();
  EXPECT_FALSE(groups_.idle()) << "the group's STOP script is still running";
  EXPECT_EQ(notifies(),
            (Lines{"INSTANCE VI_1 STOP 100", "INSTANCE VI_2 STOP 200", "GROUP G1 STOP 0"}));
  EXPECT_TRUE(groups_.idle());
}

// keepalived send_instance_notifies: an instance that has notified before and
// enters the state its group is already in sends no notify.
TEST_F(SyncGroupsTest, MemberRejoiningAMasterGroupBecomesMasterWithoutAnInstanceNotify) {
  masters();
  vi(1).shutdown();
  vi(1).start(true);
  EXPECT_EQ(notifies(), (Lines{"INSTANCE VI_1 STOP 100", "INSTANCE VI_1 BACKUP 100"}));
  clock_.advance(3600ms);
  EXPECT_EQ(vi(1).state(), core::State::Master);
  EXPECT_TRUE(holds("192.0.2.100"));
  EXPECT_EQ(notifies(), Lines{});
}

TEST_F(SyncGroupsTest, ReleasedMembersRunAloneAgain) {
  startBoth();
  notifies();
  clock_.advanceTo(t0_ + 3300ms);  // VI_2 held, wanting MASTER
  groups_.release();
  EXPECT_EQ(groups_.size(), 0u);
  clock_.advanceTo(t0_ + 3300ms + 3210ms);
  EXPECT_EQ(vi(2).state(), core::State::Master) << "no longer held back by the group";
  EXPECT_EQ(vi(1).state(), core::State::Master);
  EXPECT_EQ(notifies(), (Lines{"INSTANCE VI_1 MASTER 100", "INSTANCE VI_2 MASTER 200"}))
      << "no group notify";
}

// vipd's notify_timeout: the group's own, else the global one, also after a
// reload that changes only the global one (no rebuild).
TEST_F(SyncGroupsTest, GroupNotifiesGetTheirNotifyTimeout) {
  startBoth();
  notifies();
  std::vector<std::chrono::milliseconds> timeouts;
  groups_.forEachQueue([&](const notify::NotifyQueue& q) { timeouts.push_back(q.timeout()); });
  EXPECT_EQ(timeouts, (std::vector<std::chrono::milliseconds>{10s}));
  config::Config next = config_;
  next.global.notifyTimeout = 30s;
  groups_.setNotifyTimeouts(next);
  timeouts.clear();
  groups_.forEachQueue([&](const notify::NotifyQueue& q) { timeouts.push_back(q.timeout()); });
  EXPECT_EQ(timeouts, (std::vector<std::chrono::milliseconds>{30s}));
  next.syncGroups.at(0).notify.timeout = 3s;
  groups_.setNotifyTimeouts(next);
  timeouts.clear();
  groups_.forEachQueue([&](const notify::NotifyQueue& q) { timeouts.push_back(q.timeout()); });
  EXPECT_EQ(timeouts, (std::vector<std::chrono::milliseconds>{3s}));
}

// Notify runs are counted per group and survive a rebuild of the same group.
TEST_F(SyncGroupsTest, GroupNotifyCountersGoOnAcrossARebuild) {
  startBoth();
  notifies();  // GROUP G1 BACKUP ran and exited 0
  auto reports = groups_.notifyReports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].type, "group");
  EXPECT_EQ(reports[0].name, "G1");
  EXPECT_EQ(reports[0].stats.runs, 1u);
  notify::ScriptResolver resolver({}, files_, accounts_);
  groups_.build(config_, instances_, resolver, {});
  EXPECT_EQ(groups_.notifyReports().at(0).stats.runs, 1u);
  groups_.clearStats();
  EXPECT_EQ(groups_.notifyReports().at(0).stats.runs, 0u);
  EXPECT_TRUE(groups_.refusals().empty());
}

TEST_F(SyncGroupsTest, ReloadRebuildsOnlyWhenMembersOrScriptsChange) {
  const auto unchanged = [](const std::string& name) {
    return PlannedChange{name, "", InstanceChange::Unchanged, ""};
  };
  std::vector<PlannedChange> plan{unchanged("VI_1"), unchanged("VI_2")};
  config::Config moved = parseConfig("\n\n" + kConfig);  // same groups, other lines
  EXPECT_FALSE(SyncGroups::needRebuild(config_, moved, plan));

  config::Config scripts = config_;
  scripts.syncGroups.at(0).notify.generic->argv.push_back("extra");
  EXPECT_TRUE(SyncGroups::needRebuild(config_, scripts, plan));

  plan[1].change = InstanceChange::Updated;
  EXPECT_TRUE(SyncGroups::needRebuild(config_, config_, plan)) << "a member changed";
}

}  // namespace
}  // namespace vipd::daemon
