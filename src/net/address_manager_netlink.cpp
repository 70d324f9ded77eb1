#include "vipd/net/address_manager_netlink.h"

#include <linux/netlink.h>
#include <net/if.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "address_kernel.h"
#include "netlink_log.h"

namespace vipd::net {
namespace {

struct AddrDeleter {
  void operator()(rtnl_addr* addr) const { rtnl_addr_put(addr); }
};
struct NlAddrDeleter {
  void operator()(nl_addr* addr) const { nl_addr_put(addr); }
};
struct LinkDeleter {
  void operator()(rtnl_link* link) const { rtnl_link_put(link); }
};
using AddrPtr = std::unique_ptr<rtnl_addr, AddrDeleter>;
using NlAddrPtr = std::unique_ptr<nl_addr, NlAddrDeleter>;
using LinkPtr = std::unique_ptr<rtnl_link, LinkDeleter>;

int toAf(util::Family family) { return family == util::Family::V4 ? AF_INET : AF_INET6; }

NlAddrPtr toNlAddr(const util::IpAddress& ip) {
  auto bytes = ip.bytes();
  return NlAddrPtr(nl_addr_build(toAf(ip.family()), bytes.data(), bytes.size()));
}

std::optional<util::IpAddress> fromNlAddr(const nl_addr* addr) {
  if (addr == nullptr) return std::nullopt;
  const auto* data = static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(addr));
  return util::IpAddress::fromBytes({data, nl_addr_get_len(addr)});
}

/// The libnl object add() and remove() send. Delete requests carry the
/// identity only, as keepalived's do (local, prefix length, and libnl adds
/// IFA_ADDRESS = local, which makes the kernel match the prefix length).
NetlinkResult<AddrPtr> toRtnlAddr(const InterfaceAddress& address, bool forAdd) {
  AddrPtr addr(rtnl_addr_alloc());
  NlAddrPtr local = toNlAddr(address.address);
  if (!addr || !local) return libnlError(NLE_NOMEM);
  rtnl_addr_set_ifindex(addr.get(), address.ifindex);
  if (int rc = rtnl_addr_set_local(addr.get(), local.get()); rc < 0) return libnlError(rc);
  rtnl_addr_set_prefixlen(addr.get(), address.prefixLength);
  if (!forAdd) return addr;

  if (address.address.isV4()) {
    // IPv6 gets libnl's default (universe); the kernel ignores it for IPv6.
    rtnl_addr_set_scope(addr.get(), static_cast<int>(address.scope));
    if (!address.label.empty()) {
      if (int rc = rtnl_addr_set_label(addr.get(), address.label.c_str()); rc < 0) {
        return libnlError(rc);
      }
    }
    if (address.broadcast) {
      NlAddrPtr broadcast = toNlAddr(*address.broadcast);
      if (!broadcast) return libnlError(NLE_NOMEM);
      if (int rc = rtnl_addr_set_broadcast(addr.get(), broadcast.get()); rc < 0) {
        return libnlError(rc);
      }
    }
  }
  // libnl puts flags above 0xff (NOPREFIXROUTE) into IFA_FLAGS.
  if (std::uint32_t flags = detail::requestFlags(address); flags != 0) {
    rtnl_addr_set_flags(addr.get(), flags);
  }
  if (std::uint32_t preferred = effectivePreferredLifetime(address);
      preferred != kForeverLifetime) {
    // IFA_CACHEINFO carries both; a valid lifetime of 0 would be refused.
    rtnl_addr_set_valid_lifetime(addr.get(), kForeverLifetime);
    rtnl_addr_set_preferred_lifetime(addr.get(), preferred);
  }
  return addr;
}

std::optional<InterfaceAddress> fromRtnlAddr(rtnl_addr* addr) {
  auto ip = fromNlAddr(rtnl_addr_get_local(addr));
  if (!ip) return std::nullopt;
  InterfaceAddress out;
  out.ifindex = rtnl_addr_get_ifindex(addr);
  out.address = *ip;
  out.prefixLength = static_cast<std::uint8_t>(rtnl_addr_get_prefixlen(addr));
  if (const char* label = rtnl_addr_get_label(addr); label != nullptr && ip->isV4()) {
    out.label = label;
  }
  out.scope = static_cast<Scope>(rtnl_addr_get_scope(addr));
  out.broadcast = fromNlAddr(rtnl_addr_get_broadcast(addr));
  out.preferredLifetime = rtnl_addr_get_preferred_lifetime(addr);
  detail::applyKernelFlags(out, rtnl_addr_get_flags(addr));
  return out;
}

LinkInfo fromRtnlLink(rtnl_link* link) {
  LinkInfo out;
  out.ifindex = rtnl_link_get_ifindex(link);
  if (const char* name = rtnl_link_get_name(link)) out.name = name;
  if (const nl_addr* mac = rtnl_link_get_addr(link);
      mac != nullptr && nl_addr_get_len(mac) == out.mac.size()) {
    std::memcpy(out.mac.data(), nl_addr_get_binary_addr(mac), out.mac.size());
  }
  const unsigned flags = rtnl_link_get_flags(link);
  out.adminUp = (flags & IFF_UP) != 0;
  out.operUp = (flags & IFF_RUNNING) != 0;
  out.mtu = rtnl_link_get_mtu(link);
  return out;
}

}  // namespace

