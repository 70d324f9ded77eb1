#pragma once

#include <algorithm>
#include <cerrno>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "vipd/net/address_manager.h"
#include "vipd/net/netlink_monitor_events.h"

namespace vipd::fakes {

/// An in-memory AddressManager: links and addresses live in maps, and each
/// operation follows the kernel's rules as NetlinkAddressManager sees them:
///  - add(): validateForAdd(); ENODEV for a missing link; AlreadyPresent for
///    an address sameAddress() matches (left unchanged); otherwise stored
///    after the others of its interface, `secondary` when an earlier
///    non-secondary IPv4 address of the interface with the same prefix
///    length covers it, and `tentative` only for IPv6 with noDad = false
///    (until finishDad()); an IPv4 address without a label gets the
///    interface name, as the kernel reports it;
///  - remove(): WasAbsent for a missing address or link, else Removed;
///  - links: linkByName()/linkByIndex() fail with ENODEV when missing;
///  - addressesOf(), hostAddresses(): in insertion order, like the kernel's list.
/// Not modelled: removal of secondaries with their primary, prefix routes.
///
/// Test controls: failure injection per operation (failNext(), failAlways()),
/// a log of every call in order (calls()), and the events the kernel would
/// have sent to a NetlinkMonitor (takeEvents()), so daemon tests can feed
/// them back as if they came from the monitor.
///
/// NOTE: single-threaded, like the real one.
class FakeAddressManager final : public net::AddressManager {
 public:
  enum class Op { Add, Remove, Contains, LinkByName, LinkByIndex, AddressesOf, HostAddresses };

  /// One recorded call. `address` is set for Add/Remove/Contains, `name` for
  /// LinkByName, `ifindex` for LinkByIndex/AddressesOf (and the address's).
  struct Call {
    Op op;
    std::optional<net::InterfaceAddress> address;
    std::string name;
    int ifindex = 0;
    std::error_code result;  ///< What the call returned (empty on success).
  };

  // --- "kernel" state -------------------------------------------------

  /// Adds or replaces a link; emits LinkChanged.
  void setLink(const net::LinkInfo& link) {
    links_[link.ifindex] = link;
    events_.emplace_back(net::LinkChanged{link});
  }

  /// Changes a link's flags (like `ip link set X down`); emits LinkChanged.
  void setLinkState(int ifindex, bool adminUp, bool operUp) {
    auto it = links_.find(ifindex);
    if (it == links_.end()) return;
    it->second.adminUp = adminUp;
    it->second.operUp = operUp;
    events_.emplace_back(net::LinkChanged{it->second});
  }

  /// Deletes a link and its addresses; emits AddressRemoved for each, then
  /// LinkRemoved.
  void deleteLink(int ifindex) {
    auto it = links_.find(ifindex);
    if (it == links_.end()) return;
    std::erase_if(addresses_, [&](const net::InterfaceAddress& a) {
      if (a.ifindex != ifindex) return false;
      events_.emplace_back(net::AddressRemoved{a});
      return true;
    });
    events_.emplace_back(net::LinkRemoved{ifindex, it->second.name});
    links_.erase(it);
  }

  /// Puts an address in place directly (someone else's, e.g. the interface's
  /// primary address), bypassing validation and the call log.
  void putAddress(net::InterfaceAddress address) { store(std::move(address)); }

  /// Removes an address behind the daemon's back (like `ip addr del`).
  void dropAddress(const net::InterfaceAddress& address) { erase(address); }

  /// Ends DAD for a tentative IPv6 address; emits AddressAdded again.
  void finishDad(const net::InterfaceAddress& address) {
    for (auto& a : addresses_) {
      if (net::sameAddress(a, address) && a.tentative) {
        a.tentative = false;
        events_.emplace_back(net::AddressAdded{a});
      }
    }
  }

  /// Every address on every link, in insertion order.
  const std::vector<net::InterfaceAddress>& allAddresses() const { return addresses_; }
  bool has(const net::InterfaceAddress& address) const { return find(address) != nullptr; }

  // --- test controls --------------------------------------------------

  /// The next `times` calls of `op` fail with `error` (and change nothing).
  void failNext(Op op, std::error_code error, int times = 1) {
    failures_[op] = Failure{error, times};
  }
  /// Every call of `op` fails with `error` until clearFailures().
  void failAlways(Op op, std::error_code error) { failures_[op] = Failure{error, -1}; }
  void clearFailures() { failures_.clear(); }

  const std::vector<Call>& calls() const { return calls_; }
  void clearCalls() { calls_.clear(); }
  /// The ops of calls(), for compact expectations.
  std::vector<Op> callOps() const {
    std::vector<Op> ops;
    for (const auto& call : calls_) ops.push_back(call.op);
    return ops;
  }

  /// Events emitted since the last call, oldest first.
  std::vector<net::NetEvent> takeEvents() { return std::exchange(events_, {}); }

  // --- AddressManager -------------------------------------------------

  net::NetlinkResult<net::AddOutcome> add(const net::InterfaceAddress& address) override {
    Call& call = record(Op::Add, address);
    if (auto injected = injectedFailure(Op::Add)) return call.result = *injected;
    auto link = links_.find(address.ifindex);
    const std::string name = link != links_.end() ? link->second.name : std::string();
    // Same order as NetlinkAddressManager: a label needs the interface name.
    if (!address.label.empty() && address.ifindex > 0 && link == links_.end()) {
      return call.result = noSuchDevice();
    }
    if (auto invalid = net::validateForAdd(address, name)) return call.result = invalid;
    if (link == links_.end()) return call.result = noSuchDevice();
    if (find(address) != nullptr) return net::AddOutcome::AlreadyPresent;
    net::InterfaceAddress stored = address;
    stored.secondary = false;
    stored.tentative = address.address.isV6() && !address.noDad;
    stored.preferredLifetime = net::effectivePreferredLifetime(address);
    if (address.address.isV4()) {
      if (stored.label.empty()) stored.label = name;
    } else {
      stored.noDad = address.noDad;
      if (address.address.isLinkLocal()) stored.scope = net::Scope::Link;
    }
    store(std::move(stored));
    return net::AddOutcome::Added;
  }

