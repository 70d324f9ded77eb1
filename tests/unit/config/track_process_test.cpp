// vrrp_track_process blocks and track_process references: keepalived 2.2.7's
// defaults, ranges and order-dependent rules, each with a failing and a
// passing case [SRC vrrp_parser.c:vrrp_tprocess_*_handler,
// vrrp_data.c:alloc_vrrp_process, vrrp_track.c:alloc_track_process].

#include <gtest/gtest.h>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using namespace std::chrono_literals;
using testing::errors;
using testing::instance;
using testing::messages;
using testing::parse;
using testing::parseBlocks;
using testing::warnings;
using Messages = std::vector<std::string>;

TrackProcess onlyProcess(const ParseResult& result) {
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_EQ(result.config->trackProcesses.size(), 1u);
  return result.ok() ? result.config->trackProcesses.at(0) : TrackProcess{};
}

TEST(ConfigTrackProcessTest, DefaultsAreKeepalivedsWeightZeroQuorumOneUnlimitedMax) {
  const ParseResult result = parseBlocks("vrrp_track_process web {\n process nginx\n}\n");
  const TrackProcess p = onlyProcess(result);
  EXPECT_TRUE(result.diagnostics.empty()) << ::testing::PrintToString(messages(result));
  EXPECT_EQ(p, (TrackProcess{"web",
                             "nginx",
                             {},
                             ParamMatch::None,
                             false,
                             0,
                             false,
                             1,
                             TrackProcess::kUnlimited,
                             0us,
                             0us,
                             SourceLocation{"vipd.conf", 1, 1}}));
}

TEST(ConfigTrackProcessTest, EveryKeywordIsRead) {
  const ParseResult result = parseBlocks(
      "vrrp_track_process web {\n process nginx\n full_command\n weight -20 reverse\n"
      " quorum 2\n quorum_max 4\n fork_delay 0.5\n terminate_delay 3\n}\n");
  const TrackProcess p = onlyProcess(result);
  EXPECT_TRUE(p.fullCommand);
  EXPECT_EQ(p.weight, -20);
  EXPECT_TRUE(p.reverse);
  EXPECT_EQ(p.quorum, 2u);
  EXPECT_EQ(p.quorumMax, 4u);
  EXPECT_EQ(p.forkDelay, 500ms);
  EXPECT_EQ(p.terminateDelay, 3s);
}

TEST(ConfigTrackProcessTest, ParametersImplyFullCommandAndAnExactMatch) {
  const TrackProcess p = onlyProcess(
      parseBlocks("vrrp_track_process app {\n process \"/opt/my app\" -c \"/etc/a b.conf\"\n}\n"));
  EXPECT_EQ(p.process, "/opt/my app");
  EXPECT_EQ(p.parameters, (std::vector<std::string>{"-c", "/etc/a b.conf"}));
  EXPECT_EQ(p.paramMatch, ParamMatch::Exact);
  EXPECT_TRUE(p.fullCommand);
}

TEST(ConfigTrackProcessTest, ParamMatchBeforeOrAfterProcessIsKept) {
  EXPECT_EQ(onlyProcess(parseBlocks("vrrp_track_process a {\n param_match partial\n"
                                    " process /bin/x -v\n}\n"))
                .paramMatch,
            ParamMatch::Partial);
  EXPECT_EQ(onlyProcess(parseBlocks("vrrp_track_process a {\n process /bin/x -v\n"
                                    " param_match initial\n}\n"))
                .paramMatch,
            ParamMatch::Initial);
}

TEST(ConfigTrackProcessTest, BareParamMatchMeansNoParametersOnTheFullCommand) {
  const TrackProcess& p =
      onlyProcess(parseBlocks("vrrp_track_process a {\n process /bin/x\n param_match\n}\n"));
  EXPECT_EQ(p.paramMatch, ParamMatch::Exact);
  EXPECT_TRUE(p.fullCommand);
  EXPECT_TRUE(p.parameters.empty());
}

