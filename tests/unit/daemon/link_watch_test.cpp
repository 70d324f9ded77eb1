#include "vipd/daemon/link_watch.h"

#include <gtest/gtest.h>

#include "fakes/fake_scheduler.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;

class LinkWatchTest : public ::testing::Test {
 protected:
  void make(std::vector<config::InterfaceDelays> delays = {}) {
    watch_ = std::make_unique<LinkWatch>(delays, clock_, [this](const std::string& name, bool up) {
      changes_.push_back(name + (up ? " up" : " down"));
    });
    watch_->setInitial(2, "eth0", true);
    watch_->setInitial(3, "eth1", true);
  }

  fakes::FakeScheduler clock_;
  std::unique_ptr<LinkWatch> watch_;
  std::vector<std::string> changes_;
};

TEST_F(LinkWatchTest, WithoutDelaysChangesPassAtOnceAndInitialStatesAreSilent) {
  make();
  EXPECT_TRUE(changes_.empty());
  watch_->onLink(2, "eth0", false);
  watch_->onLink(2, "eth0", false);
  watch_->onLink(2, "eth0", true);
  EXPECT_EQ(changes_, (std::vector<std::string>{"eth0 down", "eth0 up"}));
}

TEST_F(LinkWatchTest, InterfaceUpDownDelaysAbsorbAShortFlapAndApplyALongOne) {
  make({config::InterfaceDelays{"eth0", 2s, 1s, {}}});
  watch_->onLink(2, "eth0", false);
  clock_.advance(1500ms);
  watch_->onLink(2, "eth0", true);  // back before the 2 s down delay
  clock_.advance(5s);
  EXPECT_TRUE(changes_.empty()) << "a 1.5 s flap is absorbed";
  watch_->onLink(2, "eth0", false);
  clock_.advance(1999ms);
  EXPECT_TRUE(changes_.empty());
  clock_.advance(1ms);
  EXPECT_EQ(changes_, std::vector<std::string>{"eth0 down"});
  EXPECT_FALSE(watch_->effectiveUp("eth0"));
}

TEST_F(LinkWatchTest, ARemovedLinkIsDownByItsLastNameAndUnwatchedLinksAreIgnored) {
  make();
  watch_->onLinkRemoved(3);
  watch_->onLink(9, "dummy0", false);
  watch_->onLinkRemoved(9);
  EXPECT_EQ(changes_, std::vector<std::string>{"eth1 down"});
}

}  // namespace
}  // namespace vipd::daemon
