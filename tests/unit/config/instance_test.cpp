// vrrp_instance keywords and keepalived 2.2.7's defaults
// [K5 §VRRP instance(s); SRC vrrp_parser.c, vrrp.c:vrrp_complete_instance].

#include <gtest/gtest.h>

#include <functional>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using namespace std::chrono_literals;
using testing::instance;
using testing::messages;
using testing::parse;

VrrpInstance instanceOf(const std::string& text) {
  const ParseResult result = parse(text);
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  if (!result.ok() || result.config->instances.empty()) return VrrpInstance{};
  return result.config->instances[0];
}

VrrpInstance with(const std::string& keywords) { return instanceOf(instance(keywords)); }

TEST(ConfigInstanceTest, DefaultsAreKeepalivedsDefaults) {
  const VrrpInstance i = with("");
  EXPECT_EQ(i.name, "VI_1");
  EXPECT_EQ(i.family, util::Family::V4);
  EXPECT_EQ(i.version, 2);
  EXPECT_EQ(i.initialState, InitialState::Backup);
  EXPECT_EQ(i.interface, "eth0");
  EXPECT_EQ(i.virtualRouterId, 51);
  EXPECT_EQ(i.priority, 100);
  EXPECT_EQ(i.advertInterval, Centiseconds(100));
  EXPECT_TRUE(i.preempt);
  EXPECT_EQ(i.preemptDelay, 0us);
  EXPECT_TRUE(i.accept);
  EXPECT_FALSE(i.authentication);
  EXPECT_FALSE(i.sourceAddress);
  EXPECT_FALSE(i.isUnicast());
  EXPECT_FALSE(i.unicastTtl);
  EXPECT_FALSE(i.checkUnicastSrc);
  EXPECT_EQ(i.garpMasterDelay, 5s);
  EXPECT_EQ(i.garpMasterRepeat, 5u);
  EXPECT_EQ(i.garpMasterRefresh, 0s);
  EXPECT_EQ(i.garpMasterRefreshRepeat, 1u);
  EXPECT_EQ(i.garpLowerPrioDelay, 5s);
  EXPECT_EQ(i.garpLowerPrioRepeat, 5u);
  EXPECT_EQ(i.downTimerAdverts, 3);
  EXPECT_FALSE(i.lowerPrioNoAdvert);
  EXPECT_FALSE(i.higherPrioSendAdvert);
  EXPECT_FALSE(i.skipCheckAdvAddr);
  EXPECT_FALSE(i.strictMode);
  EXPECT_FALSE(i.dontTrackPrimary);
  EXPECT_EQ(i.where, (SourceLocation{"vipd.conf", 1, 1}));
}

struct InstanceCase {
  const char* keywords;
  std::function<bool(const VrrpInstance&)> check;
};