TEST(ConfigTrackProcessTest, DelaySetsBothAndTheSpecificOnesOverrideOne) {
  const TrackProcess p = onlyProcess(
      parseBlocks("vrrp_track_process a {\n process x\n delay 2\n terminate_delay 0.000001\n}\n"));
  EXPECT_EQ(p.forkDelay, 2s);
  EXPECT_EQ(p.terminateDelay, 1us);
}

TEST(ConfigTrackProcessTest, QuorumMaxZeroMeansMustNotRun) {
  const TrackProcess& p =
      onlyProcess(parseBlocks("vrrp_track_process a {\n process x\n quorum_max 0\n}\n"));
  EXPECT_EQ(p.quorum, 0u);
  EXPECT_EQ(p.quorumMax, 0u);
}

TEST(ConfigTrackProcessTest, AQuorumMaxAfterZeroRestoresQuorumOne) {
  const TrackProcess p = onlyProcess(
      parseBlocks("vrrp_track_process a {\n process x\n quorum_max 0\n quorum_max 3\n}\n"));
  EXPECT_EQ(p.quorum, 1u);
  EXPECT_EQ(p.quorumMax, 3u);
}

TEST(ConfigTrackProcessTest, ASecondNonZeroWeightIsIgnoredButZeroCanBeReplaced) {
  const ParseResult kept =
      parseBlocks("vrrp_track_process a {\n process x\n weight 5\n weight 7\n}\n");
  EXPECT_EQ(onlyProcess(kept).weight, 5);
  EXPECT_EQ(warnings(kept), (Messages{"vipd.conf:4:2: warning: 'weight' was already given at "
                                      "vipd.conf:3:2; ignored"}));
  EXPECT_EQ(
      onlyProcess(parseBlocks("vrrp_track_process a {\n process x\n weight 0\n weight 7\n}\n"))
          .weight,
      7);
}

TEST(ConfigTrackProcessTest, TheFirstProcessLineWins) {
  const ParseResult result =
      parseBlocks("vrrp_track_process a {\n process first\n process second\n}\n");
  EXPECT_EQ(onlyProcess(result).process, "first");
  EXPECT_EQ(warnings(result), (Messages{"vipd.conf:3:10: warning: 'process' was already given at "
                                        "vipd.conf:2:10; ignored"}));
}

struct TrackProcessCase {
  const char* name;
  const char* config;
  Messages expected;
  bool ok;
};

