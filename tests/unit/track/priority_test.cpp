#include "vipd/track/priority.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vipd::track {
namespace {

TrackerState ifaceState(std::int32_t weight, bool up, bool reverse = false) {
  return TrackerState{TrackerKind::Interface, weight, reverse, up, 0};
}
TrackerState scriptState(std::int32_t weight, std::optional<bool> good, bool reverse = false) {
  return TrackerState{TrackerKind::Script, weight, reverse, good, 0};
}
TrackerState fileState(std::int32_t weight, std::int32_t value, bool reverse = false) {
  return TrackerState{TrackerKind::File, weight, reverse, std::nullopt, value};
}

struct Rule {
  std::string name;
  TrackerState tracker;
  std::int64_t delta;
  bool fault;
};

// One failing and one passing case per rule; expectations follow
// [SRC vrrp_track.c:process_script_update_priority, initialise_*_tracking_priorities;
//  trackers/track_file.c:update_track_file_status].
const std::vector<Rule> kRules = {
    {"interface weight 0 down faults", ifaceState(0, false), 0, true},
    {"interface weight 0 up is fine", ifaceState(0, true), 0, false},
    {"interface weight 0 reverse up faults", ifaceState(0, true, true), 0, true},
    {"interface weight 0 reverse down is fine", ifaceState(0, false, true), 0, false},
    {"interface +10 up adds", ifaceState(10, true), 10, false},
    {"interface +10 down adds nothing", ifaceState(10, false), 0, false},
    {"interface -10 down subtracts", ifaceState(-10, false), -10, false},
    {"interface -10 up subtracts nothing", ifaceState(-10, true), 0, false},
    {"interface +10 reverse up subtracts", ifaceState(10, true, true), -10, false},
    {"interface +10 reverse down adds nothing", ifaceState(10, false, true), 0, false},
    {"interface -10 reverse down adds", ifaceState(-10, false, true), 10, false},
    {"interface -10 reverse up adds nothing", ifaceState(-10, true, true), 0, false},
    {"script weight 0 bad faults", scriptState(0, false), 0, true},
    {"script weight 0 good is fine", scriptState(0, true), 0, false},
    {"script weight 0 in init holds the instance down", scriptState(0, std::nullopt), 0, true},
    {"script weight 0 reverse good faults", scriptState(0, true, true), 0, true},
    {"script weight 0 reverse bad is fine", scriptState(0, false, true), 0, false},
    {"script +20 good adds", scriptState(20, true), 20, false},
    {"script +20 bad adds nothing", scriptState(20, false), 0, false},
    {"script -20 bad subtracts", scriptState(-20, false), -20, false},
    {"script -20 good subtracts nothing", scriptState(-20, true), 0, false},
    {"script +20 reverse good subtracts", scriptState(20, true, true), -20, false},
    {"script -20 reverse bad adds", scriptState(-20, false, true), 20, false},
    {"script weighted in init adds nothing", scriptState(20, std::nullopt), 0, false},
    {"file weight 0 non-zero faults", fileState(0, 3), 0, true},
    {"file weight 0 zero is fine", fileState(0, 0), 0, false},
    {"file weight 0 reverse zero faults", fileState(0, 0, true), 0, true},
    {"file weight 0 reverse non-zero is fine", fileState(0, 3, true), 0, false},
    {"file value times weight is added", fileState(5, 4), 20, false},
    {"file negative product is subtracted", fileState(2, -30), -60, false},
    {"file reverse flips the product", fileState(5, 4, true), -20, false},
    {"file product -253 is still a priority change", fileState(1, -253), -253, false},
    {"file product -254 faults", fileState(1, -254), 0, true},
    {"file product far below faults", fileState(254, -2147483647 - 1), 0, true},
    {"file product is capped at 253", fileState(10, 100), 253, false},
};

TEST(PriorityTest, EachRuleFailingAndPassing) {
  for (const Rule& r : kRules) {
    SCOPED_TRACE(r.name);
    const Contribution c = contribution(r.tracker);
    EXPECT_EQ(c.delta, r.delta);
    EXPECT_EQ(c.fault, r.fault);
  }
}

TEST(PriorityTest, WeightsAddUpOnTheBase) {
  const std::vector<TrackerState> trackers = {ifaceState(10, true), scriptState(-30, false),
                                              fileState(2, 5)};
  EXPECT_EQ(computePriority(100, trackers), (PriorityResult{90, {}}));
}

TEST(PriorityTest, ClampedAtOne) {
  const std::vector<TrackerState> trackers = {scriptState(-253, false), ifaceState(-253, false)};
  EXPECT_EQ(computePriority(100, trackers).priority, 1);
}

TEST(PriorityTest, ClampedAt254) {
  const std::vector<TrackerState> trackers = {scriptState(253, true)};
  EXPECT_EQ(computePriority(100, trackers).priority, 254);
  EXPECT_EQ(computePriority(254, {}).priority, 254);
}

TEST(PriorityTest, OwnerIsImmuneToWeights) {
  const std::vector<TrackerState> trackers = {scriptState(-100, false), ifaceState(-50, false),
                                              fileState(1, -254)};
  EXPECT_EQ(computePriority(255, trackers), (PriorityResult{255, {}}));
}

TEST(PriorityTest, OwnerStillFaultsOnUnweightedTrackers) {
  const std::vector<TrackerState> trackers = {scriptState(-100, false), ifaceState(0, false)};
  EXPECT_EQ(computePriority(255, trackers), (PriorityResult{255, {1}}));
}

TEST(PriorityTest, FaultingTrackersAreListedInOrder) {
  const std::vector<TrackerState> trackers = {ifaceState(0, false), scriptState(10, true),
                                              fileState(0, 1)};
  const PriorityResult r = computePriority(100, trackers);
  EXPECT_EQ(r.faulting, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(r.priority, 110);  // a fault does not stop the arithmetic
}

}  // namespace
}  // namespace vipd::track
