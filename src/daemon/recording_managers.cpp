// The managers that keep the InstallLedger; see recording_managers.h.
#include "vipd/daemon/recording_managers.h"

namespace vipd::daemon {

namespace {

InstalledAddress installedAddress(const net::InterfaceAddress& a, std::string interface) {
  return {std::move(interface), a.ifindex, a.address, a.prefixLength};
}

/// Records `item`, runs `install`, and forgets the item again if `install`
/// failed and the record was new (it was not there before, so it is not now).
template <typename Install>
auto recordThenInstall(InstallLedger& ledger, const InstalledItem& item, Install install) {
  const bool fresh = ledger.record(item);
  auto result = install();
  if (!result && fresh) ledger.forget(item);
  return result;
}

}  // namespace

std::string RecordingAddressManager::interfaceName(int ifindex) {
  if (auto it = names_.find(ifindex); it != names_.end()) return it->second;
  auto link = inner_.linkByIndex(ifindex);
  if (!link) return {};  // the add will say why (no such device)
  return names_[ifindex] = link.value().name;
}

net::NetlinkResult<net::AddOutcome> RecordingAddressManager::add(
    const net::InterfaceAddress& address) {
  return recordThenInstall(ledger_, installedAddress(address, interfaceName(address.ifindex)),
                           [&] { return inner_.add(address); });
}

net::NetlinkResult<net::RemoveOutcome> RecordingAddressManager::remove(
    const net::InterfaceAddress& address) {
  auto removed = inner_.remove(address);
  if (removed) ledger_.forget(installedAddress(address, {}));
  return removed;
}

net::NetlinkResult<net::AddOutcome> RecordingRouteManager::addRoute(const net::RouteSpec& route) {
  return recordThenInstall(ledger_, route, [&] { return inner_.addRoute(route); });
}

net::NetlinkResult<net::RemoveOutcome> RecordingRouteManager::removeRoute(
    const net::RouteSpec& route) {
  auto removed = inner_.removeRoute(route);
  if (removed) ledger_.forget(route);
  return removed;
}

net::NetlinkResult<net::AddOutcome> RecordingRouteManager::addRule(const net::RuleSpec& rule) {
  return recordThenInstall(ledger_, rule, [&] { return inner_.addRule(rule); });
}

net::NetlinkResult<net::RemoveOutcome> RecordingRouteManager::removeRule(
    const net::RuleSpec& rule) {
  auto removed = inner_.removeRule(rule);
  if (removed) ledger_.forget(rule);
  return removed;
}

InstalledMacvlan LedgerVmacRecorder::entryOf(const net::VmacSpec& spec) {
  return {spec.name, spec.baseName, spec.baseIfindex, spec.mac};
}

void LedgerVmacRecorder::owning(const net::VmacSpec& spec) { ledger_.record(entryOf(spec)); }

void LedgerVmacRecorder::released(const net::VmacSpec& spec, int ifindex) {
  if (ifindex > 0) ledger_.forgetAddressesOn(ifindex);
  ledger_.forget(entryOf(spec));
}

void LedgerVmacRecorder::changing(const net::Sysctl& setting, int before) {
  InstalledSysctl entry{setting, before};
  // Changed again before being put back: the value to put back is the first one.
  if (const auto* known = ledger_.find(entry))
    entry.original = std::get<InstalledSysctl>(*known).original;
  ledger_.record(entry);
}

void LedgerVmacRecorder::restored(const net::Sysctl& setting) {
  ledger_.forget(InstalledSysctl{setting, 0});
}

}  // namespace vipd::daemon
