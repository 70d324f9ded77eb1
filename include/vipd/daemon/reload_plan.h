#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/config/model.h"

namespace vipd::daemon {

/// What a reload does to one instance, matched by name.
enum class InstanceChange : std::uint8_t {
  /// Equal to the running one (source locations aside): not touched at all.
  Unchanged,
  /// Same identity, other settings differ: updated in place, state kept.
  Updated,
  /// Identity changed (interface, VRID, family, version, advert source or
  /// destinations, owner status): stopped gracefully and started anew.
  Restarted,
  /// Gone from the new config: stops gracefully (priority 0, VIPs removed).
  Removed,
  /// New: starts in INIT like at start-up.
  Added,
};

std::string_view toString(InstanceChange change);

struct PlannedChange {
  /// The running instance's name (for Added: the new one's).
  std::string instance;
  /// The name in the new config when it was renamed; otherwise empty.
  std::string renamedTo;
  InstanceChange change = InstanceChange::Unchanged;
  /// The name in the new config (renamedTo, or else instance).
  const std::string& nextName() const { return renamedTo.empty() ? instance : renamedTo; }
  /// For Updated and Restarted: the settings that differ, e.g. "priority, virtual_ipaddress".
  std::string detail;
};

/// Compares the running configuration with a reloaded one, instance by
/// instance. Instances are matched by name; one left unmatched is then
/// matched by what keepalived matches on (interface, VRID, family), so a
/// rename alone keeps the state, as keepalived does (reference §3.5).
/// Pure: the daemon carries the plan out. Order: every instance of
/// `running` in its order, then the added ones in `next`'s order.
std::vector<PlannedChange> planReload(const config::Config& running, const config::Config& next);

}  // namespace vipd::daemon
