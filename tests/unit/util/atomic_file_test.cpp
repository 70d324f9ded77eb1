#include "vipd/util/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vipd::util {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "vipd-atomic-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), {}));
  }

  fs::path dir_;
};

TEST_F(AtomicFileTest, WritesTheContentWithTheMode) {
  const auto file = dir_ / "vipd.json";
  ASSERT_FALSE(writeFileAtomically(file.string(), "[]\n", 0600));
  EXPECT_EQ(read(file), "[]\n");
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(entries(), 1u) << "no temporary file left behind";
}

TEST_F(AtomicFileTest, ReplacesAnOlderFileAndItsMode) {
  const auto file = dir_ / "vipd.stats";
  std::ofstream(file) << "an older and longer content";
  ::chmod(file.c_str(), 0644);
  ASSERT_FALSE(writeFileAtomically(file.string(), "new", 0600));
  EXPECT_EQ(read(file), "new");
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(AtomicFileTest, ReplacesASymlinkInsteadOfWritingThroughIt) {
  const auto target = dir_ / "elsewhere";
  std::ofstream(target) << "precious";
  const auto file = dir_ / "vipd.data";
  fs::create_symlink(target, file);
  ASSERT_FALSE(writeFileAtomically(file.string(), "dump", 0600));
  EXPECT_EQ(read(target), "precious");
  EXPECT_FALSE(fs::is_symlink(file));
  EXPECT_EQ(read(file), "dump");
}

TEST_F(AtomicFileTest, AMissingDirectoryIsAnError) {
  auto error = writeFileAtomically((dir_ / "no" / "such").string(), "x", 0600);
  EXPECT_EQ(error, std::errc::no_such_file_or_directory);
}

}  // namespace
}  // namespace vipd::util
