// vipctl's side of the control socket; see client.h.
#include "vipd/ctl/client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "vipd/util/unique_fd.h"

namespace vipd::ctl {

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw ClientError(path + ": " + what);
}

util::UniqueFd connectTo(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) fail(path, "path too long");
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  util::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) fail(path, std::strerror(errno));
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ECONNREFUSED) fail(path, "vipd is not running (no control socket)");
    fail(path, std::strerror(err));
  }
  return fd;
}

// Waits for `events` on fd until the deadline; false on timeout.
bool wait(int fd, short events, Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd, events, 0};
  int n;
  do {
    n = ::poll(&p, 1, static_cast<int>(left.count()));
  } while (n < 0 && errno == EINTR);
  return n > 0;
}

}  // namespace

nlohmann::json request(const std::string& path, const nlohmann::json& body,
                       std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  util::UniqueFd fd = connectTo(path);
  // An argument that is not UTF-8 (a Latin-1 instance name) is sent with
  // U+FFFD in its place, as vipd shows it, rather than aborting vipctl.
  const std::string out =
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::size_t sent = 0;
  while (sent < out.size()) {
    if (!wait(fd.get(), POLLOUT, deadline)) fail(path, "timed out sending the request");
    const ssize_t n = ::send(fd.get(), out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EINTR) fail(path, std::strerror(errno));
    if (n > 0) sent += static_cast<std::size_t>(n);
  }
  std::string in;
  char buf[16384];
  for (;;) {
    if (!wait(fd.get(), POLLIN, deadline)) fail(path, "timed out waiting for vipd's answer");
    const ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, std::strerror(errno));
    if (n == 0) break;
    in.append(buf, static_cast<std::size_t>(n));
  }
  auto answer = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded() || !answer.is_object()) fail(path, "malformed answer from vipd");
  return answer;
}

}  // namespace vipd::ctl
