#pragma once

#include <deque>
#include <string>
#include <vector>

#include "router_harness.h"
#include "vipd/core/sync_group.h"

namespace vipd::core::testing {

/// Member `index` of the sync-group tests: VRID 7 + index, otherwise the
/// default configuration (v3, 10.0.0.2, priority 100, 100 cs).
inline RouterConfig memberConfig(std::size_t index) {
  RouterConfig config = defaultConfig();
  config.vrid = static_cast<std::uint8_t>(7 + index);
  return config;
}

/// A sync group of routers plus a fake clock. Every stimulus returns the
/// group's output as text: "m1: <action>" per member action, in order, then
/// "GROUP <from>-><to>" per group transition.
class SyncHarness {
 public:
  explicit SyncHarness(std::vector<RouterConfig> configs) {
    for (const auto& config : configs) routers_.emplace_back(config);
    std::vector<Router*> members;
    for (auto& router : routers_) members.push_back(&router);
    group_.emplace(SyncGroup("G1", std::move(members)));
    generations_.resize(routers_.size());
  }
  explicit SyncHarness(std::size_t members = 2) : SyncHarness(configs(members)) {}

  SyncGroup& group() { return *group_; }
  const Router& member(std::size_t i) const { return routers_[i]; }
  void advanceTo(Duration since) { clock_.advanceTo(t(since)); }

  std::vector<std::string> startAll() {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < routers_.size(); ++i) append(lines, feed(i, Start{}));
    return lines;
  }
  std::vector<std::string> feed(std::size_t member, const Event& event) {
    return describe(group_->handle(member, event, clock_.now()));
  }
  std::vector<std::string> advert(std::size_t member, std::string_view from,
                                  std::uint8_t priority) {
    return feed(member, AdvertReceived{ip(from), priority, 100});
  }
  /// Moves the clock to the member's `timer` deadline and fires it.
  std::vector<std::string> fire(std::size_t member, TimerId timer) {
    const auto deadline = routers_[member].timerDeadline(timer);
    if (!deadline) return {"<timer not armed>"};
    clock_.advanceTo(*deadline);
    return feed(member, TimerExpired{timer, generations_[member][index(timer)]});
  }

 private:
  static std::vector<RouterConfig> configs(std::size_t members) {
    std::vector<RouterConfig> result;
    for (std::size_t i = 0; i < members; ++i) result.push_back(memberConfig(i));
    return result;
  }
  static std::size_t index(TimerId timer) { return static_cast<std::size_t>(timer); }
  static void append(std::vector<std::string>& to, const std::vector<std::string>& from) {
    to.insert(to.end(), from.begin(), from.end());
  }

  std::vector<std::string> describe(const SyncOutput& out) {
    std::vector<std::string> lines;
    for (const auto& member : out.members) {
      for (const auto& action : member.actions) {
        if (const auto* arm = std::get_if<ArmTimer>(&action)) {
          generations_[member.member][index(arm->timer)] = arm->generation;
        }
        lines.push_back("m" + std::to_string(member.member) + ": " + fakes::describe(action));
      }
    }
    for (const auto& g : out.group) {
      lines.push_back("GROUP " + std::string(toString(g.from)) + "->" +
                      std::string(toString(g.to)));
    }
    return lines;
  }

  std::deque<Router> routers_;  // stable addresses for the group
  std::optional<SyncGroup> group_;
  fakes::FakeClock clock_;
  std::vector<std::array<std::uint64_t, kTimerCount>> generations_;
};

}  // namespace vipd::core::testing
