// Cross-field rules and keepalived's corrections, each with its exact
// diagnostic [SRC vrrp.c:vrrp_complete_instance, vrrp_parser.c].

#include <gtest/gtest.h>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using testing::messages;
using testing::parse;
using Messages = std::vector<std::string>;

struct ValidationCase {
  const char* name;
  const char* config;
  Messages expected;
  bool ok;
};

const ValidationCase kValidationCases[] = {
    {"MissingVirtualRouterId",
     "vrrp_instance VI_1 {\n"
     "  interface eth0\n"
     "  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n",
     {"vipd.conf:1:1: error: vrrp_instance VI_1 needs a virtual_router_id (1..255)"},
     false},
    {"VirtualRouterIdOutOfRange",
     "vrrp_instance VI_1 {\n"
     "  interface eth0\n"
     "  virtual_router_id 300\n"
     "  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n",
     {"vipd.conf:3:21: error: virtual_router_id expects an integer 1..255, got '300'",
      "vipd.conf:1:1: error: vrrp_instance VI_1 needs a virtual_router_id (1..255)"},
     false},
    {"PriorityZero",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority 0\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:4:11: error: priority expects an integer 1..255, got '0'"},
     false},
    {"VipsOfTwoFamilies",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
     " virtual_ipaddress {\n  192.0.2.1\n  2001:db8::1\n }\n}\n",
     {"vipd.conf:6:3: error: vrrp_instance VI_1 is IPv4 but virtual_ipaddress 2001:db8::1 is IPv6; "
      "all virtual_ipaddress entries must be one family (use virtual_ipaddress_excluded for the "
      "other)"},
     false},
    {"Version2WithIpv6IsForcedTo3",
     "vrrp_instance VI_6 {\n interface eth0\n virtual_router_id 1\n version 2\n"
     " virtual_ipaddress {\n  fe80::1\n }\n}\n",
     {"vipd.conf:4:10: warning: vrrp_instance VI_6 is IPv6, for which VRRPv2 is not defined; "
      "using version 3"},
     true},
    {"Version2AdvertIntRounded",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n advert_int 1.5\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:4:13: warning: vrrp_instance VI_1 uses VRRPv2, whose advert_int is whole "
      "seconds; 1.5 rounded to 2"},
     true},
    {"Version3AdvertIntRoundedTo10ms",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n version 3\n"
     " advert_int 0.015\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:5:13: warning: vrrp_instance VI_1 uses VRRPv3, whose advert_int is in units of "
      "10 ms; 0.015 rounded to 0.02"},
     true},
    {"Version3AdvertIntTooLong",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n version 3\n"
     " advert_int 41\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:5:13: error: vrrp_instance VI_1 uses VRRPv3, whose advert_int is at most 40.95 "
      "seconds, got 41"},
     false},
    {"AdvertIntBelow10ms",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n advert_int 0.001\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:4:13: error: advert_int expects seconds 0.01..255, got '0.001'"},
     false},
    {"PreemptDelayTooLong",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n preempt_delay 1001\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:4:16: error: preempt_delay expects seconds 0..1000, got '1001'"},
     false},
    {"DownTimerAdvertsOutOfRange",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n down_timer_adverts 101\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:4:21: error: down_timer_adverts expects an integer 1..100, got '101'"},
     false},
    {"NoVipWithVersion2IsAWarning",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n}\n",
     {"vipd.conf:1:1: warning: vrrp_instance VI_1 has no virtual_ipaddress; at least one is "
      "sensible"},
     true},
    {"NoVipWithVersion3IsAnError",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n version 3\n}\n",
     {"vipd.conf:1:1: error: vrrp_instance VI_1 needs at least one virtual_ipaddress (VRRPv3)"},
     false},
    {"MulticastWithoutInterface",
     "vrrp_instance VI_1 {\n virtual_router_id 1\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:1:1: error: vrrp_instance VI_1 needs an interface (only unicast instances may "
      "omit it)"},
     false},
    {"UnicastWithoutInterfaceNeedsASource",
     "vrrp_instance VI_1 {\n virtual_router_id 1\n virtual_ipaddress {\n  192.0.2.1\n }\n"
     " unicast_peer {\n  192.0.2.2\n }\n}\n",
     {"vipd.conf:1:1: error: vrrp_instance VI_1 needs an interface or a unicast_src_ip"},
     false},
    {"UnicastWithSourceMayOmitTheInterface",
     "vrrp_instance VI_1 {\n virtual_router_id 1\n unicast_src_ip 192.0.2.5\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n unicast_peer {\n  192.0.2.2\n }\n}\n",
     {},
     true},
    {"UnicastPeerOfTheOtherFamily",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n unicast_peer {\n  2001:db8::2\n }\n}\n",
     {"vipd.conf:8:3: error: vrrp_instance VI_1 is IPv4 but unicast_peer 2001:db8::2 is not"},
     false},
    {"SelfListedAsPeer",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n unicast_src_ip 192.0.2.5\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n unicast_peer {\n  192.0.2.6\n  192.0.2.5\n }\n}\n",
     {"vipd.conf:10:3: error: vrrp_instance VI_1 lists its own unicast_src_ip 192.0.2.5 as a "
      "unicast_peer"},
     false},
    {"DuplicatePeer",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n unicast_peer {\n  192.0.2.6\n  192.0.2.6\n }\n}\n",
     {"vipd.conf:9:3: warning: vrrp_instance VI_1 lists unicast_peer 192.0.2.6 twice"},
     true},
    {"SourceAddressOfTheOtherFamily",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n mcast_src_ip fe80::1\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:4:15: error: vrrp_instance VI_1 is IPv4 but its source address fe80::1 is not"},
     false},
    {"UnicastTtlWithoutPeers",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n unicast_ttl 5\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:4:14: warning: vrrp_instance VI_1 has unicast_ttl but no unicast_peer; ignored"},
     true},
    {"NopreemptWithStateMasterIsCleared",
     "vrrp_instance VI_1 {\n state MASTER\n priority 150\n nopreempt\n interface eth0\n"
     " virtual_router_id 1\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:4:2: warning: vrrp_instance VI_1 nopreempt does not work with state MASTER; "
      "ignored (use state BACKUP on every node)"},
     true},
    {"NopreemptWithPriority255IsCleared",
     "vrrp_instance VI_1 {\n state BACKUP\n priority 255\n nopreempt\n interface eth0\n"
     " virtual_router_id 1\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:4:2: warning: vrrp_instance VI_1 has priority 255, which always preempts; "
      "nopreempt ignored"},
     true},
    {"PreemptDelayWithStateMasterIsCleared",
     "vrrp_instance VI_1 {\n state MASTER\n priority 150\n preempt_delay 30\n interface eth0\n"
     " virtual_router_id 1\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:4:16: warning: vrrp_instance VI_1 preempt_delay does not work with state MASTER; "
      "ignored"},
     true},
    {"PreemptDelayWithNopreemptIsCleared",
     "vrrp_instance VI_1 {\n state BACKUP\n nopreempt\n preempt_delay 30\n interface eth0\n"
     " virtual_router_id 1\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:4:16: warning: vrrp_instance VI_1 preempt_delay is not allowed with nopreempt; "
      "ignored"},
     true},
    {"AuthenticationWithVersion3IsIgnored",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n version 3\n"
     " authentication {\n  auth_type PASS\n  auth_pass 123456789\n }\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:7:13: warning: auth_pass is longer than 8 bytes; only the first 8 are used",
      "vipd.conf:6:13: warning: vrrp_instance VI_1 authentication does not exist in VRRPv3; "
      "ignored"},
     true},
    {"AuthTypeUnknown",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
     " authentication {\n  auth_type MD5\n }\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:5:13: error: auth_type expects PASS or AH, got 'MD5'"},
     false},
    {"AhWithStateMasterStartsAsBackup",
     "vrrp_instance VI_1 {\n state MASTER\n priority 200\n interface eth0\n virtual_router_id 1\n"
     " authentication {\n  auth_type AH\n  auth_pass k\n }\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:7:13: warning: vrrp_instance VI_1 state MASTER does not work with AH "
      "authentication (the AH sequence number must be learnt first); using BACKUP"},
     true},
    {"StrictModeRejectsUnicast",
     "vrrp_instance VI_1 {\n strict_mode\n interface eth0\n virtual_router_id 1\n accept\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n unicast_peer {\n  192.0.2.2\n }\n}\n",
     {"vipd.conf:10:3: error: vrrp_instance VI_1 cannot use unicast_peer in strict mode",
      "vipd.conf:1:1: warning: vrrp_instance VI_1 accept mode is not allowed for VRRPv2 in strict "
      "mode (RFC 3768); ignored",
      "vipd.conf:1:1: warning: vrrp_instance VI_1 has no_accept (strict mode implies it)"
      ": keepalived would drop all traffic to the VIPs while this node is MASTER (firewall rules, "
      "as its priority is not 255), so they would answer no ping or service; vipd installs no "
      "drop rules and the VIPs answer"},
     false},
    {"StrictModeMasterNeedsPriority255",
     "vrrp_instance VI_1 {\n strict_mode\n state MASTER\n priority 100\n interface eth0\n"
     " virtual_router_id 1\n no_accept\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:3:8: warning: vrrp_instance VI_1 in strict mode state MASTER goes with priority "
      "255 only; using state BACKUP",
      "vipd.conf:1:1: warning: vrrp_instance VI_1 has no_accept (strict mode implies it)"
      ": keepalived would drop all traffic to the VIPs while this node is MASTER (firewall rules, "
      "as its priority is not 255), so they would answer no ping or service; vipd installs no "
      "drop rules and the VIPs answer"},
     true},
    {"Ipv6FirstVipShouldBeLinkLocal",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
     " virtual_ipaddress {\n  2001:db8::1\n }\n}\n",
     {"vipd.conf:5:3: warning: vrrp_instance VI_1 virtual_ipaddress: the first IPv6 address should "
      "be link-local (RFC 5798 §5.2.9)"},
     true},
    {"Ipv6FirstVipMustBeLinkLocalInStrictMode",
     "vrrp_instance VI_1 {\n strict_mode\n interface eth0\n virtual_router_id 1\n no_accept\n"
     " virtual_ipaddress {\n  2001:db8::1\n }\n}\n",
     {"vipd.conf:7:3: error: vrrp_instance VI_1 virtual_ipaddress: the first IPv6 address should "
      "be link-local (RFC 5798 §5.2.9) and must be in strict mode",
      "vipd.conf:1:1: warning: vrrp_instance VI_1 has no_accept (strict mode implies it)"
      ": keepalived would drop all traffic to the VIPs while this node is MASTER (firewall rules, "
      "as its priority is not 255), so they would answer no ping or service; vipd installs no "
      "drop rules and the VIPs answer"},
     false},
    // Issue 10 item 10: no_accept, written or implied, says what each daemon does with it.
    {"ExplicitNoAcceptSaysWhatKeepalivedAndVipdDo",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n no_accept\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:1:1: warning: vrrp_instance VI_1 has no_accept"
      ": keepalived would drop all traffic to the VIPs while this node is MASTER (firewall rules, "
      "as its priority is not 255), so they would answer no ping or service; vipd installs no "
      "drop rules and the VIPs answer"},
     true},
    {"StrictModeImpliesNoAcceptAndSaysSo",
     "vrrp_instance VI_1 {\n strict_mode\n version 3\n interface eth0\n virtual_router_id 1\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {"vipd.conf:1:1: warning: vrrp_instance VI_1 has no_accept (strict mode implies it)"
      ": keepalived would drop all traffic to the VIPs while this node is MASTER (firewall rules, "
      "as its priority is not 255), so they would answer no ping or service; vipd installs no "
      "drop rules and the VIPs answer"},
     true},
    {"NoAcceptOnTheAddressOwnerChangesNothing",
     "vrrp_instance VI_1 {\n priority 255\n interface eth0\n virtual_router_id 1\n no_accept\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {},
     true},
    {"AcceptInStrictModeIsQuiet",
     "vrrp_instance VI_1 {\n strict_mode\n version 3\n accept\n interface eth0\n"
     " virtual_router_id 1\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n",
     {},
     true},
    {"TrackingTheOwnInterfaceIsIgnored",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n track_interface {\n  eth0\n }\n}\n",
     {"vipd.conf:8:3: warning: vrrp_instance VI_1 always tracks its own interface eth0; "
      "track_interface entry ignored"},
     true},
    {"AddressOwnerIgnoresWeightedTrackers",
     "vrrp_instance VI_1 {\n priority 255\n interface eth0\n virtual_router_id 1\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n track_interface {\n  eth1 weight 10\n }\n}\n",
     {"vipd.conf:9:3: warning: vrrp_instance VI_1 has priority 255, which trackers cannot change; "
      "weighted track_interface eth1 ignored"},
     true},
    {"DuplicateInstanceName",
     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n"
     "vrrp_instance VI_1 {\n interface eth1\n virtual_router_id 2\n}\n",
     {"vipd.conf:8:15: error: vrrp_instance VI_1 is already defined at vipd.conf:1:1"},
     false},
    {"DuplicateVridOnTheSameInterfaceAndFamily",
     "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n"
     "vrrp_instance B {\n interface eth0\n virtual_router_id 7\n"
     " virtual_ipaddress {\n  192.0.2.2\n }\n}\n",
     {"vipd.conf:8:1: error: vrrp_instance B uses virtual_router_id 7 (IPv4, interface eth0) like "
      "vrrp_instance A at vipd.conf:1:1"},
     false},
    {"SameVridOnAnotherInterfaceOrFamilyIsFine",
     "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n}\n"
     "vrrp_instance B {\n interface eth1\n virtual_router_id 7\n"
     " virtual_ipaddress {\n  192.0.2.2\n }\n}\n"
     "vrrp_instance C {\n interface eth0\n virtual_router_id 7\n"
     " virtual_ipaddress {\n  fe80::7\n }\n}\n",
     {},
     true},
    {"SameVridWithDisjointUnicastPeersIsFine",
     "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n unicast_peer {\n  192.0.2.10\n }\n}\n"
     "vrrp_instance B {\n interface eth0\n virtual_router_id 7\n"
     " virtual_ipaddress {\n  192.0.2.2\n }\n unicast_peer {\n  192.0.2.11\n }\n}\n",
     {},
     true},
    {"SameVridWithACommonUnicastPeer",
     "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
     " virtual_ipaddress {\n  192.0.2.1\n }\n unicast_peer {\n  192.0.2.10\n }\n}\n"
     "vrrp_instance B {\n interface eth0\n virtual_router_id 7\n"
     " virtual_ipaddress {\n  192.0.2.2\n }\n unicast_peer {\n  192.0.2.10\n }\n}\n",
     {"vipd.conf:11:1: error: vrrp_instance B uses virtual_router_id 7 (IPv4, interface eth0) like "
      "vrrp_instance A at vipd.conf:1:1 with a common unicast peer"},
     false},
};