const TrackProcessCase kTrackProcessCases[] = {
    {"WithoutProcess",
     "vrrp_track_process a {\n weight 2\n}\n",
     {"vipd.conf:1:1: warning: vrrp_track_process a has no 'process'; removed, as keepalived "
      "does"},
     true},
    {"WithoutName",
     "vrrp_track_process {\n process x\n}\n",
     {"vipd.conf:1:1: error: vrrp_track_process needs a name"},
     false},
    {"DefinedTwice",
     "vrrp_track_process a {\n process x\n}\nvrrp_track_process a {\n process y\n}\n",
     {"vipd.conf:4:20: error: vrrp_track_process a is already defined at vipd.conf:1:1"},
     false},
    {"ProcessWithoutName",
     "vrrp_track_process a {\n process\n}\n",
     {"vipd.conf:2:2: error: 'process' needs a value",
      "vipd.conf:1:1: warning: vrrp_track_process a has no 'process'; removed, as keepalived "
      "does"},
     false},
    {"UnknownParamMatch",
     "vrrp_track_process a {\n process x\n param_match regex\n}\n",
     {"vipd.conf:3:14: error: param_match expects initial or partial (or nothing, for an exact "
      "match), got 'regex'"},
     false},
    {"WeightOutOfRange",
     "vrrp_track_process a {\n process x\n weight 255\n}\n",
     {"vipd.conf:3:9: error: vrrp_track_process weight expects an integer -254..254, got '255'"},
     false},
    {"WeightAtTheLimit", "vrrp_track_process a {\n process x\n weight -254\n}\n", {}, true},
    {"WeightWithUnknownOption",
     "vrrp_track_process a {\n process x\n weight 2 noreverse\n}\n",
     {"vipd.conf:3:11: error: unexpected 'noreverse' after weight (expected reverse)"},
     false},
    {"QuorumZero",
     "vrrp_track_process a {\n process x\n quorum 0\n}\n",
     {"vipd.conf:3:9: error: quorum expects an integer 1..65535, got '0'"},
     false},
    {"QuorumTooLarge",
     "vrrp_track_process a {\n process x\n quorum 65536\n}\n",
     {"vipd.conf:3:9: error: quorum expects an integer 1..65535, got '65536'"},
     false},
    {"QuorumAboveAnEarlierMax",
     "vrrp_track_process a {\n process x\n quorum_max 2\n quorum 3\n}\n",
     {"vipd.conf:4:9: error: quorum 3 is greater than quorum_max 2 (given before it)"},
     false},
    {"QuorumMaxBelowAnEarlierQuorum",
     "vrrp_track_process a {\n process x\n quorum 3\n quorum_max 2\n}\n",
     {"vipd.conf:4:13: error: quorum_max 2 is less than quorum 3 (given before it)"},
     false},
    {"QuorumMaxZeroAfterAQuorumAboveOne",
     "vrrp_track_process a {\n process x\n quorum 2\n quorum_max 0\n}\n",
     {"vipd.conf:4:13: error: quorum_max 0 is less than quorum 2 (given before it)"},
     false},
    {"QuorumOneAfterMaxZero",
     "vrrp_track_process a {\n process x\n quorum_max 0\n quorum 1\n}\n",
     {"vipd.conf:4:9: error: quorum 1 is greater than quorum_max 0 (given before it)"},
     false},
    {"QuorumMaxTooLarge",
     "vrrp_track_process a {\n process x\n quorum_max 65536\n}\n",
     {"vipd.conf:3:13: error: quorum_max expects an integer 0..65535, got '65536'"},
     false},
    {"DelayZero",
     "vrrp_track_process a {\n process x\n delay 0\n}\n",
     {"vipd.conf:3:8: error: delay expects seconds 0.000001..3600, got '0'"},
     false},
    {"ForkDelayTooLong",
     "vrrp_track_process a {\n process x\n fork_delay 3600.5\n}\n",
     {"vipd.conf:3:13: error: fork_delay expects seconds 0.000001..3600, got '3600.5'"},
     false},
    {"FullCommandTakesNoValue",
     "vrrp_track_process a {\n process x\n full_command yes\n}\n",
     {"vipd.conf:3:15: warning: extra words after 'full_command' ignored, starting at 'yes'"},
     true},
    {"NameLongerThanAComm",
     "vrrp_track_process a {\n process sixteen-bytes-xx\n}\n",
     {"vipd.conf:2:10: warning: process sixteen-bytes-xx is longer than the 15 bytes of a process "
      "name (/proc/PID/comm), so it never matches without full_command"},
     true},
    {"LongNameWithFullCommand",
     "vrrp_track_process a {\n process /usr/local/bin/long-name\n full_command\n}\n",
     {},
     true},
    {"UnknownKeyword",
     "vrrp_track_process a {\n process x\n interval 2\n}\n",
     {"vipd.conf:3:2: warning: unknown keyword 'interval' in vrrp_track_process"},
     true},
};

class ConfigTrackProcessCaseTest : public ::testing::TestWithParam<TrackProcessCase> {};

TEST_P(ConfigTrackProcessCaseTest, ReportsExactlyTheseDiagnostics) {
  const TrackProcessCase& c = GetParam();
  const ParseResult result = parseBlocks(c.config);
  EXPECT_EQ(messages(result), c.expected);
  EXPECT_EQ(result.ok(), c.ok);
}

