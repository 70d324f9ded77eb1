// vrrp_script, track_file, garp_group and interface_up_down_delays blocks:
// keepalived 2.2.7's defaults and ranges, each keyword with a failing and a
// passing case [SRC vrrp_parser.c, trackers/track_file.c].

#include <gtest/gtest.h>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using namespace std::chrono_literals;
using testing::messages;
using testing::parse;
using testing::parseBlocks;
using Messages = std::vector<std::string>;

TEST(ConfigScriptTest, DefaultsAreKeepalivedsAndTimeoutFollowsInterval) {
  const ParseResult result = parseBlocks("vrrp_script chk {\n script \"/bin/check -q 'a b'\"\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_TRUE(result.diagnostics.empty());
  ASSERT_EQ(result.config->scripts.size(), 1u);
  const VrrpScript& s = result.config->scripts[0];
  EXPECT_EQ(s, (VrrpScript{"chk", {"/bin/check", "-q", "a b"}, 1s, 1s, 0, false, 1, 1,
                           std::nullopt, false, SourceLocation{"vipd.conf", 1, 1}, std::nullopt}));
}

TEST(ConfigScriptTest, EveryKeywordIsRead) {
  const ParseResult result = parseBlocks(
      "vrrp_script chk {\n script /bin/check\n interval 3\n weight -20 reverse\n rise 2\n"
      " fall 4\n user nobody nogroup\n init_fail\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  const VrrpScript& s = result.config->scripts[0];
  EXPECT_EQ(s.interval, 3s);
  EXPECT_EQ(s.timeout, 3s);  // defaults to the interval
  EXPECT_EQ(s.weight, -20);
  EXPECT_TRUE(s.reverse);
  EXPECT_EQ(s.rise, 2u);
  EXPECT_EQ(s.fall, 4u);
  EXPECT_EQ(s.user, (RunAs{"nobody", "nogroup"}));
  EXPECT_TRUE(s.initFail);
}

TEST(ConfigScriptTest, ExplicitTimeoutIsKept) {
  const ParseResult result =
      parseBlocks("vrrp_script chk {\n script /bin/check\n interval 5\n timeout 2\n}\n");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->scripts[0].timeout, 2s);
}

TEST(ConfigTrackFileTest, DefaultsAndKeywords) {
  const ParseResult result = parseBlocks(
      "track_file a {\n file /run/a\n}\n"
      "track_file b {\n file \"/run/b\"\n weight -254 reverse\n init_file 7 overwrite\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_TRUE(result.diagnostics.empty());
  ASSERT_EQ(result.config->trackFiles.size(), 2u);
  EXPECT_EQ(result.config->trackFiles[0],
            (TrackFile{"a", "/run/a", 1, false, std::nullopt, SourceLocation{"vipd.conf", 1, 1}}));
  const TrackFile& b = result.config->trackFiles[1];
  EXPECT_EQ(b.weight, -254);
  EXPECT_TRUE(b.reverse);
  EXPECT_EQ(b.init, (TrackFileInit{7, true}));
}

TEST(ConfigTrackFileTest, InitFileAloneWritesZeroIfMissing) {
  const ParseResult result = parseBlocks("track_file a {\n file /run/a\n init_file\n}\n");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->trackFiles[0].init, (TrackFileInit{0, false}));
}

TEST(ConfigTrackFileTest, OldNameIsAcceptedWithAWarning) {
  const ParseResult result = parseBlocks("vrrp_track_file a {\n file /run/a\n}\n");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->trackFiles.size(), 1u);
  EXPECT_EQ(messages(result), (Messages{"vipd.conf:1:1: warning: 'vrrp_track_file' is "
                                        "deprecated; use 'track_file'"}));
}

