#include "vipd/exec/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vipd::exec {
namespace {

class LineSplitterTest : public ::testing::Test {
 protected:
  LineSplitter make(std::size_t maxLine = 4096, std::size_t maxTotal = 65536) {
    return LineSplitter({maxLine, maxTotal},
                        [this](std::string_view line) { lines_.emplace_back(line); });
  }
  std::vector<std::string> lines_;
};

TEST_F(LineSplitterTest, CompleteLinesArePassedOnWithoutTheNewline) {
  auto splitter = make();
  splitter.feed("one\ntwo\n");
  EXPECT_EQ(lines_, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(splitter.stats().lines, 2u);
  EXPECT_EQ(splitter.stats().bytesKept, 6u);
  EXPECT_EQ(splitter.stats().bytesDropped, 0u);
}

TEST_F(LineSplitterTest, LineSplitAcrossReadsIsJoined) {
  auto splitter = make();
  splitter.feed("hel");
  EXPECT_TRUE(lines_.empty());
  splitter.feed("lo wo");
  splitter.feed("rld\nnext");
  EXPECT_EQ(lines_, (std::vector<std::string>{"hello world"}));
  splitter.finish();
  EXPECT_EQ(lines_, (std::vector<std::string>{"hello world", "next"}));
}

TEST_F(LineSplitterTest, EmptyLinesAreKept) {
  auto splitter = make();
  splitter.feed("\n\nx\n");
  EXPECT_EQ(lines_, (std::vector<std::string>{"", "", "x"}));
}

TEST_F(LineSplitterTest, FinishWithoutPartialLinePassesNothing) {
  auto splitter = make();
  splitter.feed("a\n");
  splitter.finish();
  EXPECT_EQ(lines_.size(), 1u);
}

TEST_F(LineSplitterTest, LongLineIsCutAndTheRestCounted) {
  auto splitter = make(4);
  splitter.feed("abcdefgh");
  splitter.feed("ij\nok\n");
  EXPECT_EQ(lines_, (std::vector<std::string>{"abcd", "ok"}));
  EXPECT_EQ(splitter.stats().linesTruncated, 1u);
  EXPECT_EQ(splitter.stats().bytesDropped, 6u);
}

TEST_F(LineSplitterTest, LineOfExactlyTheCapIsNotTruncated) {
  auto splitter = make(4);
  splitter.feed("abcd\n");
  EXPECT_EQ(lines_, (std::vector<std::string>{"abcd"}));
  EXPECT_EQ(splitter.stats().linesTruncated, 0u);
}

TEST_F(LineSplitterTest, TotalCapDropsEverythingAfterIt) {
  auto splitter = make(100, 10);
  splitter.feed("12345\n67890\nabc\n");
  splitter.feed(std::string(1'000'000, 'x'));
  splitter.finish();
  EXPECT_EQ(lines_, (std::vector<std::string>{"12345", "67890"}));
  EXPECT_EQ(splitter.stats().bytesKept, 10u);
  EXPECT_EQ(splitter.stats().bytesDropped, 3u + 1u + 1'000'000u);
}

TEST_F(LineSplitterTest, UnreadBytesAreCountedAsDropped) {
  auto splitter = make();
  splitter.countUnread(42);
  EXPECT_EQ(splitter.stats().bytesDropped, 42u);
}

}  // namespace
}  // namespace vipd::exec
