// vrrp_sync_group on a running pair, observed from outside: each host runs
// a group G1 of two instances (VRID 51 with an IPv4 VIP, VRID 52 with an
// IPv6 one: the group moves both families together); who
// holds the VIPs, and what the group's notify script received.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "pair_lab.h"

namespace vipd::lab {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 3s;
const char* const kVip1 = "192.0.2.100";
const char* const kVip2 = "2001:db8::100";

class SyncGroupTest : public PairLabTest {
 protected:
  SyncGroupTest() : PairLabTest("sync") {}

  static std::string instance(const char* name, int vrid, int priority, const char* vip,
                              const std::string& extra) {
    return std::string("vrrp_instance ") + name + " {\n    interface eth0\n    virtual_router_id " +
           std::to_string(vrid) + "\n    priority " + std::to_string(priority) +
           "\n    advert_int 0.1\n    virtual_ipaddress {\n        " + vip +
           (std::string(vip).find(':') == std::string::npos ? "/24" : "/64") + "\n    }\n" + extra +
           "}\n";
  }

  /// VRRPv3 at 100 ms; VI_1 gets `trackVi1`, the group's generic notify
  /// writes its arguments to HOST-group.log.
  std::string config(const std::string& host, int priority, const std::string& outside = "",
                     const std::string& trackVi1 = "") {
    const auto sh = script(host + "-group.sh", "echo \"$*\" >> " + path(host + "-group.log"));
    return "global_defs {\n    vrrp_version 3\n}\n" + outside +
           instance("VI_1", 51, priority, kVip1, trackVi1) +
           instance("VI_2", 52, priority, kVip2, "") +
           "vrrp_sync_group G1 {\n    group {\n        VI_1\n        VI_2\n    }\n    notify " +
           sh + "\n}\n";
  }

  bool holdsBoth(const Host& h) { return lab_->hasAddress(h, kVip1) && lab_->hasAddress(h, kVip2); }
  bool holdsNone(const Host& h) {
    return !lab_->hasAddress(h, kVip1) && !lab_->hasAddress(h, kVip2);
  }
  bool soleHolder(const Host& h, const Host& other) { return holdsBoth(h) && holdsNone(other); }
};

// A health check (weight 0) on ONE of h1's instances fails: keepalived's
// sync group faults both, so both VIPs move to h2 together; when the check
// recovers, both come back. The group notify gets GROUP G1 STATE 0 each time.
TEST_F(SyncGroupTest, FailingCheckOnOneMemberMovesBothVipsAndRecoveryBringsBothBack) {
  const auto flag = path("h1-fail");
  const auto check = script("check.sh", "test ! -e " + flag);
  const std::string scriptBlock =
      "vrrp_script chk {\n    script " + check + "\n    interval 1\n}\n";
  c1_ = startVipd(*lab_, *h1_,
                  config("h1", 150, scriptBlock, "    track_script {\n        chk\n    }\n"),
                  "h1-vipd");
  // h1 first: h2 started within the 20 ms that separate the two skew times
  // would become master before h1 (correctly) and be preempted by it.
  ASSERT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, kSettle));
  c2_ = startVipd(*lab_, *h2_, config("h2", 100), "h2-vipd");
  const auto h1Log = path("h1-group.log");
  // Until its first result, the script holds VI_1 (so the group) in FAULT,
  // as a lone instance (track::InstanceTracking, keepalived num_script_init).
  const Lines started{"GROUP G1 FAULT 0", "GROUP G1 BACKUP 0", "GROUP G1 MASTER 0"};
  EXPECT_EQ(waitForLines(h1Log, 3), started);
  EXPECT_EQ(waitForLines(path("h2-group.log"), 1), (Lines{"GROUP G1 BACKUP 0"}));

  std::ofstream(flag) << "down\n";
  ASSERT_TRUE(waitFor([&] { return holdsNone(*h1_); }, 5s)) << "h1 released its VIPs";
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h2_, *h1_); }, kSettle)) << "h2 took both VIPs over";
  const auto log = readLog(c1_);
  EXPECT_NE(log.find("(VI_1) entering FAULT"), std::string::npos);
  EXPECT_NE(log.find("(VI_2) entering FAULT"), std::string::npos) << "the untracked member too";
  Lines expected = started;
  expected.push_back("GROUP G1 FAULT 0");
  EXPECT_EQ(waitForLines(h1Log, 4), expected);

  std::filesystem::remove(flag);
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, 5s)) << "h1 took both back";
  expected.insert(expected.end(), {"GROUP G1 BACKUP 0", "GROUP G1 MASTER 0"});
  EXPECT_EQ(waitForLines(h1Log, 6), expected);

  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  expected.push_back("GROUP G1 STOP 0");
  EXPECT_EQ(readLines(h1Log), expected) << "the group's STOP runs before vipd exits";
  EXPECT_EQ(
      waitForLines(path("h2-group.log"), 4),
      (Lines{"GROUP G1 BACKUP 0", "GROUP G1 MASTER 0", "GROUP G1 BACKUP 0", "GROUP G1 MASTER 0"}));
}

// A reload that updates a member rebuilds the group over the running
// instances: it carries on from their state (MASTER) without a transition or
// a notify, and still reports STOP when vipd stops.
TEST_F(SyncGroupTest, ReloadUpdatingAMemberKeepsTheGroupMasterWithoutNotifies) {
  c1_ = startVipd(*lab_, *h1_, config("h1", 150), "h1-vipd");
  c2_ = startVipd(*lab_, *h2_, config("h2", 100), "h2-vipd");
  ASSERT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, kSettle));
  const auto h1Log = path("h1-group.log");
  const Lines started{"GROUP G1 BACKUP 0", "GROUP G1 MASTER 0"};
  ASSERT_EQ(waitForLines(h1Log, 2), started);

  std::string next = config("h1", 150);
  const auto at = next.find("priority 150", next.find("VI_2"));
  next.replace(at, 12, "priority 160");
  reloadWith(*lab_, c1_, next);
  ASSERT_TRUE(waitFor([&] { return readLog(c1_).find("reload done") != std::string::npos; }, 5s));
  EXPECT_NE(readLog(c1_).find("reload done: 1 unchanged, 1 updated"), std::string::npos);
  EXPECT_NE(readLog(c1_).find("(group G1) members=2 state=MASTER"), std::string::npos)
      << "rebuilt from its members' state";
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(soleHolder(*h1_, *h2_));
  EXPECT_EQ(readLines(h1Log), started) << "no group notify on reload";

  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_EQ(readLines(h1Log), (Lines{"GROUP G1 BACKUP 0", "GROUP G1 MASTER 0", "GROUP G1 STOP 0"}));
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h2_, *h1_); }, kSettle));
}

}  // namespace
}  // namespace vipd::lab
