// vrrp_sync_group: members, trackers, notifies and keepalived's checks
// [SRC vrrp_parser.c:vrrp_sync_group_handler, vrrp_sync.c:vrrp_sync_set_group].

#include <gtest/gtest.h>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using testing::instance;
using testing::messages;
using testing::parse;
using Messages = std::vector<std::string>;

/// Two instances VI_1 (line 1, 8 lines) and VI_6 (IPv6, line 9, 7 lines).
std::string twoInstances() {
  return instance("") + "vrrp_instance VI_6 {\n  interface eth0\n  virtual_router_id 51\n"
                        "  virtual_ipaddress {\n    fe80::10\n  }\n}\n";
}

TEST(ConfigSyncGroupTest, MembersOfBothFamiliesAndEveryKeyword) {
  const ParseResult result = parse(
      "vrrp_script chk {\n script /bin/true\n}\n" + twoInstances() +
      "vrrp_sync_group SG {\n group {\n  VI_1 VI_6\n }\n"
      " track_script {\n  chk weight 10\n }\n"
      " notify \"/bin/n group\"\n sync_group_tracking_weight\n smtp_alert\n"
      " notify_timeout 45\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  ASSERT_EQ(result.config->syncGroups.size(), 1u);
  const SyncGroup& g = result.config->syncGroups[0];
  EXPECT_EQ(g.name, "SG");
  EXPECT_EQ(g.members, (std::vector<std::string>{"VI_1", "VI_6"}));
  ASSERT_EQ(g.trackScripts.size(), 1u);
  EXPECT_EQ(g.trackScripts[0].weight, 10);
  EXPECT_EQ(g.notify.generic->argv, (std::vector<std::string>{"/bin/n", "group"}));
  EXPECT_TRUE(g.trackingWeight);
  EXPECT_EQ(g.notify.timeout, std::chrono::seconds(45));
  EXPECT_EQ(g.where, (SourceLocation{"vipd.conf", 19, 1}));
  EXPECT_EQ(messages(result),
            (Messages{"vipd.conf:28:2: warning: 'smtp_alert' is not supported by vipd, ignored"}));
}

struct SyncCase {
  const char* name;
  std::string config;
  Messages expected;
  bool ok;
};

const std::string kSg = "vrrp_sync_group SG {\n";  // line 16 after twoInstances()

std::vector<SyncCase> cases() {
  return {
      {"MemberNamesNoInstance", twoInstances() + kSg + " group {\n  VI_1 VI_X\n }\n}\n",
       {"vipd.conf:18:8: error: vrrp_sync_group SG member VI_X names no vrrp_instance",
        "vipd.conf:16:1: warning: vrrp_sync_group SG has only one member (VI_1); this probably "
        "isn't what you want"},
       false},
      {"InstanceInTwoGroups",
       twoInstances() + kSg + " group {\n  VI_1 VI_6\n }\n}\n" +
           "vrrp_sync_group SG2 {\n group {\n  VI_6 VI_1\n }\n}\n",
       {"vipd.conf:23:3: error: vrrp_sync_group SG2 lists VI_6, which is already in "
        "vrrp_sync_group SG at vipd.conf:18:8; an instance can be in one sync group only",
        "vipd.conf:23:8: error: vrrp_sync_group SG2 lists VI_1, which is already in "
        "vrrp_sync_group SG at vipd.conf:18:3; an instance can be in one sync group only"},
       false},
      {"OneMemberIsAWarning", twoInstances() + kSg + " group {\n  VI_1\n }\n}\n",
       {"vipd.conf:16:1: warning: vrrp_sync_group SG has only one member (VI_1); this probably "
        "isn't what you want"},
       true},
      {"MemberListedTwice", twoInstances() + kSg + " group {\n  VI_1 VI_6 VI_1\n }\n}\n",
       {"vipd.conf:18:13: warning: vrrp_sync_group SG lists VI_1 twice; ignored"},
       true},
      {"NoMembers", twoInstances() + kSg + "}\n",
       {"vipd.conf:16:1: warning: vrrp_sync_group SG has no members; ignored"},
       true},
      {"GroupBlockTwice",
       twoInstances() + kSg + " group {\n  VI_1 VI_6\n }\n group {\n  VI_1\n }\n}\n",
       {"vipd.conf:20:2: warning: 'group' was already given at vipd.conf:17:2; ignored"},
       true},
      {"DefinedTwice",
       twoInstances() + kSg + " group {\n  VI_1 VI_6\n }\n}\n" + kSg + "}\n",
       {"vipd.conf:21:17: error: vrrp_sync_group SG is already defined at vipd.conf:16:1"},
       false},
      {"TrackScriptNamesNoScript",
       twoInstances() + kSg + " group {\n  VI_1 VI_6\n }\n track_script {\n  nope\n }\n}\n",
       {"vipd.conf:21:3: warning: vrrp_sync_group SG track_script nope names no vrrp_script or "
        "vipd_check; "
        "ignored"},
       true},
      {"TrackFileWeightKeepsItsRange",
       twoInstances() + kSg + " group {\n  VI_1 VI_6\n }\n track_file {\n  f weight 255\n }\n}\n",
       {"vipd.conf:21:12: error: track_file weight expects an integer -254..254, got '255'"},
       false},
      {"NotifyTimeoutOutOfRange",
       twoInstances() + kSg + " group {\n  VI_1 VI_6\n }\n notify_timeout 0\n}\n",
       {"vipd.conf:20:17: error: notify_timeout expects an integer 1..1000, got '0'"},
       false},
      {"GlobalTrackingIsDeprecated",
       twoInstances() + kSg + " group {\n  VI_1 VI_6\n }\n global_tracking\n}\n",
       {"vipd.conf:20:2: warning: 'global_tracking' is deprecated; use "
        "'sync_group_tracking_weight', or track_interface/track_script/track_file on the sync "
        "group"},
       true},
  };
}

TEST(ConfigSyncGroupTest, ReportsExactlyTheseDiagnostics) {
  for (const SyncCase& c : cases()) {
    SCOPED_TRACE(c.name);
    const ParseResult result = parse(c.config);
    EXPECT_EQ(messages(result), c.expected);
    EXPECT_EQ(result.ok(), c.ok);
  }
}

// Sync groups and their notify scripts run: nothing to warn about, even strictly.
TEST(ConfigSyncGroupTest, StrictAcceptsASyncGroupWithNotifyScripts) {
  ParseOptions o = testing::options();
  o.strict = true;
  const ParseResult result = parse(twoInstances() + kSg +
                                       " group {\n  VI_1 VI_6\n }\n notify_master /bin/m\n"
                                       " notify_backup /bin/b\n notify_fault /bin/f\n"
                                       " notify_stop /bin/s\n notify /bin/n\n}\n",
                                   o);
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(result.diagnostics.empty()) << ::testing::PrintToString(messages(result));
}

}  // namespace
}  // namespace vipd::config