INSTANTIATE_TEST_SUITE_P(Blocks, ConfigTrackProcessCaseTest,
                         ::testing::ValuesIn(kTrackProcessCases),
                         [](const auto& testCase) { return std::string(testCase.param.name); });

const std::string kDefinition = "vrrp_track_process web {\n process nginx\n weight 4\n}\n";

TEST(ConfigTrackProcessReferenceTest, InstancesKeepKnownNamesAndDropUnknownOnesWithAWarning) {
  const ParseResult result =
      parse(kDefinition + instance("track_process {\nweb weight -254 reverse\nmissing\n}"));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  const VrrpInstance& i = result.config->instances[0];
  EXPECT_EQ(i.trackProcesses,
            (std::vector<TrackedObject>{{"web", -254, true, SourceLocation{"vipd.conf", 12, 1}}}));
  EXPECT_EQ(messages(result), (Messages{"vipd.conf:13:1: warning: vrrp_instance VI_1 "
                                        "track_process missing names no vrrp_track_process block; "
                                        "ignored"}));
}

TEST(ConfigTrackProcessReferenceTest, ReferenceWeightIsLimitedTo254) {
  const ParseResult result = parse(kDefinition + instance("track_process {\nweb weight 255\n}"));
  EXPECT_EQ(errors(result), (Messages{"vipd.conf:12:12: error: track_process weight expects an "
                                      "integer -254..254, got '255'"}));
}

TEST(ConfigTrackProcessReferenceTest, AnAddressOwnerDropsAWeightedReference) {
  const ParseResult result =
      parse(kDefinition + instance("priority 255\ntrack_process {\nweb weight 3\n}"));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_TRUE(result.config->instances[0].trackProcesses.empty());
  EXPECT_EQ(warnings(result).size(), 1u);
}

TEST(ConfigTrackProcessReferenceTest, SyncGroupsTrackProcessesToo) {
  const ParseResult result =
      parse(kDefinition + instance("") +
            "vrrp_sync_group SG {\n group {\n  VI_1\n }\n track_process {\n  web weight 0\n"
            "  nope\n }\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_EQ(result.config->syncGroups.at(0).trackProcesses,
            (std::vector<TrackedObject>{{"web", 0, false, SourceLocation{"vipd.conf", 18, 3}}}));
  EXPECT_EQ(warnings(result),
            (Messages{"vipd.conf:19:3: warning: vrrp_sync_group SG track_process nope names no "
                      "vrrp_track_process block; ignored",
                      "vipd.conf:13:1: warning: vrrp_sync_group SG has only one member (VI_1); "
                      "this probably isn't what you want"}));
}

// keepalived forces the other trackers' weights of sync-group members to 0,
// but not track_process weights [SRC vrrp.c:vrrp_complete_instance].
TEST(ConfigTrackProcessReferenceTest, AWeightedProcessOfASyncMemberIsKeptWithAWarning) {
  const std::string members =
      instance("track_process {\nweb\n}") +
      "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n virtual_ipaddress {\n"
      "  192.0.2.11/24\n }\n track_process {\n  web weight 0\n }\n}\n";
  const ParseResult result =
      parse(kDefinition + members + "vrrp_sync_group SG {\n group {\n  VI_1 VI_2\n }\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_EQ(result.config->instances[0].trackProcesses.size(), 1u);
  EXPECT_EQ(warnings(result),
            (Messages{"vipd.conf:12:1: warning: vrrp_instance VI_1 is in vrrp_sync_group SG but "
                      "its track_process web has a weight: keepalived applies it anyway (the "
                      "other trackers' weights count as 0), and so does vipd; set weight 0 or "
                      "sync_group_tracking_weight"}));
  const ParseResult weighted =
      parse(kDefinition + members +
            "vrrp_sync_group SG {\n group {\n  VI_1 VI_2\n }\n sync_group_tracking_weight\n}\n");
  EXPECT_TRUE(warnings(weighted).empty()) << ::testing::PrintToString(messages(weighted));
}

}  // namespace
}  // namespace vipd::config
