#include "vipd/daemon/daemon.h"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <stdexcept>

#include "vipd/daemon/logging.h"
#include "vipd/daemon/reload_plan.h"
#include "vipd/track/script_schedule.h"

namespace vipd::daemon {

namespace {

// Bounded work per wake-up keeps one busy socket from starving the others.
constexpr std::size_t kPacketsPerWakeup = 64;

bool ipv6Forwarding(const std::string& interface) {
  std::ifstream f("/proc/sys/net/ipv6/conf/" + interface + "/forwarding");
  int value = 0;
  return (f >> value) && value != 0;
}

bool isConfiguredVip(const config::VrrpInstance& in, const util::IpAddress& a) {
  for (const auto& v : in.virtualAddresses) {
    if (v.address == a) return true;
  }
  for (const auto& v : in.excludedAddresses) {
    if (v.address == a) return true;
  }
  return false;
}

[[noreturn]] void fail(const config::VrrpInstance& in, const std::string& what) {
  throw std::runtime_error(config::toString(in.where) + ": instance " + in.name + ": " + what);
}

}  // namespace

Daemon::Daemon(config::Config config, EventLoop& loop)
    : config_(std::move(config)),
      loop_(loop),
      reactor_(loop),
      runner_(std::make_unique<exec::LoopProcessRunner>(reactor_)),
      log_(logger("vipd")),
      syncGroups_(SyncGroups::Deps{loop_, *runner_}, logger("vrrp")) {}

Daemon::~Daemon() {
  if (monitor_) loop_.removeReader(monitor_->fd());
  if (trackFiles_) loop_.removeReader(trackFiles_->fd());
  for (auto& g : groups_) loop_.removeReader(g->socket->fd());
}

ResolvedInterface Daemon::resolveInterface(const config::VrrpInstance& in) {
  if (!in.interface) fail(in, "no interface given (vipd needs one, even with unicast peers)");
  auto link = addresses_.linkByName(*in.interface);
  if (!link) fail(in, "interface " + *in.interface + ": " + link.error().message());

  ResolvedInterface itf;
  itf.name = link.value().name;
  itf.ifindex = link.value().ifindex;
  itf.mac = link.value().mac;
  itf.forwarding = in.family == util::Family::V6 && ipv6Forwarding(itf.name);
  if (in.sourceAddress) {
    itf.source = *in.sourceAddress;
    return itf;
  }
  auto addrs = addresses_.addressesOf(itf.ifindex, in.family);
  if (!addrs) fail(in, "cannot list addresses of " + itf.name + ": " + addrs.error().message());
  for (const auto& a : addrs.value()) {
    // RFC 5798 §5.1.2.1: IPv6 adverts come from the link-local address;
    // IPv4 from the primary address (never one of our own VIPs).
    bool usable = in.family == util::Family::V6
                      ? a.address.isLinkLocal()
                      : !a.secondary && !isConfiguredVip(in, a.address);
    if (usable) {
      itf.source = a.address;
      return itf;
    }
  }
  fail(in, "interface " + itf.name + " has no " +
               (in.family == util::Family::V6 ? "IPv6 link-local" : "IPv4") +
               " address to send adverts from (set unicast_src_ip or mcast_src_ip)");
}

Daemon::SocketGroup& Daemon::socketGroupFor(const InstanceSettings& s,
                                            const config::VrrpInstance& in) {
  const std::string key = s.interface.name + "|" + (s.unicast ? "unicast" : "multicast") + "|" +
                          s.interface.source.toString() + "|" +
                          (s.unicast ? std::string() : s.destinations.front().toString());
  for (auto& g : groups_) {
    if (g->key == key) return *g;
  }
  net::VrrpSocketConfig sc;
  sc.interface = s.interface.name;
  sc.ifindex = s.interface.ifindex;
  sc.family = in.family;
  sc.source = s.interface.source;
  sc.unicast = s.unicast;
  if (!s.unicast) sc.group = s.destinations.front();
  sc.unicastTtl = in.unicastTtl;

  auto group = std::make_unique<SocketGroup>();
  group->key = key;
  try {
    group->socket = std::make_unique<net::VrrpSocket>(sc);
  } catch (const std::exception& e) {
    fail(in, e.what());
  }
  auto* raw = group.get();
  loop_.addReader(raw->socket->fd(), [this, raw] { onPackets(*raw); });
  groups_.push_back(std::move(group));
  return *raw;
}

net::AddressAnnouncer& Daemon::announcerFor(const ResolvedInterface& itf) {
  for (auto& [name, announcer] : announcers_) {
    if (name == itf.name) return *announcer;
  }
  announcers_.emplace_back(itf.name,
                           std::make_unique<net::InterfaceAnnouncer>(itf.name, itf.ifindex));
  return *announcers_.back().second;
}

Daemon::Prepared Daemon::prepare(const config::VrrpInstance& in,
                                 const config::GlobalDefs& global) {
  auto itf = resolveInterface(in);
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
      fail(in, "VRID " + std::to_string(in.virtualRouterId) + " is also used by instance " +
                   other->settings().name + " on the same interface and family");
    }
  }
  Instance::Deps deps{loop_, addresses_, announcerFor(prepared.settings.interface),
                      *group.socket};
  log_->info("({}) interface={} vrid={} version={} priority={} advert_int={}cs source={} {}",
             in.name, prepared.settings.interface.name, in.virtualRouterId, in.version,
             in.priority, in.advertInterval.count(), prepared.settings.interface.source.toString(),
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
  monitor_ = std::make_unique<net::NetlinkMonitor>();
  loop_.addReader(monitor_->fd(), [this] { onNetlink(); });
  for (const auto& in : config_.instances) create(prepare(in, config_.global));
  refreshReceivePolicies();
  prepareScripts();
  startFifos();
  watchLinks();
  watchFiles(config_, true);
  syncGroups_.build(config_, instances_, *resolver_, fifoWriters());
  // Started only once all exist: a start-up failure above leaves nothing running.
  for (auto& instance : instances_) {
    for (const auto& in : config_.instances) {
      if (in.name != instance->settings().name) continue;
      instance->setTracking(trackingFor(config_, in));
      attachNotifier(*instance, in);
    }
    instance->start(links_->effectiveUp(instance->settings().interface.name));
  }
  scripts_->start([this](const std::string& script, bool good) {
    for (auto& instance : instances_) instance->onScriptChanged(script, good);
  });
}

