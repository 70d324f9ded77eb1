#include "rtnl.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "realtime.h"

namespace vipd::lab {

namespace {

struct MnlCloser {
  void operator()(mnl_socket* s) const { mnl_socket_close(s); }
};
using MnlSocket = std::unique_ptr<mnl_socket, MnlCloser>;

MnlSocket openRtnl(unsigned groups) {
  MnlSocket nl(mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC));
  if (!nl) throw std::runtime_error(std::string("mnl_socket_open: ") + strerror(errno));
  if (mnl_socket_bind(nl.get(), groups, MNL_SOCKET_AUTOPID) < 0) {
    throw std::runtime_error(std::string("mnl_socket_bind: ") + strerror(errno));
  }
  return nl;
}

struct AddressAttr {
  const void* local = nullptr;
  const void* address = nullptr;
  std::size_t length = 0;
};

int addressAttr(const nlattr* attr, void* data) {
  auto* out = static_cast<AddressAttr*>(data);
  const auto type = mnl_attr_get_type(attr);
  if (type == IFA_LOCAL) out->local = mnl_attr_get_payload(attr);
  if (type == IFA_ADDRESS) out->address = mnl_attr_get_payload(attr);
  if (type == IFA_LOCAL || type == IFA_ADDRESS) out->length = mnl_attr_get_payload_len(attr);
  return MNL_CB_OK;
}

}  // namespace

void setLinkNow(const testing::NetNs& ns, const std::string& ifname, bool up) {
  testing::EnterNetNs enter(ns);
  auto nl = openRtnl(0);
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  auto* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_NEWLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  nlh->nlmsg_seq = 1;
  auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_change = IFF_UP;
  ifi->ifi_flags = up ? IFF_UP : 0;
  mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname.c_str());
  if (mnl_socket_sendto(nl.get(), nlh, nlh->nlmsg_len) < 0) {
    throw std::runtime_error(std::string("RTM_NEWLINK send: ") + strerror(errno));
  }
  const auto n = mnl_socket_recvfrom(nl.get(), buf.data(), buf.size());
  if (n < 0 || mnl_cb_run(buf.data(), static_cast<std::size_t>(n), 1,
                          mnl_socket_get_portid(nl.get()), nullptr, nullptr) < 0) {
    throw std::runtime_error("set link " + ifname + (up ? " up" : " down") + " in " + ns.name() +
                             ": " + strerror(errno));
  }
}

AddressWatch::AddressWatch(const testing::NetNs& ns, const std::string& address)
    : address_(address) {
  const bool v6 = address.find(':') != std::string::npos;
  if (inet_pton(v6 ? AF_INET6 : AF_INET, address.c_str(), want_) != 1) {
    throw std::invalid_argument("not an address: " + address);
  }
  wantLength_ = v6 ? 16 : 4;
  {
    testing::EnterNetNs enter(ns);
    nl_ = openRtnl(RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR).release();
  }
  stopFd_ = eventfd(0, EFD_CLOEXEC);
  if (stopFd_ < 0) {
    mnl_socket_close(nl_);
    throw std::runtime_error("eventfd failed");
  }
  thread_ = std::thread([this] { run(); });
}

AddressWatch::~AddressWatch() {
  const std::uint64_t one = 1;
  if (write(stopFd_, &one, sizeof one) != sizeof one) std::abort();  // join would hang
  thread_.join();
  close(stopFd_);
  mnl_socket_close(nl_);
}

void AddressWatch::run() {
  tryRealtime();
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  pollfd fds[2] = {{mnl_socket_get_fd(nl_), POLLIN, 0}, {stopFd_, POLLIN, 0}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) continue;  // EINTR
    if (fds[1].revents) return;
    const auto n = mnl_socket_recvfrom(nl_, buf.data(), buf.size());
    if (n <= 0) continue;  // ENOBUFS on overrun: later events still count
    auto cb = [](const nlmsghdr* nlh, void* data) -> int {
      auto* self = static_cast<AddressWatch*>(data);
      if (nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR) return MNL_CB_OK;
      AddressAttr attr;
      mnl_attr_parse(nlh, sizeof(ifaddrmsg), addressAttr, &attr);
      // IPv4 names the host's own address IFA_LOCAL (IFA_ADDRESS is the peer
      // on point-to-point links); IPv6 has IFA_ADDRESS only.
      const void* a = attr.local ? attr.local : attr.address;
      if (a) self->onMessage(nlh->nlmsg_type, a, attr.length);
      return MNL_CB_OK;
    };
    mnl_cb_run(buf.data(), static_cast<std::size_t>(n), 0, 0, cb, this);
  }
}

void AddressWatch::onMessage(int type, const void* address, std::size_t length) {
  if (length != wantLength_ || std::memcmp(address, want_, length) != 0) return;
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  auto& slot = type == RTM_NEWADDR ? added_ : removed_;
  if (!slot) slot = now;
  changed_.notify_all();
}

std::optional<Clock::time_point> AddressWatch::wait(std::optional<Clock::time_point>& slot,
                                                    std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return slot.has_value(); });
  return slot;
}

std::optional<Clock::time_point> AddressWatch::waitAdded(std::chrono::milliseconds timeout) {
  return wait(added_, timeout);
}

std::optional<Clock::time_point> AddressWatch::waitRemoved(std::chrono::milliseconds timeout) {
  return wait(removed_, timeout);
}

}  // namespace vipd::lab
