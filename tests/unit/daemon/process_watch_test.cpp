// ProcessWatch: the glue between the process connector's events, /proc and
// the quorum table, with a fake /proc, a fake scheduler and no root; and
// ProcFs on a /proc-like directory tree.

#include "vipd/daemon/process_watch.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "fakes/fake_scheduler.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;

/// Processes the test makes up; counts the reads.
class FakeProcesses final : public ProcessSource {
 public:
  std::vector<track::ScannedProcess> scan(std::size_t cmdlineBytes) override {
    ++scans;
    lastCmdlineBytes = cmdlineBytes;
    std::vector<track::ScannedProcess> out;
    for (const auto& [pid, identity] : running) out.push_back({pid, identity});
    return out;
  }
  std::optional<track::ProcessIdentity> identity(std::int32_t pid,
                                                 std::size_t cmdlineBytes) override {
    ++reads;
    lastCmdlineBytes = cmdlineBytes;
    const auto it = running.find(pid);
    if (it == running.end()) return std::nullopt;
    return it->second;
  }

  std::map<std::int32_t, track::ProcessIdentity> running;
  int scans = 0;
  int reads = 0;
  std::size_t lastCmdlineBytes = 0;
};

config::TrackProcess tracker(std::string name, std::string process) {
  config::TrackProcess t;
  t.name = std::move(name);
  t.process = std::move(process);
  return t;
}

class ProcessWatchTest : public ::testing::Test {
 protected:
  void make(std::vector<config::TrackProcess> trackers) {
    watch_ = std::make_unique<ProcessWatch>(
        std::move(trackers), scheduler_, processes_,
        [this](const std::string& t, bool q) { seen_.push_back(t + (q ? " up" : " down")); },
        spdlog::default_logger());
  }

  fakes::FakeScheduler scheduler_;
  FakeProcesses processes_;
  std::unique_ptr<ProcessWatch> watch_;
  std::vector<std::string> seen_;
};

TEST_F(ProcessWatchTest, TheScanAtStartDecidesWithoutReportingAChange) {
  processes_.running = {{10, {"nginx", {}}}};
  make({tracker("web", "nginx"), tracker("db", "postgres")});
  EXPECT_TRUE(watch_->hasQuorum("web"));
  EXPECT_FALSE(watch_->hasQuorum("db"));
  EXPECT_TRUE(seen_.empty());
  EXPECT_EQ(processes_.lastCmdlineBytes, 0u);  // nobody compares command lines
}

TEST_F(ProcessWatchTest, AnExecIsReadOnceAndCounted) {
  make({tracker("web", "nginx")});
  processes_.running[20] = {"nginx", {}};
  watch_->onEvents({net::ProcExec{20, 20}});
  EXPECT_EQ(processes_.reads, 1);
  EXPECT_EQ(seen_, (std::vector<std::string>{"web up"}));
}

TEST_F(ProcessWatchTest, ThreadsAndVanishedProcessesAreIgnored) {
  make({tracker("web", "nginx")});
  processes_.running[20] = {"nginx", {}};
  watch_->onEvents({net::ProcExec{21, 20}, net::ProcExec{30, 30}, net::ProcForked{1, 1, 22, 20},
                    net::ProcRenamed{23, 20, "nginx"}, net::ProcExited{24, 20}});
  EXPECT_EQ(processes_.reads, 1);  // only pid 30, which is gone
  EXPECT_TRUE(seen_.empty());
}

TEST_F(ProcessWatchTest, ACommandLineIsReadOnlyForFullCommandTrackers) {
  auto full = tracker("app", "/usr/bin/app");
  full.fullCommand = true;
  processes_.running[5] = {"app", "/usr/bin/app\0"s};
  make({full});
  EXPECT_EQ(processes_.lastCmdlineBytes, track::cmdlineReadLimit({full}));
  EXPECT_TRUE(watch_->hasQuorum("app"));
}

TEST_F(ProcessWatchTest, ForksRenamesAndExitsFollowTheTable) {
  auto web = tracker("web", "nginx");
  web.quorum = 2;
  processes_.running = {{10, {"nginx", {}}}};
  make({web});
  watch_->onEvents({net::ProcForked{10, 10, 11, 11}});
  EXPECT_EQ(seen_, (std::vector<std::string>{"web up"}));
  watch_->onEvents({net::ProcRenamed{11, 11, "worker"}});
  watch_->onEvents({net::ProcExited{10, 10}});
  EXPECT_EQ(seen_, (std::vector<std::string>{"web up", "web down"}));
  EXPECT_EQ(watch_->table().count("web"), 0u);
}

