#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/net/route_manager.h"

namespace vipd::daemon {

/// static_routes and static_rules: installed while the daemon runs, whatever
/// the state of its instances, and removed at stop, as keepalived does
/// [SRC vrrp_daemon.c:stop_vrrp]. A reload removes the lines that went away
/// and adds the new ones; lines in both configs stay installed throughout.
///
/// A refusal is logged with the kernel's reason and counted; it never stops
/// the daemon (issue 9).
///
/// NOTE: single-threaded, on the loop's thread; holds the RouteManager by
/// reference, which must outlive it.
class StaticRoutes {
 public:
  StaticRoutes(net::RouteManager& routes, std::shared_ptr<spdlog::logger> log);

  /// Makes the installed set that of `routes` / `rules`: rules then routes
  /// that are no longer configured are removed, then routes then rules are
  /// added (idempotently: adding what is there is success, so a line someone
  /// deleted comes back).
  void apply(const std::vector<config::VirtualRoute>& routes,
             const std::vector<config::VirtualRule>& rules);
  /// Removes everything apply() installed: rules, then routes.
  void removeAll();

  /// Routes and rules the kernel refused to add or remove, since start.
  std::uint64_t errors() const { return errors_; }

 private:
  void add(const net::RouteSpec& route);
  void add(const net::RuleSpec& rule);
  void remove(const net::RouteSpec& route);
  void remove(const net::RuleSpec& rule);
  void refused(const char* what, const std::string& text, const std::error_code& error);

  net::RouteManager& routes_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<net::RouteSpec> installedRoutes_;
  std::vector<net::RuleSpec> installedRules_;
  std::uint64_t errors_ = 0;
};

}  // namespace vipd::daemon
