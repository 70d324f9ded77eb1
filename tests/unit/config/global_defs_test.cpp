// global_defs keywords and defaults [K5 §Global definitions; SRC global_parser.c].

#include <gtest/gtest.h>

#include <functional>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using namespace std::chrono_literals;
using testing::instance;
using testing::messages;
using testing::parse;

GlobalDefs globalsOf(const std::string& body) {
  const ParseResult result = parse("global_defs {\n" + body + "\n}\n" + instance(""));
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  return result.ok() ? result.config->global : GlobalDefs{};
}

TEST(ConfigGlobalDefsTest, DefaultsAreKeepalivedsDefaults) {
  const GlobalDefs g = globalsOf("");
  EXPECT_FALSE(g.routerId);
  EXPECT_EQ(g.vrrpVersion, 2);
  EXPECT_EQ(g.mcastGroup4.toString(), "224.0.0.18");
  EXPECT_EQ(g.mcastGroup6.toString(), "ff02::12");
  EXPECT_EQ(g.garpMasterDelay, 5s);
  EXPECT_EQ(g.garpMasterRepeat, 5u);
  EXPECT_EQ(g.garpMasterRefresh, 0s);
  EXPECT_EQ(g.garpMasterRefreshRepeat, 1u);
  EXPECT_EQ(g.garpLowerPrioDelay, 5s);
  EXPECT_EQ(g.garpLowerPrioRepeat, 5u);
  EXPECT_EQ(g.garpInterval, 0us);
  EXPECT_EQ(g.gnaInterval, 0us);
  EXPECT_EQ(g.downTimerAdverts, 3);
  EXPECT_FALSE(g.lowerPrioNoAdvert);
  EXPECT_FALSE(g.higherPrioSendAdvert);
  EXPECT_FALSE(g.skipCheckAdvAddr);
  EXPECT_FALSE(g.checkUnicastSrc);
  EXPECT_FALSE(g.strict);
  EXPECT_EQ(g.processNice, 0);
  EXPECT_EQ(g.notifyTimeout, 10s);  // vipd's own keyword
}

struct GlobalCase {
  const char* line;
  std::function<bool(const GlobalDefs&)> check;
};

TEST(ConfigGlobalDefsTest, EveryKeywordSetsItsField) {
  const GlobalCase cases[] = {
      {"router_id lb-one", [](auto& g) { return g.routerId == "lb-one"; }},
      {"vrrp_version 3", [](auto& g) { return g.vrrpVersion == 3; }},
      {"vrrp_mcast_group4 224.0.0.19",
       [](auto& g) { return g.mcastGroup4.toString() == "224.0.0.19"; }},
      {"vrrp_mcast_group6 ff02::13",
       [](auto& g) { return g.mcastGroup6.toString() == "ff02::13"; }},
      {"vrrp_garp_master_delay 10", [](auto& g) { return g.garpMasterDelay == 10s; }},
      {"vrrp_garp_master_repeat 2", [](auto& g) { return g.garpMasterRepeat == 2; }},
      {"vrrp_garp_master_refresh 60", [](auto& g) { return g.garpMasterRefresh == 60s; }},
      {"vrrp_garp_master_refresh_repeat 3", [](auto& g) { return g.garpMasterRefreshRepeat == 3; }},
      {"vrrp_garp_lower_prio_delay 7", [](auto& g) { return g.garpLowerPrioDelay == 7s; }},
      {"vrrp_garp_lower_prio_repeat 0", [](auto& g) { return g.garpLowerPrioRepeat == 0; }},
      {"vrrp_garp_interval 0.001", [](auto& g) { return g.garpInterval == 1000us; }},
      {"vrrp_gna_interval 0.000001", [](auto& g) { return g.gnaInterval == 1us; }},
      {"vrrp_down_timer_adverts 5", [](auto& g) { return g.downTimerAdverts == 5; }},
      {"vrrp_lower_prio_no_advert", [](auto& g) { return g.lowerPrioNoAdvert; }},
      {"vrrp_lower_prio_no_advert off", [](auto& g) { return !g.lowerPrioNoAdvert; }},
      {"vrrp_higher_prio_send_advert yes", [](auto& g) { return g.higherPrioSendAdvert; }},
      {"vrrp_skip_check_adv_addr", [](auto& g) { return g.skipCheckAdvAddr; }},
      {"vrrp_check_unicast_src", [](auto& g) { return g.checkUnicastSrc; }},
      {"vrrp_strict", [](auto& g) { return g.strict; }},
      {"vrrp_priority -20", [](auto& g) { return g.processNice == -20; }},
      {"vrrp_notify_timeout 60", [](auto& g) { return g.notifyTimeout == 60s; }},
  };
  for (const GlobalCase& c : cases) {
    SCOPED_TRACE(c.line);
    EXPECT_TRUE(c.check(globalsOf(c.line)));
  }
}

TEST(ConfigGlobalDefsTest, LowerPrioGarpFollowsTheMasterSettings) {
  const GlobalDefs g = globalsOf("vrrp_garp_master_delay 9\nvrrp_garp_master_repeat 3");
  EXPECT_EQ(g.garpLowerPrioDelay, 9s);
  EXPECT_EQ(g.garpLowerPrioRepeat, 3u);
}

TEST(ConfigGlobalDefsTest, MinGarpSendsOneGarpWithoutSecondBurst) {
  const GlobalDefs g = globalsOf("vrrp_min_garp");
  EXPECT_EQ(g.garpMasterRepeat, 1u);
  EXPECT_EQ(g.garpMasterDelay, 0s);
  EXPECT_EQ(g.garpMasterRefresh, 0s);
  EXPECT_EQ(g.garpLowerPrioRepeat, 1u);
  EXPECT_EQ(g.garpLowerPrioDelay, 0s);
}

