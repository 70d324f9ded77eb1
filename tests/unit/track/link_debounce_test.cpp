#include "vipd/track/link_debounce.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "fakes/fake_scheduler.h"

namespace vipd::track {
namespace {

using namespace std::chrono_literals;

/// The daemon's glue, in miniature: reports go through LinkStates, one timer
/// is kept armed at its next deadline, and effective changes are collected.
class LinkHarness {
 public:
  explicit LinkHarness(std::vector<config::InterfaceDelays> delays) : links_(delays) {}

  void report(const std::string& name, bool up) {
    if (auto change = links_.report(name, up, scheduler_.now())) changes_.push_back(*change);
    rearm();
  }
  fakes::FakeScheduler& scheduler() { return scheduler_; }
  LinkStates& links() { return links_; }
  const std::vector<LinkChange>& changes() const { return changes_; }

 private:
  void rearm() {
    if (timer_) scheduler_.cancelTimer(*timer_);
    timer_.reset();
    if (const auto deadline = links_.nextDeadline()) {
      timer_ = scheduler_.armTimer(*deadline, [this] {
        timer_.reset();
        for (auto& change : links_.expire(scheduler_.now())) changes_.push_back(change);
        rearm();
      });
    }
  }

  fakes::FakeScheduler scheduler_;
  LinkStates links_;
  std::vector<LinkChange> changes_;
  std::optional<daemon::Scheduler::TimerId> timer_;
};

config::InterfaceDelays delays(std::string name, core::Duration down, core::Duration up) {
  return config::InterfaceDelays{std::move(name), down, up, {}};
}

TEST(LinkDebounceTest, DownShorterThanDelayIsAbsorbed) {
  LinkHarness h({delays("eth0", 3s, 0s)});
  h.report("eth0", false);
  h.scheduler().advance(2s);
  h.report("eth0", true);
  h.scheduler().advance(10s);
  EXPECT_TRUE(h.changes().empty());
  EXPECT_TRUE(h.links().effectiveUp("eth0"));
  EXPECT_EQ(h.scheduler().pending(), 0U);
}

TEST(LinkDebounceTest, SustainedDownIsAppliedAfterTheDelay) {
  LinkHarness h({delays("eth0", 3s, 0s)});
  h.report("eth0", false);
  h.scheduler().advance(2999ms);
  EXPECT_TRUE(h.changes().empty());
  h.scheduler().advance(1ms);
  EXPECT_EQ(h.changes(), (std::vector<LinkChange>{{"eth0", false}}));
  EXPECT_FALSE(h.links().effectiveUp("eth0"));
}

TEST(LinkDebounceTest, UpUsesTheUpDelay) {
  LinkHarness h({delays("eth0", 0s, 5s)});
  h.report("eth0", false);  // no down delay: at once
  EXPECT_EQ(h.changes(), (std::vector<LinkChange>{{"eth0", false}}));
  h.report("eth0", true);
  h.scheduler().advance(4s);
  EXPECT_EQ(h.changes().size(), 1U);
  h.scheduler().advance(1s);
  EXPECT_EQ(h.changes(), (std::vector<LinkChange>{{"eth0", false}, {"eth0", true}}));
}

TEST(LinkDebounceTest, RepeatedReportKeepsTheFirstDeadline) {
  LinkHarness h({delays("eth0", 3s, 0s)});
  h.report("eth0", false);
  h.scheduler().advance(2s);
  h.report("eth0", false);  // netlink repeats the state
  h.scheduler().advance(1s);
  EXPECT_EQ(h.changes(), (std::vector<LinkChange>{{"eth0", false}}));
}

TEST(LinkDebounceTest, FlapRestartsTheDelayFromTheLastChange) {
  LinkHarness h({delays("eth0", 3s, 0s)});
  h.report("eth0", false);
  h.scheduler().advance(2s);
  h.report("eth0", true);
  h.scheduler().advance(1s);
  h.report("eth0", false);
  h.scheduler().advance(2s);  // 5 s after the first down, 2 s after the last
  EXPECT_TRUE(h.changes().empty());
  h.scheduler().advance(1s);
  EXPECT_EQ(h.changes(), (std::vector<LinkChange>{{"eth0", false}}));
}

TEST(LinkDebounceTest, InterfaceWithoutDelaysChangesAtOnce) {
  LinkHarness h({delays("eth0", 3s, 3s)});
  h.report("eth1", false);
  EXPECT_EQ(h.changes(), (std::vector<LinkChange>{{"eth1", false}}));
  EXPECT_EQ(h.scheduler().pending(), 0U);
}

TEST(LinkDebounceTest, InterfacesDebounceIndependently) {
  LinkHarness h({delays("eth0", 3s, 0s), delays("eth1", 1s, 0s)});
  h.report("eth0", false);
  h.report("eth1", false);
  h.scheduler().advance(1s);
  EXPECT_EQ(h.changes(), (std::vector<LinkChange>{{"eth1", false}}));
  h.scheduler().advance(2s);
  EXPECT_EQ(h.changes(), (std::vector<LinkChange>{{"eth1", false}, {"eth0", false}}));
}

TEST(LinkDebounceTest, InitialStateIsTakenWithoutDelay) {
  LinkHarness h({delays("eth0", 3s, 3s)});
  h.links().setInitial("eth0", false);
  EXPECT_FALSE(h.links().effectiveUp("eth0"));
  EXPECT_FALSE(h.links().nextDeadline());
}

TEST(LinkDebouncerTest, ExpireBeforeDeadlineDoesNothing) {
  const core::TimePoint t0{};
  LinkDebouncer link(3s, 0s);
  EXPECT_FALSE(link.report(false, t0));
  EXPECT_EQ(link.deadline(), t0 + 3s);
  EXPECT_FALSE(link.expire(t0 + 2s));
  EXPECT_EQ(link.expire(t0 + 3s), false);
  EXPECT_FALSE(link.expire(t0 + 4s));  // once only
}

}  // namespace
}  // namespace vipd::track