TEST_F(ProcessWatchTest, TerminateDelayRunsOnTheScheduler) {
  auto web = tracker("web", "nginx");
  web.terminateDelay = 2s;
  processes_.running = {{10, {"nginx", {}}}};
  make({web});
  watch_->onEvents({net::ProcExited{10, 10}});
  EXPECT_TRUE(seen_.empty());
  EXPECT_EQ(scheduler_.pending(), 1u);
  scheduler_.advance(1999ms);
  EXPECT_TRUE(seen_.empty());
  scheduler_.advance(1ms);
  EXPECT_EQ(seen_, (std::vector<std::string>{"web down"}));
  EXPECT_EQ(scheduler_.pending(), 0u);
}

TEST_F(ProcessWatchTest, ARestartWithinTerminateDelayIsNeverReported) {
  auto web = tracker("web", "nginx");
  web.terminateDelay = 2s;
  processes_.running = {{10, {"nginx", {}}}};
  make({web});
  watch_->onEvents({net::ProcExited{10, 10}});
  processes_.running = {{11, {"nginx", {}}}};
  scheduler_.advance(1s);
  watch_->onEvents({net::ProcExec{11, 11}});
  scheduler_.advance(5s);
  EXPECT_TRUE(seen_.empty());
  EXPECT_EQ(scheduler_.pending(), 0u);
}

TEST_F(ProcessWatchTest, LostEventsRescanASecondLater) {
  processes_.running = {{10, {"nginx", {}}}};
  make({tracker("web", "nginx")});
  processes_.running.clear();  // it died while events were lost
  watch_->onEvents({net::ProcEventsLost{}});
  EXPECT_EQ(watch_->scans(), 1u);
  scheduler_.advance(ProcessWatch::kRescanDelay);
  EXPECT_EQ(watch_->scans(), 2u);
  EXPECT_EQ(seen_, (std::vector<std::string>{"web down"}));
}

TEST_F(ProcessWatchTest, RepeatedLossesRescanOnceAfterTheLastOne) {
  make({tracker("web", "nginx")});
  watch_->onEvents({net::ProcEventsLost{}});
  scheduler_.advance(500ms);
  watch_->onEvents({net::ProcEventsLost{}});
  scheduler_.advance(999ms);
  EXPECT_EQ(watch_->scans(), 1u);
  scheduler_.advance(1ms);
  EXPECT_EQ(watch_->scans(), 2u);
}

TEST_F(ProcessWatchTest, DestructionCancelsItsTimers) {
  auto web = tracker("web", "nginx");
  web.terminateDelay = 2s;
  processes_.running = {{10, {"nginx", {}}}};
  make({web});
  watch_->onEvents({net::ProcExited{10, 10}, net::ProcEventsLost{}});
  EXPECT_EQ(scheduler_.pending(), 2u);
  watch_.reset();
  EXPECT_EQ(scheduler_.pending(), 0u);
}

class ProcFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vipd-procfs-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void file(const std::string& relative, const std::string& content) {
    std::filesystem::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative, std::ios::binary) << content;
  }

  std::filesystem::path root_;
};

TEST_F(ProcFsTest, ScanSkipsZombiesAndNonProcesses) {
  file("10/stat", "10 (nginx) S 1 10 10 0 -1");
  file("10/cmdline", "nginx\0-g\0daemon off;\0"s);
  file("11/stat", "11 (dead) Z 1 11 11 0 -1");
  file("12/cmdline", "no stat\0"s);
  file("self/stat", "10 (nginx) S 1");
  ProcFs fs(root_.string());
  const auto scanned = fs.scan(0);
  ASSERT_EQ(scanned.size(), 1u);
  EXPECT_EQ(scanned[0].pid, 10);
  EXPECT_EQ(scanned[0].identity, (track::ProcessIdentity{"nginx", {}}));
  EXPECT_EQ(fs.scan(9).at(0).identity.cmdline, "nginx\0-g\0"s);
}

TEST_F(ProcFsTest, IdentityReadsCommAndTheCommandLineIfAsked) {
  file("20/comm", "sleeper\n");
  file("20/cmdline", "/tmp/sleeper\0"s + "30\0"s);
  ProcFs fs(root_.string());
  EXPECT_EQ(fs.identity(20, 0), (track::ProcessIdentity{"sleeper", {}}));
  EXPECT_EQ(fs.identity(20, 64), (track::ProcessIdentity{"sleeper", "/tmp/sleeper\0"s + "30\0"s}));
  EXPECT_EQ(fs.identity(21, 0), std::nullopt);
}

TEST(ProcFsRealTest, TheRealProcListsThisProcessByItsComm) {
  std::ifstream in("/proc/self/comm");
  std::string comm;
  std::getline(in, comm);
  ProcFs fs;
  bool found = false;
  for (const auto& p : fs.scan(0)) found |= p.pid == ::getpid() && p.identity.comm == comm;
  EXPECT_TRUE(found);
  const auto self = fs.identity(::getpid(), 4096);
  ASSERT_TRUE(self);
  EXPECT_EQ(self->comm, comm);
  EXPECT_FALSE(self->cmdline.empty());
}

}  // namespace
}  // namespace vipd::daemon
