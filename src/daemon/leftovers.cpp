// Removing what a previous run left behind; see leftovers.h.
#include "vipd/daemon/leftovers.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "vipd/daemon/instance_settings.h"
#include "vipd/daemon/route_specs.h"
#include "vipd/daemon/static_addresses.h"
#include "vipd/net/garp.h"

namespace vipd::daemon {

namespace {

/// Removes one item if present; counts it in `report`.
class Remover {
 public:
  Remover(const CleanupDeps& deps, std::string_view origin, CleanupReport& report)
      : deps_(deps), origin_(origin), report_(report) {}

  void remove(const net::RuleSpec& rule) { removed(rule, deps_.routes.removeRule(rule)); }
  void remove(const net::RouteSpec& route) { removed(route, deps_.routes.removeRoute(route)); }

  void remove(const InstalledAddress& a) {
    if (!stillNamed(a.ifindex, a.interface, a)) return;
    auto present = deps_.addresses.contains(kernelAddress(a));
    if (!present) return failed(a, present.error());
    if (!present.value()) return;
    announce(a);
    if (auto gone = deps_.addresses.remove(kernelAddress(a)); !gone) return failed(a, gone.error());
    ++report_.removed;
  }

  void remove(const InstalledMacvlan& m) {
    auto link = deps_.vmacs.find(m.name);
    if (!link) return failed(m, link.error());
    if (!link.value()) return;
    const net::ExistingLink& found = *link.value();
    if (!found.macvlan || found.lowerIfindex != m.parentIfindex || found.mac != m.mac) {
      deps_.log.info("leaving {} alone: {} is no longer that macvlan ({})", describe(m), m.name,
                     found.macvlan ? "other parent or MAC" : "not a macvlan");
      return;
    }
    if (!stillNamed(m.parentIfindex, m.parent, m)) return;
    announce(m);
    if (auto error = deps_.vmacs.remove(found.ifindex)) return failed(m, error);
    ++report_.removed;
  }

  void remove(const InstalledSysctl& s) {
    auto now = deps_.vmacs.readSysctl(s.setting);
    if (!now) return;  // its interface is gone
    if (now.value() != s.setting.value) {
      deps_.log.info("leaving {} alone: it is {} now, someone else's value", describe(s),
                     now.value());
      return;
    }
    deps_.log.info("resetting {} to {} left by a previous run ({})", describe(s), s.original,
                   origin_);
    net::Sysctl original = s.setting;
    original.value = s.original;
    if (auto error = deps_.vmacs.writeSysctl(original)) return failed(s, error);
    ++report_.removed;
  }

 private:
  template <typename Spec>
  void removed(const Spec& spec, const net::NetlinkResult<net::RemoveOutcome>& outcome) {
    if (!outcome) return failed(spec, outcome.error());
    if (outcome.value() != net::RemoveOutcome::Removed) return;
    deps_.log.info("removed {} left by a previous run ({})", describe(InstalledItem(spec)),
                   origin_);
    ++report_.removed;
  }

  void announce(const InstalledItem& item) {
    deps_.log.info("removing {} left by a previous run ({})", describe(item), origin_);
  }

  // An ifindex that now has another name is not the interface we used
  // (or the file comes from another network namespace): hands off.
  bool stillNamed(int ifindex, const std::string& name, const InstalledItem& item) {
    auto link = deps_.addresses.linkByIndex(ifindex);
    if (!link) {
      // Gone, and what was on it with it; any other error is a failure to check.
      if (link.error() != std::error_code(ENODEV, std::system_category())) {
        failed(item, link.error());
      }
      return false;
    }
    if (name.empty() || link.value().name == name) return true;
    deps_.log.info("leaving {} alone: ifindex {} is now {}", describe(item), ifindex,
                   link.value().name);
    return false;
  }

  void failed(const InstalledItem& item, const std::error_code& error) {
    deps_.log.error("cannot remove {} left by a previous run ({}): {}", describe(item), origin_,
                    error.message());
    report_.failed.push_back(item);
  }

