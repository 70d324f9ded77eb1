#include "vipd/notify/fifo_writer.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "fakes/fake_process_runner.h"
#include "log_capture.h"
#include "vipd/notify/notify_event.h"
#include "vipd/util/unique_fd.h"

namespace vipd::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Mode = FifoWriter::OpenMode;

/// A temporary directory per test; a real FIFO in it, no sleeps anywhere.
class FifoWriterTest : public ::testing::Test {
 protected:
  FifoWriterTest() {
    std::signal(SIGPIPE, SIG_IGN);  // as the daemon does
    std::string pattern = (std::filesystem::temp_directory_path() / "vipd-fifo-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    path_ = dir_ + "/notify.fifo";
  }
  ~FifoWriterTest() override { std::filesystem::remove_all(dir_); }

  FifoWriter writer(Mode mode) { return FifoWriter({path_, mode, {}, {}}); }

  util::UniqueFd openReader() {
    return util::UniqueFd(::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  }

  static std::string readAll(const util::UniqueFd& fd) {
    std::string out;
    char buf[4096];
    for (;;) {
      auto n = ::read(fd.get(), buf, sizeof buf);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }

  testing::LogCapture log_;
  std::string dir_;
  std::string path_;
};

TEST_F(FifoWriterTest, PrepareCreatesAPrivateFifo) {
  auto w = writer(Mode::ReadWrite);
  ASSERT_FALSE(w.prepare());
  struct stat st {};
  ASSERT_EQ(::lstat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(w.created());
  w.removeIfCreated();
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(FifoWriterTest, ExistingFifoIsUsedAndNotRemoved) {
  ASSERT_EQ(::mkfifo(path_.c_str(), 0644), 0);
  auto w = writer(Mode::ReadWrite);
  ASSERT_FALSE(w.prepare());
  EXPECT_FALSE(w.created());
  w.removeIfCreated();
  EXPECT_TRUE(std::filesystem::exists(path_));
}

TEST_F(FifoWriterTest, PathThatIsNotAFifoIsAnErrorAndLeftUntouched) {
  std::ofstream(path_) << "precious\n";
  auto w = writer(Mode::ReadWrite);
  EXPECT_EQ(w.prepare(), std::errc::file_exists);
  w.write("INSTANCE \"VI_1\" MASTER 150\n");
  EXPECT_EQ(w.stats().droppedOther, 1u);
  std::ifstream in(path_);
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "precious\n");
  EXPECT_THAT(log_.text(), HasSubstr("is not a FIFO, not touching it"));
}

TEST_F(FifoWriterTest, SymlinkIsNotFollowed) {
  std::filesystem::create_symlink(dir_ + "/elsewhere", path_);
  auto w = writer(Mode::ReadWrite);
  EXPECT_TRUE(w.prepare());
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/elsewhere"));
}

TEST_F(FifoWriterTest, ReaderGetsTheExactLine) {
  auto w = writer(Mode::ReadWrite);
  ASSERT_FALSE(w.prepare());
  auto reader = openReader();
  ASSERT_TRUE(reader.valid());
  w.write(fifoLine(Subject::Instance, "VI_1", NotifyState::Master, 150));
  w.write(fifoLine(Subject::Group, "G1", NotifyState::Master, 150));
  EXPECT_EQ(readAll(reader), "INSTANCE \"VI_1\" MASTER 150\nGROUP \"G1\" MASTER 0\n");
  EXPECT_EQ(w.stats().written, 2u);
}

// keepalived holds the FIFO open O_RDWR: a line written before the reader
// opens (the startup BACKUP line) waits for it.
TEST_F(FifoWriterTest, ReadWriteModeKeepsLinesForALateReader) {
  auto w = writer(Mode::ReadWrite);
  ASSERT_FALSE(w.prepare());
  w.write("INSTANCE \"VI_1\" BACKUP 100\n");
  EXPECT_EQ(w.stats().written, 1u);
  auto reader = openReader();
  EXPECT_EQ(readAll(reader), "INSTANCE \"VI_1\" BACKUP 100\n");
}

TEST_F(FifoWriterTest, FullPipeDropsAndCountsWithoutBlocking) {
  auto w = writer(Mode::ReadWrite);
  ASSERT_FALSE(w.prepare());
  w.write("INSTANCE \"VI_1\" BACKUP 100\n");
  auto reader = openReader();  // never reads until the end
  ASSERT_GE(::fcntl(reader.get(), F_SETPIPE_SZ, 4096), 4096);
  const std::string line = "INSTANCE \"VI_1\" MASTER 100\n";
  for (int i = 0; i < 400; ++i) w.write(line);
  EXPECT_GT(w.stats().droppedFull, 0u);
  EXPECT_EQ(w.stats().written + w.stats().droppedFull, 401u);
  // Only whole lines went in.
  auto got = readAll(reader);
  EXPECT_EQ(got.size() % line.size(), 0u);
  EXPECT_EQ(got.size() / line.size(), w.stats().written);
}

TEST_F(FifoWriterTest, WriteOnlyWithoutReaderCountsAndRetriesAtTheNextLine) {
  auto w = writer(Mode::WriteOnly);
  ASSERT_FALSE(w.prepare());
  w.write("INSTANCE \"VI_1\" BACKUP 100\n");
  EXPECT_EQ(w.stats().droppedNoReader, 1u);
  EXPECT_FALSE(w.isOpen());
  auto reader = openReader();
  w.write("INSTANCE \"VI_1\" MASTER 100\n");
  EXPECT_EQ(readAll(reader), "INSTANCE \"VI_1\" MASTER 100\n");
  EXPECT_EQ(w.stats().written, 1u);
}

TEST_F(FifoWriterTest, WriteOnlyReopensAfterTheReaderWentAway) {
  auto w = writer(Mode::WriteOnly);
  ASSERT_FALSE(w.prepare());
  {
    auto reader = openReader();
    w.write("INSTANCE \"VI_1\" BACKUP 100\n");
    EXPECT_EQ(readAll(reader), "INSTANCE \"VI_1\" BACKUP 100\n");
  }
  w.write("INSTANCE \"VI_1\" MASTER 100\n");  // EPIPE: dropped, closed
  EXPECT_EQ(w.stats().droppedNoReader, 1u);
  EXPECT_FALSE(w.isOpen());
  auto reader = openReader();
  w.write("INSTANCE \"VI_1\" FAULT 100\n");
  EXPECT_EQ(readAll(reader), "INSTANCE \"VI_1\" FAULT 100\n");
  EXPECT_EQ(w.stats().opens, 2u);
  EXPECT_THAT(log_.text(), HasSubstr("reason=\"reader gone\""));
  EXPECT_THAT(log_.text(), HasSubstr("notify fifo writable again"));
}

TEST_F(FifoWriterTest, OpenNowOpensOnlyInReadWriteMode) {
  auto rw = writer(Mode::ReadWrite);
  ASSERT_FALSE(rw.prepare());
  rw.openNow();
  rw.openNow();
  EXPECT_TRUE(rw.isOpen());
  EXPECT_EQ(rw.stats().opens, 1u);
  auto wo = writer(Mode::WriteOnly);
  wo.openNow();  // no reader: opening would only fail and count a drop
  EXPECT_FALSE(wo.isOpen());
  EXPECT_EQ(wo.stats().droppedNoReader, 0u);
}

TEST_F(FifoWriterTest, LineLongerThanPipeBufIsDropped) {
  auto w = writer(Mode::ReadWrite);
  ASSERT_FALSE(w.prepare());
  w.write(std::string(PIPE_BUF + 1, 'x'));
  EXPECT_EQ(w.stats().droppedOther, 1u);
  EXPECT_EQ(w.stats().written, 0u);
}

TEST(FifoReaderTest, RunsWithThePathAppendedAndNoTimeout) {
  fakes::FakeProcessRunner runner;
  exec::Command command;
  command.name = "vrrp_notify_fifo_script";
  command.argv = {"/x/reader.sh", "-v"};
  command.timeout = std::chrono::seconds(10);
  FifoReader reader(runner, command, "/run/vipd.fifo");
  reader.start();
  reader.start();  // already running: no second reader
  ASSERT_EQ(runner.runs().size(), 1u);
  EXPECT_THAT(runner.last().command.argv, ElementsAre("/x/reader.sh", "-v", "/run/vipd.fifo"));
  EXPECT_EQ(runner.last().command.timeout.count(), 0);
  EXPECT_TRUE(reader.running());
}

TEST(FifoReaderTest, ExitIsLoggedAndNotRestarted) {
  testing::LogCapture log;
  fakes::FakeProcessRunner runner;
  exec::Command command;
  command.name = "notify_fifo_script";
  command.argv = {"/x/reader.sh"};
  FifoReader reader(runner, command, "/run/vipd.fifo");
  reader.start();
  runner.exitWith(runner.last().id, 1);
  EXPECT_FALSE(reader.running());
  EXPECT_EQ(reader.exits(), 1u);
  EXPECT_EQ(runner.runs().size(), 1u);
  EXPECT_THAT(log.text(), HasSubstr("notify fifo script terminated"));
  EXPECT_THAT(log.text(), HasSubstr("exited code=1"));
}

TEST(FifoReaderTest, StopKillsTheReader) {
  fakes::FakeProcessRunner runner;
  exec::Command command;
  command.name = "notify_fifo_script";
  command.argv = {"/x/reader.sh"};
  {
    FifoReader reader(runner, command, "/run/vipd.fifo");
    reader.start();
    reader.stop();
    EXPECT_FALSE(reader.running());
  }
  EXPECT_THAT(runner.cancelled(), ElementsAre(1u));
}

}  // namespace
}  // namespace vipd::notify
