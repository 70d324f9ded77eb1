// Defaults, derivations and cross-field checks: what keepalived does after
// parsing [SRC vrrp.c:vrrp_complete_instance, vrrp_parser.c:vrrp_end_handler].

#include <algorithm>

#include "draft.h"
#include "values.h"

namespace vipd::config::detail {

namespace {

using std::chrono::microseconds;
using std::chrono::seconds;

const char* familyName(util::Family family) { return family == util::Family::V4 ? "IPv4" : "IPv6"; }

/// Why `a` can never be the address of one VRRP router talking to another
/// (an advert source or a unicast peer), whatever the host; "" if it can be.
/// An address merely absent from the host now is the host checks' business
/// (daemon/host_check.h): it may appear later.
std::string neverARouterAddress(const util::IpAddress& a) {
  const auto b = a.bytes();
  const bool zero = std::all_of(b.begin(), b.end(), [](std::uint8_t x) { return x == 0; });
  if (a.isMulticast()) return "a multicast address";
  if (a.isV4()) {
    if (b[0] == 127) return "a loopback address";
    if (b[0] == 0) return zero ? "the unspecified address" : "in 0.0.0.0/8 (\"this network\")";
    if (std::all_of(b.begin(), b.end(), [](std::uint8_t x) { return x == 0xff; })) {
      return "the broadcast address";
    }
    return {};
  }
  if (zero) return "the unspecified address";
  if (std::all_of(b.begin(), b.end() - 1, [](std::uint8_t x) { return x == 0; }) && b[15] == 1) {
    return "the loopback address";
  }
  return {};
}

GlobalDefs completeGlobal(const GlobalDraft& draft) {
  GlobalDefs global = draft.defs;
  const auto seen = [&](std::string_view keyword) { return draft.seen.count(keyword) > 0; };
  // [SRC global_parser.c:vrrp_min_garp_handler]: one GARP, no second burst.
  if (draft.minGarp) {
    if (!seen("vrrp_garp_master_repeat")) global.garpMasterRepeat = 1;
    if (!seen("vrrp_garp_master_refresh")) global.garpMasterRefresh = seconds(0);
    if (!seen("vrrp_garp_master_refresh_repeat")) global.garpMasterRefreshRepeat = 0;
    if (!seen("vrrp_garp_master_delay")) global.garpMasterDelay = seconds(0);
  }
  if (!seen("vrrp_garp_lower_prio_delay")) global.garpLowerPrioDelay = global.garpMasterDelay;
  if (!seen("vrrp_garp_lower_prio_repeat")) global.garpLowerPrioRepeat = global.garpMasterRepeat;
  return global;
}

class InstanceBuilder {
 public:
  InstanceBuilder(const InstanceDraft& draft, const GlobalDefs& global, const Document& document,
                  Diagnostics& diagnostics)
      : d_(draft), g_(global), document_(document), diagnostics_(diagnostics) {}

  std::optional<VrrpInstance> build() {
    const std::size_t errorsBefore = diagnostics_.errorCount();
    i_.name = d_.name;
    // Assigned from a temporary: GCC 12 (-O2) warns of an uninitialized read
    // in a plain copy-assignment here.
    i_.where = SourceLocation(d_.where);
    if (d_.interface) i_.interface = d_.interface->value;
    if (d_.virtualRouterId) {
      i_.virtualRouterId = d_.virtualRouterId->value;
    } else {
      error(d_.where, "needs a virtual_router_id (1..255)");
    }
    familyAndVersion();
    addresses();
    stateAndPriority();
    authentication();
    unicast();
    preemption();
    acceptMode();
    advertInterval();
    announcements();
    tracking();
    i_.notify = d_.notify;
    i_.dontTrackPrimary = d_.dontTrackPrimary;
    virtualMac();
    if (diagnostics_.errorCount() != errorsBefore) return std::nullopt;
    return std::move(i_);
  }

 private:
  void error(const SourceLocation& where, const std::string& message) {
    diagnostics_.error(where, "vrrp_instance " + d_.name + " " + message);
  }
  void warning(const SourceLocation& where, const std::string& message) {
    diagnostics_.warning(where, "vrrp_instance " + d_.name + " " + message);
  }