TEST(ConfigGarpGroupTest, IntervalsAndInterfaces) {
  const ParseResult result = parseBlocks(
      "garp_group {\n garp_interval 0.001\n gna_interval 0.002\n interface eth0\n"
      " interfaces {\n  eth1 eth2\n }\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  ASSERT_EQ(result.config->garpGroups.size(), 1u);
  EXPECT_EQ(result.config->garpGroups[0],
            (GarpGroup{1ms, 2ms, {"eth0", "eth1", "eth2"}, SourceLocation{"vipd.conf", 1, 1}}));
  EXPECT_EQ(messages(result),
            (Messages{"vipd.conf:1:1: warning: garp_group is parsed and checked but vipd does not "
                      "pace GARPs per interface group yet; ignored"}));
}

TEST(ConfigInterfaceDelaysTest, DownAndOptionalUpDelays) {
  const ParseResult result = parseBlocks("interface_up_down_delays {\n eth0 2\n eth1 0.5 10\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_EQ(result.config->global.interfaceDelays,
            (std::vector<InterfaceDelays>{
                {"eth0", 2s, 0s, SourceLocation{"vipd.conf", 2, 2}},
                {"eth1", 500ms, 10s, SourceLocation{"vipd.conf", 3, 2}}}));
  EXPECT_EQ(messages(result), Messages{});  // vipd debounces interface changes with these
}

struct BlockCase {
  const char* name;
  const char* config;
  Messages expected;
  bool ok;
};

const BlockCase kBlockCases[] = {
    {"ScriptWithoutCommand", "vrrp_script chk {\n interval 2\n}\n",
     {"vipd.conf:1:1: warning: vrrp_script chk has no 'script'; removed, as keepalived does"},
     true},
    {"ScriptWithoutName", "vrrp_script {\n script /bin/x\n}\n",
     {"vipd.conf:1:1: error: vrrp_script needs a name"}, false},
    {"ScriptDefinedTwice",
     "vrrp_script chk {\n script /bin/a\n}\nvrrp_script chk {\n script /bin/b\n}\n",
     {"vipd.conf:4:13: error: vrrp_script chk is already defined at vipd.conf:1:1"}, false},
    {"ScriptUnquotedArgumentsAreDropped", "vrrp_script chk {\n script /bin/check arg\n}\n",
     {"vipd.conf:2:20: warning: extra words after 'script' COMMAND ignored (quote the command to "
      "give it arguments)"},
     true},
    {"ScriptUnterminatedQuote", "vrrp_script chk {\n script \"/bin/check\n}\n",
     {"vipd.conf:2:9: error: unterminated quote",
      "vipd.conf:2:9: error: missing terminating \" quote",
      "vipd.conf:1:1: warning: vrrp_script chk has no 'script'; removed, as keepalived does"},
     false},
    {"ScriptIntervalNotAnInteger", "vrrp_script chk {\n script /bin/x\n interval 0.5\n}\n",
     {"vipd.conf:3:11: error: interval expects an integer 0..4294, got '0.5'"}, false},
    {"ScriptIntervalZeroMeansOne", "vrrp_script chk {\n script /bin/x\n interval 0\n}\n",
     {"vipd.conf:3:11: warning: 'interval' must be greater than 0; using 1"}, true},
    {"ScriptTimeoutTooLarge", "vrrp_script chk {\n script /bin/x\n timeout 4295\n}\n",
     {"vipd.conf:3:10: error: timeout expects an integer 0..4294, got '4295'"}, false},
    {"ScriptWeightOutOfRange", "vrrp_script chk {\n script /bin/x\n weight 254\n}\n",
     {"vipd.conf:3:9: error: vrrp_script weight expects an integer -253..253, got '254'"}, false},
    {"ScriptWeightUnknownOption", "vrrp_script chk {\n script /bin/x\n weight 10 backwards\n}\n",
     {"vipd.conf:3:12: error: unexpected 'backwards' after weight (expected reverse)"}, false},
    {"ScriptRiseZero", "vrrp_script chk {\n script /bin/x\n rise 0\n}\n",
     {"vipd.conf:3:7: error: rise expects an integer 1..2147483647, got '0'"}, false},
    {"ScriptFallMissing", "vrrp_script chk {\n script /bin/x\n fall\n}\n",
     {"vipd.conf:3:2: error: 'fall' needs a value"}, false},
    {"ScriptUserMissing", "vrrp_script chk {\n script /bin/x\n user\n}\n",
     {"vipd.conf:3:2: error: 'user' needs a value"}, false},
    {"ScriptInitFailTakesNoValue", "vrrp_script chk {\n script /bin/x\n init_fail yes\n}\n",
     {"vipd.conf:3:12: warning: extra words after 'init_fail' ignored, starting at 'yes'"}, true},
    {"ScriptUnknownKeyword", "vrrp_script chk {\n script /bin/x\n period 3\n}\n",
     {"vipd.conf:3:2: warning: unknown keyword 'period' in vrrp_script"}, true},
    {"TrackFileWithoutFile", "track_file tf {\n weight 2\n}\n",
     {"vipd.conf:1:1: warning: track_file tf has no 'file'; removed, as keepalived does"}, true},
    {"TrackFileFileTwice", "track_file tf {\n file /run/a\n file /run/b\n}\n",
     {"vipd.conf:3:7: warning: 'file' was already given at vipd.conf:2:7; ignored"}, true},
    {"TrackFileWeightOutOfRange", "track_file tf {\n file /run/a\n weight -255\n}\n",
     {"vipd.conf:3:9: error: track_file weight expects an integer -254..254, got '-255'"}, false},
    {"TrackFileInitValueUnusual", "track_file tf {\n file /run/a\n init_file 300\n}\n",
     {"vipd.conf:3:12: warning: init_file value 300 is outside the useful range -254..254"}, true},
    {"TrackFileInitUnknownOption", "track_file tf {\n file /run/a\n init_file always\n}\n",
     {"vipd.conf:3:12: error: unknown init_file option 'always' (expected a value or "
      "overwrite)"},
     false},
    {"TrackFileDefinedTwice",
     "track_file tf {\n file /run/a\n}\ntrack_file tf {\n file /run/b\n}\n",
     {"vipd.conf:4:12: error: track_file tf is already defined at vipd.conf:1:1"}, false},
    {"GarpGroupWithoutInterval", "garp_group {\n interface eth0\n}\n",
     {"vipd.conf:1:1: warning: garp_group is parsed and checked but vipd does not pace GARPs per "
      "interface group yet; ignored",
      "vipd.conf:1:1: warning: garp_group has neither garp_interval nor gna_interval; ignored"},
     true},
    {"GarpGroupIntervalNegative", "garp_group {\n garp_interval -1\n interface eth0\n}\n",
     {"vipd.conf:1:1: warning: garp_group is parsed and checked but vipd does not pace GARPs per "
      "interface group yet; ignored",
      "vipd.conf:2:16: error: garp_interval expects seconds 0..2147.483647, got '-1'",
      "vipd.conf:1:1: warning: garp_group has neither garp_interval nor gna_interval; ignored"},
     false},
    {"GarpGroupIntervalVeryLarge", "garp_group {\n gna_interval 2\n interface eth0\n}\n",
     {"vipd.conf:1:1: warning: garp_group is parsed and checked but vipd does not pace GARPs per "
      "interface group yet; ignored",
      "vipd.conf:2:15: warning: gna_interval is very large: 2 seconds"},
     true},
    {"GarpGroupInterfaceInTwoGroups",
     "garp_group {\n garp_interval 0.1\n interface eth0\n}\n"
     "garp_group {\n garp_interval 0.2\n interfaces {\n  eth0 eth1\n }\n}\n",
     {"vipd.conf:1:1: warning: garp_group is parsed and checked but vipd does not pace GARPs per "
      "interface group yet; ignored",
      "vipd.conf:5:1: warning: garp_group is parsed and checked but vipd does not pace GARPs per "
      "interface group yet; ignored",
      "vipd.conf:8:3: warning: interface eth0 is already in the garp_group at vipd.conf:1:1; "
      "ignored"},
     true},
    {"GarpGroupWithoutInterface", "garp_group {\n garp_interval 0.1\n}\n",
     {"vipd.conf:1:1: warning: garp_group is parsed and checked but vipd does not pace GARPs per "
      "interface group yet; ignored",
      "vipd.conf:1:1: warning: garp_group has no interface; ignored"},
     true},
    {"InterfaceDelaysWithoutDelay", "interface_up_down_delays {\n eth0\n}\n",
     {"vipd.conf:2:2: error: interface_up_down_delays needs a down delay for eth0"},
     false},
    {"InterfaceDelaysAbove255Seconds", "interface_up_down_delays {\n eth0 1 256\n}\n",
     {"vipd.conf:2:9: error: the up delay expects seconds 0..255, got '256'"},
     false},
};

class ConfigBlockTest : public ::testing::TestWithParam<BlockCase> {};

TEST_P(ConfigBlockTest, ReportsExactlyTheseDiagnostics) {
  const BlockCase& c = GetParam();
  const ParseResult result = parseBlocks(c.config);
  EXPECT_EQ(messages(result), c.expected);
  EXPECT_EQ(result.ok(), c.ok);
}

INSTANTIATE_TEST_SUITE_P(Blocks, ConfigBlockTest, ::testing::ValuesIn(kBlockCases),
                         [](const auto& testCase) { return std::string(testCase.param.name); });

}  // namespace
}  // namespace vipd::config
