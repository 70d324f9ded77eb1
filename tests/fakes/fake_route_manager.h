#pragma once

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "vipd/net/route_manager.h"

namespace vipd::fakes {

/// An in-memory RouteManager: the "kernel" holds the routes and rules added
/// and not removed since, idempotently like NetlinkRouteManager (adding a
/// present entry is AlreadyPresent, removing a missing one WasAbsent).
///
/// Test controls: refuse() makes every add of a matching destination (route)
/// or `from` prefix (rule) fail with an errno and an extended-ack text, as the
/// kernel does for an unreachable gateway; calls() lists every call in order.
///
/// NOTE: single-threaded, like the real one.
class FakeRouteManager final : public net::RouteManager {
 public:
  enum class Op { AddRoute, RemoveRoute, AddRule, RemoveRule };

  struct Call {
    Op op;
    /// describe() of the route or rule: readable in failure messages.
    std::string what;
    std::error_code result;
  };

  net::NetlinkResult<net::AddOutcome> addRoute(const net::RouteSpec& route) override {
    if (refused(net::describe(route))) return record(Op::AddRoute, route, refusal());
    return add(Op::AddRoute, routes_, route);
  }
  net::NetlinkResult<net::RemoveOutcome> removeRoute(const net::RouteSpec& route) override {
    return remove(Op::RemoveRoute, routes_, route);
  }
  net::NetlinkResult<net::AddOutcome> addRule(const net::RuleSpec& rule) override {
    if (refused(net::describe(rule))) return record(Op::AddRule, rule, refusal());
    return add(Op::AddRule, rules_, rule);
  }
  net::NetlinkResult<net::RemoveOutcome> removeRule(const net::RuleSpec& rule) override {
    return remove(Op::RemoveRule, rules_, rule);
  }
  std::string lastKernelMessage() const override { return lastMessage_; }

  /// Adds whose describe() text contains `text` fail with `error` and `message`.
  void refuse(std::string text, int error = ENETUNREACH,
              std::string message = "Nexthop has invalid gateway") {
    refusals_.push_back({std::move(text), error, std::move(message)});
  }

  const std::vector<net::RouteSpec>& routes() const { return routes_; }
  const std::vector<net::RuleSpec>& rules() const { return rules_; }
  const std::vector<Call>& calls() const { return calls_; }
  void clearCalls() { calls_.clear(); }

  /// The operations recorded, in order (for order checks).
  std::vector<Op> ops() const {
    std::vector<Op> out;
    for (const auto& c : calls_) out.push_back(c.op);
    return out;
  }

 private:
  struct Refusal {
    std::string text;
    int error;
    std::string message;
  };

  bool refused(const std::string& what) {
    for (const auto& r : refusals_) {
      if (what.find(r.text) != std::string::npos) {
        pending_ = r;
        return true;
      }
    }
    return false;
  }

  std::error_code refusal() {
    lastMessage_ = pending_->message;
    return {pending_->error, std::system_category()};
  }

  template <typename Spec>
  std::error_code record(Op op, const Spec& spec, std::error_code result) {
    calls_.push_back({op, net::describe(spec), result});
    return result;
  }

  template <typename Spec>
  net::NetlinkResult<net::AddOutcome> add(Op op, std::vector<Spec>& table, const Spec& spec) {
    lastMessage_.clear();
    calls_.push_back({op, net::describe(spec), {}});
    if (std::find(table.begin(), table.end(), spec) != table.end()) {
      return net::AddOutcome::AlreadyPresent;
    }
    table.push_back(spec);
    return net::AddOutcome::Added;
  }

  template <typename Spec>
  net::NetlinkResult<net::RemoveOutcome> remove(Op op, std::vector<Spec>& table, const Spec& spec) {
    lastMessage_.clear();
    calls_.push_back({op, net::describe(spec), {}});
    if (std::erase(table, spec) == 0) return net::RemoveOutcome::WasAbsent;
    return net::RemoveOutcome::Removed;
  }

  std::vector<net::RouteSpec> routes_;
  std::vector<net::RuleSpec> rules_;
  std::vector<Call> calls_;
  std::vector<Refusal> refusals_;
  std::optional<Refusal> pending_;
  std::string lastMessage_;
};

}  // namespace vipd::fakes
