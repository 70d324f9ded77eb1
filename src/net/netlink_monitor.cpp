#include "vipd/net/netlink_monitor.h"

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <system_error>

#include "netlink_log.h"

namespace vipd::net {
namespace {

std::system_error monitorFailure(const char* step) {
  return std::system_error(errno, std::system_category(), std::string("netlink monitor: ") + step);
}

}  // namespace

void NetlinkMonitor::SocketDeleter::operator()(mnl_socket* socket) const {
  mnl_socket_close(socket);
}

NetlinkMonitor::NetlinkMonitor(const MonitorOptions& options)
    : socket_(mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC)), buffer_(kBufferSize) {
  if (!socket_) throw monitorFailure("mnl_socket_open2(NETLINK_ROUTE)");
  const int fd = mnl_socket_get_fd(socket_.get());
  const int bytes = options.receiveBufferBytes;
  // SO_RCVBUFFORCE ignores net.core.rmem_max but needs CAP_NET_ADMIN.
  // 0 keeps the kernel's default size.
  if (bytes > 0 && (!options.forceReceiveBuffer ||
                    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0)) {
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) != 0) {
      throw monitorFailure("setsockopt(SO_RCVBUF)");
    }
  }
  if (mnl_socket_bind(socket_.get(), RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
                      MNL_SOCKET_AUTOPID) != 0) {
    throw monitorFailure("mnl_socket_bind(RTMGRP_LINK|RTMGRP_IPV4_IFADDR|RTMGRP_IPV6_IFADDR)");
  }
  netlinkLog()->debug("netlink monitor open fd={} rcvbuf={}", fd, receiveBufferBytes());
}

NetlinkMonitor::~NetlinkMonitor() = default;
NetlinkMonitor::NetlinkMonitor(NetlinkMonitor&&) noexcept = default;
NetlinkMonitor& NetlinkMonitor::operator=(NetlinkMonitor&&) noexcept = default;

int NetlinkMonitor::fd() const { return mnl_socket_get_fd(socket_.get()); }

int NetlinkMonitor::receiveBufferBytes() const {
  int bytes = 0;
  socklen_t length = sizeof bytes;
  if (getsockopt(fd(), SOL_SOCKET, SO_RCVBUF, &bytes, &length) != 0) return -1;
  return bytes;
}

std::vector<NetEvent> NetlinkMonitor::readEvents() {
  std::vector<NetEvent> events;
  auto resync = [&events] {
    // One marker per gap is enough: the consumer re-reads everything.
    if (events.empty() || !std::holds_alternative<ResyncNeeded>(events.back())) {
      events.emplace_back(ResyncNeeded{});
    }
  };
  for (;;) {
    const ssize_t n = mnl_socket_recvfrom(socket_.get(), buffer_.data(), buffer_.size());
    if (n >= 0) {
      ++stats_.datagrams;
      const std::size_t malformed =
          parseNetlinkEvents({buffer_.data(), static_cast<std::size_t>(n)}, events);
      if (malformed > 0) {
        stats_.malformed += malformed;
        netlinkLog()->warn("netlink monitor skipped malformed messages count={}", malformed);
      }
      continue;
    }
    const int error = errno;
    if (error == EINTR) continue;
    if (error == EAGAIN || error == EWOULDBLOCK) break;
    if (error == ENOBUFS) {
      // The kernel dropped notifications for us; the socket stays usable.
      ++stats_.overruns;
      netlinkLog()->warn("netlink monitor overrun, resync needed overruns={}", stats_.overruns);
      resync();
      continue;
    }
    if (error == ENOSPC) {
      // libmnl's report of MSG_TRUNC: the datagram did not fit and is gone.
      ++stats_.truncated;
      netlinkLog()->warn("netlink monitor dropped truncated datagram, resync needed");
      resync();
      continue;
    }
    ++stats_.readErrors;
    netlinkLog()->error("netlink monitor read failed errno={} error=\"{}\"", error,
                        std::system_category().message(error));
    break;
  }
  stats_.events += events.size();
  return events;
}

}  // namespace vipd::net
