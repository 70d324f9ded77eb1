#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/action_text.h"
#include "fakes/fake_clock.h"
#include "vipd/core/router.h"

namespace vipd::core::testing {

using namespace std::chrono_literals;
using fakes::describe;

inline util::IpAddress ip(std::string_view text) { return *util::IpAddress::parse(text); }

/// t(3600ms): a time point that many after the fake clock's epoch.
inline TimePoint t(Duration since) { return fakes::FakeClock::epoch() + since; }

/// The configuration most tests start from: v3, 10.0.0.2, priority 100,
/// advert interval 100 cs, so Master_Down_Interval = 300 + 60 = 360 cs.
inline RouterConfig defaultConfig() {
  RouterConfig config;
  config.vrid = 7;
  config.version = Version::V3;
  config.primaryAddress = ip("10.0.0.2");
  config.priority = 100;
  config.advertInterval = Centiseconds{100};
  return config;
}

/// A router plus a fake clock; every stimulus returns the actions as text
/// (fakes::describe), so expectations read like a specification.
class RouterHarness {
 public:
  explicit RouterHarness(const RouterConfig& config = defaultConfig()) : router_(config) {}

  Router& router() { return router_; }
  fakes::FakeClock& clock() { return clock_; }
  TimePoint now() const { return clock_.now(); }
  void advanceTo(Duration since) { clock_.advanceTo(t(since)); }

  std::vector<std::string> start() { return feed(Start{}); }
  std::vector<std::string> shutdown() { return feed(Shutdown{}); }
  std::vector<std::string> advert(std::string_view from, std::uint8_t priority,
                                  std::uint16_t intervalCs = 100) {
    return feed(AdvertReceived{ip(from), priority, intervalCs});
  }
  std::vector<std::string> setPriority(std::uint8_t priority) {
    return feed(PriorityChanged{priority});
  }
  std::vector<std::string> raiseFault(FaultId id) { return feed(FaultRaised{id}); }
  std::vector<std::string> clearFault(FaultId id) { return feed(FaultCleared{id}); }
  std::vector<std::string> maintenance(bool on) { return feed(Maintenance{on}); }

  /// Moves the clock to `timer`'s deadline and fires it (it must be armed).
  std::vector<std::string> fire(TimerId timer) {
    const auto deadline = router_.timerDeadline(timer);
    if (!deadline) return {"<timer not armed>"};
    clock_.advanceTo(*deadline);
    return describe(router_.handle(TimerExpired{timer, generation(timer)}, clock_.now()));
  }

  /// The generation of the last ArmTimer for `timer` seen by this harness.
  std::uint64_t generation(TimerId timer) const {
    return generations_[static_cast<std::size_t>(timer)];
  }

  /// Feeds a raw event and returns the raw actions.
  Actions handle(const Event& event) {
    Actions actions = router_.handle(event, clock_.now());
    remember(actions);
    return actions;
  }

 private:
  std::vector<std::string> feed(const Event& event) { return describe(handle(event)); }
  std::vector<std::string> describe(const Actions& actions) {
    remember(actions);
    return fakes::describe(actions);
  }
  void remember(const Actions& actions) {
    for (const auto& action : actions) {
      if (const auto* arm = std::get_if<ArmTimer>(&action)) {
        generations_[static_cast<std::size_t>(arm->timer)] = arm->generation;
      }
    }
  }

  Router router_;
  fakes::FakeClock clock_;
  std::array<std::uint64_t, kTimerCount> generations_{};
};

}  // namespace vipd::core::testing
