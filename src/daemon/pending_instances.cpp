// Instances waiting for their interface or address; see pending_instances.h.
#include "vipd/daemon/pending_instances.h"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

namespace vipd::daemon {

PendingInstances::PendingInstances(net::AddressManager& host, std::shared_ptr<spdlog::logger> log)
    : host_(host), log_(std::move(log)) {}

bool PendingInstances::ready(const config::VrrpInstance& in, Clock::time_point now) {
  const auto wait = hostWait(in, host_);
  if (!wait) return true;
  if (Entry* entry = findMutable(in.name)) {
    if (entry->wait == wait) return false;
    entry->wait = wait;
    entry->failure.clear();
    log_->info("({}) pending: now waiting for {}", in.name, toString(*wait));
    return false;
  }
  entries_.push_back({in.name, wait, {}, now, std::chrono::system_clock::now()});
  // keepalived goes FAULT here, or fails to bind and exits (GH#2237, GH#2645).
  log_->warn("({}) pending: waiting for {}; the instance starts when it appears (not FAULT)",
             in.name, toString(*wait));
  return false;
}

std::vector<const config::VrrpInstance*> PendingInstances::recheck(const config::Config& config,
                                                                   Clock::time_point now) {
  std::vector<const config::VrrpInstance*> out;
  for (const auto& in : config.instances) {
    if (!contains(in.name)) continue;
    try {
      if (ready(in, now)) out.push_back(&in);
    } catch (const std::system_error& e) {
      log_->warn("({}) pending: cannot check the host: {}", in.name, e.what());
    }
  }
  return out;
}

void PendingInstances::started(const std::string& name, Clock::time_point now) {
  const Entry* entry = find(name);
  if (entry == nullptr) return;
  log_->info("({}) was pending for {:.3f} s ({}); starting", name,
             std::chrono::duration<double>(now - entry->since).count(),
             entry->wait ? "waiting for " + toString(*entry->wait) : "after: " + entry->failure);
  forget(name);
}

void PendingInstances::failed(const std::string& name, const std::string& why,
                              Clock::time_point now) {
  Entry* entry = findMutable(name);
  if (entry == nullptr) {
    entries_.push_back({name, std::nullopt, {}, now, std::chrono::system_clock::now()});
    entry = &entries_.back();
  }
  if (entry->failure == why) return;
  entry->wait.reset();
  entry->failure = why;
  log_->error("({}) pending: cannot start: {}; trying again at the next link or address change",
              name, why);
}

void PendingInstances::hold(const std::string& name, HostWait wait, Clock::time_point now) {
  forget(name);
  entries_.push_back({name, std::move(wait), {}, now, std::chrono::system_clock::now()});
}

void PendingInstances::forget(const std::string& name) {
  std::erase_if(entries_, [&](const Entry& e) { return e.name == name; });
}

const PendingInstances::Entry* PendingInstances::find(const std::string& name) const {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.name == name; });
  return it == entries_.end() ? nullptr : &*it;
}

PendingInstances::Entry* PendingInstances::findMutable(const std::string& name) {
  return const_cast<Entry*>(std::as_const(*this).find(name));
}

std::vector<PendingView> pendingViews(const PendingInstances& pending, const config::Config& config,
                                      const std::set<std::string>& maintenance) {
  std::vector<PendingView> out;
  for (const auto& entry : pending.entries()) {
    const auto in = std::find_if(config.instances.begin(), config.instances.end(),
                                 [&](const auto& i) { return i.name == entry.name; });
    if (in == config.instances.end()) continue;
    PendingView v;
    v.name = in->name;
    v.interface = in->interface.value_or("");
    v.vrid = in->virtualRouterId;
    v.family = in->family;
    v.version = in->version;
    v.priority = in->priority;
    v.advertInterval = in->advertInterval;
    for (const auto* list : {&in->virtualAddresses, &in->excludedAddresses}) {
      for (const auto& a : *list) {
        v.vips.push_back(fmt::format("{}/{}", a.address.toString(), a.prefixLength));
      }
    }
    v.maintenance = maintenance.count(in->name) != 0;
    v.waitingFor = entry.wait ? toString(*entry.wait) : "a retry after: " + entry.failure;
    v.since = entry.since;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace vipd::daemon
