#include "vipd/track/script_result.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vipd::track {
namespace {

constexpr auto S = ScriptOutcome::Success;
constexpr auto F = ScriptOutcome::Failure;
constexpr auto T = ScriptOutcome::TimedOut;
constexpr auto Init = ScriptStatus::Init;
constexpr auto Good = ScriptStatus::Good;
constexpr auto Bad = ScriptStatus::Bad;

struct Step {
  ScriptOutcome outcome;
  ScriptStatus expected;
  bool changed;
};

struct Sequence {
  std::string name;
  std::uint32_t rise;
  std::uint32_t fall;
  bool initFail;
  std::vector<Step> steps;
};

// Expected values follow keepalived's result arithmetic
// [SRC vrrp_scheduler.c:vrrp_script_child_thread, vrrp_init_script].
const std::vector<Sequence> kSequences = {
    {"first success decides at once even with rise 3",
     3,
     2,
     false,
     {{S, Good, true}, {S, Good, false}}},
    {"first failure decides at once even with fall 3",
     2,
     3,
     false,
     {{F, Bad, true}, {F, Bad, false}}},
    {"fall 3 needs three consecutive failures",
     2,
     3,
     false,
     {{S, Good, true}, {F, Good, false}, {F, Good, false}, {F, Bad, true}}},
    {"a success between failures restarts the fall count",
     1,
     3,
     false,
     {{S, Good, true},
      {F, Good, false},
      {F, Good, false},
      {S, Good, false},
      {F, Good, false},
      {F, Good, false},
      {F, Bad, true}}},
    {"rise 3 needs three consecutive successes",
     3,
     1,
     false,
     {{F, Bad, true}, {S, Bad, false}, {S, Bad, false}, {S, Good, true}}},
    {"a failure between successes restarts the rise count",
     3,
     1,
     false,
     {{F, Bad, true},
      {S, Bad, false},
      {S, Bad, false},
      {F, Bad, false},
      {S, Bad, false},
      {S, Bad, false},
      {S, Good, true}}},
    {"rise 1 fall 1 flips on every change",
     1,
     1,
     false,
     {{S, Good, true}, {F, Bad, true}, {S, Good, true}, {S, Good, false}, {F, Bad, true}}},
    {"init_fail starts BAD and needs rise successes",
     2,
     1,
     true,
     {{S, Bad, false}, {S, Good, true}}},
    {"init_fail with a failure stays BAD without a change",
     2,
     1,
     true,
     {{F, Bad, false}, {S, Bad, false}, {S, Good, true}}},
    {"a timeout counts as a failure",
     1,
     2,
     false,
     {{S, Good, true}, {T, Good, false}, {T, Bad, true}}},
    {"a timeout in INIT decides BAD", 1, 1, false, {{T, Bad, true}}},
};

TEST(ScriptResultTest, SequencesFollowKeepalivedArithmetic) {
  for (const Sequence& seq : kSequences) {
    SCOPED_TRACE(seq.name);
    ScriptResult result(seq.rise, seq.fall, seq.initFail);
    for (std::size_t i = 0; i < seq.steps.size(); ++i) {
      SCOPED_TRACE("step " + std::to_string(i));
      EXPECT_EQ(result.record(seq.steps[i].outcome), seq.steps[i].changed);
      EXPECT_EQ(result.status(), seq.steps[i].expected);
    }
  }
}

TEST(ScriptResultTest, StartsInInitAtRiseMinusOne) {
  ScriptResult result(3, 2, false);
  EXPECT_EQ(result.status(), Init);
  EXPECT_EQ(result.counter(), 2U);
}

TEST(ScriptResultTest, InitFailStartsBadAtZero) {
  ScriptResult result(3, 2, true);
  EXPECT_EQ(result.status(), Bad);
  EXPECT_EQ(result.counter(), 0U);
}

TEST(ScriptResultTest, GoodJumpsToTopOfCounter) {
  ScriptResult result(3, 2, false);
  result.record(S);
  EXPECT_EQ(result.counter(), 4U);  // rise + fall - 1
  result.record(F);
  EXPECT_EQ(result.counter(), 3U);
  result.record(F);
  EXPECT_EQ(result.counter(), 0U);
}

TEST(ScriptResultTest, HugeRiseAndFallDoNotOverflow) {
  ScriptResult result(0x7fffffffU, 0x7fffffffU, false);
  EXPECT_TRUE(result.record(S));
  EXPECT_EQ(result.counter(), 2ULL * 0x7fffffffULL - 1);
  EXPECT_FALSE(result.record(F));
  EXPECT_EQ(result.status(), Good);
}

}  // namespace
}  // namespace vipd::track
