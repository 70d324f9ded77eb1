// Diagnostic format, block structure errors, unknown and unsupported
// keywords, and the strict flag.

#include <gtest/gtest.h>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using testing::instance;
using testing::messages;
using testing::parse;
using Messages = std::vector<std::string>;

TEST(ConfigDiagnosticsTest, FormatNamesFileLineColumnSeverityAndMessage) {
  EXPECT_EQ(format(Diagnostic{Severity::Error, DiagnosticCode::General,
                              SourceLocation{"vipd.conf", 12, 18}, "bad"}),
            "vipd.conf:12:18: error: bad");
  EXPECT_EQ(format(Diagnostic{Severity::Warning, DiagnosticCode::General,
                              SourceLocation{"x.conf", 0, 0}, "whole file"}),
            "x.conf: warning: whole file");
}

TEST(ConfigDiagnosticsTest, UnknownKeywordIsAWarningAndItsBlockIsSkipped) {
  const ParseResult result = parse(instance("frobnicate {\n priority 1\n}\npriority 120"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->instances[0].priority, 120);
  EXPECT_EQ(messages(result),
            (Messages{"vipd.conf:7:1: warning: unknown keyword 'frobnicate' in vrrp_instance"}));
  EXPECT_EQ(result.diagnostics[0].code, DiagnosticCode::UnknownKeyword);
}

TEST(ConfigDiagnosticsTest, UnknownTopLevelKeywordIsAWarning) {
  const ParseResult result = parse("frobnicate yes\n" + instance(""));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(messages(result),
            (Messages{"vipd.conf:1:1: warning: unknown keyword 'frobnicate' in the top level"}));
}

TEST(ConfigDiagnosticsTest, StrictTurnsUnknownAndUnsupportedKeywordsIntoErrors) {
  ParseOptions o = testing::options();
  o.strict = true;
  const ParseResult result =
      parse("virtual_server 192.0.2.1 80 {\n real_server 10.0.0.1 80 {\n }\n}\n" +
                instance("frobnicate\nuse_vmac_addr"),
            o);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(
      messages(result),
      (Messages{"vipd.conf:1:1: error: 'virtual_server' is not supported by vipd, ignored",
                "vipd.conf:11:1: error: unknown keyword 'frobnicate' in vrrp_instance",
                "vipd.conf:12:1: error: 'use_vmac_addr' is not supported by vipd yet, ignored"}));
}

TEST(ConfigDiagnosticsTest, StrictDoesNotChangeOtherWarnings) {
  ParseOptions o = testing::options();
  o.strict = true;
  const ParseResult result = parse(instance("advert_int 1.5"), o);
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(testing::warnings(result).size(), 1u);
}

TEST(ConfigDiagnosticsTest, LvsBfdAndOtherOutOfScopeBlocksAreSkippedWhole) {
  const ParseResult result = parse(
      "virtual_server_group G {\n 192.0.2.1 80\n}\n"
      "virtual_server group G {\n delay_loop 6\n real_server 10.0.0.1 80 {\n"
      "  TCP_CHECK {\n   connect_timeout 3\n  }\n }\n}\n"
      "bfd_instance b1 {\n neighbor_ip 192.0.2.9\n}\n"
      "vrrp_sync_group SG {\n group {\n  VI_1\n  VI_2\n }\n}\n" +
      instance("") + instance("virtual_router_id 52", "VI_2"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(
      messages(result),
      (Messages{"vipd.conf:1:1: warning: 'virtual_server_group' is not supported by vipd, ignored",
                "vipd.conf:4:1: warning: 'virtual_server' is not supported by vipd, ignored",
                "vipd.conf:12:1: warning: 'bfd_instance' is not supported by vipd, ignored"}));
  EXPECT_EQ(result.diagnostics[0].code, DiagnosticCode::Unsupported);
}

TEST(ConfigDiagnosticsTest, BraceMayOpenOnTheNextLine) {
  const ParseResult result = parse(
      "vrrp_instance VI_1\n{\n interface eth0\n virtual_router_id 5\n"
      " virtual_ipaddress\n {\n  192.0.2.1\n }\n}\n");
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_TRUE(result.diagnostics.empty());
}

TEST(ConfigDiagnosticsTest, WholeInstanceOnOneLineIsFine) {
  const ParseResult result = parse(
      "vrrp_instance VI_1 { interface eth0 } \n"
      "vrrp_instance VI_2 { interface eth0 }");
  // Braces split lines, so each keyword still sees its own line.
  EXPECT_EQ(testing::errors(result).size(), 2u);  // no virtual_router_id in either
}

TEST(ConfigDiagnosticsTest, MissingOpeningBraceIsAnError) {
  const ParseResult result = parse("global_defs\n router_id x\n");
  EXPECT_EQ(testing::errors(result),
            (Messages{"vipd.conf:1:1: error: expected '{' after 'global_defs'"}));
}

TEST(ConfigDiagnosticsTest, MissingClosingBraceIsAnErrorAtTheBlock) {
  const ParseResult result = parse("global_defs {\n router_id x\n");
  EXPECT_EQ(testing::errors(result),
            (Messages{"vipd.conf:1:1: error: 'global_defs' is not closed: missing '}'"}));
}

TEST(ConfigDiagnosticsTest, ExtraClosingBraceIsAnError) {
  const ParseResult result = parse(instance("") + "}\n");
  EXPECT_EQ(testing::errors(result),
            (Messages{"vipd.conf:9:1: error: unexpected '}' (no block is open)"}));
}

TEST(ConfigDiagnosticsTest, StrayOpeningBraceIsAnErrorAndItsBlockIsSkipped) {
  const ParseResult result = parse(instance("{\n priority 1\n}"));
  EXPECT_EQ(testing::errors(result),
            (Messages{"vipd.conf:7:1: error: unexpected '{' (no keyword opens a block here)"}));
}

TEST(ConfigDiagnosticsTest, ExtraWordsAfterAKeywordAreWarnedAbout) {
  const ParseResult result = parse(instance("priority 100 200"));
  EXPECT_EQ(messages(result),
            (Messages{"vipd.conf:7:14: warning: extra words after 'priority' ignored, starting "
                      "at '200'"}));
}

TEST(ConfigDiagnosticsTest, InstanceWithoutNameIsAnError) {
  const ParseResult result = parse("vrrp_instance {\n}\n");
  EXPECT_EQ(testing::errors(result),
            (Messages{"vipd.conf:1:1: error: vrrp_instance needs a name"}));
}

TEST(ConfigDiagnosticsTest, NoInstanceIsAWarning) {
  const ParseResult result = parse("global_defs {\n}\n");
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(messages(result), (Messages{"vipd.conf: warning: no vrrp_instance is configured"}));
}

TEST(ConfigDiagnosticsTest, LoadConfigThrowsWithEveryDiagnostic) {
  testing::TempDir dir;
  const std::string path = dir.write("bad.conf", "vrrp_instance X {\n priority 0\n}\n");
  try {
    loadConfig(path, testing::options());
    FAIL() << "no exception";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.diagnostics().size(), 4u);
    EXPECT_NE(std::string(e.what()).find(path + ":2:11: error: priority expects"),
              std::string::npos);
  }
}

TEST(ConfigDiagnosticsTest, LoadConfigReturnsWarningsAlongsideTheConfig) {
  testing::TempDir dir;
  const std::string path = dir.write("ok.conf", instance("advert_int 1.5"));
  std::vector<Diagnostic> warnings;
  const Config config = loadConfig(path, testing::options(), &warnings);
  EXPECT_EQ(config.instances.size(), 1u);
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(ConfigDiagnosticsTest, DefaultConfigIdIsTheHostNameUpToTheFirstDot) {
  const std::string id = defaultConfigId();
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(id.find('.'), std::string::npos);
}

}  // namespace
}  // namespace vipd::config
