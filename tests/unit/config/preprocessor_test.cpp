// $NAME parameters and @id conditional lines [K5 §ADVANCED CONFIGURATION;
// SRC lib/parser.c: check_definition, replace_param, read_line].

#include <gtest/gtest.h>

#include <filesystem>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using testing::words;
using Rows = std::vector<std::vector<std::string>>;

TEST(ConfigPreprocessorTest, ParameterIsReplacedWhenFollowedByBlankOrEnd) {
  EXPECT_EQ(words("$IF=eth0\ninterface $IF\nx $IF y\n"),
            (Rows{{"interface", "eth0"}, {"x", "eth0", "y"}}));
}

TEST(ConfigPreprocessorTest, BracedParameterNeedsNoBlankAfterIt) {
  EXPECT_EQ(words("$NET=10.0\nx ${NET}.0.1/24\n"), (Rows{{"x", "10.0.0.1/24"}}));
}

TEST(ConfigPreprocessorTest, UnbracedParameterGluedToTextIsLeftAlone) {
  EXPECT_EQ(words("$NET=10.0\nx $NET.1 $NETX\n"), (Rows{{"x", "$NET.1", "$NETX"}}));
}

TEST(ConfigPreprocessorTest, CommaAndParenthesisEndAParameterName) {
  EXPECT_EQ(words("$A=1\nx $A,$A)\n"), (Rows{{"x", "1,1)"}}));
}

TEST(ConfigPreprocessorTest, ExpansionIsRecursiveAndHappensAtUseTime) {
  // The keepalived.conf(5) example.
  EXPECT_EQ(words("$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n"
                  "$ADDRESS_BASE_SUB=0\n"
                  "${ADDRESS_BASE}.100/32\n"
                  "$ADDRESS_BASE_SUB=10\n"
                  "${ADDRESS_BASE}.100/32\n"),
            (Rows{{"10.2.0.100/32"}, {"10.2.10.100/32"}}));
}

TEST(ConfigPreprocessorTest, UndefinedParametersStayAsWritten) {
  EXPECT_EQ(words("notify \"/bin/x $HOME ${HOME}\"\n"), (Rows{{"notify", "/bin/x $HOME ${HOME}"}}));
}

TEST(ConfigPreprocessorTest, UndefinedBracedParameterOutsideQuotesIsWarnedAbout) {
  Diagnostics diagnostics;
  words("x ${NOPE}\n", &diagnostics);
  ASSERT_FALSE(diagnostics.all().empty());
  EXPECT_EQ(format(diagnostics.all()[0]),
            "vipd.conf:1:3: warning: parameter '${NOPE}' is not defined and is left as written");
}

TEST(ConfigPreprocessorTest, UndefinedBracedParameterIsWarnedAboutOnce) {
  Diagnostics diagnostics;
  words("a { b ${NOPE} }\n", &diagnostics);
  EXPECT_EQ(diagnostics.all().size(), 1u);
}

TEST(ConfigPreprocessorTest, BlankBeforeEqualsIsNotADefinition) {
  EXPECT_EQ(words("$A =1\n"), (Rows{{"$A", "=1"}}));
}

TEST(ConfigPreprocessorTest, EmptyValueIsAllowed) {
  EXPECT_EQ(words("$E=\nx $E y\n"), (Rows{{"x", "y"}}));
}

TEST(ConfigPreprocessorTest, SubstitutedWordsAreReportedAtTheDollar) {
  Diagnostics diagnostics;
  LexOptions o;
  const auto lines = lexString("$P=150\n  priority   $P\n", "vipd.conf", o, diagnostics);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].tokens[1].where, (SourceLocation{"vipd.conf", 2, 14}));
}

TEST(ConfigPreprocessorTest, MultiLineDefinitionExpandsIntoLines) {
  EXPECT_EQ(words("$BLOCK= \\\n"
                  "vrrp_instance VI_${N} { \\\n"
                  "  virtual_router_id ${N} \\\n"
                  "}\n"
                  "\n"
                  "$N=1\n"
                  "$BLOCK\n"
                  "$N=2\n"
                  "$BLOCK\n"),
            (Rows{{"vrrp_instance", "VI_1"},
                  {"{"},
                  {"virtual_router_id", "1"},
                  {"}"},
                  {"vrrp_instance", "VI_2"},
                  {"{"},
                  {"virtual_router_id", "2"},
                  {"}"}}));
}