TEST(ConfigInstanceTest, EveryKeywordSetsItsField) {
  const InstanceCase cases[] = {
      {"state BACKUP", [](auto& i) { return i.initialState == InitialState::Backup; }},
      {"priority 150", [](auto& i) { return i.priority == 150; }},
      {"advert_int 3", [](auto& i) { return i.advertInterval == Centiseconds(300); }},
      {"version 3\nadvert_int 0.25",
       [](auto& i) { return i.version == 3 && i.advertInterval == Centiseconds(25); }},
      {"nopreempt", [](auto& i) { return !i.preempt; }},
      {"nopreempt\npreempt", [](auto& i) { return i.preempt; }},
      {"preempt_delay 2.5", [](auto& i) { return i.preemptDelay == 2500ms; }},
      {"no_accept", [](auto& i) { return !i.accept; }},
      {"no_accept\naccept", [](auto& i) { return i.accept; }},
      {"authentication {\nauth_type PASS\nauth_pass secret\n}",
       [](auto& i) {
         return i.authentication && i.authentication->type == AuthType::Pass &&
                i.authentication->password == "secret";
       }},
      {"authentication {\nauth_type AH\nauth_pass k\n}",
       [](auto& i) { return i.authentication && i.authentication->type == AuthType::Ah; }},
      {"mcast_src_ip 192.0.2.1",
       [](auto& i) { return i.sourceAddress && i.sourceAddress->toString() == "192.0.2.1"; }},
      {"unicast_src_ip 192.0.2.1\nunicast_peer {\n192.0.2.2\n}",
       [](auto& i) {
         return i.isUnicast() && i.unicastPeers[0].address.toString() == "192.0.2.2" &&
                i.unicastTtl == 255 && !i.checkUnicastSrc;
       }},
      {"unicast_peer {\n192.0.2.2\n}\nunicast_ttl 10", [](auto& i) { return i.unicastTtl == 10; }},
      {"unicast_peer {\n192.0.2.2 min_ttl 250\n}",
       [](auto& i) {
         return i.unicastPeers[0].minTtl == 250 && i.unicastPeers[0].maxTtl == 255 &&
                i.checkUnicastSrc;
       }},
      {"check_unicast_src", [](auto& i) { return i.checkUnicastSrc; }},
      {"garp_master_delay 1", [](auto& i) { return i.garpMasterDelay == 1s; }},
      {"garp_master_repeat 2", [](auto& i) { return i.garpMasterRepeat == 2; }},
      {"garp_master_refresh 30", [](auto& i) { return i.garpMasterRefresh == 30s; }},
      {"garp_master_refresh_repeat 4", [](auto& i) { return i.garpMasterRefreshRepeat == 4; }},
      {"garp_lower_prio_delay 6", [](auto& i) { return i.garpLowerPrioDelay == 6s; }},
      {"garp_lower_prio_repeat 0", [](auto& i) { return i.garpLowerPrioRepeat == 0; }},
      {"down_timer_adverts 10", [](auto& i) { return i.downTimerAdverts == 10; }},
      {"lower_prio_no_advert", [](auto& i) { return i.lowerPrioNoAdvert; }},
      {"higher_prio_send_advert on", [](auto& i) { return i.higherPrioSendAdvert; }},
      {"skip_check_adv_addr", [](auto& i) { return i.skipCheckAdvAddr; }},
      {"dont_track_primary", [](auto& i) { return i.dontTrackPrimary; }},
      {"notify_master /bin/m", [](auto& i) { return i.notify.master->command == "/bin/m"; }},
      {"notify_backup /bin/b", [](auto& i) { return i.notify.backup->command == "/bin/b"; }},
      {"notify_fault /bin/f", [](auto& i) { return i.notify.fault->command == "/bin/f"; }},
      {"notify_stop /bin/s", [](auto& i) { return i.notify.stop->command == "/bin/s"; }},
      {"notify /bin/n", [](auto& i) { return i.notify.generic->command == "/bin/n"; }},
      {"notify_timeout 30", [](auto& i) { return i.notify.timeout == 30s; }},
      {"track_interface {\neth1\neth2 weight -10 reverse\n}",
       [](auto& i) {
         return i.trackInterfaces.size() == 2 && !i.trackInterfaces[0].weight &&
                i.trackInterfaces[1].weight == -10 && i.trackInterfaces[1].reverse;
       }},
      {"debug 2", [](auto&) { return true; }},
  };
  for (const InstanceCase& c : cases) {
    SCOPED_TRACE(c.keywords);
    EXPECT_TRUE(c.check(with(c.keywords)));
  }
}

TEST(ConfigInstanceTest, StateMasterWithoutPriorityMeansPriority255) {
  const VrrpInstance i = with("state MASTER");
  EXPECT_EQ(i.priority, 255);
  EXPECT_EQ(i.initialState, InitialState::Master);
}

TEST(ConfigInstanceTest, StateMasterWithPriorityKeepsThePriority) {
  const VrrpInstance i = with("state MASTER\npriority 150");
  EXPECT_EQ(i.priority, 150);
  EXPECT_EQ(i.initialState, InitialState::Master);
}

