#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "vipd/net/netlink_monitor_events.h"

struct mnl_socket;

namespace vipd::net {

/// How NetlinkMonitor opens its socket.
struct MonitorOptions {
  /// SO_RCVBUF in bytes (the kernel doubles it). Bursts of notifications
  /// (an interface with many addresses going down) overrun a small buffer;
  /// keepalived lets the operator set it (vrrp_netlink_monitor_rcv_bufs).
  /// Tests shrink it to provoke ENOBUFS.
  int receiveBufferBytes = 8 * 1024 * 1024;
  /// Use SO_RCVBUFFORCE (needs CAP_NET_ADMIN) so net.core.rmem_max does not
  /// cap the size; falls back to SO_RCVBUF when not permitted.
  bool forceReceiveBuffer = true;
};

/// Counters of one NetlinkMonitor since it was opened.
struct MonitorStats {
  std::uint64_t datagrams = 0;   ///< Datagrams read.
  std::uint64_t events = 0;      ///< Events handed out (ResyncNeeded included).
  std::uint64_t overruns = 0;    ///< ENOBUFS: the kernel dropped notifications.
  std::uint64_t truncated = 0;   ///< Datagrams larger than the buffer (dropped).
  std::uint64_t malformed = 0;   ///< Messages parseNetlinkEvents() skipped.
  std::uint64_t readErrors = 0;  ///< Other recv() failures.
};

/// Watches links and IPv4/IPv6 addresses through an rtnetlink multicast
/// socket on libmnl (groups RTMGRP_LINK, RTMGRP_IPV4_IFADDR,
/// RTMGRP_IPV6_IFADDR) and turns the kernel's notifications into NetEvents
/// for the event loop. It only listens: the current state comes from
/// AddressManager queries, at start-up and after ResyncNeeded.
///
/// Usage: register fd() with epoll (EPOLLIN, level-triggered); when it is
/// readable call readEvents(), which reads everything queued and never
/// blocks.
///
/// NOTE: owns the socket (non-blocking, close-on-exec; closed on
/// destruction). Movable, not copyable. Not thread-safe: use it from the
/// event-loop thread. The socket belongs to the network namespace of the
/// thread that constructs the monitor.
class NetlinkMonitor {
 public:
  /// Opens, sizes and binds the socket. Throws std::system_error naming the
  /// failing step (start-up only, STYLE.md point 8).
  explicit NetlinkMonitor(const MonitorOptions& options = {});
  ~NetlinkMonitor();
  NetlinkMonitor(NetlinkMonitor&&) noexcept;
  NetlinkMonitor& operator=(NetlinkMonitor&&) noexcept;
  NetlinkMonitor(const NetlinkMonitor&) = delete;
  NetlinkMonitor& operator=(const NetlinkMonitor&) = delete;

  /// The descriptor to wait on; ownership stays here.
  int fd() const;

  /// Reads every queued datagram and returns their events in order. An
  /// overrun (ENOBUFS) or a truncated datagram shows up as ResyncNeeded at
  /// the point where it happened (consecutive ones are merged). Returns an
  /// empty vector when nothing was queued.
  std::vector<NetEvent> readEvents();

  /// SO_RCVBUF as the kernel reports it (twice what was asked for, or capped).
  int receiveBufferBytes() const;

  const MonitorStats& stats() const { return stats_; }

  /// Size of the receive buffer for one datagram. Notifications are one
  /// message each; an RTM_NEWLINK with many attributes stays well below this.
  static constexpr std::size_t kBufferSize = 64 * 1024;

 private:
  struct SocketDeleter {
    void operator()(mnl_socket* socket) const;
  };

  std::unique_ptr<mnl_socket, SocketDeleter> socket_;
  std::vector<std::byte> buffer_;
  MonitorStats stats_;
};

}  // namespace vipd::net
