#include "vipd/core/router_config.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "router_harness.h"

namespace vipd::core {
namespace {

using testing::defaultConfig;
using testing::ip;

struct InvalidCase {
  const char* name;
  void (*change)(RouterConfig&);
  ConfigError error;
};

const InvalidCase kInvalid[] = {
    {"vrid 0", [](RouterConfig& c) { c.vrid = 0; }, ConfigError::VridOutOfRange},
    {"priority 0", [](RouterConfig& c) { c.priority = 0; }, ConfigError::PriorityZero},
    {"v2 with IPv6",
     [](RouterConfig& c) {
       c.version = Version::V2;
       c.primaryAddress = ip("fe80::1");
     },
     ConfigError::V2RequiresIpv4},
    {"v3 interval 0", [](RouterConfig& c) { c.advertInterval = Centiseconds{0}; },
     ConfigError::AdvertIntervalOutOfRange},
    {"v3 interval 4096", [](RouterConfig& c) { c.advertInterval = Centiseconds{4096}; },
     ConfigError::AdvertIntervalOutOfRange},
    {"v2 interval 0.5 s",
     [](RouterConfig& c) {
       c.version = Version::V2;
       c.advertInterval = Centiseconds{50};
     },
     ConfigError::AdvertIntervalOutOfRange},
    {"v2 interval 256 s",
     [](RouterConfig& c) {
       c.version = Version::V2;
       c.advertInterval = Centiseconds{25600};
     },
     ConfigError::AdvertIntervalOutOfRange},
    {"v2 interval 1.5 s",
     [](RouterConfig& c) {
       c.version = Version::V2;
       c.advertInterval = Centiseconds{150};
     },
     ConfigError::V2AdvertIntervalNotWholeSeconds},
    {"down_timer_adverts 0", [](RouterConfig& c) { c.downTimerAdverts = 0; },
     ConfigError::DownTimerAdvertsOutOfRange},
    {"down_timer_adverts 101", [](RouterConfig& c) { c.downTimerAdverts = 101; },
     ConfigError::DownTimerAdvertsOutOfRange},
    {"preempt_delay 1001 s", [](RouterConfig& c) { c.preemptDelay = std::chrono::seconds{1001}; },
     ConfigError::PreemptDelayOutOfRange},
};

TEST(RouterConfigTest, DefaultsAreValid) { EXPECT_EQ(validate(defaultConfig()), std::nullopt); }

TEST(RouterConfigTest, RejectsOutOfRangeSettings) {
  for (const auto& c : kInvalid) {
    SCOPED_TRACE(c.name);
    RouterConfig config = defaultConfig();
    c.change(config);
    EXPECT_EQ(validate(config), c.error);
    EXPECT_THROW(Router{config}, std::invalid_argument);
    EXPECT_FALSE(toString(c.error).empty());
  }
}

TEST(RouterConfigTest, AcceptsTheRangeLimits) {
  RouterConfig config = defaultConfig();
  config.advertInterval = Centiseconds{1};
  config.downTimerAdverts = 100;
  config.preemptDelay = std::chrono::seconds{1000};
  EXPECT_EQ(validate(config), std::nullopt);
  config.version = Version::V2;
  config.advertInterval = Centiseconds{25500};
  EXPECT_EQ(validate(config), std::nullopt);
}

TEST(RouterConfigTest, OwnerAlwaysPreemptsWithoutDelay) {
  RouterConfig config = defaultConfig();
  config.priority = 255;
  config.preempt = false;
  config.preemptDelay = std::chrono::seconds{5};
  const RouterConfig effective = Router{config}.config();
  EXPECT_TRUE(effective.preempt);
  EXPECT_EQ(effective.preemptDelay, Duration{0});
}

TEST(RouterConfigTest, StateMasterHintClearsNopreemptAndPreemptDelay) {
  RouterConfig config = defaultConfig();
  config.startHint = StartHint::Master;
  config.preempt = false;
  config.preemptDelay = std::chrono::seconds{5};
  const RouterConfig effective = normalized(config);
  EXPECT_TRUE(effective.preempt);
  EXPECT_EQ(effective.preemptDelay, Duration{0});
}

TEST(RouterConfigTest, BackupHintKeepsNopreemptAndPreemptDelay) {
  RouterConfig config = defaultConfig();
  config.preempt = false;
  config.preemptDelay = std::chrono::seconds{5};
  EXPECT_EQ(normalized(config), config);
}

}  // namespace
}  // namespace vipd::core