TEST(ConfigInstanceTest, WithoutStateTheStateFollowsThePriority) {
  EXPECT_EQ(with("priority 255").initialState, InitialState::Master);
  EXPECT_EQ(with("priority 254").initialState, InitialState::Backup);
}

TEST(ConfigInstanceTest, BackupAfterMasterIsIgnored) {
  const ParseResult result = parse(instance("state MASTER\nstate BACKUP"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->instances[0].initialState, InitialState::Master);
  EXPECT_EQ(testing::warnings(result),
            (std::vector<std::string>{
                "vipd.conf:8:7: warning: state was already set to MASTER; BACKUP ignored"}));
}

// keepalived warns and runs the instance with multicast (reference §5 item 8):
// an error here, naming the block.
TEST(ConfigInstanceTest, AnEmptyUnicastPeerBlockIsAnErrorNamingTheBlock) {
  const ParseResult result = parse(instance("unicast_peer {\n}"));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(testing::errors(result),
            (std::vector<std::string>{
                "vipd.conf:7:1: error: unicast_peer block is empty: list the other routers "
                "(keepalived would silently use multicast instead), or remove the block for "
                "multicast"}));
  EXPECT_EQ(testing::errors(parse(instance("unicast_peer {\n192.0.2.2\n}"))),
            std::vector<std::string>{});
}

TEST(ConfigInstanceTest, ASourceAddressThatCanNeverBeOnALinkIsAnError) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"127.0.0.1", "a loopback address"},
      {"224.0.0.18", "a multicast address"},
      {"0.0.0.0", "the unspecified address"},
      {"255.255.255.255", "the broadcast address"},
  };
  for (const auto& [address, why] : cases) {
    SCOPED_TRACE(address);
    const ParseResult result =
        parse(instance("unicast_src_ip " + address + "\nunicast_peer {\n192.0.2.2\n}"));
    EXPECT_EQ(testing::errors(result),
              (std::vector<std::string>{"vipd.conf:7:16: error: vrrp_instance VI_1 cannot send "
                                        "adverts from " +
                                        address + ": it is " + why +
                                        ", not an address a router has on a link"}));
  }
  // Absent from this host is not a configuration error: it may appear later.
  EXPECT_EQ(
      testing::errors(parse(instance("unicast_src_ip 192.0.2.77\nunicast_peer {\n192.0.2.2\n}"))),
      std::vector<std::string>{});
}

TEST(ConfigInstanceTest, APeerThatCanNeverBeAnotherRouterIsAnError) {
  const ParseResult result = parse(instance("unicast_peer {\n127.0.0.1\n224.0.0.18\n}"));
  EXPECT_EQ(testing::errors(result),
            (std::vector<std::string>{
                "vipd.conf:8:1: error: vrrp_instance VI_1 has unicast_peer 127.0.0.1, which is a "
                "loopback address, not another router",
                "vipd.conf:9:1: error: vrrp_instance VI_1 has unicast_peer 224.0.0.18, which is a "
                "multicast address, not another router"}));
  const ParseResult v6 = parse(
      "vrrp_instance VI_6 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n"
      "  2001:db8::100/64\n }\n unicast_src_ip ::1\n unicast_peer {\n  2001:db8::2\n }\n}\n");
  EXPECT_EQ(testing::errors(v6),
            (std::vector<std::string>{"vipd.conf:7:17: error: vrrp_instance VI_6 cannot send "
                                      "adverts from ::1: it is the loopback address, not an "
                                      "address a router has on a link"}));
}

TEST(ConfigInstanceTest, TheSourceAddressKeepsItsLocationForTheHostChecks) {
  const VrrpInstance i = with("unicast_src_ip 192.0.2.1\nunicast_peer {\n192.0.2.2\n}");
  EXPECT_EQ(i.sourceWhere, (SourceLocation{"vipd.conf", 7, 16}));
}

