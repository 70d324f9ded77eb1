#include "vipd/daemon/file_watch.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace vipd::daemon {
namespace {

namespace fs = std::filesystem;

class FileWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vipd-filewatch-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  config::TrackFile file(const std::string& name, std::optional<config::TrackFileInit> init = {}) {
    config::TrackFile f;
    f.name = name;
    f.path = (dir_ / name).string();
    f.init = init;
    return f;
  }

  void make(std::vector<config::TrackFile> files, bool atStart = true) {
    watch_ = std::make_unique<FileWatch>(files, atStart, [this](const std::string& n, int v) {
      seen_.push_back(n + "=" + std::to_string(v));
    });
  }

  /// Handles what inotify has queued; the kernel queues events
  /// synchronously with the file operation, so poll() finds them at once.
  void drain() {
    pollfd p{watch_->fd(), POLLIN, 0};
    while (::poll(&p, 1, 0) > 0) watch_->onReadable();
  }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::trunc) << text;
  }

  fs::path dir_;
  std::unique_ptr<FileWatch> watch_;
  std::vector<std::string> seen_;
};

TEST_F(FileWatchTest, ReadsAtStartAndOnEveryWrite) {
  write("prio", "5\n");
  make({file("prio")});
  EXPECT_EQ(watch_->value("prio"), 5);
  write("prio", "-20");
  drain();
  EXPECT_EQ(watch_->value("prio"), -20);
  EXPECT_EQ(seen_, (std::vector<std::string>{"prio=5", "prio=-20"}));
}

TEST_F(FileWatchTest, SeesAFileReplacedByRenameAndOneRemoved) {
  make({file("prio")});
  EXPECT_EQ(watch_->value("prio"), 0) << "missing reads as 0";
  write("prio.tmp", "7");
  fs::rename(dir_ / "prio.tmp", dir_ / "prio");
  drain();
  EXPECT_EQ(watch_->value("prio"), 7);
  fs::remove(dir_ / "prio");
  drain();
  EXPECT_EQ(watch_->value("prio"), 0);
  write("other", "9");
  drain();
  EXPECT_EQ(seen_, (std::vector<std::string>{"prio=7", "prio=0"}));
}

TEST_F(FileWatchTest, InitFileWritesMissingFilesAndOverwritesOnlyWhenAsked) {
  write("kept", "3");
  write("forced", "3");
  make({file("fresh", config::TrackFileInit{4, false}), file("kept", config::TrackFileInit{4, false}),
        file("forced", config::TrackFileInit{4, true})});
  EXPECT_EQ(watch_->value("fresh"), 4);
  EXPECT_EQ(watch_->value("kept"), 3);
  EXPECT_EQ(watch_->value("forced"), 4);
}

TEST_F(FileWatchTest, OnReloadInitFileIsNotApplied) {
  write("forced", "3");
  make({file("forced", config::TrackFileInit{4, true})}, false);
  EXPECT_EQ(watch_->value("forced"), 3);
}

}  // namespace
}  // namespace vipd::daemon
