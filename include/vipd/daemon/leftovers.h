#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/daemon/install_ledger.h"
#include "vipd/net/address_manager.h"
#include "vipd/net/route_manager.h"
#include "vipd/net/vmac.h"

namespace spdlog {
class logger;
}

/// Removing what a previous run left behind: at start, what the state file
/// records; for `vipd --cleanup`, that and what the configuration installs.
namespace vipd::daemon {

/// The kernel side of a cleanup. The real managers, not the recording ones:
/// the cleanup decides itself what the ledger keeps.
struct CleanupDeps {
  net::AddressManager& addresses;
  net::RouteManager& routes;
  net::VmacKernel& vmacs;
  spdlog::logger& log;
};

/// What removeLeftovers() did.
struct CleanupReport {
  /// Items that were present and are gone now.
  std::size_t removed = 0;
  /// Items still present because the kernel refused to remove them (each
  /// logged at error with its reason).
  std::vector<InstalledItem> failed;
};

/// Removes every item of `items` that is still present, in the reverse of
/// the order vipd installs them (rules, routes, addresses, then macvlans),
/// then puts the recorded sysctls back, logging each at info: "removing
/// 192.0.2.100/24 on eth0 left by a previous run (state file)", `origin` in
/// the parentheses. An address is removed only while its ifindex still is the
/// interface of the recorded name, a macvlan only while it still is a macvlan
/// of that name on the recorded parent with the recorded MAC, a sysctl reset
/// only while it holds the value vipd wrote; anything else is someone else's
/// and is left alone (logged). Items for which `keep` is true are left in
/// place (at start: the VMACs the new configuration reuses).
CleanupReport removeLeftovers(const std::vector<InstalledItem>& items, const CleanupDeps& deps,
                              std::string_view origin,
                              const std::function<bool(const InstalledItem&)>& keep = {});

/// What `config` would install on this host, as ledger items: each
/// instance's VIPs and eVIPs (on its interface, its VMAC, or the VIP's
/// `dev`), virtual_routes, virtual_rules and use_vmac macvlan, then the
/// static addresses, static_routes and static_rules. Whatever sits on an
/// interface that does not exist is left out: it cannot be present.
std::vector<InstalledItem> configuredItems(const config::Config& config,
                                           net::AddressManager& links);

/// What a start with `config` keeps of a previous run's records, because it
/// installs it again at once: its use_vmac macvlans as they are (reused, as
/// keepalived reuses them) and its static addresses, routes and rules
/// (adopted, as keepalived does: removing a static IPv4 primary address
/// would also take the secondaries of its subnet). Everything else goes, the
/// configured VIPs included: a starting instance is not master.
std::function<bool(const InstalledItem&)> keptAtStart(const config::Config& config,
                                                      net::AddressManager& links);

}  // namespace vipd::daemon