  // The first VIP decides the family; without VIPs, the source address or
  // the first peer [SRC vrrp_data.c:alloc_vrrp_vip, vrrp_parser.c:vrrp_srcip_handler].
  void familyAndVersion() {
    i_.strictMode = d_.strictMode.value_or(g_.strict);
    if (!d_.virtualAddresses.empty()) {
      i_.family = d_.virtualAddresses.front().address.family();
    } else if (d_.sourceAddress) {
      i_.family = d_.sourceAddress->value.family();
    } else if (!d_.unicastPeers.empty()) {
      i_.family = d_.unicastPeers.front().address.family();
    }
    if (i_.family == util::Family::V6) {
      if (d_.version && d_.version->value == 2) {
        warning(d_.version->where, "is IPv6, for which VRRPv2 is not defined; using version 3");
      }
      i_.version = 3;
    } else {
      i_.version = d_.version ? d_.version->value : g_.vrrpVersion;
    }
  }

  void addresses() {
    for (const VirtualAddress& vip : d_.virtualAddresses) {
      if (vip.address.family() == i_.family) continue;
      error(vip.where, "is " + std::string(familyName(i_.family)) + " but virtual_ipaddress " +
                           vip.address.toString() + " is " + familyName(vip.address.family()) +
                           "; all virtual_ipaddress entries must be one family "
                           "(use virtual_ipaddress_excluded for the other)");
    }
    i_.virtualAddresses = d_.virtualAddresses;
    i_.excludedAddresses = d_.excludedAddresses;
    i_.virtualRoutes = d_.virtualRoutes;
    i_.virtualRules = d_.virtualRules;
    if (i_.virtualAddresses.empty()) {
      if (i_.version == 3 || i_.strictMode) {
        error(d_.where, std::string("needs at least one virtual_ipaddress (") +
                            (i_.strictMode ? "strict mode)" : "VRRPv3)"));
      } else {
        warning(d_.where, "has no virtual_ipaddress; at least one is sensible");
      }
    } else if (i_.family == util::Family::V6 && d_.unicastPeers.empty() &&
               !i_.virtualAddresses.front().address.isLinkLocal()) {
      const std::string message =
          "virtual_ipaddress: the first IPv6 address should be link-local (RFC 5798 §5.2.9)";
      if (i_.strictMode) {
        error(i_.virtualAddresses.front().where, message + " and must be in strict mode");
      } else {
        warning(i_.virtualAddresses.front().where, message);
      }
    }
  }

  // [SRC vrrp.c:vrrp_complete_instance] "If no priority has been set, derive
  // it from the initial state" and the reverse.
  void stateAndPriority() {
    const bool wantsMaster = d_.state && d_.state->value == InitialState::Master;
    i_.priority = d_.priority ? d_.priority->value : (wantsMaster ? 255 : 100);
    const bool owner = i_.priority == 255;
    if (!d_.state) {
      i_.initialState = owner ? InitialState::Master : InitialState::Backup;
      return;
    }
    i_.initialState = d_.state->value;
    if (i_.strictMode && wantsMaster != owner) {
      i_.initialState = owner ? InitialState::Master : InitialState::Backup;
      warning(d_.state->where, std::string("in strict mode state MASTER goes with priority 255 "
                                           "only; using state ") +
                                   (owner ? "MASTER" : "BACKUP"));
    }
  }

  void authentication() {
    if (!d_.authType && !d_.authPass) return;
    const SourceLocation where = d_.authType ? d_.authType->where : d_.authPass->where;
    if (i_.strictMode) {
      warning(where, "authentication is not allowed in strict mode; ignored");
    } else if (i_.version == 3) {
      warning(where, "authentication does not exist in VRRPv3; ignored");
    } else if (!d_.authType) {
      warning(where, "auth_pass without auth_type; ignored");
    } else if (!d_.authPass || d_.authPass->value.empty()) {
      warning(where, "authentication without auth_pass; ignored");
    } else if (i_.family == util::Family::V6 && d_.authType->value == AuthType::Ah) {
      warning(where, "AH authentication is not available with IPv6; ignored");
    } else {
      i_.authentication = Authentication{d_.authType->value, d_.authPass->value};
      const bool ownerless = i_.priority != 255;
      if (d_.authType->value == AuthType::Ah && i_.initialState == InitialState::Master &&
          ownerless) {
        warning(where,
                "state MASTER does not work with AH authentication (the AH sequence "
                "number must be learnt first); using BACKUP");
        i_.initialState = InitialState::Backup;
      }
    }
  }

