#include "vipd/daemon/static_addresses.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "vipd/daemon/instance_settings.h"

namespace vipd::daemon {

namespace {

bool listedIn(const std::vector<net::InterfaceAddress>& list, const net::InterfaceAddress& a) {
  return std::any_of(list.begin(), list.end(),
                     [&](const net::InterfaceAddress& b) { return net::sameAddress(a, b); });
}

}  // namespace

StaticAddresses::StaticAddresses(net::AddressManager& addresses,
                                 std::shared_ptr<spdlog::logger> log)
    : addresses_(addresses), log_(std::move(log)) {}

std::optional<net::InterfaceAddress> StaticAddresses::resolve(const config::VirtualAddress& entry) {
  const std::string device = entry.device.value_or(std::string(kDefaultStaticInterface));
  auto link = addresses_.linkByName(device);
  if (!link) {
    log_->warn("static address not added: address={} interface={} error=\"{}\"",
               entry.address.toString(), device, link.error().message());
    return std::nullopt;
  }
  return toInterfaceAddress(entry, link.value().ifindex);
}

void StaticAddresses::apply(const std::vector<config::VirtualAddress>& wanted) {
  std::vector<net::InterfaceAddress> resolved;
  for (const config::VirtualAddress& entry : wanted) {
    auto address = resolve(entry);
    if (address && !listedIn(resolved, *address)) resolved.push_back(*address);
  }
  // Gone from the configuration (reload) go first, as keepalived's
  // clear_diff_saddresses runs before it adds the list: deleting an IPv4
  // primary also deletes the secondaries of its subnet, which the adds
  // below then put back.
  for (const net::InterfaceAddress& old : installed_) {
    if (!listedIn(resolved, old)) remove(old);
  }
  installed_.clear();
  for (const net::InterfaceAddress& address : resolved) {
    auto added = addresses_.add(address);
    if (!added) {
      log_->warn("static address not added: address={} error=\"{}\"", net::toString(address),
                 added.error().message());
      continue;
    }
    if (added.value() == net::AddOutcome::Added) {
      log_->info("static address added: address={}", net::toString(address));
    }
    installed_.push_back(address);
  }
}

void StaticAddresses::removeAll() {
  for (const net::InterfaceAddress& address : installed_) remove(address);
  installed_.clear();
}

void StaticAddresses::remove(const net::InterfaceAddress& address) {
  auto removed = addresses_.remove(address);
  if (!removed) {
    log_->warn("static address not removed: address={} error=\"{}\"", net::toString(address),
               removed.error().message());
    return;
  }
  log_->info("static address removed: address={}", net::toString(address));
}

}  // namespace vipd::daemon