// Scripts whose command cannot be built are left out, as keepalived
// disables them: the instances then do not track them at all.
void Daemon::prepareScripts() {
  scripts_ = std::make_unique<ScriptChecks>(track::scriptSchedule(config_), loop_, *runner_,
                                            scriptResolver(config_.global), logger("vrrp"));
}

// keepalived checks scripts at load and reload only [GH#2438]; so does vipd.
ScriptChecks::Resolver Daemon::scriptResolver(const config::GlobalDefs& global) {
  resolver_ = std::make_unique<notify::ScriptResolver>(notify::ScriptPolicy::fromGlobals(global),
                                                       files_, accounts_);
  return [this](const config::VrrpScript& script) {
    return resolver_->resolve("vrrp_script " + script.name, script.argv, script.user).command;
  };
}

// Trackers can change without their instance changing (a vrrp_script's
// weight, a sync group's track_script): re-derive them for every instance.
void Daemon::refreshTracking() {
  for (auto& instance : instances_) {
    for (const auto& in : config_.instances) {
      if (in.name != instance->settings().name) continue;
      auto tracking = trackingFor(config_, in);
      if (tracking.trackers() != instance->tracking().trackers()) {
        log_->info("({}) reload: trackers changed", in.name);
        instance->setTracking(std::move(tracking));
      }
    }
  }
}

