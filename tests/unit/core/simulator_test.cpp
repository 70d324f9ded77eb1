// Properties of the VRRP state machine over many seeded simulator runs.
//
// Environment:
//   VIPD_SIM_RUNS=N    runs per property (default 1000)
//   VIPD_SIM_SEED=S    run only seed S (each property test uses it)
//   VIPD_SIM_TRACE=1   with VIPD_SIM_SEED: print every event and action
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include "sim_properties.h"

namespace vipd::core::sim {
namespace {

constexpr std::uint64_t kDefaultRuns = 1000;
constexpr int kMaxReportedFailures = 3;

std::optional<std::uint64_t> envNumber(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return std::nullopt;
  return std::strtoull(text, nullptr, 10);
}

using RunFn = RunResult (*)(std::uint64_t seed, std::ostream* trace);

// Runs `run` over seeds seedBase, seedBase + 1, … and reports the first few
// failures with their seed. Also requires that enough runs reached the case
// the property is about, so a passing property is not a vacuous one.
void checkProperty(const char* name, std::uint64_t seedBase, RunFn run,
                   std::uint64_t minExercisedPercent) {
  const std::optional<std::uint64_t> onlySeed = envNumber("VIPD_SIM_SEED");
  const std::uint64_t runs = onlySeed ? 1 : envNumber("VIPD_SIM_RUNS").value_or(kDefaultRuns);
  std::ostream* trace = onlySeed && envNumber("VIPD_SIM_TRACE").value_or(0) ? &std::cerr : nullptr;

  const auto began = std::chrono::steady_clock::now();
  std::uint64_t exercised = 0, events = 0;
  int failures = 0;
  for (std::uint64_t i = 0; i < runs && failures < kMaxReportedFailures; ++i) {
    const std::uint64_t seed = onlySeed ? *onlySeed : seedBase + i;
    const RunResult result = run(seed, trace);
    exercised += result.exercised ? 1 : 0;
    events += result.events;
    if (result.failure) {
      ++failures;
      ADD_FAILURE() << name << " failed for seed " << seed << ": " << *result.failure
                    << "\n  rerun: VIPD_SIM_SEED=" << seed << " VIPD_SIM_TRACE=1 "
                    << "core_simulator_test --gtest_filter='*" << name << "*'";
    }
  }
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::cout << name << ": " << runs << " runs, " << exercised << " exercised, " << events
            << " events, " << seconds << " s\n";
  if (!onlySeed && failures == 0) {
    EXPECT_GE(exercised * 100, runs * minExercisedPercent)
        << name << ": too few runs reached the interesting case";
  }
}

TEST(SimulatorTest, ExactlyOneMasterPerVridOnceTheNetworkIsQuiet) {
  checkProperty("ExactlyOneMasterPerVridOnceTheNetworkIsQuiet", 1'000'000, &runOneMasterWhenQuiet,
                20);
}

TEST(SimulatorTest, HighestPriorityReachableRouterIsMasterWithPreemption) {
  checkProperty("HighestPriorityReachableRouterIsMasterWithPreemption", 2'000'000,
                &runHighestPriorityWins, 20);
}

TEST(SimulatorTest, GracefulShutdownHandsOverWithinSkewTimePlusOneInterval) {
  checkProperty("GracefulShutdownHandsOverWithinSkewTimePlusOneInterval", 3'000'000,
                &runGracefulHandover, 90);
}

TEST(SimulatorTest, NoRouterIsMasterWhileFaulted) {
  checkProperty("NoRouterIsMasterWhileFaulted", 4'000'000, &runFaultedNeverMaster, 20);
}

TEST(SimulatorTest, SyncGroupMembersAgreeAndEachVridHasOneMasterOnceQuiet) {
  checkProperty("SyncGroupMembersAgreeAndEachVridHasOneMasterOnceQuiet", 5'000'000,
                &runSyncGroupsAgree, 20);
}

}  // namespace
}  // namespace vipd::core::sim
