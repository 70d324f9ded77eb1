#include "vipd/daemon/reload_plan.h"

#include <algorithm>
#include <functional>

namespace vipd::daemon {

namespace {

using config::VrrpInstance;

/// A named aspect of an instance, compared between the running and the new
/// config. Names are the keepalived keywords, so the reload log line reads
/// like the config.
struct Aspect {
  std::string_view name;
  std::function<bool(const VrrpInstance&, const VrrpInstance&)> same;
};

template <typename Get>
Aspect aspect(std::string_view name, Get get) {
  return {name, [get](const VrrpInstance& a, const VrrpInstance& b) { return get(a) == get(b); }};
}

std::vector<util::IpAddress> peerAddresses(const VrrpInstance& in) {
  std::vector<util::IpAddress> out;
  for (const auto& peer : in.unicastPeers) out.push_back(peer.address);
  std::sort(out.begin(), out.end());
  return out;
}

/// Locations say where a value was written, not what it is: a line inserted
/// above an instance must not count as a change.
template <typename T>
std::vector<T> withoutLocations(std::vector<T> items) {
  for (auto& item : items) item.where = {};
  return items;
}

config::NotifyScripts withoutLocations(config::NotifyScripts scripts) {
  for (auto* script : {&scripts.master, &scripts.backup, &scripts.fault, &scripts.stop,
                       &scripts.generic, &scripts.deleted, &scripts.masterRxLowerPri}) {
    if (*script) (*script)->where = {};
  }
  return scripts;
}

VrrpInstance withoutLocations(VrrpInstance in) {
  in.where = {};
  in.sourceWhere = {};
  in.virtualAddresses = withoutLocations(std::move(in.virtualAddresses));
  in.excludedAddresses = withoutLocations(std::move(in.excludedAddresses));
  in.unicastPeers = withoutLocations(std::move(in.unicastPeers));
  in.notify = withoutLocations(std::move(in.notify));
  in.trackInterfaces = withoutLocations(std::move(in.trackInterfaces));
  in.trackScripts = withoutLocations(std::move(in.trackScripts));
  in.trackFiles = withoutLocations(std::move(in.trackFiles));
  in.trackProcesses = withoutLocations(std::move(in.trackProcesses));
  in.virtualRoutes = withoutLocations(std::move(in.virtualRoutes));
  in.virtualRules = withoutLocations(std::move(in.virtualRules));
  return in;
}

const util::IpAddress& multicastGroup(const VrrpInstance& in, const config::GlobalDefs& global) {
  return in.family == util::Family::V4 ? global.mcastGroup4 : global.mcastGroup6;
}

/// Changing any of these changes which socket and which Router the instance
/// needs, so the instance is restarted.
std::vector<Aspect> identityAspects(const config::GlobalDefs& running,
                                    const config::GlobalDefs& next) {
  return {
      aspect("interface", [](const VrrpInstance& in) { return in.interface; }),
      aspect("virtual_router_id", [](const VrrpInstance& in) { return in.virtualRouterId; }),
      aspect("family", [](const VrrpInstance& in) { return in.family; }),
      aspect("version", [](const VrrpInstance& in) { return in.version; }),
      aspect("unicast_src_ip", [](const VrrpInstance& in) { return in.sourceAddress; }),
      aspect("unicast_peer", peerAddresses),
      aspect("unicast_ttl", [](const VrrpInstance& in) { return in.unicastTtl; }),
      aspect("use_vmac", [](const VrrpInstance& in) { return in.vmacInterface; }),
      aspect("vmac_xmit_base", [](const VrrpInstance& in) { return in.vmacXmitBase; }),
      aspect("priority 255 (address owner)",
             [](const VrrpInstance& in) { return in.priority == 255; }),
      {"vrrp_mcast_group",
       [&running, &next](const VrrpInstance& a, const VrrpInstance& b) {
         return a.isUnicast() || multicastGroup(a, running) == multicastGroup(b, next);
       }},
  };
}

/// Everything else an instance has; each can change in place.
std::vector<Aspect> settingAspects() {
  using I = const VrrpInstance&;
  return {
      aspect("state", [](I in) { return in.initialState; }),
      aspect("priority", [](I in) { return in.priority; }),
      aspect("advert_int", [](I in) { return in.advertInterval; }),
      aspect("preempt", [](I in) { return in.preempt; }),
      aspect("preempt_delay", [](I in) { return in.preemptDelay; }),
      aspect("accept", [](I in) { return in.accept; }),
      aspect("authentication", [](I in) { return in.authentication; }),
      aspect("virtual_ipaddress", [](I in) { return withoutLocations(in.virtualAddresses); }),
      aspect("virtual_ipaddress_excluded",
             [](I in) { return withoutLocations(in.excludedAddresses); }),
      // A running master swaps the routes and rules that differ (Instance::reconfigure).
      aspect("virtual_routes", [](I in) { return withoutLocations(in.virtualRoutes); }),
      aspect("virtual_rules", [](I in) { return withoutLocations(in.virtualRules); }),
      aspect("unicast_peer ttl limits", [](I in) { return withoutLocations(in.unicastPeers); }),
      aspect("check_unicast_src", [](I in) { return in.checkUnicastSrc; }),
      aspect("garp_master_delay", [](I in) { return in.garpMasterDelay; }),
      aspect("garp_master_repeat", [](I in) { return in.garpMasterRepeat; }),
      aspect("garp_master_refresh", [](I in) { return in.garpMasterRefresh; }),
      aspect("garp_master_refresh_repeat", [](I in) { return in.garpMasterRefreshRepeat; }),
      aspect("garp_lower_prio_delay", [](I in) { return in.garpLowerPrioDelay; }),
      aspect("garp_lower_prio_repeat", [](I in) { return in.garpLowerPrioRepeat; }),
      aspect("down_timer_adverts", [](I in) { return in.downTimerAdverts; }),
      aspect("lower_prio_no_advert", [](I in) { return in.lowerPrioNoAdvert; }),
      aspect("higher_prio_send_advert", [](I in) { return in.higherPrioSendAdvert; }),
      aspect("skip_check_adv_addr", [](I in) { return in.skipCheckAdvAddr; }),
      aspect("v3_checksum_as_v2", [](I in) { return in.v3ChecksumAsV2; }),
      aspect("v3_checksum_follow_peers", [](I in) { return in.v3ChecksumFollowPeers; }),
      aspect("old_unicast_checksum", [](I in) { return in.oldUnicastChecksum; }),
      aspect("strict_mode", [](I in) { return in.strictMode; }),
      aspect("dont_track_primary", [](I in) { return in.dontTrackPrimary; }),
      aspect("notify", [](I in) { return withoutLocations(in.notify); }),
      aspect("track_interface", [](I in) { return withoutLocations(in.trackInterfaces); }),
      aspect("track_script", [](I in) { return withoutLocations(in.trackScripts); }),
      aspect("track_file", [](I in) { return withoutLocations(in.trackFiles); }),
      aspect("track_process", [](I in) { return withoutLocations(in.trackProcesses); }),
  };
}

/// Names of the aspects that differ, comma-separated ("" when none do).
std::string differing(const std::vector<Aspect>& aspects, const VrrpInstance& a,
                      const VrrpInstance& b) {
  std::string out;
  for (const auto& candidate : aspects) {
    if (candidate.same(a, b)) continue;
    if (!out.empty()) out += ", ";
    out += candidate.name;
  }
  return out;
}

const VrrpInstance* findByName(const config::Config& config, const std::string& name) {
  for (const auto& in : config.instances) {
    if (in.name == name) return &in;
  }
  return nullptr;
}

bool sameVirtualRouter(const VrrpInstance& a, const VrrpInstance& b) {
  return a.interface == b.interface && a.virtualRouterId == b.virtualRouterId &&
         a.family == b.family;
}

// The counterpart of `before` in the new config: same name, or (renamed) an
// instance of the same virtual router whose name is new.
const VrrpInstance* counterpart(const VrrpInstance& before, const config::Config& running,
                                const config::Config& next) {
  if (const auto* same = findByName(next, before.name)) return same;
  for (const auto& after : next.instances) {
    if (findByName(running, after.name) == nullptr && sameVirtualRouter(before, after)) {
      return &after;
    }
  }
  return nullptr;
}

}  // namespace

std::string_view toString(InstanceChange change) {
  switch (change) {
    case InstanceChange::Unchanged:
      return "unchanged";
    case InstanceChange::Updated:
      return "updated";
    case InstanceChange::Restarted:
      return "restarted";
    case InstanceChange::Removed:
      return "removed";
    case InstanceChange::Added:
      return "added";
  }
  return "?";
}

std::vector<PlannedChange> planReload(const config::Config& running, const config::Config& next) {
  const auto identity = identityAspects(running.global, next.global);
  const auto settings = settingAspects();
  std::vector<PlannedChange> plan;
  std::vector<const VrrpInstance*> matched;
  for (const auto& before : running.instances) {
    const VrrpInstance* after = counterpart(before, running, next);
    PlannedChange change{before.name, {}, InstanceChange::Unchanged, {}};
    if (after == nullptr) {
      change.change = InstanceChange::Removed;
      plan.push_back(std::move(change));
      continue;
    }
    matched.push_back(after);
    if (after->name != before.name) change.renamedTo = after->name;
    if (auto why = differing(identity, before, *after); !why.empty()) {
      change = {before.name, change.renamedTo, InstanceChange::Restarted, std::move(why)};
    } else if (auto what = differing(settings, before, *after); !what.empty()) {
      change = {before.name, change.renamedTo, InstanceChange::Updated, std::move(what)};
    } else if (!change.renamedTo.empty()) {
      change.change = InstanceChange::Updated;
      change.detail = "name";
    } else if (withoutLocations(before) != withoutLocations(*after)) {
      // A setting no aspect names yet: still a change, never silently dropped.
      change = {before.name, {}, InstanceChange::Updated, "other settings"};
    }
    plan.push_back(std::move(change));
  }
  for (const auto& after : next.instances) {
    if (std::find(matched.begin(), matched.end(), &after) == matched.end()) {
      plan.push_back({after.name, {}, InstanceChange::Added, {}});
    }
  }
  return plan;
}

}  // namespace vipd::daemon