  net::NetlinkResult<net::RemoveOutcome> remove(const net::InterfaceAddress& address) override {
    Call& call = record(Op::Remove, address);
    if (auto injected = injectedFailure(Op::Remove)) return call.result = *injected;
    if (address.ifindex <= 0) return call.result = net::NetlinkErrc::InvalidIfindex;
    return erase(address) ? net::RemoveOutcome::Removed : net::RemoveOutcome::WasAbsent;
  }

  net::NetlinkResult<bool> contains(const net::InterfaceAddress& address) override {
    Call& call = record(Op::Contains, address);
    if (auto injected = injectedFailure(Op::Contains)) return call.result = *injected;
    return find(address) != nullptr;
  }

  net::NetlinkResult<net::LinkInfo> linkByName(const std::string& name) override {
    Call& call = record(Op::LinkByName, std::nullopt);
    call.name = name;
    if (auto injected = injectedFailure(Op::LinkByName)) return call.result = *injected;
    for (const auto& [index, link] : links_) {
      if (link.name == name) return link;
    }
    return call.result = noSuchDevice();
  }

  net::NetlinkResult<net::LinkInfo> linkByIndex(int ifindex) override {
    Call& call = record(Op::LinkByIndex, std::nullopt);
    call.ifindex = ifindex;
    if (auto injected = injectedFailure(Op::LinkByIndex)) return call.result = *injected;
    auto it = links_.find(ifindex);
    if (it == links_.end()) return call.result = noSuchDevice();
    return it->second;
  }

  net::NetlinkResult<std::vector<net::InterfaceAddress>> addressesOf(int ifindex,
                                                                     util::Family family) override {
    Call& call = record(Op::AddressesOf, std::nullopt);
    call.ifindex = ifindex;
    if (auto injected = injectedFailure(Op::AddressesOf)) return call.result = *injected;
    std::vector<net::InterfaceAddress> out;
    for (const auto& a : addresses_) {
      if (a.ifindex == ifindex && a.address.family() == family) out.push_back(a);
    }
    return out;
  }

  net::NetlinkResult<std::vector<net::InterfaceAddress>> hostAddresses(
      util::Family family) override {
    Call& call = record(Op::HostAddresses, std::nullopt);
    if (auto injected = injectedFailure(Op::HostAddresses)) return call.result = *injected;
    std::vector<net::InterfaceAddress> out;
    for (const auto& a : addresses_) {
      if (a.address.family() == family) out.push_back(a);
    }
    return out;
  }

 private:
  struct Failure {
    std::error_code error;
    int remaining = 0;  ///< -1: forever.
  };

  static std::error_code noSuchDevice() { return {ENODEV, std::system_category()}; }

  /// Whether `network` (an IPv4 address with its prefix) covers `ip`.
  static bool covers(const net::InterfaceAddress& network, const util::IpAddress& ip) {
    const auto a = network.address.bytes();
    const auto b = ip.bytes();
    unsigned bits = network.prefixLength;
    for (std::size_t i = 0; i < a.size() && bits > 0; ++i) {
      const unsigned take = bits >= 8 ? 8 : bits;
      const auto mask = static_cast<std::uint8_t>(0xff << (8 - take));
      if ((a[i] & mask) != (b[i] & mask)) return false;
      bits -= take;
    }
    return true;
  }

  Call& record(Op op, std::optional<net::InterfaceAddress> address) {
    Call call{op, std::move(address), {}, 0, {}};
    if (call.address) call.ifindex = call.address->ifindex;
    calls_.push_back(std::move(call));
    return calls_.back();
  }

  std::optional<std::error_code> injectedFailure(Op op) {
    auto it = failures_.find(op);
    if (it == failures_.end() || it->second.remaining == 0) return std::nullopt;
    if (it->second.remaining > 0) --it->second.remaining;
    return it->second.error;
  }

  const net::InterfaceAddress* find(const net::InterfaceAddress& address) const {
    auto it = std::find_if(addresses_.begin(), addresses_.end(),
                           [&](const auto& a) { return net::sameAddress(a, address); });
    return it == addresses_.end() ? nullptr : &*it;
  }

  void store(net::InterfaceAddress address) {
    if (address.address.isV4()) {
      address.secondary = std::any_of(addresses_.begin(), addresses_.end(), [&](const auto& a) {
        return a.ifindex == address.ifindex && a.address.isV4() && !a.secondary &&
               a.prefixLength == address.prefixLength && covers(a, address.address);
      });
    }
    events_.emplace_back(net::AddressAdded{address});
    addresses_.push_back(std::move(address));
  }

  bool erase(const net::InterfaceAddress& address) {
    auto it = std::find_if(addresses_.begin(), addresses_.end(),
                           [&](const auto& a) { return net::sameAddress(a, address); });
    if (it == addresses_.end()) return false;
    events_.emplace_back(net::AddressRemoved{*it});
    addresses_.erase(it);
    return true;
  }

  std::map<int, net::LinkInfo> links_;
  std::vector<net::InterfaceAddress> addresses_;
  std::map<Op, Failure> failures_;
  std::vector<Call> calls_;
  std::vector<net::NetEvent> events_;
};

}  // namespace vipd::fakes
