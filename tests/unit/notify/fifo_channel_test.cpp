#include "vipd/notify/fifo_channel.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fakes/fake_process_runner.h"
#include "fakes/fake_script_env.h"
#include "log_capture.h"
#include "vipd/util/unique_fd.h"

namespace vipd::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FifoChannelTest : public ::testing::Test {
 protected:
  FifoChannelTest() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vipd-chan-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    fifo_.path = dir_ + "/vrrp.fifo";
    files_.dir("/x").file("/x/reader.sh");
    // The reader's user is the test's own, so that chown works without root.
    accounts_.user("reader", ::getuid(), ::getgid());
  }
  ~FifoChannelTest() override { std::filesystem::remove_all(dir_); }

  FifoChannel make() {
    ScriptResolver resolver({config::RunAs{"reader", {}}, true}, files_, accounts_);
    return FifoChannel("vrrp_notify_fifo", fifo_, resolver, runner_);
  }

  testing::LogCapture log_;
  std::string dir_;
  config::NotifyFifo fifo_;
  fakes::FakeFileLookup files_;
  fakes::FakeAccountLookup accounts_;
  fakes::FakeProcessRunner runner_;
};

TEST_F(FifoChannelTest, StartCreatesTheFifoThenStartsTheReaderWithThePath) {
  fifo_.readerArgv = {"/x/reader.sh", "-q"};
  auto channel = make();
  EXPECT_TRUE(runner_.runs().empty());
  ASSERT_FALSE(channel.start());
  struct stat st {};
  ASSERT_EQ(::lstat(fifo_.path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(st.st_uid, ::getuid());
  ASSERT_EQ(runner_.runs().size(), 1u);
  EXPECT_THAT(runner_.last().command.argv, ElementsAre("/x/reader.sh", "-q", fifo_.path));
  EXPECT_EQ(runner_.last().command.name, "vrrp_notify_fifo_script");
  EXPECT_EQ(runner_.last().command.uid, ::getuid());
}

// vipd's end is opened at start, as keepalived does, and kept: once the
// daemon has dropped its capabilities it could not open again a FIFO owned
// by the reader's user. Here the path is gone; the lines still go through.
TEST_F(FifoChannelTest, StartOpensOurEndSoLaterLinesNeedNoOpen) {
  fifo_.readerArgv = {"/x/reader.sh"};
  auto channel = make();
  ASSERT_FALSE(channel.start());
  EXPECT_TRUE(channel.writer().isOpen());
  util::UniqueFd reader(::open(fifo_.path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  ASSERT_TRUE(reader.valid());
  ASSERT_EQ(::unlink(fifo_.path.c_str()), 0);
  const std::string line = "INSTANCE \"VI_1\" MASTER 100\n";
  channel.writer().write(line);
  EXPECT_EQ(channel.writer().stats().written, 1u);
  EXPECT_EQ(channel.writer().stats().opens, 1u);
  char buf[64];
  EXPECT_EQ(::read(reader.get(), buf, sizeof buf), static_cast<ssize_t>(line.size()));
}

TEST_F(FifoChannelTest, WithoutReaderOnlyTheFifoIsCreated) {
  auto channel = make();
  ASSERT_FALSE(channel.start());
  EXPECT_FALSE(channel.hasReader());
  EXPECT_TRUE(runner_.runs().empty());
  channel.writer().write("INSTANCE \"VI_1\" BACKUP 100\n");
  EXPECT_EQ(channel.writer().stats().written, 1u);
}

TEST_F(FifoChannelTest, RefusedReaderIsReportedAndTheFifoStillWorks) {
  fifo_.readerArgv = {"/x/missing.sh"};
  auto channel = make();
  EXPECT_THAT(channel.readerRefusal(), HasSubstr("vrrp_notify_fifo_script"));
  ASSERT_FALSE(channel.start());
  EXPECT_TRUE(runner_.runs().empty());
}

TEST_F(FifoChannelTest, PathThatIsNotAFifoStartsNoReader) {
  std::ofstream(fifo_.path) << "data\n";
  fifo_.readerArgv = {"/x/reader.sh"};
  auto channel = make();
  EXPECT_TRUE(channel.start());
  EXPECT_TRUE(runner_.runs().empty());
}

TEST_F(FifoChannelTest, StopKillsTheReaderAndRemovesTheFifoItCreated) {
  fifo_.readerArgv = {"/x/reader.sh"};
  auto channel = make();
  ASSERT_FALSE(channel.start());
  channel.stop();
  EXPECT_THAT(runner_.cancelled(), ElementsAre(runner_.last().id));
  EXPECT_FALSE(std::filesystem::exists(fifo_.path));
}

// A graceful stop closes vipd's end first: the reader reads what is left,
// then EOF, and may end on its own; nothing is killed yet.
TEST_F(FifoChannelTest, FinishWritingClosesOurEndAndLeavesTheReaderRunning) {
  fifo_.readerArgv = {"/x/reader.sh"};
  auto channel = make();
  ASSERT_FALSE(channel.start());
  const std::string line = "INSTANCE \"VI_1\" STOP 100\n";
  channel.writer().write(line);
  util::UniqueFd reader(::open(fifo_.path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  ASSERT_TRUE(reader.valid());
  EXPECT_TRUE(channel.finishWriting()) << "the reader still runs";
  EXPECT_TRUE(runner_.cancelled().empty());
  char buf[64];
  EXPECT_EQ(::read(reader.get(), buf, sizeof buf), static_cast<ssize_t>(line.size()))
      << "the last line is still there";
  EXPECT_EQ(::read(reader.get(), buf, sizeof buf), 0) << "then EOF: no writer is left";
  runner_.exitWith(runner_.last().id, 0);
  EXPECT_FALSE(channel.finishWriting()) << "the reader has ended";
}

}  // namespace
}  // namespace vipd::notify
