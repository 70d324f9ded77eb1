// NetlinkVmacKernel: the macvlan through libnl-route-3, sysctls via /proc/sys.

#include <linux/if_link.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string_view>

#include "vipd/net/netlink_request_socket.h"
#include "vipd/net/vmac.h"

namespace vipd::net {

namespace {

struct VmacLinkDeleter {
  void operator()(rtnl_link* link) const { rtnl_link_put(link); }
};
struct VmacNlAddrDeleter {
  void operator()(nl_addr* addr) const { nl_addr_put(addr); }
};
using VmacLinkPtr = std::unique_ptr<rtnl_link, VmacLinkDeleter>;
using VmacNlAddrPtr = std::unique_ptr<nl_addr, VmacNlAddrDeleter>;

bool isNoDevice(int rc) { return rc == -NLE_NODEV || rc == -NLE_OBJ_NOTFOUND; }

}  // namespace

struct NetlinkVmacKernel::Socket {
  NetlinkRequestSocket request{"vmac netlink"};

  nl_sock* sock() const { return request.get(); }

  /// The link with `ifindex` (or `name`), or the error.
  NetlinkResult<VmacLinkPtr> get(int ifindex, const char* name) {
    request.beginRequest();
    rtnl_link* raw = nullptr;
    const int rc = rtnl_link_get_kernel(sock(), ifindex, name, &raw);
    VmacLinkPtr link(raw);
    if (rc < 0 || !link) {
      if (rc >= 0 || isNoDevice(rc)) return std::error_code(ENODEV, std::system_category());
      return request.errorFrom(rc);
    }
    return link;
  }

  /// Applies `change` to the link `ifindex` (RTM_NEWLINK/RTM_SETLINK).
  std::error_code change(int ifindex, rtnl_link* changes) {
    auto orig = get(ifindex, nullptr);
    if (!orig) return orig.error();
    request.beginRequest();
    const int rc = rtnl_link_change(sock(), orig.value().get(), changes, 0);
    return rc < 0 ? request.errorFrom(rc) : std::error_code();
  }
};

NetlinkVmacKernel::NetlinkVmacKernel() : socket_(std::make_unique<Socket>()) {}

NetlinkVmacKernel::~NetlinkVmacKernel() = default;

NetlinkResult<std::optional<ExistingLink>> NetlinkVmacKernel::find(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ) return std::optional<ExistingLink>();
  auto link = socket_->get(0, name.c_str());
  if (!link) {
    if (link.error() == std::error_code(ENODEV, std::system_category())) {
      return std::optional<ExistingLink>();
    }
    return link.error();
  }
  rtnl_link* l = link.value().get();
  ExistingLink out;
  out.ifindex = rtnl_link_get_ifindex(l);
  const char* type = rtnl_link_get_type(l);
  out.macvlan = type != nullptr && std::string_view(type) == "macvlan";
  out.lowerIfindex = rtnl_link_get_link(l);
  if (const nl_addr* mac = rtnl_link_get_addr(l);
      mac != nullptr && nl_addr_get_len(mac) == out.mac.size()) {
    std::memcpy(out.mac.data(), nl_addr_get_binary_addr(mac), out.mac.size());
  }
  out.privateMode = out.macvlan && rtnl_link_macvlan_get_mode(l) == MACVLAN_MODE_PRIVATE;
  return std::optional<ExistingLink>(out);
}

NetlinkResult<int> NetlinkVmacKernel::create(const VmacSpec& spec) {
  VmacLinkPtr link(rtnl_link_macvlan_alloc());
  VmacNlAddrPtr mac(nl_addr_build(AF_LLC, spec.mac.data(), spec.mac.size()));
  if (!link || !mac) return libnlError(NLE_NOMEM);
  rtnl_link_set_name(link.get(), spec.name.c_str());
  rtnl_link_set_link(link.get(), spec.baseIfindex);
  rtnl_link_set_addr(link.get(), mac.get());
  // keepalived's mode: the macvlan does not talk to its siblings on the
  // same interface, only to the wire.
  if (int rc = rtnl_link_macvlan_set_mode(link.get(), MACVLAN_MODE_PRIVATE); rc < 0) {
    return libnlError(rc);
  }
  socket_->request.beginRequest();
  if (int rc = rtnl_link_add(socket_->sock(), link.get(), NLM_F_CREATE | NLM_F_EXCL); rc < 0) {
    return socket_->request.errorFrom(rc);
  }
  auto created = socket_->get(0, spec.name.c_str());
  if (!created) return created.error();
  return rtnl_link_get_ifindex(created.value().get());
}

std::error_code NetlinkVmacKernel::remove(int ifindex) {
  VmacLinkPtr link(rtnl_link_alloc());
  if (!link) return libnlError(NLE_NOMEM);
  rtnl_link_set_ifindex(link.get(), ifindex);
  socket_->request.beginRequest();
  const int rc = rtnl_link_delete(socket_->sock(), link.get());
  if (rc < 0 && !isNoDevice(rc)) return socket_->request.errorFrom(rc);
  return {};
}

std::error_code NetlinkVmacKernel::disableAddressGeneration(int ifindex) {
  VmacLinkPtr change(rtnl_link_alloc());
  if (!change) return libnlError(NLE_NOMEM);
  if (int rc =
          rtnl_link_inet6_set_addr_gen_mode(change.get(), rtnl_link_inet6_str2addrgenmode("none"));
      rc < 0) {
    return libnlError(rc);
  }
  return socket_->change(ifindex, change.get());
}

std::error_code NetlinkVmacKernel::setUp(int ifindex) {
  VmacLinkPtr change(rtnl_link_alloc());
  if (!change) return libnlError(NLE_NOMEM);
  rtnl_link_set_flags(change.get(), IFF_UP);
  return socket_->change(ifindex, change.get());
}

NetlinkResult<int> NetlinkVmacKernel::readSysctl(const Sysctl& sysctl) {
  std::ifstream in(sysctlPath(sysctl));
  int value = 0;
  if (!(in >> value)) return std::error_code(errno != 0 ? errno : EIO, std::system_category());
  return value;
}

std::error_code NetlinkVmacKernel::writeSysctl(const Sysctl& sysctl) {
  std::ofstream out(sysctlPath(sysctl));
  if (!out) return {errno != 0 ? errno : EIO, std::system_category()};
  out << sysctl.value << '\n';
  out.flush();
  if (!out) return {errno != 0 ? errno : EIO, std::system_category()};
  return {};
}

NetlinkResult<std::vector<std::string>> NetlinkVmacKernel::ipv4Interfaces() {
  std::error_code error;
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/sys/net/ipv4/conf", error)) {
    const std::string name = entry.path().filename().string();
    if (name != "all" && name != "default") out.push_back(name);
  }
  if (error) return error;
  return out;
}

}  // namespace vipd::net
