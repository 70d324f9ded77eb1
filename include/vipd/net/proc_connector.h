#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "vipd/net/proc_events.h"

struct mnl_socket;

namespace vipd::net {

/// Counters of one ProcConnector since it was opened.
struct ProcConnectorStats {
  std::uint64_t datagrams = 0;  ///< Datagrams read from the kernel.
  std::uint64_t events = 0;     ///< Events handed out (ProcEventsLost included).
  std::uint64_t overruns = 0;   ///< ENOBUFS: the kernel dropped events for us.
  std::uint64_t truncated = 0;  ///< Datagrams larger than the buffer (dropped).
  std::uint64_t malformed = 0;  ///< Messages parseProcEvents() skipped.
  std::uint64_t foreign = 0;    ///< Datagrams not sent by the kernel (dropped).
  std::uint64_t readErrors = 0;
};

/// The kernel's process connector (NETLINK_CONNECTOR, CN_IDX_PROC): a
/// libmnl socket subscribed with PROC_CN_MCAST_LISTEN that turns the
/// kernel's fork, exec, comm and exit notifications into ProcEvents.
///
/// The connector exists only in the initial network namespace (the kernel
/// registers it there; elsewhere the subscription is refused). keepalived
/// opens it before entering its net_namespace for that reason
/// [SRC core/main.c: "we have to do it before calling setns()"]; vipd may
/// itself be started inside a namespace (ip netns exec), so when the
/// subscription is refused it opens the socket again in PID 1's network
/// namespace, or else its parent's, and comes back (needs CAP_SYS_ADMIN).
/// Process events are host-wide in any case.
///
/// Usage: register fd() with epoll (level-triggered); when readable call
/// readEvents(), which reads everything queued and never blocks. An overrun
/// shows up as ProcEventsLost, and the receive buffer is doubled.
///
/// NOTE: owns the socket (non-blocking, close-on-exec); unsubscribes and
/// closes it on destruction. Not copyable or movable; use it from the
/// event-loop thread.
class ProcConnector {
 public:
  /// Opens, sizes, binds and subscribes. Throws std::system_error naming
  /// the failing step (EPROTONOSUPPORT: a kernel without CONFIG_PROC_EVENTS).
  explicit ProcConnector(int receiveBufferBytes = 1 << 20);
  ~ProcConnector();
  ProcConnector(const ProcConnector&) = delete;
  ProcConnector& operator=(const ProcConnector&) = delete;

  int fd() const;
  std::vector<ProcEvent> readEvents();
  /// True when the socket had to be opened in another network namespace.
  bool borrowedNamespace() const { return borrowed_; }
  const ProcConnectorStats& stats() const { return stats_; }

  /// One datagram: a netlink header, a cn_msg and a proc_event (76 bytes
  /// today); the buffer leaves room for growth.
  static constexpr std::size_t kBufferSize = 8192;

 private:
  struct SocketDeleter {
    void operator()(mnl_socket* socket) const;
  };
  using Socket = std::unique_ptr<mnl_socket, SocketDeleter>;

  static Socket open(int receiveBufferBytes, int& error);
  void growReceiveBuffer();

  Socket socket_;
  bool borrowed_ = false;
  std::vector<std::byte> buffer_;
  ProcConnectorStats stats_;
};

}  // namespace vipd::net
