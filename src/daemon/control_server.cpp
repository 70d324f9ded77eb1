// Control socket I/O on the event loop; see control_server.h.
#include "vipd/daemon/control_server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace vipd::daemon {

namespace {

sockaddr_un addressOf(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    throw std::runtime_error("control socket path too long: " + path);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

// A socket file someone still accepts on belongs to a running daemon.
bool answered(const sockaddr_un& addr) {
  util::UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!probe) return false;
  return ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
}

[[noreturn]] void failControlSocket(const std::string& what, const std::string& path) {
  throw std::runtime_error("control socket " + path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

bool controlSocketAnswers(const std::string& path) {
  if (path.size() >= sizeof(sockaddr_un::sun_path)) return false;
  return answered(addressOf(path));
}

ControlServer::ControlServer(EventLoop& loop, std::string path, Handler handler,
                             std::shared_ptr<spdlog::logger> log,
                             std::chrono::milliseconds clientTimeout)
    : loop_(loop),
      path_(std::move(path)),
      handler_(std::move(handler)),
      log_(std::move(log)),
      clientTimeout_(clientTimeout) {
  const sockaddr_un addr = addressOf(path_);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
  using std::filesystem::file_type;
  // none: cannot tell (bind will say why); not_found: nothing to replace.
  const file_type existing = std::filesystem::symlink_status(path_, ec).type();
  if (existing == file_type::socket) {
    if (answered(addr)) {
      throw std::runtime_error("control socket " + path_ +
                               " is in use: is another vipd running? (--control-socket)");
    }
    std::filesystem::remove(path_, ec);
  } else if (existing != file_type::not_found && existing != file_type::none) {
    // Only a socket can be a crashed daemon's leftover; anything else at the
    // path (a mistyped --control-socket) is someone's file: leave it alone.
    throw std::runtime_error("control socket " + path_ + " exists and is not a socket");
  }
  listener_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!listener_) failControlSocket("socket", path_);
  // Root only from the first moment: bind under a umask, then chmod to be sure.
  const mode_t old = ::umask(0177);
  const int bound = ::bind(listener_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  ::umask(old);
  if (bound != 0) failControlSocket("bind", path_);
  ::chmod(path_.c_str(), 0600);
  if (::listen(listener_.get(), static_cast<int>(kMaxClients)) != 0)
    failControlSocket("listen", path_);
  loop_.addReader(listener_.get(), [this] { onAccept(); });
}

ControlServer::~ControlServer() {
  while (!clients_.empty()) drop(clients_.begin()->first);
  loop_.removeReader(listener_.get());
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

void ControlServer::onAccept() {
  util::UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
  if (!fd) return;  // EAGAIN, or the client gave up already
  if (clients_.size() >= kMaxClients) {
    log_->warn("control socket: {} clients already connected; refusing one", clients_.size());
    return;
  }
  auto client = std::make_unique<Client>();
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (::getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) client->uid = cred.uid;
  const int raw = fd.get();
  client->fd = std::move(fd);
  client->deadline = loop_.armTimer(loop_.now() + clientTimeout_, [this, raw] {
    log_->warn("control socket: client not done within {} ms; closing", clientTimeout_.count());
    drop(raw);
  });
  clients_.emplace(raw, std::move(client));
  loop_.addReader(raw, [this, raw] { onReadable(raw); });
}

void ControlServer::onReadable(int fd) {
  Client& client = *clients_.at(fd);
  char buf[4096];
  const ssize_t n = ::read(fd, buf, sizeof(buf));
  if (n < 0) {
    if (errno != EAGAIN && errno != EINTR) drop(fd);
    return;
  }
  client.in.append(buf, static_cast<std::size_t>(n));
  if (client.in.size() > kMaxRequest) {
    log_->warn("control socket: request over {} bytes; closing", kMaxRequest);
    drop(fd);
    return;
  }
  const auto newline = client.in.find('\n');
  if (newline != std::string::npos) {
    client.in.resize(newline);
  } else if (n != 0) {
    return;  // more to come
  }
  loop_.removeReader(fd);
  respond(client);
}

void ControlServer::respond(Client& client) {
  client.out = handler_(client.in, client.uid);
  client.out.push_back('\n');
  const int fd = client.fd.get();
  loop_.addWriter(fd, [this, fd] { onWritable(fd); });
}

void ControlServer::onWritable(int fd) {
  Client& client = *clients_.at(fd);
  const ssize_t n =
      ::send(fd, client.out.data() + client.sent, client.out.size() - client.sent, MSG_NOSIGNAL);
  if (n < 0) {
    if (errno != EAGAIN && errno != EINTR) drop(fd);
    return;
  }
  client.sent += static_cast<std::size_t>(n);
  if (client.sent == client.out.size()) drop(fd);
}

void ControlServer::drop(int fd) {
  auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  loop_.removeReader(fd);
  loop_.removeWriter(fd);
  loop_.cancelTimer(it->second->deadline);
  clients_.erase(it);
}

}  // namespace vipd::daemon
