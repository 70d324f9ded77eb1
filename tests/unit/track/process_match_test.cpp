// Which processes a vrrp_track_process counts: keepalived's exact comm or
// command-line match and its param_match rules [SRC core/track_process.c:
// check_process, check_params], plus the /proc parsing around it.

#include "vipd/track/process_match.h"

#include <gtest/gtest.h>

namespace vipd::track {
namespace {

using config::ParamMatch;
using namespace std::string_literals;

config::TrackProcess byName(std::string name) {
  config::TrackProcess t;
  t.name = "t";
  t.process = std::move(name);
  return t;
}

config::TrackProcess byCommand(std::string program, std::vector<std::string> parameters,
                               ParamMatch match) {
  config::TrackProcess t = byName(std::move(program));
  t.parameters = std::move(parameters);
  t.paramMatch = match;
  t.fullCommand = true;
  return t;
}

ProcessIdentity running(std::string comm, std::string cmdline = {}) {
  return ProcessIdentity{std::move(comm), std::move(cmdline)};
}

TEST(ProcessMatchTest, CommIsComparedExactlyNotAsAPattern) {
  const auto sshd = byName("sshd");
  EXPECT_TRUE(matchesProcess(sshd, running("sshd")));
  EXPECT_FALSE(matchesProcess(byName("ssh"), running("sshd")));  // pgrep ssh would match
  EXPECT_FALSE(matchesProcess(sshd, running("sshd2")));
}

TEST(ProcessMatchTest, ANameLongerThanACommMatchesOnlyWithFullCommand) {
  const std::string longName = "vipd-lab-sleeper-1234";
  const ProcessIdentity p = running(longName.substr(0, 15), "/tmp/" + longName + "\0"s + "30\0"s);
  EXPECT_FALSE(matchesProcess(byName(longName), p));
  EXPECT_TRUE(matchesProcess(byCommand("/tmp/" + longName, {}, ParamMatch::None), p));
}

TEST(ProcessMatchTest, FullCommandComparesArgvZeroAndIgnoresTheComm) {
  const auto t = byCommand("/usr/sbin/nginx", {}, ParamMatch::None);
  EXPECT_TRUE(matchesProcess(t, running("other", "/usr/sbin/nginx\0-g\0daemon off;\0"s)));
  EXPECT_FALSE(matchesProcess(t, running("nginx", "nginx\0"s)));
  EXPECT_FALSE(matchesProcess(t, running("nginx", "")));  // kernel thread, or not read
}

struct ParamCase {
  const char* name;
  ParamMatch match;
  std::vector<std::string> configured;
  std::string actual;  // parameters as in /proc/PID/cmdline, after argv[0]
  bool matches;
};

const ParamCase kParamCases[] = {
    {"ExactSame", ParamMatch::Exact, {"-c", "/etc/a b.conf"}, "-c\0/etc/a b.conf\0"s, true},
    {"ExactOneMore", ParamMatch::Exact, {"-c", "/etc/a"}, "-c\0/etc/a\0-v\0"s, false},
    {"ExactOneFewer", ParamMatch::Exact, {"-c", "/etc/a"}, "-c\0"s, false},
    {"ExactLonger", ParamMatch::Exact, {"-c", "/etc/a"}, "-c\0/etc/ab\0"s, false},
    {"ExactNoneWanted", ParamMatch::Exact, {}, ""s, true},
    {"ExactNoneWantedSomeGiven", ParamMatch::Exact, {}, "-v\0"s, false},
    {"PartialPrefix", ParamMatch::Partial, {"-c", "/etc/a"}, "-c\0/etc/a\0-v\0"s, true},
    {"PartialWholeWordsOnly", ParamMatch::Partial, {"-c", "/etc/a"}, "-c\0/etc/ab\0"s, false},
    {"PartialTooFew", ParamMatch::Partial, {"-c", "/etc/a"}, "-c\0"s, false},
    {"PartialNoneWanted", ParamMatch::Partial, {}, "-v\0"s, true},
    {"InitialLastMayContinue", ParamMatch::Initial, {"-c", "/etc/a"}, "-c\0/etc/ab\0-v\0"s, true},
    {"InitialEarlierMustBeWhole", ParamMatch::Initial, {"-c", "/etc/a"}, "-cx\0/etc/a\0"s, false},
    {"InitialDifferent", ParamMatch::Initial, {"-c", "/etc/a"}, "-c\0/etc/b\0"s, false},
};

class ParamMatchTest : public ::testing::TestWithParam<ParamCase> {};

TEST_P(ParamMatchTest, FollowsKeepalivedsCheckParams) {
  const ParamCase& c = GetParam();
  const auto t = byCommand("/bin/app", c.configured, c.match);
  EXPECT_EQ(matchesProcess(t, running("app", "/bin/app\0"s + c.actual)), c.matches);
}

INSTANTIATE_TEST_SUITE_P(Cases, ParamMatchTest, ::testing::ValuesIn(kParamCases),
                         [](const auto& testCase) { return std::string(testCase.param.name); });

TEST(ProcessMatchTest, CmdlineIsReadOnlyWhenSomeTrackerNeedsIt) {
  EXPECT_FALSE(needsCmdline({byName("a"), byName("b")}));
  EXPECT_TRUE(needsCmdline({byName("a"), byCommand("/bin/b", {}, ParamMatch::None)}));
}

// keepalived reads vrrp_max_process_name_len + 2 bytes: enough to see that a
// longer command line differs.
TEST(ProcessMatchTest, ReadLimitCoversTheLongestCommandLinePlusTwo) {
  EXPECT_EQ(cmdlineReadLimit({byName("ab"), byCommand("/bin/app", {"-c", "x"}, ParamMatch::Exact)}),
            std::string("/bin/app\0-c\0x\0"s).size() + 2);
  const auto t = byCommand("/bin/app", {"-c", "x"}, ParamMatch::Exact);
  const std::string longer = "/bin/app\0-c\0x\0-v\0"s;
  const std::string read = longer.substr(0, cmdlineReadLimit({t}));
  EXPECT_FALSE(matchesProcess(t, running("app", read)));
}

TEST(ProcStatTest, CommEndsAtTheLastParenthesis) {
  EXPECT_EQ(parseProcStat("42 (a) b) S 1 42 42 0"), (ProcStat{"a) b", 'S'}));
  EXPECT_EQ(parseProcStat("7 (nginx) Z 1"), (ProcStat{"nginx", 'Z'}));
}

TEST(ProcStatTest, MalformedTextIsRefused) {
  EXPECT_EQ(parseProcStat(""), std::nullopt);
  EXPECT_EQ(parseProcStat("42 nginx S"), std::nullopt);
  EXPECT_EQ(parseProcStat("42 (nginx)"), std::nullopt);
  EXPECT_EQ(parseProcStat("42 (nginx)S"), std::nullopt);
}

TEST(ProcStatTest, CommFileLosesItsNewline) {
  EXPECT_EQ(commFromFile("nginx\n"), "nginx");
  EXPECT_EQ(commFromFile("x"), "x");
  EXPECT_EQ(commFromFile(""), "");
}

}  // namespace
}  // namespace vipd::track