  void unicast() {
    const auto& source = d_.sourceAddress;
    if (source && source->value.family() != i_.family) {
      error(source->where, "is " + std::string(familyName(i_.family)) + " but its source address " +
                               source->value.toString() + " is not");
    }
    if (source) {
      if (const auto why = neverARouterAddress(source->value); !why.empty()) {
        error(source->where, "cannot send adverts from " + source->value.toString() + ": it is " +
                                 why + ", not an address a router has on a link");
      }
      i_.sourceAddress = source->value;
      i_.sourceWhere = source->where;
    }
    unicastPeers();
    if (i_.strictMode && !d_.unicastPeers.empty()) {
      error(d_.unicastPeers.front().where, "cannot use unicast_peer in strict mode");
    }
    if (!d_.interface) {
      if (d_.unicastPeers.empty()) {
        error(d_.where, "needs an interface (only unicast instances may omit it)");
      } else if (!source) {
        error(d_.where, "needs an interface or a unicast_src_ip");
      } else if (source->value.isV6() && source->value.isLinkLocal()) {
        error(source->where, "needs an interface for the link-local unicast_src_ip");
      }
    }
    if (d_.unicastTtl && d_.unicastPeers.empty()) {
      warning(d_.unicastTtl->where, "has unicast_ttl but no unicast_peer; ignored");
    }
    if (!i_.unicastPeers.empty()) {
      if (d_.unicastTtl) {
        i_.unicastTtl = d_.unicastTtl->value;
      } else if (i_.family == util::Family::V4) {
        i_.unicastTtl = 255;
      }
    }
    // Giving min_ttl/max_ttl turns the source check on (keepalived.conf(5)).
    const auto ttlChecked = [](const UnicastPeer& p) { return p.minTtl != 0 || p.maxTtl != 255; };
    i_.checkUnicastSrc = d_.checkUnicastSrc || g_.checkUnicastSrc ||
                         std::any_of(i_.unicastPeers.begin(), i_.unicastPeers.end(), ttlChecked);
  }

  /// Peers must be of the instance's family, not the node itself, and listed once.
  void unicastPeers() {
    const auto& source = d_.sourceAddress;
    for (const UnicastPeer& peer : d_.unicastPeers) {
      const auto same = [&](const UnicastPeer& p) { return p.address == peer.address; };
      const auto never = neverARouterAddress(peer.address);
      if (peer.address.family() != i_.family) {
        error(peer.where, "is " + std::string(familyName(i_.family)) + " but unicast_peer " +
                              peer.address.toString() + " is not");
      } else if (!never.empty()) {
        error(peer.where, "has unicast_peer " + peer.address.toString() + ", which is " + never +
                              ", not another router");
      } else if (source && peer.address == source->value) {
        error(peer.where,
              "lists its own unicast_src_ip " + peer.address.toString() + " as a unicast_peer");
      } else if (std::any_of(i_.unicastPeers.begin(), i_.unicastPeers.end(), same)) {
        warning(peer.where, "lists unicast_peer " + peer.address.toString() + " twice");
      } else {
        i_.unicastPeers.push_back(peer);
      }
    }
  }

