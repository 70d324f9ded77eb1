#pragma once

#include <spdlog/logger.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "vipd/daemon/event_loop.h"
#include "vipd/util/unique_fd.h"

namespace vipd::daemon {

/// True when a process accepts connections on the socket at `path`: a vipd
/// runs there (a socket file left by a crash refuses them).
bool controlSocketAnswers(const std::string& path);

/// The control socket: an AF_UNIX stream socket (default
/// /run/vipd/vipd.sock, mode 0600) served from the event loop. Each
/// connection carries one request (ended by a newline or the client's
/// shutdown of its write side) and gets one answer, then is closed.
/// Everything is non-blocking: a slow or silent client costs a descriptor
/// until kClientTimeout, never a stall of the loop. The peer's uid comes
/// from SO_PEERCRED, for the handler's permission check.
///
/// NOTE: lives on the loop's thread; the loop must outlive it.
class ControlServer {
 public:
  using Handler = std::function<std::string(std::string_view request, uid_t peerUid)>;

  static constexpr std::size_t kMaxRequest = 64 * 1024;
  static constexpr std::size_t kMaxClients = 16;
  static constexpr std::chrono::seconds kClientTimeout{5};

  /// Binds and listens on `path`, creating its directory (0755). A socket
  /// file nobody answers on (left by a crash) is replaced; one a live
  /// process answers on is not, nor is a file that is not a socket: throws
  /// std::runtime_error, as for any other failure to bind. A client that
  /// has not been answered within `clientTimeout` of connecting is closed.
  ControlServer(EventLoop& loop, std::string path, Handler handler,
                std::shared_ptr<spdlog::logger> log,
                std::chrono::milliseconds clientTimeout = kClientTimeout);
  /// Closes every connection and removes the socket file.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  const std::string& path() const { return path_; }

 private:
  struct Client {
    util::UniqueFd fd;
    uid_t uid = static_cast<uid_t>(-1);
    std::string in;
    std::string out;
    std::size_t sent = 0;
    EventLoop::TimerId deadline{};
  };

  void onAccept();
  void onReadable(int fd);
  void onWritable(int fd);
  void respond(Client& client);
  void drop(int fd);

  EventLoop& loop_;
  std::string path_;
  Handler handler_;
  std::shared_ptr<spdlog::logger> log_;
  std::chrono::milliseconds clientTimeout_;
  util::UniqueFd listener_;
  std::map<int, std::unique_ptr<Client>> clients_;
};

}  // namespace vipd::daemon
