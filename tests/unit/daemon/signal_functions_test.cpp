#include "vipd/daemon/signal_functions.h"

#include <gtest/gtest.h>

#include <csignal>

namespace vipd::daemon {
namespace {

TEST(SignalFunctionsTest, NumbersAreKeepalivedsOnLinux) {
  // keepalived 2.2.7 on Debian (glibc, SIGRTMIN 34, SIGRTMAX 64) prints
  // 15 1 10 12 63 36 for `--signum=STOP` ... `--signum=JSON`.
  ASSERT_EQ(SIGRTMIN, 34) << "the numbers below assume glibc's realtime range";
  EXPECT_EQ(signalNumber(SignalFunction::Stop), 15);
  EXPECT_EQ(signalNumber(SignalFunction::Reload), 1);
  EXPECT_EQ(signalNumber(SignalFunction::Data), 10);
  EXPECT_EQ(signalNumber(SignalFunction::Stats), 12);
  EXPECT_EQ(signalNumber(SignalFunction::StatsClear), 63);
  EXPECT_EQ(signalNumber(SignalFunction::Json), 36);
}

TEST(SignalFunctionsTest, NamesRoundTripAndAreCaseSensitiveAsKeepalived) {
  for (auto f : kAllSignalFunctions) EXPECT_EQ(parseSignalFunction(toString(f)), f);
  EXPECT_EQ(parseSignalFunction("STATS_CLEAR"), SignalFunction::StatsClear);
  EXPECT_FALSE(parseSignalFunction("json"));
  EXPECT_FALSE(parseSignalFunction("TDATA")) << "unknown to Debian's keepalived too";
  EXPECT_FALSE(parseSignalFunction(""));
}

TEST(SignalFunctionsTest, EveryFunctionHasItsOwnSignal) {
  for (auto a : kAllSignalFunctions) {
    for (auto b : kAllSignalFunctions) {
      if (a == b) continue;
      EXPECT_NE(signalNumber(a), signalNumber(b)) << toString(a) << " " << toString(b);
    }
  }
}

}  // namespace
}  // namespace vipd::daemon
