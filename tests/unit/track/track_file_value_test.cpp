#include "vipd/track/track_file_value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vipd::track {
namespace {

using namespace std::string_literals;

struct Case {
  std::string name;
  std::optional<std::string> content;
  std::optional<std::int32_t> expected;
};

// strtol(buf, NULL, 0) on the first 127 bytes; missing/empty → 0; out of
// int range → ignored [SRC trackers/track_file.c:process_track_file].
const std::vector<Case> kCases = {
    {"plain", "42", 42},
    {"newline from echo", "42\n", 42},
    {"leading whitespace", " \t\n 7", 7},
    {"explicit plus", "+5", 5},
    {"negative", "-100\n", -100},
    {"trailing garbage ignored", "12abc", 12},
    {"no digits", "abc", 0},
    {"sign without digits", "- 5", 0},
    {"hex", "0x1f", 31},
    {"upper hex", "0X10", 16},
    {"0x without hex digit parses the 0", "0xg", 0},
    {"octal", "010", 8},
    {"8 is not octal", "08", 0},
    {"empty file", "", 0},
    {"missing or unreadable file", std::nullopt, 0},
    {"stops at NUL",
     "3\0"s
     "9",
     3},
    {"int max", "2147483647", 2147483647},
    {"int min", "-2147483648", -2147483647 - 1},
    {"above int is ignored", "2147483648", std::nullopt},
    {"below int is ignored", "-2147483649", std::nullopt},
    {"long overflow is ignored", "99999999999999999999999", std::nullopt},
    {"only 127 bytes are read", std::string(127, ' ') + "5", 0},
    {"digits cut at 127 bytes", std::string(125, ' ') + "123", 12},
};

TEST(TrackFileValueTest, ParsesLikeKeepalived) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const auto content = c.content ? std::optional<std::string_view>(*c.content) : std::nullopt;
    EXPECT_EQ(parseTrackFileValue(content), c.expected);
  }
}

}  // namespace
}  // namespace vipd::track