TEST(ConfigPreprocessorTest, MultiLineDefinitionsNest) {
  EXPECT_EQ(words("$IN= \\\n"
                  "b \\\n"
                  "c\n"
                  "$OUT= \\\n"
                  "a \\\n"
                  "$IN \\\n"
                  "d\n"
                  "$OUT\n"),
            (Rows{{"a"}, {"b"}, {"c"}, {"d"}}));
}

TEST(ConfigPreprocessorTest, EmptyLineEndsAMultiLineDefinitionButCommentLinesDoNot) {
  EXPECT_EQ(words("$M= \\\n"
                  "a \\\n"
                  "# a comment \n"
                  "b \\\n"
                  "\n"
                  "c\n"
                  "$M\n"),
            (Rows{{"c"}, {"a"}, {"b"}}));
}

TEST(ConfigPreprocessorTest, MultiLineExpansionIsReportedAtItsUse) {
  Diagnostics diagnostics;
  LexOptions o;
  const auto lines = lexString("$M= \\\na \\\nb\n\n  $M\n", "vipd.conf", o, diagnostics);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].tokens[0].where, (SourceLocation{"vipd.conf", 5, 3}));
}

TEST(ConfigPreprocessorTest, MultiLineParameterMustEndTheLine) {
  EXPECT_EQ(words("$M= \\\na \\\nb\n\nx $M y\n"), (Rows{{"x", "$M", "y"}}));
}

TEST(ConfigPreprocessorTest, ConditionalLineIsKeptOnlyForItsConfigId) {
  const std::string text = "@lb1 priority 150\n@lb2 priority 100\n@^lb1 state BACKUP\n";
  EXPECT_EQ(words(text, nullptr, "lb1"), (Rows{{"priority", "150"}}));
  EXPECT_EQ(words(text, nullptr, "lb2"), (Rows{{"priority", "100"}, {"state", "BACKUP"}}));
}

// vipd's own id: `@vipd` lines are for vipd (keepalived drops them unless its
// id is "vipd"), `@^vipd` lines for keepalived, whatever the host's id.
TEST(ConfigPreprocessorTest, VipdAlwaysHasTheVipdConfigIdBesidesItsOwn) {
  const std::string text = "@vipd vipd_check chk\n@^vipd vrrp_script chk\n@lb1 priority 150\n";
  EXPECT_EQ(words(text, nullptr, "lb1"), (Rows{{"vipd_check", "chk"}, {"priority", "150"}}));
  EXPECT_EQ(words(text, nullptr, "lb2"), (Rows{{"vipd_check", "chk"}}));
  EXPECT_EQ(words("@vipdx a\n@vip b\n", nullptr, "lb1"), Rows{}) << "the whole id must match";
}

TEST(ConfigPreprocessorTest, ConditionalWithoutTextIsDropped) {
  EXPECT_EQ(words("@lb1\n"), Rows{});
}

TEST(ConfigPreprocessorTest, ConditionalsSelectDefinitions) {
  const std::string text = "@lb1 $PRIO=240\n@lb2 $PRIO=200\npriority $PRIO\n";
  EXPECT_EQ(words(text, nullptr, "lb2"), (Rows{{"priority", "200"}}));
}

TEST(ConfigPreprocessorTest, ParameterMayExpandToACondition) {
  const std::string text = "$IF_MAIN=@main\n$IF_MAIN priority 240\n";
  EXPECT_EQ(words(text, nullptr, "main"), (Rows{{"priority", "240"}}));
  EXPECT_EQ(words(text, nullptr, "backup"), Rows{});
}

TEST(ConfigPreprocessorTest, PredefinedInstanceIsTheConfigId) {
  EXPECT_EQ(words("router_id ${_INSTANCE}\n", nullptr, "lb2"), (Rows{{"router_id", "lb2"}}));
}

