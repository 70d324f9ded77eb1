#pragma once

#include <memory>
#include <string>

#include "vipd/net/address_manager.h"
#include "vipd/net/netlink_request_socket.h"
#include "vipd/net/route_types.h"

struct nl_sock;

namespace vipd::net {

/// Installs and removes routes and policy rules: the side effects of
/// virtual_routes / virtual_rules / static_routes / static_rules. The daemon
/// holds one by reference; NetlinkRouteManager talks to the kernel.
///
/// Idempotent like AddressManager: adding what is there already is success
/// (AlreadyPresent), removing what is not there is success (WasAbsent). A
/// refusal carries the kernel's errno (std::system_category()); its
/// extended-ack text is in lastKernelMessage().
///
/// NOTE: not thread-safe; use it from the event-loop thread. Calls are
/// synchronous (a netlink request and its ack).
class RouteManager {
 public:
  virtual ~RouteManager() = default;

  virtual NetlinkResult<AddOutcome> addRoute(const RouteSpec& route) = 0;
  virtual NetlinkResult<RemoveOutcome> removeRoute(const RouteSpec& route) = 0;
  virtual NetlinkResult<AddOutcome> addRule(const RuleSpec& rule) = 0;
  virtual NetlinkResult<RemoveOutcome> removeRule(const RuleSpec& rule) = 0;
  /// The kernel's text for the last refused request ("" if none).
  virtual std::string lastKernelMessage() const = 0;
};

/// RouteManager on rtnetlink through libnl-route-3 (rtnl_route_add /
/// rtnl_route_delete, rtnl_rule_add / rtnl_rule_delete). Adds send
/// NLM_F_CREATE | NLM_F_EXCL so that EEXIST tells an existing entry from a
/// new one; a route with `device` resolves it with if_nametoindex(3) first.
///
/// NOTE: owns one NETLINK_ROUTE socket (no multicast groups), bound to the
/// network namespace of the thread that constructs it; neither copyable nor
/// movable (libnl's error callback points at this object).
class NetlinkRouteManager final : public RouteManager {
 public:
  /// Opens and connects the socket; throws std::system_error (start-up only).
  NetlinkRouteManager();
  ~NetlinkRouteManager() override;
  NetlinkRouteManager(const NetlinkRouteManager&) = delete;
  NetlinkRouteManager& operator=(const NetlinkRouteManager&) = delete;

  NetlinkResult<AddOutcome> addRoute(const RouteSpec& route) override;
  NetlinkResult<RemoveOutcome> removeRoute(const RouteSpec& route) override;
  NetlinkResult<AddOutcome> addRule(const RuleSpec& rule) override;
  NetlinkResult<RemoveOutcome> removeRule(const RuleSpec& rule) override;
  std::string lastKernelMessage() const override { return socket_.kernelMessage(); }

 private:
  NetlinkRequestSocket socket_{"route manager"};
};

}  // namespace vipd::net
