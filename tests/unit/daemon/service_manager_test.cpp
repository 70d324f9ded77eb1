#include "vipd/daemon/service_manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_scheduler.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using core::State;
using ::testing::ElementsAre;

TEST(StatusLineTest, CountsStatesMasterFirstAndLeavesOutZeros) {
  EXPECT_EQ(statusLine({State::Backup, State::Master}), "2 instances: 1 MASTER, 1 BACKUP");
  EXPECT_EQ(statusLine({State::Fault, State::Initialize, State::Fault}),
            "3 instances: 2 FAULT, 1 INIT");
  EXPECT_EQ(statusLine({State::Master}), "1 instance: 1 MASTER");
  EXPECT_EQ(statusLine({}), "0 instances");
}

class ServiceManagerTest : public ::testing::Test {
 protected:
  ServiceManager make(std::optional<std::chrono::microseconds> watchdog) {
    return ServiceManager(
        scheduler_, [this](const std::string& m) { sent_.push_back(m); },
        [this] { return states_; }, watchdog);
  }

  fakes::FakeScheduler scheduler_;
  std::vector<std::string> sent_;
  std::vector<State> states_{State::Backup, State::Backup};
};

TEST_F(ServiceManagerTest, ReadyCarriesTheStatusAndChangesAreSentOnce) {
  auto service = make(std::nullopt);
  service.ready();
  EXPECT_THAT(sent_, ElementsAre("READY=1\nSTATUS=2 instances: 2 BACKUP"));
  scheduler_.advance(ServiceManager::kStatusRefresh);
  EXPECT_EQ(sent_.size(), 1u) << "nothing changed, nothing sent";
  states_[0] = State::Master;
  scheduler_.advance(ServiceManager::kStatusRefresh);
  scheduler_.advance(ServiceManager::kStatusRefresh);
  EXPECT_THAT(sent_, ElementsAre("READY=1\nSTATUS=2 instances: 2 BACKUP",
                                 "STATUS=2 instances: 1 MASTER, 1 BACKUP"));
}

// WatchdogSec=4s: fed every 1 s (half would be 2 s; the status refresh is
// the shorter period), from a loop timer, through the stop too.
TEST_F(ServiceManagerTest, WatchdogIsFedFromTheLoopUntilTheEnd) {
  auto service = make(std::chrono::microseconds(4s));
  service.ready();
  scheduler_.advance(1s);
  service.stopping();
  scheduler_.advance(1s);
  EXPECT_THAT(sent_, ElementsAre("READY=1\nSTATUS=2 instances: 2 BACKUP", "WATCHDOG=1",
                                 "STOPPING=1\nSTATUS=stopping", "WATCHDOG=1"));
}

TEST_F(ServiceManagerTest, ShortWatchdogIsFedAtHalfItsInterval) {
  auto service = make(std::chrono::microseconds(400ms));
  service.ready();
  scheduler_.advance(199ms);
  EXPECT_EQ(sent_.size(), 1u);
  scheduler_.advance(1ms);
  EXPECT_EQ(sent_.back(), "WATCHDOG=1");
}

TEST_F(ServiceManagerTest, ReloadIsBracketedByReloadingAndReady) {
  auto service = make(std::nullopt);
  service.ready();
  service.reloading();
  service.ready();
  EXPECT_THAT(sent_,
              ElementsAre("READY=1\nSTATUS=2 instances: 2 BACKUP", "RELOADING=1\nSTATUS=reloading",
                          "READY=1\nSTATUS=2 instances: 2 BACKUP"));
}

}  // namespace
}  // namespace vipd::daemon
