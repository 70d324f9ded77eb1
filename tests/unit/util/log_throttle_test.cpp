#include "vipd/util/log_throttle.h"

#include <gtest/gtest.h>

namespace vipd::util {
namespace {

using namespace std::chrono_literals;
using TimePoint = LogThrottle::Clock::time_point;

// Time points as offsets from the clock's epoch: the throttle must not treat
// the epoch itself as "never logged".
constexpr TimePoint at(std::chrono::milliseconds offset) { return TimePoint{} + offset; }

TEST(LogThrottleTest, FirstEventOfAKeyLogsAtOnceEvenAtTheEpoch) {
  LogThrottle throttle(2, 10s);
  EXPECT_EQ(throttle.admit(0, at(0ms)), std::optional<std::uint64_t>(0));
  EXPECT_EQ(throttle.admit(0, at(0ms)), std::nullopt) << "same instant: suppressed";
}

TEST(LogThrottleTest, EventsWithinTheIntervalAreCountedAndReportedByTheNextLine) {
  LogThrottle throttle(1, 10s);
  ASSERT_TRUE(throttle.admit(0, at(1000ms)));
  for (int i = 0; i < 41; ++i) EXPECT_FALSE(throttle.admit(0, at(1000ms + i * 200ms)));
  EXPECT_FALSE(throttle.admit(0, at(10999ms))) << "just before the interval ends";
  EXPECT_EQ(throttle.admit(0, at(11000ms)), std::optional<std::uint64_t>(42));
  EXPECT_FALSE(throttle.admit(0, at(11001ms))) << "the count starts again";
  EXPECT_EQ(throttle.admit(0, at(30000ms)), std::optional<std::uint64_t>(1));
}

TEST(LogThrottleTest, KeysAreLimitedIndependently) {
  LogThrottle throttle(3, 1s);
  EXPECT_TRUE(throttle.admit(0, at(0ms)));
  EXPECT_TRUE(throttle.admit(2, at(1ms)));
  EXPECT_FALSE(throttle.admit(0, at(2ms)));
  EXPECT_TRUE(throttle.admit(1, at(3ms)));
  EXPECT_FALSE(throttle.admit(2, at(4ms)));
}

TEST(LogThrottleTest, AFloodGivesOneLinePerIntervalPerKey) {
  LogThrottle throttle(1, 1s);
  std::uint64_t lines = 0;
  std::uint64_t reported = 0;
  // 50,000 events a second for 5 s: 250,000 events, one every 20 µs.
  for (int i = 0; i < 250'000; ++i) {
    if (auto suppressed = throttle.admit(0, TimePoint{} + i * 20us)) {
      ++lines;
      reported += 1 + *suppressed;
    }
  }
  EXPECT_EQ(lines, 5u);
  EXPECT_EQ(reported, 200'001u) << "the last second's events wait for the next line";
}

TEST(LogThrottleTest, KeyOutOfRangeNeverLogs) {
  LogThrottle throttle(1, 1s);
  EXPECT_EQ(throttle.admit(1, at(0ms)), std::nullopt);
  EXPECT_EQ(throttle.interval(), 1s);
}

}  // namespace
}  // namespace vipd::util
