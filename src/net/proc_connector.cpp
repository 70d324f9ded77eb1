#include "vipd/net/proc_connector.h"

#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/connector.h>
#include <sched.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>

#include "netlink_log.h"
#include "vipd/util/unique_fd.h"

namespace vipd::net {
namespace {

std::system_error connectorFailure(int error, const std::string& step) {
  return std::system_error(error, std::system_category(), "process connector: " + step);
}

/// Moves the calling thread into the network namespace `path` names for its
/// lifetime. NOTE: a failure to come back would leave every later socket in
/// the wrong namespace, so it aborts the daemon rather than carry on.
class InNetNamespace {
 public:
  explicit InNetNamespace(const std::string& path)
      : original_(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)),
        target_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (!original_ || !target_) throw connectorFailure(errno, "open " + path);
    if (::setns(target_.get(), CLONE_NEWNET) != 0)
      throw connectorFailure(errno, "setns(" + path + ")");
  }
  ~InNetNamespace() {
    if (::setns(original_.get(), CLONE_NEWNET) != 0) {
      netlinkLog()->critical("process connector: cannot return to vipd's network namespace: {}",
                             std::system_category().message(errno));
      std::abort();
    }
  }
  InNetNamespace(const InNetNamespace&) = delete;
  InNetNamespace& operator=(const InNetNamespace&) = delete;

 private:
  util::UniqueFd original_;
  util::UniqueFd target_;
};

bool sendListen(mnl_socket* socket, bool listen) {
  const auto message = buildProcListenMessage(listen, mnl_socket_get_portid(socket));
  return mnl_socket_sendto(socket, message.data(), message.size()) >= 0;
}

void setReceiveBuffer(int fd, int bytes) {
  // SO_RCVBUFFORCE ignores net.core.rmem_max but needs CAP_NET_ADMIN.
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  }
}

}  // namespace

void ProcConnector::SocketDeleter::operator()(mnl_socket* socket) const {
  sendListen(socket, false);  // best effort: the kernel counts listeners
  mnl_socket_close(socket);
}

// nullptr with `error` set when the kernel refuses the subscription; throws
// on any other failure.
ProcConnector::Socket ProcConnector::open(int receiveBufferBytes, int& error) {
  Socket socket(mnl_socket_open2(NETLINK_CONNECTOR, SOCK_NONBLOCK | SOCK_CLOEXEC));
  if (!socket) throw connectorFailure(errno, "socket(NETLINK_CONNECTOR)");
  setReceiveBuffer(mnl_socket_get_fd(socket.get()), receiveBufferBytes);
  if (mnl_socket_bind(socket.get(), CN_IDX_PROC, MNL_SOCKET_AUTOPID) != 0) {
    throw connectorFailure(errno, "bind(CN_IDX_PROC)");
  }
  const auto message = buildProcListenMessage(true, mnl_socket_get_portid(socket.get()));
  if (mnl_socket_sendto(socket.get(), message.data(), message.size()) < 0) {
    error = errno;
    mnl_socket_close(socket.release());  // not subscribed: nothing to undo
    return nullptr;
  }
  return socket;
}

// Refused with ECONNREFUSED outside the initial network namespace. The
// candidates for that one: PID 1's (a daemon's usual case), else the
// parent's (`ip netns exec vipd` from a host shell; PID 1's may be out of
// reach in a container). The kernel's acceptance of the subscription is
// the proof that the namespace is the right one.
ProcConnector::ProcConnector(int receiveBufferBytes) : buffer_(kBufferSize) {
  int error = 0;
  socket_ = open(receiveBufferBytes, error);
  for (const pid_t pid : {pid_t{1}, ::getppid()}) {
    if (socket_ || error != ECONNREFUSED) break;
    const std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
    try {
      InNetNamespace candidate(path);
      socket_ = open(receiveBufferBytes, error);
      borrowed_ = socket_ != nullptr;
    } catch (const std::system_error& e) {
      netlinkLog()->debug("process connector: {}", e.what());
    }
  }
  if (!socket_) {
    throw connectorFailure(
        error, error == ECONNREFUSED
                   ? "subscribe (PROC_CN_MCAST_LISTEN): the connector exists only in the "
                     "initial network namespace, which could not be entered"
                   : "subscribe (PROC_CN_MCAST_LISTEN)");
  }
  netlinkLog()->debug("process connector open fd={} borrowed_namespace={}", fd(), borrowed_);
}

ProcConnector::~ProcConnector() = default;

int ProcConnector::fd() const { return mnl_socket_get_fd(socket_.get()); }

// keepalived doubles the buffer too, and asks for process_monitor_rcv_bufs
// [SRC core/track_process.c:reinitialise_track_processes].
void ProcConnector::growReceiveBuffer() {
  int bytes = 0;
  socklen_t length = sizeof bytes;
  if (::getsockopt(fd(), SOL_SOCKET, SO_RCVBUF, &bytes, &length) != 0) return;
  setReceiveBuffer(fd(), bytes);  // the kernel doubles what it is given
  netlinkLog()->warn("process connector overrun: receive buffer now {} bytes", 2 * bytes);
}

std::vector<ProcEvent> ProcConnector::readEvents() {
  std::vector<ProcEvent> events;
  const auto lost = [&events] {
    if (events.empty() || !std::holds_alternative<ProcEventsLost>(events.back())) {
      events.emplace_back(ProcEventsLost{});
    }
  };
  for (;;) {
    sockaddr_nl from{};
    socklen_t fromLength = sizeof from;
    const ssize_t n = ::recvfrom(fd(), buffer_.data(), buffer_.size(), MSG_TRUNC,
                                 reinterpret_cast<sockaddr*>(&from), &fromLength);
    if (n >= 0) {
      if (static_cast<std::size_t>(n) > buffer_.size()) {
        ++stats_.truncated;
        lost();
        continue;
      }
      // Only the kernel (port 0) speaks for the connector [SRC handle_proc_ev].
      if (fromLength != sizeof from || from.nl_pid != 0) {
        ++stats_.foreign;
        continue;
      }
      ++stats_.datagrams;
      stats_.malformed += parseProcEvents({buffer_.data(), static_cast<std::size_t>(n)}, events);
      continue;
    }
    const int error = errno;
    if (error == EINTR) continue;
    if (error == EAGAIN || error == EWOULDBLOCK) break;
    if (error == ENOBUFS) {
      ++stats_.overruns;
      growReceiveBuffer();
      lost();
      continue;
    }
    ++stats_.readErrors;
    netlinkLog()->error("process connector read failed errno={} error=\"{}\"", error,
                        std::system_category().message(error));
    break;
  }
  stats_.events += events.size();
  return events;
}

}  // namespace vipd::net
