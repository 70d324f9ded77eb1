#pragma once

#include <memory>
#include <string>
#include <system_error>

struct nl_sock;

namespace vipd::net {

/// libnl's error codes (NLE_*) as a std::error_code.
std::error_code libnlError(int code);

/// An rtnetlink socket for libnl-route requests (addresses, routes, rules)
/// that keeps what the kernel said about the last one: its errno, which libnl
/// would fold into a lossy NLE_* code, and its extended-ack text ("Nexthop
/// has invalid gateway").
///
/// NOTE: one request at a time, from one thread. Bound to the network
/// namespace of the thread that constructs it; neither copyable nor movable
/// (libnl's error callback points at this object).
class NetlinkRequestSocket {
 public:
  /// Opens and connects the socket and asks for extended acks; throws
  /// std::system_error naming `owner` and the failing step (start-up only).
  explicit NetlinkRequestSocket(const char* owner);
  ~NetlinkRequestSocket();
  NetlinkRequestSocket(const NetlinkRequestSocket&) = delete;
  NetlinkRequestSocket& operator=(const NetlinkRequestSocket&) = delete;

  nl_sock* get() const { return socket_.get(); }
  /// Forgets the last request's answer: call before each request.
  void beginRequest();
  /// The kernel's errno for the last request (0: it gave none).
  int kernelErrno() const { return kernelErrno_; }
  /// The kernel's extended-ack text for the last request ("" if none).
  const std::string& kernelMessage() const { return kernelMessage_; }
  /// The kernel's errno when it gave one, else libnl's code.
  std::error_code errorFrom(int libnlResult) const;

 private:
  struct SocketDeleter {
    void operator()(nl_sock* sock) const;
  };
  /// libnl's error callback (defined in the .cpp) fills the fields below.
  friend struct RequestCallbacks;

  std::unique_ptr<nl_sock, SocketDeleter> socket_;
  int kernelErrno_ = 0;
  std::string kernelMessage_;
};

}  // namespace vipd::net