void PrintTo(const ValidationCase& c, std::ostream* out) { *out << c.name; }

class ConfigValidationTest : public ::testing::TestWithParam<ValidationCase> {};

TEST_P(ConfigValidationTest, ReportsExactlyTheseDiagnostics) {
  const ValidationCase& c = GetParam();
  const ParseResult result = parse(c.config);
  EXPECT_EQ(messages(result), c.expected);
  EXPECT_EQ(result.ok(), c.ok);
}

INSTANTIATE_TEST_SUITE_P(Rules, ConfigValidationTest, ::testing::ValuesIn(kValidationCases),
                         [](const auto& testCase) { return std::string(testCase.param.name); });

TEST(ConfigValidationResultTest, CorrectionsAreAppliedToTheModel) {
  const ParseResult result = parse(
      "vrrp_instance VI_1 {\n state MASTER\n priority 150\n nopreempt\n preempt_delay 5\n"
      " interface eth0\n virtual_router_id 1\n advert_int 2.4\n"
      " virtual_ipaddress {\n  192.0.2.1\n }\n}\n");
  ASSERT_TRUE(result.ok());
  const VrrpInstance& i = result.config->instances[0];
  EXPECT_TRUE(i.preempt);
  EXPECT_EQ(i.preemptDelay.count(), 0);
  EXPECT_EQ(i.advertInterval, Centiseconds(200));
}

TEST(ConfigValidationResultTest, AllErrorsAreCollectedNotJustTheFirst) {
  const ParseResult result = parse(
      "vrrp_instance A {\n interface eth0\n virtual_router_id 0\n priority 256\n"
      " advert_int x\n virtual_ipaddress {\n  1.2.3\n }\n}\n"
      "vrrp_instance B {\n}\n");
  EXPECT_EQ(result.errorCount(), 7u) << ::testing::PrintToString(messages(result));
  EXPECT_FALSE(result.ok());
}

}  // namespace
}  // namespace vipd::config
