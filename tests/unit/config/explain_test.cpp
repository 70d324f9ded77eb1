// ParseOptions::explainDefaults (vipd -t): notes on the defaults that
// surprise keepalived users (reference §7 item 2), never errors.

#include <gtest/gtest.h>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using testing::messages;
using Messages = std::vector<std::string>;

ParseOptions explaining(bool strict = false) {
  ParseOptions o = testing::options();
  o.explainDefaults = true;
  o.strict = strict;
  return o;
}

/// An instance that sets everything whose default would be explained.
const std::string kQuiet =
    "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority 100\n"
    " advert_int 1\n garp_master_delay 5\n accept\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n";

TEST(ConfigExplainTest, NothingToExplainWhenEverythingIsExplicit) {
  const ParseResult result = testing::parse(kQuiet, explaining());
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.diagnostics.empty()) << ::testing::PrintToString(messages(result));
}

TEST(ConfigExplainTest, NotesAreOnlyAddedWhenAsked) {
  const std::string config =
      "global_defs {\n vrrp_priority -5\n}\n"
      "vrrp_instance VI_1 {\n state MASTER\n interface eth0\n virtual_router_id 1\n"
      " virtual_ipaddress {\n  192.0.2.1\n }\n}\n";
  EXPECT_TRUE(testing::parse(config).diagnostics.empty());
  const ParseResult result = testing::parse(config, explaining());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(messages(result),
            (Messages{"vipd.conf:2:2: note: vrrp_priority is the nice(2) value of the VRRP "
                      "process, not a VRRP priority; use 'priority' in vrrp_instance for that",
                      "vipd.conf:5:8: note: vrrp_instance VI_1 has state MASTER without priority, "
                      "which means priority 255: the address owner, which always preempts and "
                      "which trackers cannot lower",
                      "vipd.conf:4:1: note: vrrp_instance VI_1 sends an advert every second "
                      "(advert_int default)",
                      "vipd.conf:4:1: note: vrrp_instance VI_1 repeats its gratuitous ARPs/NAs 5 "
                      "seconds after becoming MASTER (garp_master_delay default; 0 turns it off)"}));
  EXPECT_EQ(result.diagnostics[0].severity, Severity::Note);
}

TEST(ConfigExplainTest, StrictDoesNotTurnNotesIntoErrors) {
  const ParseResult result = testing::parse(
      "global_defs {\n vrrp_priority -5\n}\n" + kQuiet, explaining(/*strict=*/true));
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.errorCount(), 0u);
  EXPECT_EQ(result.diagnostics.size(), 1u);
}

TEST(ConfigExplainTest, AcceptNopreemptIpv6AndUnicastSource) {
  const ParseResult result = testing::parse(
      "vrrp_instance VI_6 {\n interface eth0\n virtual_router_id 1\n nopreempt\n"
      " advert_int 1\n garp_master_delay 0\n virtual_ipaddress {\n  fe80::1\n }\n"
      " unicast_peer {\n  fe80::2\n }\n}\n",
      explaining());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(messages(result),
            (Messages{"vipd.conf:1:1: note: vrrp_instance VI_6 is IPv6, so it uses VRRPv3 "
                      "(vrrp_version 2 applies to IPv4 only)",
                      "vipd.conf:4:2: note: vrrp_instance VI_6 nopreempt holds only if every node "
                      "of virtual_router_id 1 has state BACKUP; a node with state MASTER or "
                      "priority 255 still preempts",
                      "vipd.conf:1:1: note: vrrp_instance VI_6 accepts traffic to its VIPs as "
                      "MASTER (keepalived's default; RFC 5798 defaults to no_accept)",
                      "vipd.conf:11:3: note: vrrp_instance VI_6 sends unicast adverts from the "
                      "primary address of eth0 (no unicast_src_ip); its peers must list that "
                      "address"}));
}

TEST(ConfigExplainTest, SyncGroupMemberWeightsCountAsZero) {
  const std::string config =
      kQuiet + testing::instance("priority 100\nadvert_int 1\ngarp_master_delay 5\naccept",
                                 "VI_2") +
      "vrrp_sync_group SG {\n group {\n  VI_1 VI_2\n }\n}\n";
  const ParseResult result = testing::parse(config, explaining());
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_EQ(messages(result).back(),
            "vipd.conf:23:1: note: vrrp_sync_group SG: the weights of its members' track_* "
            "entries (except track_process) count as 0, so any tracker failure is a FAULT of the "
            "whole group, unless sync_group_tracking_weight is set");
}

TEST(ConfigExplainTest, FormatPrintsNote) {
  EXPECT_EQ(format(Diagnostic{Severity::Note, DiagnosticCode::General,
                              SourceLocation{"a.conf", 3, 4}, "why"}),
            "a.conf:3:4: note: why");
}

}  // namespace
}  // namespace vipd::config
