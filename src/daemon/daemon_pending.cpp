// The Daemon and the host coming and going: instances pending until their
// interface or address exists, and instances whose interface is re-created.
#include <algorithm>
#include <system_error>

#include "vipd/daemon/daemon.h"

namespace vipd::daemon {

std::vector<PendingView> Daemon::pendingInstances() const {
  return pendingViews(pending_, config_, maintenance_);
}

// A peer that is one of our own addresses is a mistake `vipd -t` reports as
// an error; the daemon says so too but runs the instance: refusing to start
// over the host's state is what this module is here to avoid.
void Daemon::logHostErrors() {
  try {
    for (const auto& d : checkHost(config_, addresses_)) {
      if (d.severity == config::Severity::Error) log_->error("{}", config::format(d));
    }
  } catch (const std::system_error& e) {
    log_->warn("cannot check the host's addresses: {}", e.what());
  }
}

void Daemon::retryPending() {
  if (pending_.empty()) return;
  startPending(pending_.recheck(config_, loop_.now()));
}

bool Daemon::isSyncMember(const std::string& name) const {
  return config::syncGroupOf(config_, name) != nullptr;
}

// As at start-up: created, then the sync groups rebuilt over the running
// members, then started (INIT, then BACKUP once the scripts have reported).
void Daemon::startPending(const std::vector<const config::VrrpInstance*>& ready) {
  std::vector<Instance*> fresh;
  bool regroup = false;
  for (const auto* in : ready) {
    try {
      fresh.push_back(&create(prepare(*in, config_.global)));
      pending_.started(in->name, loop_.now());
      regroup |= isSyncMember(in->name);
    } catch (const std::exception& e) {
      pending_.failed(in->name, e.what(), loop_.now());
    }
  }
  if (fresh.empty()) return;
  refreshReceivePolicies();
  if (regroup) syncGroups_.build(config_, instances_, *resolver_, fifoWriters());
  for (auto* instance : fresh) startInstance(*instance);
  refreshNotifySettings();
}

void Daemon::discard(const std::string& name) {
  if (Instance* instance = find(name)) instance->setNotifier(nullptr);
  destroy(name);
}

// A deleted interface put the instance in FAULT (LinkWatch: the link is
// gone). Its sockets and VIPs name the old ifindex, so when an interface of
// that name exists again the instance is replaced: it waits as pending for
// the rest of the netlink batch (the interface's addresses may follow), then
// starts afresh in INIT as at start-up. Done before LinkWatch hears of the
// new link, so the old instance does not leave FAULT first.
void Daemon::retireRecreated(const net::LinkInfo& link) {
  std::vector<std::string> names;
  for (const auto& instance : instances_) {
    const auto& itf = instance->settings().interface;
    if (link.name == itf.baseName && link.ifindex != itf.baseIfindex) {
      names.push_back(instance->settings().name);
    }
  }
  if (names.empty()) return;
  // Not FAULT yet (interface_up_down_delays): it faults now, and notifies,
  // through its sync group, which still holds it.
  for (const auto& name : names) {
    if (Instance* instance = find(name); instance->state() != core::State::Fault) {
      instance->onLinkState(false);
    }
  }
  const bool regroup =
      std::any_of(names.begin(), names.end(), [&](const auto& name) { return isSyncMember(name); });
  if (regroup) syncGroups_.release();  // the groups point at the members
  // Every affected instance goes before any is created again: instances
  // sharing a socket would otherwise join the old one.
  for (const auto& name : names) {
    log_->warn(
        "({}) interface {} was created again (ifindex {}, before {}): restarting the "
        "instance",
        name, link.name, link.ifindex, find(name)->settings().interface.baseIfindex);
    discard(name);
    HostWait wait;
    wait.kind = HostWait::Kind::Interface;
    wait.interface = link.name;
    pending_.hold(name, wait, loop_.now());
  }
  pruneAnnouncers();
  if (regroup) syncGroups_.build(config_, instances_, *resolver_, fifoWriters());
}

}  // namespace vipd::daemon