TEST(ConfigInstanceTest, NotifyDeletedWithOrWithoutAScriptAndNotifyMasterRxLowerPri) {
  const ParseResult bare = parse(instance("notify_deleted"));
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare.config->instances[0].notify.notifyDeleted);
  EXPECT_FALSE(bare.config->instances[0].notify.deleted);
  const ParseResult full =
      parse(instance("notify_deleted \"/bin/d gone\"\nnotify_master_rx_lower_pri /bin/rx"));
  ASSERT_TRUE(full.ok()) << testing::messages(full).front();
  const auto& n = full.config->instances[0].notify;
  EXPECT_TRUE(n.notifyDeleted);
  EXPECT_EQ(n.deleted->argv, (std::vector<std::string>{"/bin/d", "gone"}));
  EXPECT_EQ(n.masterRxLowerPri->argv, std::vector<std::string>{"/bin/rx"});
  EXPECT_EQ(testing::warnings(full), std::vector<std::string>{});
}

// vipd's own keyword; unset, the daemon takes the sync group's, then the
// global vrrp_notify_timeout.
TEST(ConfigInstanceTest, NotifyTimeoutIsUnsetByDefaultAndWholeSeconds1To1000) {
  EXPECT_FALSE(with("").notify.timeout);
  EXPECT_EQ(with("notify_timeout 1000").notify.timeout, 1000s);
  for (const char* bad : {"0", "1001", "2.5", "soon"}) {
    SCOPED_TRACE(bad);
    const ParseResult result = parse(instance(std::string("notify_timeout ") + bad));
    EXPECT_FALSE(result.ok());
    ASSERT_EQ(testing::errors(result).size(), 1u);
    EXPECT_EQ(testing::errors(result)[0],
              "vipd.conf:7:16: error: notify_timeout expects an integer 1..1000, got '" +
                  std::string(bad) + "'");
  }
}

TEST(ConfigInstanceTest, StateIsCaseSensitive) {
  const ParseResult result = parse(instance("state master"));
  EXPECT_EQ(testing::errors(result),
            (std::vector<std::string>{"vipd.conf:7:7: error: state expects MASTER or BACKUP, got "
                                      "'master' (it is case-sensitive; keepalived would silently "
                                      "use BACKUP)"}));
}

TEST(ConfigInstanceTest, VersionComesFromGlobalVrrpVersion) {
  const VrrpInstance i = instanceOf("global_defs {\n vrrp_version 3\n}\n" + instance(""));
  EXPECT_EQ(i.version, 3);
}

TEST(ConfigInstanceTest, IpV6InstancesUseVersion3WhateverTheGlobalSays) {
  const VrrpInstance i = instanceOf(
      "global_defs {\n vrrp_version 2\n}\n"
      "vrrp_instance V6 {\n interface eth0\n virtual_router_id 9\n"
      " virtual_ipaddress {\n  fe80::1\n  2001:db8::1/64\n }\n}\n");
  EXPECT_EQ(i.family, util::Family::V6);
  EXPECT_EQ(i.version, 3);
  EXPECT_EQ(i.virtualAddresses[0].preferredLifetime, 0u);  // a /128 is deprecated
  EXPECT_EQ(i.virtualAddresses[1].preferredLifetime, VirtualAddress::kForever);
}

TEST(ConfigInstanceTest, ExcludedAddressesMayBeTheOtherFamily) {
  const VrrpInstance i = with("virtual_ipaddress_excluded {\n2001:db8::5/64\n198.51.100.1\n}");
  EXPECT_EQ(i.family, util::Family::V4);
  ASSERT_EQ(i.excludedAddresses.size(), 2u);
  EXPECT_TRUE(i.excludedAddresses[0].address.isV6());
}

