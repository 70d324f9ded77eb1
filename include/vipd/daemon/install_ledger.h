#pragma once

#include <boost/outcome/result.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include "vipd/net/address_manager_types.h"
#include "vipd/net/link_layer_socket.h"
#include "vipd/net/route_types.h"
#include "vipd/net/vmac.h"
#include "vipd/util/ip_address.h"

namespace spdlog {
class logger;
}

/// What vipd has installed in the kernel, kept in a state file so that the
/// next start (or `vipd --cleanup`) can remove what a killed run left behind,
/// and only that (keepalived forgets it: reference §5 item 4, GH#2361).
namespace vipd::daemon {

/// An interface address vipd added (a VIP, eVIP, static address, or the
/// link-local copy on an IPv6 VMAC). Its identity is the kernel's
/// (net::sameAddress: ifindex, address and, for IPv4, prefix length); the
/// interface's name is kept for the log and to check, before removing, that
/// the ifindex still is the interface it was.
struct InstalledAddress {
  /// Empty when it could not be learnt; then only the ifindex is checked.
  std::string interface;
  int ifindex = 0;
  util::IpAddress address;
  std::uint8_t prefixLength = 0;

  friend bool operator==(const InstalledAddress&, const InstalledAddress&) = default;
};

/// A use_vmac macvlan: removed only while it still is a macvlan of that
/// name, on that parent, with that MAC.
struct InstalledMacvlan {
  std::string name;
  std::string parent;
  int parentIfindex = 0;
  net::MacAddress mac{};

  friend bool operator==(const InstalledMacvlan&, const InstalledMacvlan&) = default;
};

/// A sysctl vipd changed for its VMACs (keepalived's arp_ignore/arp_filter on
/// the interface under one, rp_filter): put back to `original` only while it
/// still holds vipd's value (someone else's later change stays).
struct InstalledSysctl {
  /// Its value is the one vipd wrote.
  net::Sysctl setting;
  int original = 0;

  friend bool operator==(const InstalledSysctl&, const InstalledSysctl&) = default;
};

/// One thing vipd installed: an address, a route, a rule, a macvlan or a sysctl.
using InstalledItem = std::variant<InstalledAddress, net::RouteSpec, net::RuleSpec,
                                   InstalledMacvlan, InstalledSysctl>;

/// The kernel address `installed` names (identity fields only).
net::InterfaceAddress kernelAddress(const InstalledAddress& installed);

/// For log lines: "192.0.2.100/24 on eth0", "route 203.0.113.0/24 via ...",
/// "rule from ...", "macvlan vrrp.51 on eth0", "sysctl net.ipv4.conf.eth0.arp_ignore=1".
std::string describe(const InstalledItem& item);

/// True when a and b are one kernel object: addresses by net::sameAddress()'s
/// rule, macvlans and sysctls by name, routes and rules by every field (the
/// kernel's delete matches on them).
bool sameItem(const InstalledItem& a, const InstalledItem& b);

/// The state file's text for `items` (format version 1): JSON lines, a
/// header {"vipd_state_version":1} then one object per item, so that `jq .`
/// reads it and a save only joins lines made once.
std::string ledgerText(const std::vector<InstalledItem>& items);
/// One item's line of ledgerText() (with its newline).
std::string ledgerLine(const InstalledItem& item);

using LedgerResult = boost::outcome_v2::result<std::vector<InstalledItem>, std::string,
                                               boost::outcome_v2::policy::terminate>;

/// Parses ledgerText()'s output (blank lines are skipped). Anything malformed
/// (not JSON, no header, another format version, an entry with a missing or
/// invalid field) is an error naming the line and what is wrong (nlohmann's
/// message for the JSON itself).
LedgerResult parseLedgerText(const std::string& text);

/// Where the ledger keeps its text. The daemon's is a StateFile; tests keep
/// it in memory.
class LedgerStore {
 public:
  virtual ~LedgerStore() = default;
  /// Replaces what is stored with `text`.
  virtual std::error_code save(const std::string& text) = 0;
  /// Nothing is recorded any more: removes what is stored.
  virtual std::error_code discard() = 0;
  /// For log lines: "state file /run/vipd/vipd.state".
  virtual std::string name() const = 0;
};

/// The state file: written whole under a temporary name and renamed into
/// place (util::writeFileAtomically, mode 0600), so a crash at any moment
/// leaves the old set or the new one, never a mix; its directory is created
/// on the first save. An empty path is no file at all (--state-file none):
/// nothing is saved and load() finds nothing.
///
/// NOTE: a save is synchronous, on the event loop: about a hundred bytes per
/// item written to /run (tmpfs: under 20 us for a few VIPs), done when the
/// installed set changes (a takeover, a release, a reload), never per packet
/// or timer.
class StateFile final : public LedgerStore {
 public:
  explicit StateFile(std::string path) : path_(std::move(path)) {}

  std::error_code save(const std::string& text) override;
  std::error_code discard() override;
  std::string name() const override { return "state file " + path_; }
  /// What a previous run recorded: nothing when there is no file; an error
  /// naming the path for a file that cannot be read or parsed.
  LedgerResult load() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool directoryMade_ = false;
};

/// The set of things vipd has installed, saved to its store whenever it
/// changes. Callers record an item before they ask the kernel for it, so a
/// crash between the two can only leave a record of something absent (which
/// the cleanup skips), never something present and unrecorded; and forget it
/// once the kernel no longer has it. With nothing recorded, the store is
/// discarded: after a clean stop there is no state file.
///
/// A failed save is logged once (then once more when saving works again)
/// and counted; the daemon carries on, only less able to clean up after a
/// crash.
///
/// NOTE: single-threaded, on the loop's thread; holds the store by
/// reference (it must outlive the ledger).
class InstallLedger {
 public:
  InstallLedger(LedgerStore& store, std::shared_ptr<spdlog::logger> log);

  /// Adds `item` (saving the set), or updates the entry sameItem() matches;
  /// true when it was new, so that a caller whose install then fails can
  /// forget it again.
  bool record(const InstalledItem& item);
  /// Removes the recorded item sameItem() matches (saving the set), if any.
  void forget(const InstalledItem& item);
  /// Forgets the addresses on `ifindex`: its interface is gone, and they with it.
  void forgetAddressesOn(int ifindex);
  /// Replaces the set (at start: what a previous run left that could not be
  /// removed) and saves it.
  void reset(std::vector<InstalledItem> items);

  bool contains(const InstalledItem& item) const;
  /// The recorded entry sameItem() matches, or null.
  const InstalledItem* find(const InstalledItem& item) const;
  const std::vector<InstalledItem>& items() const { return items_; }
  /// Saves that failed since the ledger was made.
  std::uint64_t saveErrors() const { return saveErrors_; }

 private:
  void save();
  /// Removes the items `match` selects (and their lines); saves if any.
  void eraseIf(const std::function<bool(const InstalledItem&)>& match);

  LedgerStore& store_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<InstalledItem> items_;
  /// ledgerText()'s line of each item, in the same order.
  std::vector<std::string> lines_;
  /// The text of the last save: its capacity is kept for the next.
  std::string text_;
  std::uint64_t saveErrors_ = 0;
  bool failing_ = false;
};

}  // namespace vipd::daemon