void NetlinkAddressManager::CacheDeleter::operator()(nl_cache* cache) const {
  nl_cache_free(cache);
}

NetlinkAddressManager::NetlinkAddressManager() {
  // libnl peeks at every message to size its buffer: two recvmsg() per ack.
  // A fixed buffer larger than any rtnetlink message or dump batch (the
  // kernel caps those at 32 KiB) makes it one; a message that still did not
  // fit would fail with NLE_MSG_TRUNC, never be cut silently.
  nl_socket_disable_msg_peek(socket_.get());
  if (int rc = nl_socket_set_msg_buf_size(socket_.get(), 64 * 1024); rc < 0) {
    throw std::system_error(libnlError(rc), "netlink address manager: nl_socket_set_msg_buf_size");
  }
  nl_cache* cache = nullptr;
  if (int rc = nl_cache_alloc_name("route/addr", &cache); rc < 0) {
    throw std::system_error(libnlError(rc), "netlink address manager: nl_cache_alloc_name");
  }
  addressCache_.reset(cache);
}

NetlinkAddressManager::~NetlinkAddressManager() = default;

NetlinkResult<AddOutcome> NetlinkAddressManager::add(const InterfaceAddress& address) {
  std::string interfaceName;
  if (!address.label.empty() && address.ifindex > 0) {
    char name[IF_NAMESIZE] = {};
    if (if_indextoname(static_cast<unsigned>(address.ifindex), name) == nullptr) {
      netlinkLog()->warn("address add failed address={} error=\"no such interface\"",
                         toString(address));
      return std::error_code(ENODEV, std::system_category());
    }
    interfaceName = name;
  }
  if (std::error_code invalid = validateForAdd(address, interfaceName)) {
    netlinkLog()->warn("address add refused address={} error=\"{}\"", toString(address),
                       invalid.message());
    return invalid;
  }
  auto request = toRtnlAddr(address, /*forAdd=*/true);
  if (!request) return request.error();

  socket_.beginRequest();
  const int rc = rtnl_addr_add(socket_.get(), request.value().get(), NLM_F_EXCL);
  if (rc >= 0) {
    netlinkLog()->info("address added address={}", toString(address));
    return AddOutcome::Added;
  }
  if (socket_.kernelErrno() == EEXIST) {
    netlinkLog()->info("address adopted address={} reason=\"already present\"", toString(address));
    return AddOutcome::AlreadyPresent;
  }
  std::error_code error = socket_.errorFrom(rc);
  netlinkLog()->warn("address add failed address={} error=\"{}\" kernel=\"{}\"", toString(address),
                     error.message(), socket_.kernelMessage());
  return error;
}

NetlinkResult<RemoveOutcome> NetlinkAddressManager::removeExact(const InterfaceAddress& address) {
  auto request = toRtnlAddr(address, /*forAdd=*/false);
  if (!request) return request.error();
  socket_.beginRequest();
  const int rc = rtnl_addr_delete(socket_.get(), request.value().get(), 0);
  if (rc >= 0) return RemoveOutcome::Removed;
  // EADDRNOTAVAIL: no such address. ENODEV: no such interface, so no address
  // either (keepalived vrrp_ipaddress.c does not even try when the interface
  // is gone).
  if (socket_.kernelErrno() == EADDRNOTAVAIL || socket_.kernelErrno() == ENODEV)
    return RemoveOutcome::WasAbsent;
  return socket_.errorFrom(rc);
}

