// keepalived's character rules: comments, words, quotes, braces, positions
// [SRC lib/parser.c: decomment, alloc_strvec_r, read_line, alloc_strvec_quoted_escaped].

#include <gtest/gtest.h>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using testing::words;
using Rows = std::vector<std::vector<std::string>>;

std::vector<Line> lex(std::string_view text, Diagnostics& diagnostics) {
  LexOptions o;
  o.configId = "lb1";
  return lexString(text, "vipd.conf", o, diagnostics);
}

TEST(ConfigLexerTest, HashAndBangStartCommentsAnywhereOnALine) {
  EXPECT_EQ(words("# whole line\n! whole line\npriority 100 # tail\nstate MASTER! tail\n"),
            (Rows{{"priority", "100"}, {"state", "MASTER"}}));
}

TEST(ConfigLexerTest, CommentCharactersInsideDoubleQuotesAreText) {
  EXPECT_EQ(words("notify \"/bin/x #1 !2\" # comment\n"), (Rows{{"notify", "/bin/x #1 !2"}}));
}

TEST(ConfigLexerTest, SingleQuotesDoNotProtectCommentCharacters) {
  // decomment() only tracks double quotes.
  EXPECT_EQ(words("auth_pass 'a#b'\n"), (Rows{{"auth_pass", "'a"}}));
}

TEST(ConfigLexerTest, BackslashEscapesCommentCharactersOutsideQuotes) {
  EXPECT_EQ(words("auth_pass a\\#b\\!c\n"), (Rows{{"auth_pass", "a#b!c"}}));
}

TEST(ConfigLexerTest, DoubleQuotesJoinWordsWithoutEscapes) {
  EXPECT_EQ(words("router_id \"my router\" \"a\\tb\"\n"),
            (Rows{{"router_id", "my router", "a\\tb"}}));
}

TEST(ConfigLexerTest, AQuoteInsideAWordEndsTheWord) {
  EXPECT_EQ(words("x ab\"c d\"e\n"), (Rows{{"x", "ab", "c d", "e"}}));
}

TEST(ConfigLexerTest, SingleQuotesAreOrdinaryCharactersInKeywordWords) {
  EXPECT_EQ(words("router_id 'a b'\n"), (Rows{{"router_id", "'a", "b'"}}));
}

TEST(ConfigLexerTest, EmptyQuotedWordIsAWord) {
  EXPECT_EQ(words("x \"\" y\n"), (Rows{{"x", "", "y"}}));
}

TEST(ConfigLexerTest, UnterminatedQuoteIsAnErrorAtTheQuote) {
  Diagnostics diagnostics;
  words("router_id \"abc\n", &diagnostics);
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(format(diagnostics.all()[0]), "vipd.conf:1:11: error: unterminated quote");
}

TEST(ConfigLexerTest, BracesBecomeLinesOfTheirOwnWhereverTheyAre) {
  EXPECT_EQ(words("a {\n}\nb\n{\nc d }\ne { f } g\n"), (Rows{{"a"},
                                                             {"{"},
                                                             {"}"},
                                                             {"b"},
                                                             {"{"},
                                                             {"c", "d"},
                                                             {"}"},
                                                             {"e"},
                                                             {"{"},
                                                             {"f"},
                                                             {"}"},
                                                             {"g"}}));
}

TEST(ConfigLexerTest, BracesInsideDoubleQuotesAreText) {
  Diagnostics diagnostics;
  const std::vector<Line> lines = lex("notify \"/bin/echo {x}\"\n", diagnostics);
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_EQ(lines[0].tokens.size(), 2u);
  EXPECT_EQ(lines[0].tokens[1].text, "/bin/echo {x}");
  EXPECT_EQ(lines[0].tokens[1].kind, TokenKind::Word);
}

TEST(ConfigLexerTest, QuotedBraceIsAWordNotABlock) {
  Diagnostics diagnostics;
  const std::vector<Line> lines = lex("x \"{\"\n", diagnostics);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].tokens[1].kind, TokenKind::Word);
  EXPECT_TRUE(lines[0].tokens[1].quoted);
}

TEST(ConfigLexerTest, TokensCarryFileLineAndColumn) {
  Diagnostics diagnostics;
  const std::vector<Line> lines =
      lex("\n  vrrp_instance VI_1 {\n\tpriority  \"100\"\n}\n", diagnostics);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].tokens[0].where, (SourceLocation{"vipd.conf", 2, 3}));
  EXPECT_EQ(lines[0].tokens[1].where, (SourceLocation{"vipd.conf", 2, 17}));
  EXPECT_EQ(lines[1].tokens[0].where, (SourceLocation{"vipd.conf", 2, 22}));  // the '{'
  EXPECT_EQ(lines[2].tokens[0].where, (SourceLocation{"vipd.conf", 3, 2}));   // tab = 1 column
  EXPECT_EQ(lines[2].tokens[1].where, (SourceLocation{"vipd.conf", 3, 12}));  // the quote
  EXPECT_EQ(lines[3].tokens[0].where, (SourceLocation{"vipd.conf", 4, 1}));
}

TEST(ConfigLexerTest, CarriageReturnsAtLineEndsAreIgnored) {
  EXPECT_EQ(words("priority 100\r\nstate BACKUP\r\n"),
            (Rows{{"priority", "100"}, {"state", "BACKUP"}}));
}

TEST(ConfigLexerTest, BackslashContinuationOutsideDefinitionsIsAnError) {
  Diagnostics diagnostics;
  words("priority 100 \\\n", &diagnostics);
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(format(diagnostics.all()[0]),
            "vipd.conf:1:12: error: a '\\' at the end of a line only continues a multi-line "
            "$NAME= definition");
}

TEST(ConfigLexerTest, NulBytesAreReportedAndTreatedAsBlanks) {
  Diagnostics diagnostics;
  EXPECT_EQ(words(std::string_view("a\0b\n", 4), &diagnostics), (Rows{{"a", "b"}}));
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(format(diagnostics.all()[0]), "vipd.conf:1:2: error: NUL byte in configuration text");
}

TEST(ConfigLexerTest, ScriptSplitterHandlesShellLikeQuotesAndEscapes) {
  const auto split = splitQuotedEscaped(R"(/bin/x 'a b' "c d" e"f g"h \n\t\x41\101\cA\E\q\\)");
  ASSERT_TRUE(split);
  EXPECT_EQ(*split,
            (std::vector<std::string>{"/bin/x", "a b", "c d", "ef gh", "\n\tAA\x01\x1bq\\"}));
}

TEST(ConfigLexerTest, ScriptSplitterProcessesEscapesInsideSingleQuotesToo) {
  EXPECT_EQ(*splitQuotedEscaped(R"('a\tb')"), (std::vector<std::string>{"a\tb"}));
}

TEST(ConfigLexerTest, ScriptSplitterRejectsUnterminatedQuotesAndTrailingBackslash) {
  EXPECT_FALSE(splitQuotedEscaped("'abc"));
  EXPECT_FALSE(splitQuotedEscaped("abc\\"));
}

TEST(ConfigLexerTest, ScriptSplitterReportsWhereTheProblemIs) {
  Diagnostics diagnostics;
  const std::vector<Line> lines = lex("notify '/bin/x\n", diagnostics);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_FALSE(splitQuotedEscaped(lines[0], 0, diagnostics));
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(format(diagnostics.all()[0]), "vipd.conf:1:8: error: missing terminating ' quote");
}

}  // namespace
}  // namespace vipd::config
