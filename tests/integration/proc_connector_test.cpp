// ProcConnector against the real kernel (root): a child the test starts
// must show up as fork, exec, rename and exit events within a bounded wait
// (poll on fd(), never sleep-as-sync), also when the socket is opened from
// inside a network namespace. Processes are host-wide, so each test uses a
// program name unique to this run.

#include "vipd/net/proc_connector.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "netns.h"

extern char** environ;

namespace vipd::net {
namespace {

using namespace std::chrono_literals;

/// Reads the connector, keeping what it read: events of one batch are
/// waited for one after the other.
class EventReader {
 public:
  explicit EventReader(ProcConnector& connector) : connector_(connector) {}

  /// Waits with poll() until an event satisfies `match` or 5 s pass; the
  /// events before it are dropped.
  std::optional<ProcEvent> waitFor(const std::function<bool(const ProcEvent&)>& match) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    for (;;) {
      while (next_ < seen_.size()) {
        const ProcEvent& event = seen_[next_++];
        if (match(event)) return event;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return std::nullopt;
      pollfd pfd{connector_.fd(), POLLIN, 0};
      ::poll(&pfd, 1, static_cast<int>(left.count()));
      for (auto& event : connector_.readEvents()) seen_.push_back(std::move(event));
    }
  }

 private:
  ProcConnector& connector_;
  std::vector<ProcEvent> seen_;
  std::size_t next_ = 0;
};

template <class Event>
std::function<bool(const ProcEvent&)> about(pid_t pid) {
  return [pid](const ProcEvent& event) {
    const auto* typed = std::get_if<Event>(&event);
    if (typed == nullptr) return false;
    if constexpr (std::is_same_v<Event, ProcForked>)
      return typed->childTgid == pid;
    else
      return typed->tgid == pid;
  };
}

/// A copy of /bin/sleep under a name unique to this run, started and
/// killed by the test; the copy is removed at the end.
class UniqueSleeper {
 public:
  UniqueSleeper() : name_("vipdpc" + std::to_string(::getpid())) {
    dir_ = std::filesystem::temp_directory_path() / ("vipd-proc-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::filesystem::copy_file("/bin/sleep", path(),
                               std::filesystem::copy_options::overwrite_existing);
  }
  ~UniqueSleeper() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  pid_t start(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (::posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
    return pid_;
  }
  pid_t startSleeper() { return start({path(), "30"}); }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  std::string path() const { return (dir_ / name_).string(); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

std::string commOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string comm;
  std::getline(in, comm);
  return comm;
}

class ProcConnectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "the process connector needs root";
  }
};

TEST_F(ProcConnectorTest, SeesAChildForkExecAndExit) {
  ProcConnector connector;
  EventReader events(connector);
  EXPECT_FALSE(connector.borrowedNamespace());
  UniqueSleeper sleeper;
  const pid_t pid = sleeper.startSleeper();
  ASSERT_GT(pid, 0);
  const auto forked = events.waitFor(about<ProcForked>(pid));
  ASSERT_TRUE(forked);
  EXPECT_EQ(std::get<ProcForked>(*forked).parentTgid, ::getpid());
  ASSERT_TRUE(events.waitFor(about<ProcExec>(pid)));
  EXPECT_EQ(commOf(pid), sleeper.name());  // what the watcher reads on exec
  sleeper.stop();
  ASSERT_TRUE(events.waitFor(about<ProcExited>(pid)));
  EXPECT_EQ(connector.stats().foreign, 0u);
}

TEST_F(ProcConnectorTest, SeesARename) {
  ProcConnector connector;
  EventReader events(connector);
  UniqueSleeper sleeper;
  const std::string name = "vipdrn" + std::to_string(::getpid());
  const pid_t pid =
      sleeper.start({"/bin/sh", "-c", "printf %s " + name + " > /proc/self/comm; sleep 30"});
  ASSERT_GT(pid, 0);
  const auto renamed = events.waitFor(about<ProcRenamed>(pid));
  ASSERT_TRUE(renamed);
  EXPECT_EQ(std::get<ProcRenamed>(*renamed).comm, name);
}

// The connector is only in the initial network namespace; a vipd started
// with `ip netns exec` must still see the host's processes.
TEST_F(ProcConnectorTest, WorksFromInsideANetworkNamespace) {
  if (!vipd::testing::canCreateNamespaces()) GTEST_SKIP() << "needs network namespaces";
  vipd::testing::NetNs ns("proc");
  std::optional<ProcConnector> connector;
  {
    vipd::testing::EnterNetNs inside(ns);
    connector.emplace();
  }
  EXPECT_TRUE(connector->borrowedNamespace());
  UniqueSleeper sleeper;
  const pid_t pid = sleeper.startSleeper();
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(EventReader(*connector).waitFor(about<ProcExec>(pid)));
}

}  // namespace
}  // namespace vipd::net
