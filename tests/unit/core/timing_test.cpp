#include "vipd/core/timing.h"

#include <gtest/gtest.h>

namespace vipd::core {
namespace {

using namespace std::chrono_literals;

constexpr Centiseconds cs(std::int64_t n) { return Centiseconds{n}; }

TEST(TimingTest, V3SkewTimeIsTruncatedToWholeCentiseconds) {
  // (256 − 100) × 100 / 256 = 60.94 → 60 cs.
  EXPECT_EQ(skewTime(Version::V3, 100, cs(100)), 600ms);
  // (256 − 254) × 100 / 256 = 0.78 → 0 cs.
  EXPECT_EQ(skewTime(Version::V3, 254, cs(100)), 0ms);
  // (256 − 1) × 4095 / 256 = 4079.05 → 4079 cs.
  EXPECT_EQ(skewTime(Version::V3, 1, cs(4095)), 40790ms);
  // (256 − 100) × 200 / 256 = 121.88 → 121 cs.
  EXPECT_EQ(skewTime(Version::V3, 100, cs(200)), 1210ms);
}

TEST(TimingTest, V3SkewTimeScalesWithTheMastersInterval) {
  // (256 − 128) × 10 / 256 = 5 cs exactly.
  EXPECT_EQ(skewTime(Version::V3, 128, cs(10)), 50ms);
  EXPECT_EQ(skewTime(Version::V3, 128, cs(1000)), 5000ms);
}

TEST(TimingTest, V2SkewTimeIsAFractionOfASecondInMicroseconds) {
  // (256 − 100) / 256 s = 609375 µs exactly; (256 − 150) / 256 s = 414062.5 µs → 414062.
  EXPECT_EQ(skewTime(Version::V2, 100, cs(100)), 609375us);
  EXPECT_EQ(skewTime(Version::V2, 150, cs(100)), 414062us);
  // v2 skew does not depend on the interval (RFC 3768 §6.1).
  EXPECT_EQ(skewTime(Version::V2, 100, cs(500)), 609375us);
  EXPECT_EQ(skewTime(Version::V2, 255, cs(100)), 3906us);
}

TEST(TimingTest, MasterDownIntervalIsThreeIntervalsPlusSkew) {
  EXPECT_EQ(masterDownInterval(Version::V3, 100, cs(100), 3), 3600ms);
  EXPECT_EQ(masterDownInterval(Version::V3, 200, cs(100), 3), 3210ms);  // 300 + 21 cs
  // keepalived LAB: v2, prio 150, 1 s → master after 3.41 s.
  EXPECT_EQ(masterDownInterval(Version::V2, 150, cs(100), 3), 3414062us);
  EXPECT_EQ(masterDownInterval(Version::V2, 100, cs(200), 3), 6609375us);
}

TEST(TimingTest, MasterDownIntervalUsesDownTimerAdverts) {
  EXPECT_EQ(masterDownInterval(Version::V3, 100, cs(100), 1), 1600ms);
  EXPECT_EQ(masterDownInterval(Version::V3, 100, cs(100), 5), 5600ms);
  EXPECT_EQ(masterDownInterval(Version::V3, 100, cs(10), 100), 10060ms);  // 1000 + 6 cs
}

TEST(TimingTest, HigherPriorityNeverWaitsLonger) {
  for (int priority = 1; priority < 255; ++priority) {
    SCOPED_TRACE(priority);
    const auto lower = static_cast<std::uint8_t>(priority);
    const auto higher = static_cast<std::uint8_t>(priority + 1);
    for (const Version version : {Version::V2, Version::V3}) {
      EXPECT_LE(masterDownInterval(version, higher, cs(37), 3),
                masterDownInterval(version, lower, cs(37), 3));
    }
  }
}

}  // namespace
}  // namespace vipd::core
