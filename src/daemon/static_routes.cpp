#include "vipd/daemon/static_routes.h"

#include <algorithm>

#include "vipd/daemon/route_specs.h"

namespace vipd::daemon {

namespace {

template <typename Spec>
bool staticListed(const std::vector<Spec>& list, const Spec& spec) {
  return std::find(list.begin(), list.end(), spec) != list.end();
}

}  // namespace

StaticRoutes::StaticRoutes(net::RouteManager& routes, std::shared_ptr<spdlog::logger> log)
    : routes_(routes), log_(std::move(log)) {}

void StaticRoutes::apply(const std::vector<config::VirtualRoute>& routes,
                         const std::vector<config::VirtualRule>& rules) {
  auto nextRoutes = routeSpecs(routes);
  auto nextRules = ruleSpecs(rules);
  for (const auto& rule : installedRules_) {
    if (!staticListed(nextRules, rule)) remove(rule);
  }
  for (const auto& route : installedRoutes_) {
    if (!staticListed(nextRoutes, route)) remove(route);
  }
  for (const auto& route : nextRoutes) add(route);
  for (const auto& rule : nextRules) add(rule);
  installedRoutes_ = std::move(nextRoutes);
  installedRules_ = std::move(nextRules);
}

void StaticRoutes::removeAll() {
  for (const auto& rule : installedRules_) remove(rule);
  for (const auto& route : installedRoutes_) remove(route);
  installedRules_.clear();
  installedRoutes_.clear();
}

void StaticRoutes::add(const net::RouteSpec& route) {
  auto added = routes_.addRoute(route);
  if (!added) {
    refused("cannot add static route", net::describe(route), added.error());
  } else if (added.value() == net::AddOutcome::Added) {
    log_->info("added static route {}", net::describe(route));
  }
}

void StaticRoutes::add(const net::RuleSpec& rule) {
  auto added = routes_.addRule(rule);
  if (!added) {
    refused("cannot add static rule", net::describe(rule), added.error());
  } else if (added.value() == net::AddOutcome::Added) {
    log_->info("added static rule {}", net::describe(rule));
  }
}

void StaticRoutes::remove(const net::RouteSpec& route) {
  auto removed = routes_.removeRoute(route);
  if (!removed) refused("cannot remove static route", net::describe(route), removed.error());
}

void StaticRoutes::remove(const net::RuleSpec& rule) {
  auto removed = routes_.removeRule(rule);
  if (!removed) refused("cannot remove static rule", net::describe(rule), removed.error());
}

void StaticRoutes::refused(const char* what, const std::string& text,
                           const std::error_code& error) {
  ++errors_;
  const auto reason = routes_.lastKernelMessage();
  log_->error("{} {}: {}{}", what, text, error.message(),
              reason.empty() ? std::string() : " (kernel: " + reason + ")");
}

}  // namespace vipd::daemon