  void preemption() {
    bool nopreempt = d_.nopreempt && d_.nopreempt->value;
    microseconds delay = d_.preemptDelay ? d_.preemptDelay->value : microseconds(0);
    if (nopreempt && i_.priority == 255) {
      warning(d_.nopreempt->where, "has priority 255, which always preempts; nopreempt ignored");
      nopreempt = false;
    }
    if (i_.initialState == InitialState::Master) {
      if (nopreempt) {
        warning(d_.nopreempt->where,
                "nopreempt does not work with state MASTER; ignored "
                "(use state BACKUP on every node)");
        nopreempt = false;
      }
      if (delay.count() > 0) {
        warning(d_.preemptDelay->where, "preempt_delay does not work with state MASTER; ignored");
        delay = microseconds(0);
      }
    }
    if (delay.count() > 0 && (i_.strictMode || nopreempt)) {
      warning(d_.preemptDelay->where, std::string("preempt_delay is not allowed with ") +
                                          (i_.strictMode ? "strict mode" : "nopreempt") +
                                          "; ignored");
      delay = microseconds(0);
    }
    i_.preempt = !nopreempt;
    i_.preemptDelay = delay;
  }

  // keepalived enforces no_accept on a master that is not the address owner with firewall
  // rules that drop all traffic to the VIPs [SRC vrrp.c:vrrp_handle_accept_mode]: the VIP answers
  // no ping and no service, which surprises most users (reference §4.4, §5 item 10; GH#474,
  // GH#1373, GH#2046). vipd installs no such rules. The warning says both, so that the file
  // does what its author expects with either daemon.
  void acceptMode() {
    const bool owner = i_.priority == 255;
    i_.accept = d_.accept.value_or(owner || !i_.strictMode);
    if (i_.accept && !owner && i_.strictMode && i_.version == 2) {
      warning(d_.where, "accept mode is not allowed for VRRPv2 in strict mode (RFC 3768); ignored");
      i_.accept = false;
    }
    if (i_.accept || owner) return;
    // One text whether no_accept is written or implied, so that --dump-config (which writes it
    // out) draws the same warning.
    warning(
        d_.where,
        std::string(i_.strictMode ? "has no_accept (strict mode implies it)" : "has no_accept") +
            ": keepalived would drop all traffic to the VIPs while this node is MASTER "
            "(firewall rules, as its priority is not 255), so they would answer no ping or "
            "service; vipd installs no drop rules and the VIPs answer");
  }