// Every interface an instance depends on: its own and its track_interface
// entries (and its sync group's), with the state at start-up.
void Daemon::watchLinks() {
  links_ = std::make_unique<LinkWatch>(
      config_.global.interfaceDelays, loop_,
      [this](const std::string& interface, bool up) { onLinkChange(interface, up); });
  watchLinksOf(config_);
}

void Daemon::watchFiles(const config::Config& config, bool atStart) {
  if (trackFiles_) loop_.removeReader(trackFiles_->fd());
  trackFiles_.reset();
  if (config.trackFiles.empty()) return;
  trackFiles_ = std::make_unique<FileWatch>(
      config.trackFiles, atStart, [this](const std::string& file, std::int32_t value) {
        for (auto& instance : instances_) instance->onFileValue(file, value);
      });
  loop_.addReader(trackFiles_->fd(), [this] { trackFiles_->onReadable(); });
}

void Daemon::watchLinksOf(const config::Config& config) {
  for (const auto& in : config.instances) {
    if (in.interface) watchLink(*in.interface);
    for (const auto& t : track::resolveTrackers(config, in)) {
      if (t.kind == track::TrackerKind::Interface) watchLink(t.name);
    }
  }
}

void Daemon::watchLink(const std::string& name) {
  if (links_->watches(name)) return;
  auto link = addresses_.linkByName(name);
  if (link) {
    links_->setInitial(link.value().ifindex, name, link.value().usable());
  } else {
    links_->setInitial(0, name, false);
  }
}

void Daemon::onLinkChange(const std::string& interface, bool up) {
  log_->info("interface {} is {}", interface, up ? "up" : "down");
  for (auto& instance : instances_) {
    if (instance->settings().interface.name == interface) instance->onLinkState(up);
    instance->onInterfaceChanged(interface, up);
  }
}