TEST(ConfigPreprocessorTest, PredefinedPwdIsTheFilesDirectory) {
  const std::string cwd = std::filesystem::current_path().string();
  EXPECT_EQ(words("x ${_PWD}/a.sh\n"), (Rows{{"x", cwd + "/a.sh"}}));
}

TEST(ConfigPreprocessorTest, PredefinedRandomStaysInItsRange) {
  for (int i = 0; i < 50; ++i) {
    const Rows rows = words("x ${_RANDOM 5 7}\n");
    ASSERT_EQ(rows.size(), 1u);
    const int value = std::stoi(rows[0][1]);
    EXPECT_GE(value, 5);
    EXPECT_LE(value, 7);
  }
}

TEST(ConfigPreprocessorTest, PredefinedHashIsACommentCharacterAgainOutsideQuotes) {
  // keepalived decomments a line again after substitution.
  EXPECT_EQ(words("x \"a${_HASH}b\" c${_BANG}d\n"), (Rows{{"x", "a#b", "c"}}));
}

TEST(ConfigPreprocessorTest, SelfReferenceIsAnError) {
  Diagnostics diagnostics;
  words("$A=x $A\ny $A\n", &diagnostics);
  ASSERT_EQ(diagnostics.errorCount(), 1u);
  EXPECT_EQ(format(diagnostics.all().back()),
            "vipd.conf:2:3: error: parameter substitution does not terminate (a parameter that "
            "uses itself?)");
}

TEST(ConfigPreprocessorTest, SelfReferencingMultiLineParameterIsAnError) {
  Diagnostics diagnostics;
  words("$A= \\\nx \\\n$A\n\n$A\n", &diagnostics);
  EXPECT_EQ(diagnostics.errorCount(), 1u);
}

TEST(ConfigPreprocessorTest, ExponentialExpansionIsStopped) {
  std::string text = "$A0=xxxxxxxxxxxxxxxx\n";
  for (int i = 1; i < 20; ++i) {
    text += "$A" + std::to_string(i) + "=${A" + std::to_string(i - 1) + "}${A" +
            std::to_string(i - 1) + "}\n";
  }
  text += "y ${A19}\n";
  Diagnostics diagnostics;
  words(text, &diagnostics);
  EXPECT_EQ(diagnostics.errorCount(), 1u);
}

// Found by the config fuzzer: multi-line parameters nesting long lines
// (here 100 x 100 lines of 60 KB, 600 MB of text) stay within the line
// limits yet exhausted memory; the bytes pulled into one line are bounded.
TEST(ConfigPreprocessorTest, NestedMultiLineExpansionIsBoundedInBytes) {
  std::string text = "$L=" + std::string(60000, 'x') + "\n$M= \\\n";
  for (int i = 0; i < 100; ++i) text += "$L \\\n";
  text += "\n$N= \\\n";
  for (int i = 0; i < 100; ++i) text += "$M \\\n";
  text += "\n$N\n";
  Diagnostics diagnostics;
  words(text, &diagnostics);
  ASSERT_EQ(diagnostics.errorCount(), 1u);
  EXPECT_NE(format(diagnostics.all().back()).find("exceeds 4 MiB"), std::string::npos)
      << format(diagnostics.all().back());
}

TEST(ConfigPreprocessorTest, ReservedParameterNamesAreWarnedAbout) {
  Diagnostics diagnostics;
  words("$_MINE=1\n", &diagnostics);
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(diagnostics.all()[0].severity, Severity::Warning);
}

TEST(ConfigPreprocessorTest, SeqAndLstLoopsAreRejected) {
  Diagnostics diagnostics;
  words("~SEQ(i, 1, 3) x $i\n~LST(i, a, b) x $i\n", &diagnostics);
  ASSERT_EQ(diagnostics.errorCount(), 2u);
  EXPECT_EQ(format(diagnostics.all()[0]),
            "vipd.conf:1:1: error: '~SEQ' loops are not supported by vipd; write the lines out");
}

}  // namespace
}  // namespace vipd::config