TEST(ConfigInstanceTest, FirstVersionWins) {
  const ParseResult result = parse(instance("version 3\nversion 2"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->instances[0].version, 3);
  EXPECT_EQ(testing::warnings(result).size(), 1u);
}

TEST(ConfigInstanceTest, FirstNotifyScriptWins) {
  const ParseResult result = parse(instance("notify_master /bin/a\nnotify_master /bin/b"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->instances[0].notify.master->command, "/bin/a");
  EXPECT_EQ(testing::warnings(result),
            (std::vector<std::string>{
                "vipd.conf:8:1: warning: 'notify_master' was already given at vipd.conf:7:15; "
                "ignored"}));
}

TEST(ConfigInstanceTest, StrictModeForcesRfcBehaviour) {
  const VrrpInstance i = with("strict_mode");
  EXPECT_TRUE(i.strictMode);
  EXPECT_FALSE(i.accept);
  EXPECT_TRUE(i.lowerPrioNoAdvert);
  EXPECT_FALSE(i.higherPrioSendAdvert);
  EXPECT_EQ(i.garpLowerPrioRepeat, 0u);
  EXPECT_EQ(i.garpLowerPrioDelay, 0s);
}

TEST(ConfigInstanceTest, StrictModeKeepsAcceptForTheAddressOwner) {
  EXPECT_TRUE(with("strict_mode\npriority 255").accept);
}

TEST(ConfigInstanceTest, InstanceOverridesGlobalDefaults) {
  const VrrpInstance i = instanceOf(
      "global_defs {\n vrrp_garp_master_repeat 2\n vrrp_skip_check_adv_addr\n"
      " vrrp_down_timer_adverts 4\n vrrp_lower_prio_no_advert\n}\n" +
      instance("garp_master_repeat 7\nlower_prio_no_advert off"));
  EXPECT_EQ(i.garpMasterRepeat, 7u);
  EXPECT_EQ(i.garpLowerPrioRepeat, 2u);  // the global value, which follows the global repeat
  EXPECT_TRUE(i.skipCheckAdvAddr);
  EXPECT_EQ(i.downTimerAdverts, 4);
  EXPECT_FALSE(i.lowerPrioNoAdvert);
}

TEST(ConfigInstanceTest, GlobalDefsAfterTheInstanceStillApply) {
  // keepalived copies some globals when the instance starts; vipd resolves
  // them after the whole file, so the order does not matter.
  const VrrpInstance i =
      instanceOf(instance("") + "global_defs {\n vrrp_garp_master_repeat 2\n}\n");
  EXPECT_EQ(i.garpMasterRepeat, 2u);
}

TEST(ConfigInstanceTest, NotifyCommandIsSplitIntoArgvAndUser) {
  const VrrpInstance i = with(R"(notify "/etc/vipd/n.sh 'two words' x" nobody nogroup)");
  ASSERT_TRUE(i.notify.generic);
  EXPECT_EQ(i.notify.generic->command, "/etc/vipd/n.sh 'two words' x");
  EXPECT_EQ(i.notify.generic->argv, (std::vector<std::string>{"/etc/vipd/n.sh", "two words", "x"}));
  EXPECT_EQ(i.notify.generic->user, "nobody");
  EXPECT_EQ(i.notify.generic->group, "nogroup");
}

TEST(ConfigInstanceTest, TrackScriptsAndFilesNeedTheirDefinitions) {
  const ParseResult result = parse(
      "vrrp_script chk {\n script /bin/true\n}\n"
      "track_file tf {\n file /run/x\n}\n" +
      instance("track_script {\nchk weight 5\nmissing\n}\ntrack_file {\ntf\n}"));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  const VrrpInstance& i = result.config->instances[0];
  ASSERT_EQ(i.trackScripts.size(), 1u);
  EXPECT_EQ(i.trackScripts[0].name, "chk");
  EXPECT_EQ(i.trackScripts[0].weight, 5);
  EXPECT_EQ(i.trackFiles.size(), 1u);
  EXPECT_EQ(messages(result),
            (std::vector<std::string>{"vipd.conf:15:1: warning: vrrp_instance VI_1 track_script "
                                      "missing names no vrrp_script or vipd_check; ignored"}));
}

TEST(ConfigInstanceTest, UnsupportedInstanceKeywordsAreSkippedWithTheirBlocks) {
  const ParseResult result = parse(instance("promote_secondaries\nuse_vmac_addr"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(messages(result),
            (std::vector<std::string>{
                "vipd.conf:7:1: warning: 'promote_secondaries' is not supported by vipd yet, "
                "ignored",
                "vipd.conf:8:1: warning: 'use_vmac_addr' is not supported by vipd yet, "
                "ignored"}));
}

TEST(ConfigInstanceTest, UseVmacWithoutNameIsPrefixDotVrid) {
  const VrrpInstance i = with("use_vmac");
  EXPECT_EQ(i.vmacInterface, "vrrp.51");
  EXPECT_FALSE(i.vmacXmitBase);
  EXPECT_FALSE(with("").vmacInterface);
}

TEST(ConfigInstanceTest, UseVmacTakesANameAndVmacXmitBase) {
  const VrrpInstance i = with("use_vmac vip51\nvmac_xmit_base");
  EXPECT_EQ(i.vmacInterface, "vip51");
  EXPECT_TRUE(i.vmacXmitBase);
}

TEST(ConfigInstanceTest, VmacPrefixNamesTheGeneratedVmac) {
  const VrrpInstance i = instanceOf("global_defs {\n vmac_prefix vm\n}\n" + instance("use_vmac"));
  EXPECT_EQ(i.vmacInterface, "vm.51");
}

TEST(ConfigInstanceTest, UnicastWithUseVmacForcesVmacXmitBase) {
  const ParseResult result = parse(instance("use_vmac\nunicast_peer {\n 192.0.2.2\n}"));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.config->instances.at(0).vmacXmitBase);
  EXPECT_EQ(messages(result),
            (std::vector<std::string>{"vipd.conf:7:1: warning: vrrp_instance VI_1 is unicast with "
                                      "use_vmac, which needs vmac_xmit_base; set"}));
}

TEST(ConfigInstanceTest, VmacXmitBaseWithoutUseVmacIsIgnored) {
  const ParseResult result = parse(instance("vmac_xmit_base"));
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.config->instances.at(0).vmacXmitBase);
  EXPECT_EQ(messages(result),
            (std::vector<std::string>{"vipd.conf:7:1: warning: vrrp_instance VI_1 has "
                                      "vmac_xmit_base but no use_vmac; ignored"}));
}

TEST(ConfigInstanceTest, BadVmacNamesAreReportedAtTheirPosition) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"use_vmac 00:00:5e:00:01:33",
       "vipd.conf:7:10: error: use_vmac expects an interface name; a MAC address other than "
       "00:00:5e:00:01:VRID is not supported, got '00:00:5e:00:01:33'"},
      {"use_vmac a23456789012345678",
       "vipd.conf:7:10: error: use_vmac expects an interface name of 1..15 characters, got "
       "'a23456789012345678'"},
      {"use_vmac eth0",
       "vipd.conf:7:1: error: vrrp_instance VI_1 VMAC interface name 'eth0' is the instance's "
       "own interface"},
      {"use_vmac a b",
       "vipd.conf:7:12: warning: extra words after 'use_vmac' ignored, starting at 'b'"},
  };
  for (const auto& [line, expected] : cases) {
    SCOPED_TRACE(line);
    const ParseResult result = parse(instance(line));
    ASSERT_FALSE(messages(result).empty());
    EXPECT_EQ(messages(result).front(), expected);
  }
}

TEST(ConfigInstanceTest, TwoInstancesCannotShareAVmac) {
  const ParseResult result =
      parse(instance("use_vmac") + instance("use_vmac vrrp.51\nvirtual_router_id 52", "VI_2"));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(messages(result),
            (std::vector<std::string>{
                "vipd.conf:9:1: error: vrrp_instance VI_2: VMAC interface vrrp.51 is also the "
                "VMAC of vrrp_instance VI_1 at vipd.conf:1:1 (give one of them use_vmac NAME)"}));
}

}  // namespace
}  // namespace vipd::config