track::InstanceTracking Daemon::trackingFor(const config::Config& config,
                                            const config::VrrpInstance& in) const {
  const auto runnable = scripts_->names();
  auto trackers = track::resolveTrackers(config, in);
  std::erase_if(trackers, [&](const track::ResolvedTracker& t) {
    return t.kind == track::TrackerKind::Script &&
           std::find(runnable.begin(), runnable.end(), t.name) == runnable.end();
  });
  track::InstanceTracking tracking(in.priority, std::move(trackers));
  for (const auto& t : tracking.trackers()) {
    if (t.kind == track::TrackerKind::Interface) {
      tracking.interfaceChanged(t.name, links_->effectiveUp(t.name));
    } else if (t.kind == track::TrackerKind::File && trackFiles_) {
      tracking.fileValue(t.name, trackFiles_->value(t.name));
    }
  }
  for (const auto& name : runnable) {
    const auto status = scripts_->status(name);
    if (status && *status != track::ScriptStatus::Init) {
      tracking.scriptChanged(name, *status == track::ScriptStatus::Good);
    }
  }
  return tracking;
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

std::optional<std::vector<Daemon::Prepared>> Daemon::prepareReload(
    const std::vector<PlannedChange>& plan, const config::Config& next) {
  std::vector<Prepared> prepared;
  try {
    for (const auto& change : plan) {
      if (change.change == InstanceChange::Unchanged || change.change == InstanceChange::Removed) {
        continue;
      }
      for (const auto& in : next.instances) {
        if (in.name != change.nextName()) continue;
        prepared.push_back(prepare(in, next.global));
        if (change.change != InstanceChange::Added) prepared.back().runningName = change.instance;
      }
    }
  } catch (const std::exception& e) {
    log_->error("reload failed, keeping the running configuration: {}", e.what());
    return std::nullopt;
  }
  return prepared;
}

bool Daemon::reload(config::Config next) {
  const auto plan = planReload(config_, next);
  // Phase 1, nothing changed yet: resolve what the host must answer.
  auto prepared = prepareReload(plan, next);
  if (!prepared) return false;
  watchLinksOf(next);
  if (next.trackFiles != config_.trackFiles) watchFiles(next, false);
  // Dissolved before any member is stopped or replaced; rebuilt below.
  const bool regroup = SyncGroups::needRebuild(config_, next, plan);
  if (regroup) syncGroups_.release();
  scripts_->reload(track::scriptSchedule(next), scriptResolver(next.global));
  // Phase 2: stop what goes away first, so a VIP moving between instances is
  // released before it is claimed again.
  std::size_t counts[5] = {};
  for (const auto& change : plan) {
    ++counts[static_cast<std::size_t>(change.change)];
    if (change.change == InstanceChange::Unchanged) continue;
    log_->info("({}) reload: {}{}{}{}", change.instance, toString(change.change),
               change.detail.empty() ? "" : ": ", change.detail,
               change.renamedTo.empty() ? "" : " (now " + change.renamedTo + ")");
    if (change.change == InstanceChange::Removed || change.change == InstanceChange::Restarted) {
      destroy(change.instance);
    }
  }
  std::vector<Instance*> fresh;
  std::vector<std::string> failed;
  for (auto& p : *prepared) {
    const std::string name = p.settings.name;
    Instance* running = p.runningName.empty() ? nullptr : find(p.runningName);
    if (running != nullptr && running->canReconfigure(p.settings)) {
      running->reconfigure(std::move(p.settings), trackingFor(next, *p.config));
      if (!p.runningName.empty() && p.runningName != name) retireNotifier(p.runningName);
      attachNotifier(*running, *p.config);
      continue;
    }
    // The host changed under an updated instance (e.g. its advert source
    // address): only a restart can apply it.
    if (running != nullptr) destroy(p.runningName);
    try {
      fresh.push_back(&create(std::move(p)));
    } catch (const std::exception& e) {
      log_->error("reload: {}", e.what());
      failed.push_back(name);
    }
  }
  config_ = std::move(next);
  // Not running, so not "running config": the next reload tries it again.
  std::erase_if(config_.instances, [&](const auto& in) {
    return std::find(failed.begin(), failed.end(), in.name) != failed.end();
  });
  if (regroup) syncGroups_.build(config_, instances_, *resolver_, fifoWriters());
  refreshReceivePolicies();
  refreshTracking();
  for (auto* instance : fresh) {
    for (const auto& in : config_.instances) {
      if (in.name != instance->settings().name) continue;
      instance->setTracking(trackingFor(config_, in));
      attachNotifier(*instance, in);
    }
    instance->start(links_->effectiveUp(instance->settings().interface.name));
  }
  log_->info("reload done: {} unchanged, {} updated, {} restarted, {} removed, {} added",
             counts[0], counts[1], counts[2], counts[3], counts[4]);
  return true;
}

void Daemon::stop(std::function<void()> done) {
  if (scripts_) scripts_->stop();
  for (auto& instance : instances_) instance->shutdown();
  waitForScripts(std::move(done), loop_.now() + kStopDrainLimit);
}

// Polled: shutdown is rare, and a script's exit already wakes the loop.
void Daemon::waitForScripts(std::function<void()> done, EventLoop::Clock::time_point deadline) {
  if (notifiersIdle()) {
    finishStop(std::move(done));
    return;
  }
  if (loop_.now() >= deadline) {
    log_->warn("notify scripts still running after {} s; stopping anyway",
               kStopDrainLimit.count());
    for (auto& [name, notifier] : notifiers_) notifier->queue().cancelAll();
    for (auto& notifier : retiredNotifiers_) notifier->queue().cancelAll();
    syncGroups_.cancelAll();
    finishStop(std::move(done));
    return;
  }
  loop_.armTimer(loop_.now() + std::chrono::milliseconds(20),
                 [this, done = std::move(done), deadline]() mutable {
                   waitForScripts(std::move(done), deadline);
                 });
}

// A FIFO reader gets a moment to read the STOP lines before it is stopped:
// keepalived kills it first, and its users miss them (reference §2.2).
void Daemon::finishStop(std::function<void()> done) {
  if (fifos_.empty()) {
    done();
    return;
  }
  loop_.armTimer(loop_.now() + std::chrono::milliseconds(200), [this, done = std::move(done)] {
    for (auto& fifo : fifos_) fifo->stop();
    done();
  });
}

void Daemon::startFifos() {
  const std::pair<const char*, const std::optional<config::NotifyFifo>*> configured[] = {
      {"notify_fifo", &config_.global.notifyFifo},
      {"vrrp_notify_fifo", &config_.global.vrrpNotifyFifo}};
  for (const auto& [keyword, fifo] : configured) {
    if (!*fifo) continue;
    auto channel = std::make_unique<notify::FifoChannel>(keyword, **fifo, *resolver_, *runner_);
    if (auto error = channel->start()) {
      log_->error("{} {}: {}", keyword, (*fifo)->path, error.message());
    }
    fifos_.push_back(std::move(channel));
  }
}

std::vector<notify::FifoWriter*> Daemon::fifoWriters() {
  std::vector<notify::FifoWriter*> out;
  for (auto& fifo : fifos_) out.push_back(&fifo->writer());
  return out;
}

void Daemon::attachNotifier(Instance& instance, const config::VrrpInstance& in) {
  retireNotifier(in.name);
  auto notifier = std::make_unique<notify::Notifier>(notify::Subject::Instance, in.name, in.notify,
                                                     *resolver_, *runner_, fifoWriters());
  instance.setNotifier(notifier.get());
  notifiers_[in.name] = std::move(notifier);
}

// The instance is gone or gets a new notifier, but the scripts it queued
// (its STOP notify, say) still run to the end, in order.
void Daemon::retireNotifier(const std::string& name) {
  auto it = notifiers_.find(name);
  if (it == notifiers_.end()) return;
  if (Instance* instance = find(name); instance && instance->notifier() == it->second.get()) {
    instance->setNotifier(nullptr);
  }
  auto notifier = std::move(it->second);
  notifiers_.erase(it);
  if (notifier->queue().idle()) return;
  notifier->queue().onIdle([this] {
    // Not from inside the queue's own callback: it is destroyed here.
    loop_.armTimer(loop_.now(), [this] { dropIdleRetired(); });
  });
  retiredNotifiers_.push_back(std::move(notifier));
}

void Daemon::dropIdleRetired() {
  std::erase_if(retiredNotifiers_, [](const auto& n) { return n->queue().idle(); });
}

bool Daemon::notifiersIdle() const {
  for (const auto& [name, notifier] : notifiers_) {
    if (!notifier->queue().idle()) return false;
  }
  for (const auto& notifier : retiredNotifiers_) {
    if (!notifier->queue().idle()) return false;
  }
  return syncGroups_.idle();
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
      // socket the drop is surely about it.
      if (group.members.size() == 1) group.members.front()->onDecodeDrop(decoded.error(), p.source);
      continue;
    }
    for (auto* member : group.members) {
      // Adverts for VRIDs we do not run are ignored silently, as keepalived.
      if (member->settings().advert.vrid == decoded.value().advert.vrid) {
        member->onAdvert(decoded.value());
      }
    }
  }
}

void Daemon::onNetlink() {
  for (const auto& event : monitor_->readEvents()) {
    if (const auto* link = std::get_if<net::LinkChanged>(&event)) {
      links_->onLink(link->link.ifindex, link->link.name, link->link.usable());
    } else if (const auto* removed = std::get_if<net::AddressRemoved>(&event)) {
      for (auto& instance : instances_) instance->onAddressRemoved(removed->address);
    } else if (std::holds_alternative<net::LinkRemoved>(event)) {
      links_->onLinkRemoved(std::get<net::LinkRemoved>(event).ifindex);
    } else if (std::holds_alternative<net::ResyncNeeded>(event)) {
      resync();
    }
  }
}

void Daemon::resync() {
  log_->warn("netlink monitor overrun: re-reading link and address state");
  for (const auto& name : links_->watched()) {
    auto link = addresses_.linkByName(name);
    if (link) {
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
