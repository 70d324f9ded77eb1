#include "vipd/daemon/daemon.h"

#include <malloc.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "vipd/daemon/leftovers.h"
#include "vipd/daemon/logging.h"

namespace vipd::daemon {

namespace {

// Bounded work per wake-up keeps one busy socket from starving the others.
constexpr std::size_t kPacketsPerWakeup = 64;

bool ipv6Forwarding(const std::string& interface) {
  std::ifstream f("/proc/sys/net/ipv6/conf/" + interface + "/forwarding");
  int value = 0;
  return (f >> value) && value != 0;
}

[[noreturn]] void failInstance(const config::VrrpInstance& in, const std::string& what) {
  throw std::runtime_error(config::toString(in.where) + ": instance " + in.name + ": " + what);
}

}  // namespace

Daemon::Daemon(config::Config config, EventLoop& loop, std::string stateFile)
    : config_(std::move(config)),
      loop_(loop),
      reactor_(loop),
      runner_(std::make_unique<exec::LoopProcessRunner>(reactor_)),
      prober_(std::make_unique<LoopProber>(loop_)),
      log_(logger("vipd")),
      stateFile_(std::move(stateFile)),
      ledger_(stateFile_, logger("vipd")),
      pending_(addresses_, logger("vrrp")),
      statics_(addresses_, logger("netlink")),
      staticRoutes_(routes_, logger("netlink")),
      syncGroups_(SyncGroups::Deps{loop_, *runner_}, logger("vrrp")),
      unattributed_(loop_, logger("vrrp")) {}

Daemon::~Daemon() {
  if (monitor_) loop_.removeReader(monitor_->fd());
  if (trackFiles_) loop_.removeReader(trackFiles_->fd());
  processes_.reset();
  closeProcessConnector();
  for (auto& g : groups_) loop_.removeReader(g->socket->fd());
}

ResolvedInterface Daemon::resolveInterface(const config::VrrpInstance& in) {
  if (!in.interface)
    failInstance(in, "no interface given (vipd needs one, even with unicast peers)");
  auto link = addresses_.linkByName(*in.interface);
  if (!link) failInstance(in, "interface " + *in.interface + ": " + link.error().message());

  ResolvedInterface itf;
  itf.name = link.value().name;
  itf.ifindex = link.value().ifindex;
  itf.mac = link.value().mac;
  itf.baseName = itf.name;
  itf.baseIfindex = itf.ifindex;
  itf.advertName = itf.name;
  itf.advertIfindex = itf.ifindex;
  itf.forwarding = in.family == util::Family::V6 && ipv6Forwarding(itf.name);
  if (in.sourceAddress) {
    itf.source = *in.sourceAddress;
    return itf;
  }
  auto addrs = addresses_.addressesOf(itf.ifindex, in.family);
  if (!addrs)
    failInstance(in, "cannot list addresses of " + itf.name + ": " + addrs.error().message());
  if (auto source = defaultSource(in, addrs.value(), itf.mac)) {
    itf.source = *source;
    return itf;
  }
  failInstance(in, "interface " + itf.name + " has no " +
                       (in.family == util::Family::V6 ? "IPv6 link-local" : "IPv4") +
                       " address to send adverts from (set unicast_src_ip or mcast_src_ip)");
}

Daemon::SocketGroup& Daemon::socketGroupFor(const InstanceSettings& s,
                                            const config::VrrpInstance& in) {
  const std::string key = s.interface.advertName + "|" + (s.unicast ? "unicast" : "multicast") +
                          "|" + s.interface.source.toString() + "|" +
                          (s.unicast ? std::string() : s.destinations.front().toString());
  for (auto& g : groups_) {
    if (g->key == key) return *g;
  }
  net::VrrpSocketConfig sc;
  sc.interface = s.interface.advertName;
  sc.ifindex = s.interface.advertIfindex;
  sc.family = in.family;
  sc.source = s.interface.source;
  sc.unicast = s.unicast;
  if (!s.unicast) sc.group = s.destinations.front();
  sc.unicastTtl = in.unicastTtl;

  auto group = std::make_unique<SocketGroup>();
  group->key = key;
  group->interface = s.interface.advertName;
  group->family = in.family;
  try {
    group->socket = std::make_unique<net::VrrpSocket>(sc);
  } catch (const std::exception& e) {
    failInstance(in, e.what());
  }
  auto* raw = group.get();
  loop_.addReader(raw->socket->fd(), [this, raw] { onPackets(*raw); });
  groups_.push_back(std::move(group));
  return *raw;
}

// By name and index: an interface created again under the same name is
// another link, whose packet socket the old announcer does not reach.
std::string Daemon::announcerKey(const ResolvedInterface& itf) {
  return itf.name + "#" + std::to_string(itf.ifindex);
}

net::AddressAnnouncer& Daemon::announcerFor(const ResolvedInterface& itf) {
  const std::string key = announcerKey(itf);
  for (auto& [name, announcer] : announcers_) {
    if (name == key) return *announcer;
  }
  announcers_.emplace_back(key, std::make_unique<net::InterfaceAnnouncer>(itf.name, itf.ifindex));
  return *announcers_.back().second;
}

void Daemon::pruneAnnouncers() {
  std::erase_if(announcers_, [&](const auto& entry) {
    return std::none_of(instances_.begin(), instances_.end(), [&](const auto& instance) {
      return announcerKey(instance->settings().interface) == entry.first;
    });
  });
}

// keepalived vrrp_vmac.c:netlink_link_add_vmac: the macvlan is created (or
// adopted) and up from the start, in every state; an IPv6 instance gives it
// its advert source (the interface's link-local address) to send from.
ResolvedInterface Daemon::onVmac(const config::VrrpInstance& in, ResolvedInterface base) {
  net::VmacSpec spec;
  spec.name = *in.vmacInterface;
  spec.baseName = base.name;
  spec.baseIfindex = base.ifindex;
  spec.mac = net::virtualRouterMac(in.virtualRouterId, in.family);
  spec.family = in.family;
  spec.ipv6 = in.family == util::Family::V6 ||
              std::any_of(in.excludedAddresses.begin(), in.excludedAddresses.end(),
                          [](const auto& a) { return a.address.isV6(); });
  auto ifindex = vmacs_.acquire(spec);
  if (!ifindex) failInstance(in, "VMAC " + spec.name + ": " + ifindex.error().message());
  if (in.family == util::Family::V6) {
    net::InterfaceAddress source;
    source.ifindex = ifindex.value();
    source.address = base.source;
    source.prefixLength = 64;
    // As keepalived adds it (seen in the lab): without DAD, since it is the
    // interface's own address, and deprecated, so that nothing but the
    // adverts, which name it explicitly, uses it as a source.
    source.noDad = true;
    source.preferredLifetime = 0;
    if (auto added = addresses_.add(source); !added) {
      failInstance(in, "VMAC " + spec.name + ": adding " + base.source.toString() + ": " +
                           added.error().message());
    }
  }
  ResolvedInterface vmac = base;
  vmac.name = spec.name;
  vmac.ifindex = ifindex.value();
  vmac.mac = spec.mac;
  vmac.vmac = true;
  if (!in.vmacXmitBase) {
    vmac.advertName = vmac.name;
    vmac.advertIfindex = vmac.ifindex;
  }
  return vmac;
}

void Daemon::pruneVmacs() {
  std::set<std::string> used;
  for (const auto& in : config_.instances) {
    if (in.vmacInterface) used.insert(*in.vmacInterface);
  }
  vmacs_.releaseUnused(used);
}

void Daemon::cleanUpPreviousRun() {
  auto recorded = stateFile_.load();
  if (!recorded) {
    log_->warn("{}; ignoring it", recorded.error());
    ledger_.reset({});
    return;
  }
  if (recorded.value().empty()) return;
  const CleanupDeps deps{kernelAddresses_, kernelRoutes_, vmacKernel_, *log_};
  auto report =
      removeLeftovers(recorded.value(), deps, "state file", keptAtStart(config_, kernelAddresses_));
  ledger_.reset(std::move(report.failed));
}

Daemon::Prepared Daemon::prepare(const config::VrrpInstance& in, const config::GlobalDefs& global) {
  auto itf = resolveInterface(in);
  if (in.vmacInterface) itf = onVmac(in, std::move(itf));
  auto settings = resolveInstance(in, global, itf, [this](const std::string& name) {
    auto link = addresses_.linkByName(name);
    return link ? std::optional<int>(link.value().ifindex) : std::nullopt;
  });
  return {&in, std::move(settings), {}};
}

Instance& Daemon::create(Prepared prepared) {
  const config::VrrpInstance& in = *prepared.config;
  auto& group = socketGroupFor(prepared.settings, in);
  for (auto* other : group.members) {
    if (other->settings().advert.vrid == in.virtualRouterId) {
      failInstance(in, "VRID " + std::to_string(in.virtualRouterId) + " is also used by instance " +
                           other->settings().name + " on the same interface and family");
    }
  }
  Instance::Deps deps{loop_, addresses_, announcerFor(prepared.settings.interface), *group.socket,
                      routes_};
  log_->info("({}) interface={} vrid={} version={} priority={} advert_int={}cs source={} {}",
             in.name, prepared.settings.interface.name, in.virtualRouterId, in.version, in.priority,
             in.advertInterval.count(), prepared.settings.interface.source.toString(),
             in.isUnicast() ? "unicast" : "multicast");
  auto instance = std::make_unique<Instance>(std::move(prepared.settings), deps, logger("vrrp"));
  group.members.push_back(instance.get());
  instances_.push_back(std::move(instance));
  return *instances_.back();
}

// keepalived checks the TTL of unicast adverts only when min/max_ttl are set.
void Daemon::refreshReceivePolicies() {
  for (auto& group : groups_) {
    group->policy.checkUnicastTtl = false;
    for (const auto* member : group->members) {
      for (const auto& in : config_.instances) {
        if (in.name != member->settings().name) continue;
        for (const auto& peer : in.unicastPeers) {
          if (peer.minTtl != 0 || peer.maxTtl != 255) group->policy.checkUnicastTtl = true;
        }
      }
    }
  }
}

void Daemon::start() {
  // First: nothing of this run exists yet, and no monitor hears the removals.
  cleanUpPreviousRun();
  loop_.onLateTimers(kLoopStallThreshold, [this](auto late) { onLoopStall(late); });
  net::MonitorOptions monitorOptions;
  if (const auto& bytes = config_.global.netlinkMonitorRcvBufs) {
    monitorOptions.receiveBufferBytes = static_cast<int>(*bytes);
    monitorOptions.forceReceiveBuffer = config_.global.netlinkMonitorRcvBufsForce;
  }
  monitor_ = std::make_unique<net::NetlinkMonitor>(monitorOptions);
  loop_.addReader(monitor_->fd(), [this] { onNetlink(); });
  logHostErrors();
  // An instance whose interface or address is not there yet waits for it
  // (PendingInstances) instead of failing the daemon, as keepalived's
  // `bind ... failed 99` does (GH#2645).
  for (const auto& in : config_.instances) {
    if (pending_.ready(in, loop_.now())) create(prepare(in, config_.global));
  }
  refreshReceivePolicies();
  prepareScripts();
  startFifos();
  watchLinks();
  watchFiles(config_, true);
  watchProcesses(config_);
  syncGroups_.build(config_, instances_, *resolver_, fifoWriters());
  // keepalived adds them before its instances start [SRC vrrp_daemon.c:start_vrrp].
  statics_.apply(config_.global.staticAddresses);
  // Installed once nothing can fail any more, after the static addresses
  // (a route's src may be one) and before the instances (whose routes may
  // lean on them) start: a start-up failure leaves none behind.
  staticRoutes_.apply(config_.staticRoutes, config_.staticRules);
  // Started only once all exist: a start-up failure above leaves nothing running.
  for (auto& instance : instances_) startInstance(*instance);
  refreshNotifySettings();
  // A static address may be the source a pending instance waited for.
  retryPending();
  scripts_->start([this](const std::string& script, bool good) {
    for (auto& instance : instances_) instance->onScriptChanged(script, good);
  });
  releaseFreedMemory();
}

// Parsing and preparing a large config leaves freed heap scattered below the
// live objects, which glibc keeps; hand those pages back (hundreds of KiB
// with 510 instances), as the daemon will not need them until a reload.
void Daemon::releaseFreedMemory() { ::malloc_trim(0); }

// Its trackers and notifier come from the running config, then it leaves INIT.
void Daemon::startInstance(Instance& instance) {
  for (const auto& in : config_.instances) {
    if (in.name != instance.settings().name) continue;
    instance.setTracking(trackingFor(config_, in));
    attachNotifier(instance, in, config_);
  }
  // A drain survives a restart by reload: marked before the first state.
  if (maintenance_.count(instance.settings().name) != 0) instance.setMaintenance(true, false);
  instance.start(links_->effectiveUp(instance.settings().interface.baseName));
}

Instance* Daemon::find(const std::string& name) {
  for (auto& instance : instances_) {
    if (instance->settings().name == name) return instance.get();
  }
  return nullptr;
}

// Stops the instance gracefully, takes it out of its socket group and closes
// the socket when no member is left.
void Daemon::destroy(const std::string& name) {
  Instance* instance = find(name);
  if (instance == nullptr) return;
  instance->shutdown(/*deleted=*/true);
  retireNotifier(name);
  for (auto it = groups_.begin(); it != groups_.end(); ++it) {
    auto& members = (*it)->members;
    if (std::erase(members, instance) == 0 || !members.empty()) continue;
    loop_.removeReader((*it)->socket->fd());
    groups_.erase(it);
    break;
  }
  std::erase_if(instances_, [&](const auto& p) { return p.get() == instance; });
}

void Daemon::onPackets(SocketGroup& group) {
  packets_.clear();
  if (auto error = group.socket->drain(packets_, kPacketsPerWakeup)) {
    log_->warn("receiving on {} failed: {}", group.key, error.message());
  }
  for (const auto& p : packets_) {
    proto::PacketMeta meta{p.source, p.destination, p.ttl,
                           p.multicast ? proto::Delivery::Multicast : proto::Delivery::Unicast};
    auto decoded = proto::decode(std::span<const std::uint8_t>(p.payload), meta, group.policy);
    if (!decoded) {
      // Before decoding we cannot know the VRID; with one instance on the
      // socket the drop is surely about it, with several it is the daemon's.
      if (group.members.size() == 1) {
        group.members.front()->onDecodeDrop(decoded.error(), p.source);
      } else {
        unattributed_.onDecodeDrop(decoded.error(), p.source, group.interface);
      }
      continue;
    }
    const std::uint8_t vrid = decoded.value().advert.vrid;
    bool owned = false;
    for (auto* member : group.members) {
      if (member->settings().advert.vrid == vrid) {
        member->onAdvert(decoded.value());
        owned = true;
      }
    }
    // Adverts for VRIDs we do not run are ignored silently, as keepalived,
    // but counted. One run by an instance of another socket group on this
    // interface (say unicast) is that group's, not an unknown VRID.
    if (!owned && !runsVrid(group.interface, group.family, vrid)) unattributed_.onUnknownVrid();
  }
}

bool Daemon::runsVrid(const std::string& interface, util::Family family, std::uint8_t vrid) const {
  return std::any_of(instances_.begin(), instances_.end(), [&](const auto& instance) {
    const auto& s = instance->settings();
    return s.advert.vrid == vrid && s.interface.advertName == interface &&
           s.interface.source.family() == family;
  });
}

void Daemon::onNetlink() {
  // Links and addresses that appeared: a pending instance may start, an
  // instance whose interface was re-created must start afresh.
  bool changed = false;
  for (const auto& event : monitor_->readEvents()) {
    if (const auto* link = std::get_if<net::LinkChanged>(&event)) {
      retireRecreated(link->link);
      links_->onLink(link->link.ifindex, link->link.name, link->link.usable());
      changed = true;
    } else if (const auto* removed = std::get_if<net::AddressRemoved>(&event)) {
      for (auto& instance : instances_) instance->onAddressRemoved(removed->address);
    } else if (std::holds_alternative<net::AddressAdded>(event)) {
      changed = true;
    } else if (std::holds_alternative<net::LinkRemoved>(event)) {
      links_->onLinkRemoved(std::get<net::LinkRemoved>(event).ifindex);
    } else if (std::holds_alternative<net::ResyncNeeded>(event)) {
      resync();
      changed = true;
    }
  }
  if (changed) retryPending();
}

// Nothing ran while the loop was stalled: no adverts went out and no
// timer fired, so a backup may have taken over and this side may still
// believe it is master. The next advert exchange settles it as RFC 5798
// says; the operator learns why the log shows a takeover they did not cause.
void Daemon::onLoopStall(Scheduler::Clock::duration late) {
  ++loopStalls_;
  log_->warn(
      "event loop resumed {:.3f} s late: vipd was stopped (SIGSTOP, a debugger) or starved of "
      "CPU; no adverts were sent meanwhile, so a peer may have taken over and the election "
      "now settles it (stall {})",
      std::chrono::duration<double>(late).count(), loopStalls_);
}

void Daemon::resync() {
  log_->warn("netlink monitor overrun: re-reading link and address state");
  for (const auto& name : links_->watched()) {
    auto link = addresses_.linkByName(name);
    if (link) {
      retireRecreated(link.value());
      links_->onLink(link.value().ifindex, name, link.value().usable());
    } else {
      links_->onLinkGone(name);
    }
  }
  for (auto& instance : instances_) {
    for (const auto& a : instance->settings().addresses) {
      auto present = addresses_.contains(a);
      if (present && !present.value()) instance->onAddressRemoved(a);
    }
  }
}

}  // namespace vipd::daemon
