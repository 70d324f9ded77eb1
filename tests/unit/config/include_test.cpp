// include FILE: glob(3) with braces, relative to the including file, plain
// include never fatal, cycles and depth [SRC lib/parser.c: check_include,
// open_glob_file, open_conf_file].

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using testing::TempDir;
using Rows = std::vector<std::vector<std::string>>;

Rows lexRows(const std::string& path, Diagnostics& diagnostics, unsigned maxDepth = 32) {
  LexOptions o;
  o.configId = "lb1";
  o.maxIncludeDepth = maxDepth;
  Rows rows;
  for (const Line& line : lexFile(path, o, diagnostics)) {
    std::vector<std::string> row;
    for (const Token& token : line.tokens) row.push_back(token.text);
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::string> formatted(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics.all()) out.push_back(format(d));
  return out;
}

TEST(ConfigIncludeTest, GlobIsRelativeToTheIncludingFileAndSorted) {
  TempDir dir;
  const std::string main = dir.write("etc/main.conf", "a\ninclude conf.d/*.conf\nz\n");
  dir.write("etc/conf.d/20-b.conf", "b\n");
  dir.write("etc/conf.d/10-a.conf", "a2\n");
  dir.write("etc/conf.d/notes.txt", "not included\n");
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(main, diagnostics), (Rows{{"a"}, {"a2"}, {"b"}, {"z"}}));
  EXPECT_TRUE(diagnostics.all().empty());
}

TEST(ConfigIncludeTest, NestedIncludeIsRelativeToItsOwnFile) {
  TempDir dir;
  const std::string main = dir.write("main.conf", "include sub/one.conf\n");
  dir.write("sub/one.conf", "one\ninclude deeper/two.conf\n");
  dir.write("sub/deeper/two.conf", "two\n");
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(main, diagnostics), (Rows{{"one"}, {"two"}}));
}

TEST(ConfigIncludeTest, CshBracesAreExpanded) {
  TempDir dir;
  const std::string main = dir.write("main.conf", "include {x,y}.conf\n");
  dir.write("x.conf", "x\n");
  dir.write("y.conf", "y\n");
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(main, diagnostics), (Rows{{"x"}, {"y"}}));
}

TEST(ConfigIncludeTest, AbsolutePathIsUsedAsIs) {
  TempDir dir;
  const std::string other = dir.write("elsewhere/abs.conf", "abs\n");
  const std::string main = dir.write("main.conf", "include " + other + "\n");
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(main, diagnostics), (Rows{{"abs"}}));
}

TEST(ConfigIncludeTest, PlainIncludeMatchingNothingIsOnlyAWarning) {
  TempDir dir;
  const std::string main = dir.write("main.conf", "a\n  include missing/*.conf\nb\n");
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(main, diagnostics), (Rows{{"a"}, {"b"}}));
  EXPECT_EQ(formatted(diagnostics),
            (std::vector<std::string>{main +
                                      ":2:11: warning: include 'missing/*.conf' matches no file"}));
  EXPECT_FALSE(diagnostics.hasErrors());
}

TEST(ConfigIncludeTest, CheckedIncludeMatchingNothingIsAnError) {
  TempDir dir;
  const std::string main = dir.write("main.conf", "includem missing.conf\n");
  Diagnostics diagnostics;
  lexRows(main, diagnostics);
  EXPECT_EQ(
      formatted(diagnostics),
      (std::vector<std::string>{main + ":1:10: error: include 'missing.conf' matches no file"}));
}

TEST(ConfigIncludeTest, QuotesAroundTheFileNameAreNotRemoved) {
  TempDir dir;
  const std::string main = dir.write("main.conf", "include \"x.conf\"\n");
  dir.write("x.conf", "x\n");
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(main, diagnostics), Rows{});
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_NE(diagnostics.all()[0].message.find("quotes are part of the name"), std::string::npos);
}

TEST(ConfigIncludeTest, DirectoriesMatchedByTheGlobAreSkipped) {
  TempDir dir;
  const std::string main = dir.write("main.conf", "include d/*\n");
  dir.write("d/file", "f\n");
  dir.write("d/subdir/inner", "not read\n");
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(main, diagnostics), (Rows{{"f"}}));
  EXPECT_TRUE(diagnostics.all().empty());
}