TEST(ConfigGlobalDefsTest, MinGarpKeepsExplicitSettings) {
  const GlobalDefs g = globalsOf("vrrp_garp_master_repeat 3\nvrrp_min_garp");
  EXPECT_EQ(g.garpMasterRepeat, 3u);
  EXPECT_EQ(g.garpMasterDelay, 0s);
}

TEST(ConfigGlobalDefsTest, VrrpPriorityIsTheProcessNiceValueNotAVrrpPriority) {
  const ParseResult result = parse("global_defs {\n vrrp_priority 100\n}\n" + instance(""));
  EXPECT_EQ(testing::errors(result),
            (std::vector<std::string>{"vipd.conf:2:16: error: vrrp_priority (the process nice "
                                      "value) expects an integer -20..19, got '100'"}));
}

TEST(ConfigGlobalDefsTest, GarpRepeatZeroMeansOne) {
  const ParseResult result = parse("global_defs {\n vrrp_garp_master_repeat 0\n}\n" + instance(""));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->global.garpMasterRepeat, 1u);
  EXPECT_EQ(testing::warnings(result),
            (std::vector<std::string>{"vipd.conf:2:26: warning: 'vrrp_garp_master_repeat' must be "
                                      "greater than 0; using 1"}));
}

TEST(ConfigGlobalDefsTest, ManPageSpellingOfLowerPrioNoAdvertIsAcceptedWithAWarning) {
  const ParseResult result =
      parse("global_defs {\n vrrp_lower_priority_dont_send_advert\n}\n" + instance(""));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.config->global.lowerPrioNoAdvert);
  EXPECT_EQ(testing::warnings(result).size(), 1u);
}

TEST(ConfigGlobalDefsTest, StrictIsStoredAndWarnedAbout) {
  const ParseResult result = parse("global_defs {\n vrrp_strict\n}\n" + instance(""));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.config->global.strict);
  EXPECT_TRUE(result.config->instances[0].strictMode);
  EXPECT_EQ(testing::warnings(result).front().rfind("vipd.conf:2:2: warning: vrrp_strict:", 0), 0u);
}

struct BadGlobal {
  const char* line;
  const char* error;
};

TEST(ConfigGlobalDefsTest, InvalidValuesAreErrorsNamingTheKeywordAndTheValue) {
  const BadGlobal cases[] = {
      {"vrrp_version 4", "vipd.conf:2:15: error: vrrp_version expects an integer 2..3, got '4'"},
      {"vrrp_mcast_group4 10.0.0.1",
       "vipd.conf:2:20: error: vrrp_mcast_group4 expects an IPv4 multicast address, got "
       "'10.0.0.1'"},
      {"vrrp_mcast_group6 224.0.0.18",
       "vipd.conf:2:20: error: vrrp_mcast_group6 expects an IPv6 multicast address, got "
       "'224.0.0.18'"},
      {"vrrp_garp_interval fast",
       "vipd.conf:2:21: error: vrrp_garp_interval expects seconds 0..4294, got 'fast'"},
      {"vrrp_down_timer_adverts 0",
       "vipd.conf:2:26: error: vrrp_down_timer_adverts expects an integer 1..100, got '0'"},
      {"vrrp_higher_prio_send_advert maybe",
       "vipd.conf:2:31: error: vrrp_higher_prio_send_advert expects one of "
       "on|off|true|false|yes|no, got 'maybe'"},
      {"router_id", "vipd.conf:2:2: error: 'router_id' needs a value"},
      {"vrrp_notify_timeout 0",
       "vipd.conf:2:22: error: vrrp_notify_timeout expects an integer 1..1000, got '0'"},
  };
  for (const BadGlobal& c : cases) {
    SCOPED_TRACE(c.line);
    const ParseResult result =
        parse("global_defs {\n " + std::string(c.line) + "\n}\n" + instance(""));
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(testing::errors(result), (std::vector<std::string>{c.error}));
  }
}

TEST(ConfigGlobalDefsTest, OutOfScopeKeywordsAreSkippedWithTheirBlocks) {
  const ParseResult result = parse(
      "global_defs {\n"
      " notification_email {\n"
      "   ops@example.com\n"
      " }\n"
      " smtp_server 192.0.2.1 25\n"
      " router_id r1\n"
      "}\n" +
      instance(""));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->global.routerId, "r1");
  EXPECT_EQ(messages(result),
            (std::vector<std::string>{
                "vipd.conf:2:2: warning: 'notification_email' is not supported by vipd, ignored",
                "vipd.conf:5:2: warning: 'smtp_server' is not supported by vipd, ignored"}));
}

TEST(ConfigGlobalDefsTest, NetlinkMonitorBufferSizeAndForce) {
  EXPECT_FALSE(globalsOf("").netlinkMonitorRcvBufs) << "vipd's own default applies";
  const GlobalDefs g =
      globalsOf("vrrp_netlink_monitor_rcv_bufs 4096\nvrrp_netlink_monitor_rcv_bufs_force");
  EXPECT_EQ(g.netlinkMonitorRcvBufs, 4096u);
  EXPECT_TRUE(g.netlinkMonitorRcvBufsForce) << "no argument means true, as keepalived";
  EXPECT_FALSE(globalsOf("vrrp_netlink_monitor_rcv_bufs_force false").netlinkMonitorRcvBufsForce);
  const ParseResult bad =
      parse("global_defs {\n  vrrp_netlink_monitor_rcv_bufs -1\n}\n" + instance(""));
  EXPECT_FALSE(bad.ok());
}

}  // namespace
}  // namespace vipd::config
