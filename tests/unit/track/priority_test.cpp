#include "vipd/track/priority.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vipd::track {
namespace {

TrackerState iface(std::int32_t weight, bool up, bool reverse = false) {
  return TrackerState{TrackerKind::Interface, weight, reverse, up, 0};
}
TrackerState script(std::int32_t weight, std::optional<bool> good, bool reverse = false) {
  return TrackerState{TrackerKind::Script, weight, reverse, good, 0};
}
TrackerState file(std::int32_t weight, std::int32_t value, bool reverse = false) {
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
    {"interface weight 0 down faults", iface(0, false), 0, true},
    {"interface weight 0 up is fine", iface(0, true), 0, false},
    {"interface weight 0 reverse up faults", iface(0, true, true), 0, true},
    {"interface weight 0 reverse down is fine", iface(0, false, true), 0, false},
    {"interface +10 up adds", iface(10, true), 10, false},
    {"interface +10 down adds nothing", iface(10, false), 0, false},
    {"interface -10 down subtracts", iface(-10, false), -10, false},
    {"interface -10 up subtracts nothing", iface(-10, true), 0, false},
    {"interface +10 reverse up subtracts", iface(10, true, true), -10, false},
    {"interface +10 reverse down adds nothing", iface(10, false, true), 0, false},
    {"interface -10 reverse down adds", iface(-10, false, true), 10, false},
    {"interface -10 reverse up adds nothing", iface(-10, true, true), 0, false},
    {"script weight 0 bad faults", script(0, false), 0, true},
    {"script weight 0 good is fine", script(0, true), 0, false},
    {"script weight 0 in init holds the instance down", script(0, std::nullopt), 0, true},
    {"script weight 0 reverse good faults", script(0, true, true), 0, true},
    {"script weight 0 reverse bad is fine", script(0, false, true), 0, false},
    {"script +20 good adds", script(20, true), 20, false},
    {"script +20 bad adds nothing", script(20, false), 0, false},
    {"script -20 bad subtracts", script(-20, false), -20, false},
    {"script -20 good subtracts nothing", script(-20, true), 0, false},
    {"script +20 reverse good subtracts", script(20, true, true), -20, false},
    {"script -20 reverse bad adds", script(-20, false, true), 20, false},
    {"script weighted in init adds nothing", script(20, std::nullopt), 0, false},
    {"file weight 0 non-zero faults", file(0, 3), 0, true},
    {"file weight 0 zero is fine", file(0, 0), 0, false},
    {"file weight 0 reverse zero faults", file(0, 0, true), 0, true},
    {"file weight 0 reverse non-zero is fine", file(0, 3, true), 0, false},
    {"file value times weight is added", file(5, 4), 20, false},
    {"file negative product is subtracted", file(2, -30), -60, false},
    {"file reverse flips the product", file(5, 4, true), -20, false},
    {"file product -253 is still a priority change", file(1, -253), -253, false},
    {"file product -254 faults", file(1, -254), 0, true},
    {"file product far below faults", file(254, -2147483647 - 1), 0, true},
    {"file product is capped at 253", file(10, 100), 253, false},
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
  const std::vector<TrackerState> trackers = {iface(10, true), script(-30, false), file(2, 5)};
  EXPECT_EQ(computePriority(100, trackers), (PriorityResult{90, {}}));
}

TEST(PriorityTest, ClampedAtOne) {
  const std::vector<TrackerState> trackers = {script(-253, false), iface(-253, false)};
  EXPECT_EQ(computePriority(100, trackers).priority, 1);
}

TEST(PriorityTest, ClampedAt254) {
  const std::vector<TrackerState> trackers = {script(253, true)};
  EXPECT_EQ(computePriority(100, trackers).priority, 254);
  EXPECT_EQ(computePriority(254, {}).priority, 254);
}

TEST(PriorityTest, OwnerIsImmuneToWeights) {
  const std::vector<TrackerState> trackers = {script(-100, false), iface(-50, false),
                                              file(1, -254)};
  EXPECT_EQ(computePriority(255, trackers), (PriorityResult{255, {}}));
}

TEST(PriorityTest, OwnerStillFaultsOnUnweightedTrackers) {
  const std::vector<TrackerState> trackers = {script(-100, false), iface(0, false)};
  EXPECT_EQ(computePriority(255, trackers), (PriorityResult{255, {1}}));
}

TEST(PriorityTest, FaultingTrackersAreListedInOrder) {
  const std::vector<TrackerState> trackers = {iface(0, false), script(10, true), file(0, 1)};
  const PriorityResult r = computePriority(100, trackers);
  EXPECT_EQ(r.faulting, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(r.priority, 110);  // a fault does not stop the arithmetic
}

}  // namespace
}  // namespace vipd::track