TEST(ConfigIncludeTest, ExecutableFilesAreSkippedWithAWarning) {
  TempDir dir;
  const std::string main = dir.write("main.conf", "include x.conf\n");
  const std::string x = dir.write("x.conf", "x\n");
  ::chmod(x.c_str(), 0755);
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(main, diagnostics), Rows{});
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(diagnostics.all()[0].severity, Severity::Warning);
}

TEST(ConfigIncludeTest, CycleIsAnErrorNamingTheChain) {
  TempDir dir;
  const std::string a = dir.write("a.conf", "include b.conf\n");
  const std::string b = dir.write("b.conf", "b\ninclude a.conf\n");
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(a, diagnostics), (Rows{{"b"}}));
  EXPECT_EQ(formatted(diagnostics),
            (std::vector<std::string>{b + ":2:9: error: include cycle: " + a + " -> " + b + " -> " +
                                      dir.path().string() + "/a.conf"}));
}

TEST(ConfigIncludeTest, IncludingItselfIsACycle) {
  TempDir dir;
  const std::string a = dir.write("a.conf", "include *.conf\n");
  Diagnostics diagnostics;
  lexRows(a, diagnostics);
  EXPECT_EQ(diagnostics.errorCount(), 1u);
}

TEST(ConfigIncludeTest, NestingDeeperThanTheLimitIsAnError) {
  TempDir dir;
  for (int i = 0; i < 6; ++i) {
    dir.write("f" + std::to_string(i) + ".conf",
              "l" + std::to_string(i) + "\ninclude f" + std::to_string(i + 1) + ".conf\n");
  }
  dir.write("f6.conf", "l6\n");
  Diagnostics diagnostics;
  const Rows rows = lexRows((dir.path() / "f0.conf").string(), diagnostics, 3);
  EXPECT_EQ(rows, (Rows{{"l0"}, {"l1"}, {"l2"}, {"l3"}}));
  ASSERT_EQ(diagnostics.errorCount(), 1u);
  EXPECT_NE(diagnostics.all()[0].message.find("nested more than 3 deep"), std::string::npos);
}

TEST(ConfigIncludeTest, DiagnosticsNameTheIncludedFile) {
  TempDir dir;
  const std::string main = dir.write("main.conf", "include inc.conf\n");
  const std::string inc = dir.write("inc.conf", "\nx \"open\n");
  Diagnostics diagnostics;
  lexRows(main, diagnostics);
  EXPECT_EQ(formatted(diagnostics),
            (std::vector<std::string>{inc + ":2:3: error: unterminated quote"}));
}

TEST(ConfigIncludeTest, ParametersAreSharedAcrossFiles) {
  TempDir dir;
  const std::string main = dir.write("main.conf", "$IF=eth1\ninclude inc.conf\nb $J\n");
  dir.write("inc.conf", "interface $IF\n$J=set\n");
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(main, diagnostics), (Rows{{"interface", "eth1"}, {"b", "set"}}));
}

TEST(ConfigIncludeTest, PwdIsTheIncludedFilesDirectory) {
  TempDir dir;
  const std::string main = dir.write("main.conf", "include sub/inc.conf\nx ${_PWD}\n");
  dir.write("sub/inc.conf", "y ${_PWD}\n");
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(main, diagnostics),
            (Rows{{"y", dir.path().string() + "/sub"}, {"x", dir.path().string()}}));
}

TEST(ConfigIncludeTest, IncludeBehindAConditionIsRejected) {
  TempDir dir;
  const std::string main = dir.write("main.conf", "@lb1 include inc.conf\n");
  dir.write("inc.conf", "x\n");
  Diagnostics diagnostics;
  EXPECT_EQ(lexRows(main, diagnostics), Rows{});
  ASSERT_EQ(diagnostics.errorCount(), 1u);
  EXPECT_EQ(diagnostics.all()[0].where, (SourceLocation{main, 1, 6}));
}

TEST(ConfigIncludeTest, MissingTopLevelFileIsAnError) {
  Diagnostics diagnostics;
  lexRows("/nonexistent/vipd.conf", diagnostics);
  EXPECT_EQ(formatted(diagnostics),
            (std::vector<std::string>{"/nonexistent/vipd.conf: error: cannot open "
                                      "'/nonexistent/vipd.conf': No such file or directory"}));
}

}  // namespace
}  // namespace vipd::config