  // [SRC vrrp.c:vrrp_complete_instance] "Check that the advertisement interval is valid"
  void advertInterval() {
    const microseconds configured = d_.advertInterval ? d_.advertInterval->value : seconds(1);
    const SourceLocation where = d_.advertInterval ? d_.advertInterval->where : d_.where;
    const std::int64_t us = configured.count();
    if (i_.version == 2) {
      std::int64_t whole = (us + 500'000) / 1'000'000;
      if (whole == 0) whole = 1;
      if (us % 1'000'000 != 0) {
        warning(where, "uses VRRPv2, whose advert_int is whole seconds; " +
                           formatSeconds(configured) + " rounded to " + std::to_string(whole));
      }
      i_.advertInterval = Centiseconds(whole * 100);
      return;
    }
    if (configured >= microseconds(40'960'000)) {
      error(where, "uses VRRPv3, whose advert_int is at most 40.95 seconds, got " +
                       formatSeconds(configured));
      return;
    }
    std::int64_t centis = std::clamp<std::int64_t>((us + 5'000) / 10'000, 1, 4095);
    if (us % 10'000 != 0) {
      warning(where, "uses VRRPv3, whose advert_int is in units of 10 ms; " +
                         formatSeconds(configured) + " rounded to " +
                         formatSeconds(microseconds(centis * 10'000)));
    }
    i_.advertInterval = Centiseconds(centis);
  }

  // [SRC vrrp_parser.c:vrrp_vmac_handler, vrrp_end_handler;
  // vrrp.c:vrrp_complete_instance]: the default name is PREFIX.VRID; unicast
  // needs vmac_xmit_base (keepalived sets it) and an interface.
  void virtualMac() {
    if (!d_.useVmac) {
      if (d_.vmacXmitBase) warning(*d_.vmacXmitBase, "has vmac_xmit_base but no use_vmac; ignored");
      return;
    }
    if (!d_.interface) {
      warning(*d_.useVmac, "has use_vmac but no interface to put the VMAC on; use_vmac ignored");
      return;
    }
    std::string name =
        d_.vmacName ? d_.vmacName->value : g_.vmacPrefix + "." + std::to_string(i_.virtualRouterId);
    if (name.size() >= 16) {
      error(*d_.useVmac, "VMAC interface name '" + name + "' is longer than 15 characters");
      return;
    }
    if (name == d_.interface->value) {
      error(*d_.useVmac, "VMAC interface name '" + name + "' is the instance's own interface");
      return;
    }
    i_.vmacInterface = std::move(name);
    i_.vmacXmitBase = d_.vmacXmitBase.has_value();
    if (!d_.unicastPeers.empty() && !i_.vmacXmitBase) {
      warning(*d_.useVmac, "is unicast with use_vmac, which needs vmac_xmit_base; set");
      i_.vmacXmitBase = true;
    }
  }

  /// GARP settings and the advert behaviour flags, with their strict-mode rules.
  void announcements() {
    i_.garpMasterDelay = d_.garpMasterDelay.value_or(g_.garpMasterDelay);
    i_.garpMasterRepeat = d_.garpMasterRepeat.value_or(g_.garpMasterRepeat);
    i_.garpMasterRefresh = d_.garpMasterRefresh.value_or(g_.garpMasterRefresh);
    i_.garpMasterRefreshRepeat = d_.garpMasterRefreshRepeat.value_or(g_.garpMasterRefreshRepeat);
    i_.downTimerAdverts = d_.downTimerAdverts.value_or(g_.downTimerAdverts);
    i_.skipCheckAdvAddr = d_.skipCheckAdvAddr.value_or(g_.skipCheckAdvAddr);
    i_.v3ChecksumAsV2 = d_.v3ChecksumAsV2.value_or(g_.v3ChecksumAsV2);
    i_.v3ChecksumFollowPeers = d_.v3ChecksumFollowPeers.value_or(g_.v3ChecksumFollowPeers);
    i_.oldUnicastChecksum = d_.oldUnicastChecksum;
    i_.garpLowerPrioRepeat = strictValue(d_.garpLowerPrioRepeat, g_.garpLowerPrioRepeat,
                                         std::uint32_t{0}, "garp_lower_prio_repeat 0");
    i_.garpLowerPrioDelay = strictValue(d_.garpLowerPrioDelay, g_.garpLowerPrioDelay, seconds(0),
                                        "garp_lower_prio_delay 0");
    i_.lowerPrioNoAdvert =
        strictValue(d_.lowerPrioNoAdvert, g_.lowerPrioNoAdvert, true, "lower_prio_no_advert on");
    i_.higherPrioSendAdvert = strictValue(d_.higherPrioSendAdvert, g_.higherPrioSendAdvert, false,
                                          "higher_prio_send_advert off");
  }

  /// The configured value, else the global one; strict mode forces `forced`.
  template <typename T>
  T strictValue(const std::optional<T>& configured, const T& global, const T& forced,
                const std::string& requirement) {
    if (!i_.strictMode) return configured.value_or(global);
    if (configured && *configured != forced) {
      warning(d_.where, "strict mode requires " + requirement + "; using it");
    }
    return forced;
  }

  void tracking() {
    const bool owner = i_.priority == 255;
    const auto ownerDropsWeight = [&](const TrackedObject& t, const char* kind) {
      if (!owner || !t.weight || *t.weight == 0) return false;
      warning(t.where, std::string("has priority 255, which trackers cannot change; weighted ") +
                           kind + " " + t.name + " ignored");
      return true;
    };
    for (const TrackedObject& t : d_.trackInterfaces) {
      if (d_.interface && t.name == d_.interface->value) {
        warning(t.where, "always tracks its own interface " + t.name +
                             "; track_interface entry "
                             "ignored");
      } else if (!ownerDropsWeight(t, "track_interface")) {
        i_.trackInterfaces.push_back(t);
      }
    }
    const std::string subject = "vrrp_instance " + d_.name;
    for (const TrackedObject& t :
         resolveTracked(d_.trackScripts, TrackKind::Script, document_, subject, diagnostics_)) {
      if (!ownerDropsWeight(t, "track_script")) i_.trackScripts.push_back(t);
    }
    for (TrackedObject t :
         resolveTracked(d_.trackFiles, TrackKind::File, document_, subject, diagnostics_)) {
      if (!ownerDropsWeight(t, "track_file")) {
        if (owner) t.weight = 0;  // keepalived forces "weight 0" on an address owner
        i_.trackFiles.push_back(t);
      }
    }
    i_.trackProcesses =
        resolveOwnTrackedProcesses(d_.trackProcesses, owner, document_, subject, diagnostics_);
  }

  const InstanceDraft& d_;
  const GlobalDefs& g_;
  const Document& document_;
  Diagnostics& diagnostics_;
  VrrpInstance i_;
};

/// Two instances may share a VRID on an interface only with different
/// families, or as unicast instances with disjoint peers (keepalived.conf(5)
/// on virtual_router_id).
void checkVridConflicts(const std::vector<VrrpInstance>& instances, Diagnostics& diagnostics) {
  for (std::size_t b = 0; b < instances.size(); ++b) {
    for (std::size_t a = 0; a < b; ++a) {
      const VrrpInstance& first = instances[a];
      const VrrpInstance& second = instances[b];
      if (first.virtualRouterId != second.virtualRouterId || first.family != second.family ||
          first.interface != second.interface || first.isUnicast() != second.isUnicast()) {
        continue;
      }
      bool clash = !first.isUnicast();
      for (const UnicastPeer& p : first.unicastPeers) {
        for (const UnicastPeer& q : second.unicastPeers) clash |= p.address == q.address;
      }
      if (!clash) continue;
      diagnostics.error(second.where, "vrrp_instance " + second.name + " uses virtual_router_id " +
                                          std::to_string(second.virtualRouterId) + " (" +
                                          familyName(second.family) + ", interface " +
                                          second.interface.value_or("none") +
                                          ") like vrrp_instance " + first.name + " at " +
                                          toString(first.where) +
                                          (first.isUnicast() ? " with a common unicast peer" : ""));
    }
  }
}

// Two instances cannot own one macvlan [SRC vrrp_parser.c:vrrp_vmac_handler
// "VRRP instance %s is already using %s"], nor can an instance's VMAC be
// another instance's interface.
void checkVmacNames(const std::vector<VrrpInstance>& instances, Diagnostics& diagnostics) {
  for (std::size_t b = 0; b < instances.size(); ++b) {
    const VrrpInstance& second = instances[b];
    if (!second.vmacInterface) continue;
    for (std::size_t a = 0; a < instances.size(); ++a) {
      const VrrpInstance& first = instances[a];
      const bool sameVmac = a < b && first.vmacInterface == second.vmacInterface;
      const bool isInterface = a != b && first.interface == second.vmacInterface;
      if (!sameVmac && !isInterface) continue;
      diagnostics.error(second.where, "vrrp_instance " + second.name + ": VMAC interface " +
                                          *second.vmacInterface + " is also " +
                                          (sameVmac ? "the VMAC" : "the interface") +
                                          " of vrrp_instance " + first.name + " at " +
                                          toString(first.where) +
                                          (sameVmac ? " (give one of them use_vmac NAME)" : ""));
      break;
    }
  }
}

}  // namespace

std::optional<Config> complete(const Document& document, Diagnostics& diagnostics) {
  Config config;
  config.global = completeGlobal(document.global);
  completeFifos(document.global, config.global, diagnostics);
  for (const InstanceDraft& draft : document.instances) {
    InstanceBuilder builder(draft, config.global, document, diagnostics);
    if (std::optional<VrrpInstance> instance = builder.build()) {
      if (diagnostics.explaining()) explainInstance(draft, *instance, document.global, diagnostics);
      config.instances.push_back(std::move(*instance));
    }
  }
  checkVridConflicts(config.instances, diagnostics);
  checkVmacNames(config.instances, diagnostics);
  config.scripts = document.scripts;
  config.trackFiles = document.trackFiles;
  config.trackProcesses = document.trackProcesses;
  config.syncGroups = completeSyncGroups(document, diagnostics);
  config.garpGroups = document.garpGroups;
  config.staticRoutes = document.staticRoutes;
  config.staticRules = document.staticRules;
  if (diagnostics.hasErrors()) return std::nullopt;
  return config;
}

}  // namespace vipd::config::detail