NetlinkResult<RemoveOutcome> NetlinkAddressManager::remove(const InterfaceAddress& address) {
  if (address.ifindex <= 0) return make_error_code(NetlinkErrc::InvalidIfindex);
  auto outcome = removeExact(address);
  if (outcome && outcome.value() == RemoveOutcome::WasAbsent && address.address.isV6() &&
      socket_.kernelErrno() == EADDRNOTAVAIL) {
    // The kernel deletes an IPv6 address only when the prefix length matches
    // too, but knows it by address alone (sameAddress()); look it up.
    auto present = addressesOf(address.ifindex, util::Family::V6);
    if (!present) return present.error();
    auto it = std::find_if(present.value().begin(), present.value().end(),
                           [&](const InterfaceAddress& a) { return sameAddress(a, address); });
    if (it != present.value().end()) outcome = removeExact(*it);
  }
  if (!outcome) {
    netlinkLog()->warn("address remove failed address={} error=\"{}\" kernel=\"{}\"",
                       toString(address), outcome.error().message(), socket_.kernelMessage());
    return outcome;
  }
  if (outcome.value() == RemoveOutcome::Removed) {
    netlinkLog()->info("address removed address={}", toString(address));
  } else {
    netlinkLog()->info("address remove skipped address={} reason=\"not present\"",
                       toString(address));
  }
  return outcome;
}

NetlinkResult<bool> NetlinkAddressManager::contains(const InterfaceAddress& address) {
  auto present = addressesOf(address.ifindex, address.address.family());
  if (!present) return present.error();
  return std::any_of(present.value().begin(), present.value().end(),
                     [&](const InterfaceAddress& a) { return sameAddress(a, address); });
}

NetlinkResult<LinkInfo> NetlinkAddressManager::getLink(int ifindex, const char* name) {
  socket_.beginRequest();
  rtnl_link* raw = nullptr;
  const int rc = rtnl_link_get_kernel(socket_.get(), ifindex, name, &raw);
  LinkPtr link(raw);
  if (rc < 0 || !link) {
    // rtnl_link_get_kernel() installs its own error callback (it keeps the
    // errno only to detect old kernels), so ours does not see ENODEV; libnl's
    // NLE_NODEV / NLE_OBJ_NOTFOUND is the same answer.
    const std::error_code noSuchDevice(ENODEV, std::system_category());
    std::error_code error = rc == -NLE_NODEV || rc == -NLE_OBJ_NOTFOUND || rc >= 0
                                ? noSuchDevice
                                : socket_.errorFrom(rc);
    if (error != noSuchDevice) {
      netlinkLog()->warn("link query failed ifindex={} name={} error=\"{}\" kernel=\"{}\"", ifindex,
                         name != nullptr ? name : "", error.message(), socket_.kernelMessage());
    }
    return error;
  }
  return fromRtnlLink(link.get());
}

NetlinkResult<LinkInfo> NetlinkAddressManager::linkByName(const std::string& name) {
  // A name the kernel cannot hold names no link (it would say EINVAL).
  if (name.empty() || name.size() >= IFNAMSIZ) {
    return std::error_code(ENODEV, std::system_category());
  }
  return getLink(0, name.c_str());
}

NetlinkResult<LinkInfo> NetlinkAddressManager::linkByIndex(int ifindex) {
  if (ifindex <= 0) return std::error_code(ENODEV, std::system_category());
  return getLink(ifindex, nullptr);
}

NetlinkResult<std::vector<InterfaceAddress>> NetlinkAddressManager::addressesOf(
    int ifindex, util::Family family) {
  if (ifindex <= 0) return std::vector<InterfaceAddress>{};
  return dumpAddresses(ifindex, family);
}

NetlinkResult<std::vector<InterfaceAddress>> NetlinkAddressManager::hostAddresses(
    util::Family family) {
  return dumpAddresses(0, family);
}

NetlinkResult<std::vector<InterfaceAddress>> NetlinkAddressManager::dumpAddresses(
    int ifindex, util::Family family) {
  int rc = 0;
  // A dump that raced with a change is flagged NLM_F_DUMP_INTR; try again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    socket_.beginRequest();
    rc = nl_cache_refill(socket_.get(), addressCache_.get());
    if (rc != -NLE_DUMP_INTR) break;
  }
  if (rc < 0) {
    std::error_code error = socket_.errorFrom(rc);
    netlinkLog()->warn("address query failed ifindex={} error=\"{}\"", ifindex, error.message());
    return error;
  }
  std::vector<InterfaceAddress> out;
  const int af = toAf(family);
  for (nl_object* object = nl_cache_get_first(addressCache_.get()); object != nullptr;
       object = nl_cache_get_next(object)) {
    auto* addr = reinterpret_cast<rtnl_addr*>(object);
    if (ifindex != 0 && rtnl_addr_get_ifindex(addr) != ifindex) continue;
    if (rtnl_addr_get_family(addr) != af) continue;
    if (auto converted = fromRtnlAddr(addr)) out.push_back(std::move(*converted));
  }
  return out;
}

}  // namespace vipd::net
