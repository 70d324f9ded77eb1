// ProcessTable: which PIDs count for which vrrp_track_process as the scan
// and the kernel's events (exec, rename, fork, exit) come in, and the quorum
// changes that result, with time moved by the test.

#include "vipd/track/process_table.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"

namespace vipd::track {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using Changes = std::vector<QuorumChange>;

config::TrackProcess tracker(std::string name, std::string process) {
  config::TrackProcess t;
  t.name = std::move(name);
  t.process = std::move(process);
  return t;
}

ScannedProcess proc(std::int32_t pid, std::string comm, std::string cmdline = {}) {
  return ScannedProcess{pid, ProcessIdentity{std::move(comm), std::move(cmdline)}};
}

class ProcessTableTest : public ::testing::Test {
 protected:
  core::TimePoint now() const { return clock_.now(); }
  fakes::FakeClock clock_;
};

TEST_F(ProcessTableTest, TheScanCountsMatchingProcessesAndSkipsTheRest) {
  ProcessTable table({tracker("web", "nginx"), tracker("db", "postgres")});
  table.start({proc(10, "nginx"), proc(11, "nginx"), proc(12, "bash")});
  EXPECT_EQ(table.count("web"), 2u);
  EXPECT_TRUE(table.hasQuorum("web"));
  EXPECT_FALSE(table.hasQuorum("db"));
  EXPECT_FALSE(table.counts(12));
  EXPECT_FALSE(table.hasQuorum("unknown"));
}

TEST_F(ProcessTableTest, AnExecOfAMatchingProgramJoinsAndAnExecAwayLeaves) {
  ProcessTable table({tracker("web", "nginx")});
  table.start({proc(10, "bash")});
  EXPECT_EQ(table.exec(10, {"nginx", {}}, now()), (Changes{{"web", true}}));
  EXPECT_TRUE(table.counts(10));
  EXPECT_EQ(table.exec(10, {"nginx", {}}, now()), Changes{});  // counted once
  EXPECT_EQ(table.count("web"), 1u);
  EXPECT_EQ(table.exec(10, {"sleep", {}}, now()), (Changes{{"web", false}}));
  EXPECT_FALSE(table.counts(10));
}

TEST_F(ProcessTableTest, ARenameIsSeenByCommTrackersOnly) {
  auto full = tracker("full", "/usr/bin/app");
  full.fullCommand = true;
  ProcessTable table({tracker("worker", "app-worker"), full});
  table.start({proc(10, "app", "/usr/bin/app\0"s)});
  EXPECT_TRUE(table.hasQuorum("full"));
  EXPECT_EQ(table.renamed(10, "app-worker", now()), (Changes{{"worker", true}}));
  EXPECT_TRUE(table.hasQuorum("full"));
  EXPECT_EQ(table.renamed(10, "other", now()), (Changes{{"worker", false}}));
  EXPECT_TRUE(table.counts(10));  // still for "full"
}

TEST_F(ProcessTableTest, AForkedChildCountsWhereItsParentDoes) {
  auto web = tracker("web", "nginx");
  web.quorum = 2;
  ProcessTable table({web, tracker("other", "bash")});
  table.start({proc(10, "nginx"), proc(20, "bash")});
  EXPECT_EQ(table.forked(10, 11, now()), (Changes{{"web", true}}));
  EXPECT_EQ(table.count("other"), 1u);
  EXPECT_EQ(table.forked(30, 31, now()), Changes{});  // untracked parent
  EXPECT_FALSE(table.counts(31));
}

TEST_F(ProcessTableTest, AnExitLeavesEveryTrackerAndForgetsThePid) {
  auto full = tracker("full", "nginx");
  full.fullCommand = true;
  ProcessTable table({tracker("web", "nginx"), full});
  table.start({proc(10, "nginx", "nginx\0"s)});
  EXPECT_EQ(table.exited(10, now()), (Changes{{"web", false}, {"full", false}}));
  EXPECT_FALSE(table.counts(10));
  EXPECT_EQ(table.exited(10, now()), Changes{});
}

TEST_F(ProcessTableTest, DelaysComeDueThroughExpireInConfigurationOrder) {
  auto a = tracker("a", "x");
  a.terminateDelay = 2s;
  auto b = tracker("b", "x");
  b.terminateDelay = 1s;
  ProcessTable table({a, b});
  table.start({proc(10, "x")});
  EXPECT_EQ(table.exited(10, now()), Changes{});
  EXPECT_EQ(table.nextDeadline(), now() + 1s);
  clock_.advance(2s);
  EXPECT_EQ(table.expire(now()), (Changes{{"a", false}, {"b", false}}));
  EXPECT_EQ(table.nextDeadline(), std::nullopt);
}

TEST_F(ProcessTableTest, ARescanReplacesTheCountsAndMembership) {
  auto web = tracker("web", "nginx");
  web.terminateDelay = 1s;
  ProcessTable table({web, tracker("db", "postgres")});
  table.start({proc(10, "nginx")});
  // Events were lost: nginx died and postgres started meanwhile.
  EXPECT_EQ(table.rescan({proc(20, "postgres")}, now()), (Changes{{"db", true}}));
  EXPECT_FALSE(table.counts(10));
  EXPECT_TRUE(table.hasQuorum("web"));  // for terminate_delay
  clock_.advance(1s);
  EXPECT_EQ(table.expire(now()), (Changes{{"web", false}}));
}

TEST_F(ProcessTableTest, AFullCommandTrackerWithParametersFollowsExecs) {
  auto app = tracker("app", "/usr/bin/python3");
  app.fullCommand = true;
  app.parameters = {"/opt/app.py"};
  app.paramMatch = config::ParamMatch::Exact;
  ProcessTable table({app});
  table.start({});
  EXPECT_EQ(table.exec(10, {"python3", "/usr/bin/python3\0/opt/other.py\0"s}, now()), Changes{});
  EXPECT_EQ(table.exec(11, {"python3", "/usr/bin/python3\0/opt/app.py\0"s}, now()),
            (Changes{{"app", true}}));
}

}  // namespace
}  // namespace vipd::track
