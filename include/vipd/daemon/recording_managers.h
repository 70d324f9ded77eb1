#pragma once

#include <map>
#include <string>

#include "vipd/daemon/install_ledger.h"
#include "vipd/net/address_manager.h"
#include "vipd/net/route_manager.h"
#include "vipd/net/vmac.h"

/// The kernel-facing managers as the daemon uses them: each records in the
/// InstallLedger what it is about to install, before asking the kernel, and
/// forgets what the kernel no longer has. Every caller (instances, static
/// addresses and routes, VMACs) goes through them, so none can install
/// something unrecorded.
namespace vipd::daemon {

/// An AddressManager that records each address before add() passes it on,
/// forgets it when that add fails (if it recorded it), and after every
/// successful remove(). Queries pass through unchanged.
///
/// NOTE: holds both by reference; loop thread only.
class RecordingAddressManager final : public net::AddressManager {
 public:
  RecordingAddressManager(net::AddressManager& inner, InstallLedger& ledger)
      : inner_(inner), ledger_(ledger) {}

  net::NetlinkResult<net::AddOutcome> add(const net::InterfaceAddress& address) override;
  net::NetlinkResult<net::RemoveOutcome> remove(const net::InterfaceAddress& address) override;
  net::NetlinkResult<bool> contains(const net::InterfaceAddress& address) override {
    return inner_.contains(address);
  }
  net::NetlinkResult<net::LinkInfo> linkByName(const std::string& name) override {
    return inner_.linkByName(name);
  }
  net::NetlinkResult<net::LinkInfo> linkByIndex(int ifindex) override {
    return inner_.linkByIndex(ifindex);
  }
  net::NetlinkResult<std::vector<net::InterfaceAddress>> addressesOf(int ifindex,
                                                                     util::Family family) override {
    return inner_.addressesOf(ifindex, family);
  }
  net::NetlinkResult<std::vector<net::InterfaceAddress>> hostAddresses(
      util::Family family) override {
    return inner_.hostAddresses(family);
  }

 private:
  /// The interface's name for the record, asked once per ifindex (a takeover
  /// should not pay a netlink round trip per VIP). The kernel does not reuse
  /// an ifindex, so only a rename makes it stale; the cleanup then leaves
  /// the address alone and says why.
  std::string interfaceName(int ifindex);

  net::AddressManager& inner_;
  InstallLedger& ledger_;
  std::map<int, std::string> names_;
};

/// A RouteManager that records routes and rules before adding them and
/// forgets them once removed (or when an add it recorded fails).
///
/// NOTE: holds both by reference; loop thread only.
class RecordingRouteManager final : public net::RouteManager {
 public:
  RecordingRouteManager(net::RouteManager& inner, InstallLedger& ledger)
      : inner_(inner), ledger_(ledger) {}

  net::NetlinkResult<net::AddOutcome> addRoute(const net::RouteSpec& route) override;
  net::NetlinkResult<net::RemoveOutcome> removeRoute(const net::RouteSpec& route) override;
  net::NetlinkResult<net::AddOutcome> addRule(const net::RuleSpec& rule) override;
  net::NetlinkResult<net::RemoveOutcome> removeRule(const net::RuleSpec& rule) override;
  std::string lastKernelMessage() const override { return inner_.lastKernelMessage(); }

 private:
  net::RouteManager& inner_;
  InstallLedger& ledger_;
};

/// Records the VMACs a net::VmacManager takes on, and forgets each (with the
/// addresses that were on it) once deleted; and the sysctls it changes, with
/// their value before vipd first changed them, until they are put back.
class LedgerVmacRecorder final : public net::VmacRecorder {
 public:
  explicit LedgerVmacRecorder(InstallLedger& ledger) : ledger_(ledger) {}

  void owning(const net::VmacSpec& spec) override;
  void released(const net::VmacSpec& spec, int ifindex) override;
  void changing(const net::Sysctl& setting, int before) override;
  void restored(const net::Sysctl& setting) override;

  /// The ledger's entry for `spec`.
  static InstalledMacvlan entryOf(const net::VmacSpec& spec);

 private:
  InstallLedger& ledger_;
};

}  // namespace vipd::daemon