  const CleanupDeps& deps_;
  std::string_view origin_;
  CleanupReport& report_;
};

std::optional<int> ifindexOf(net::AddressManager& links, const std::string& name) {
  auto link = links.linkByName(name);
  return link ? std::optional<int>(link.value().ifindex) : std::nullopt;
}

void addAddress(std::vector<InstalledItem>& out, net::AddressManager& links,
                const config::VirtualAddress& vip, const std::string& device) {
  if (auto ifindex = ifindexOf(links, device)) {
    out.push_back(InstalledAddress{device, *ifindex, vip.address, vip.prefixLength});
  }
}

/// The use_vmac macvlan of `in`, if it has one and its interface exists.
std::optional<InstalledMacvlan> vmacOf(const config::VrrpInstance& in, net::AddressManager& links) {
  if (!in.vmacInterface || !in.interface) return std::nullopt;
  auto parent = ifindexOf(links, *in.interface);
  if (!parent) return std::nullopt;
  return InstalledMacvlan{*in.vmacInterface, *in.interface, *parent,
                          net::virtualRouterMac(in.virtualRouterId, in.family)};
}

/// static_ipaddress, static_routes and static_rules.
void addStatics(std::vector<InstalledItem>& out, const config::Config& config,
                net::AddressManager& links) {
  for (const auto& entry : config.global.staticAddresses) {
    addAddress(out, links, entry, entry.device.value_or(std::string(kDefaultStaticInterface)));
  }
  for (const auto& route : routeSpecs(config.staticRoutes)) out.emplace_back(route);
  for (const auto& rule : ruleSpecs(config.staticRules)) out.emplace_back(rule);
}

}  // namespace

CleanupReport removeLeftovers(const std::vector<InstalledItem>& items, const CleanupDeps& deps,
                              std::string_view origin,
                              const std::function<bool(const InstalledItem&)>& keep) {
  CleanupReport report;
  Remover remover(deps, origin, report);
  // Rules, routes, addresses, macvlans: what was installed last goes first;
  // then the sysctls the VMACs needed.
  auto pass = [&](auto type) {
    for (const auto& item : items) {
      const auto* entry = std::get_if<decltype(type)>(&item);
      if (entry != nullptr && !(keep && keep(item))) remover.remove(*entry);
    }
  };
  pass(net::RuleSpec{});
  pass(net::RouteSpec{});
  pass(InstalledAddress{});
  pass(InstalledMacvlan{});
  pass(InstalledSysctl{});
  return report;
}

std::vector<InstalledItem> configuredItems(const config::Config& config,
                                           net::AddressManager& links) {
  std::vector<InstalledItem> out;
  for (const auto& in : config.instances) {
    if (!in.interface) continue;
    // As resolveInstance(): a VIP goes on its `dev`, else on the VMAC, else the interface.
    const std::string& home = in.vmacInterface ? *in.vmacInterface : *in.interface;
    for (const auto* list : {&in.virtualAddresses, &in.excludedAddresses}) {
      for (const auto& vip : *list) addAddress(out, links, vip, vip.device.value_or(home));
    }
    for (const auto& route : routeSpecs(in.virtualRoutes)) out.emplace_back(route);
    for (const auto& rule : ruleSpecs(in.virtualRules)) out.emplace_back(rule);
    if (auto vmac = vmacOf(in, links)) out.emplace_back(*vmac);
  }
  addStatics(out, config, links);
  return out;
}

std::function<bool(const InstalledItem&)> keptAtStart(const config::Config& config,
                                                      net::AddressManager& links) {
  std::vector<InstalledItem> kept;
  for (const auto& in : config.instances) {
    if (auto vmac = vmacOf(in, links)) kept.emplace_back(*vmac);
  }
  addStatics(kept, config, links);
  return [kept = std::move(kept)](const InstalledItem& item) {
    return std::any_of(kept.begin(), kept.end(), [&](const InstalledItem& k) {
      // A VMAC only as it is: another parent or MAC is replaced anyway.
      return std::holds_alternative<InstalledMacvlan>(k) ? k == item : sameItem(k, item);
    });
  };
}

}  // namespace vipd::daemon
