#include "vipd/daemon/loop_prober.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>

#include "vipd/daemon/http_probe.h"
#include "vipd/util/unique_fd.h"

namespace vipd::daemon {

namespace {

using Clock = Scheduler::Clock;

constexpr std::size_t kReadChunk = 16 * 1024;

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

SocketAddress socketAddress(const util::IpAddress& address, std::uint16_t port) {
  SocketAddress out;
  if (address.isV4()) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    std::memcpy(&sa.sin_addr, address.bytes().data(), 4);
    std::memcpy(&out.storage, &sa, sizeof sa);
    out.length = sizeof sa;
  } else {
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(port);
    std::memcpy(&sa.sin6_addr, address.bytes().data(), 16);
    std::memcpy(&out.storage, &sa, sizeof sa);
    out.length = sizeof sa;
  }
  return out;
}

std::string endpoint(const config::NativeProbe& probe) {
  const std::string ip = probe.connectIp.toString();
  return (probe.connectIp.isV6() ? "[" + ip + "]" : ip) + ":" + std::to_string(probe.connectPort);
}

std::string errorText(int error) { return std::strerror(error); }

/// "2 s", "0.25 s".
std::string secondsText(std::chrono::microseconds value) {
  std::string text = std::to_string(value.count() / 1'000'000);
  if (const auto fraction = value.count() % 1'000'000; fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, 6 - digits.size(), '0');
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  return text + " s";
}

}  // namespace

/// One attempt: the probe, where it is (which url, which phase) and its
/// connection. The report is delivered by `timer` once `outcome` is set.
struct LoopProber::Attempt {
  enum class Phase : std::uint8_t { Connecting, Sending, Receiving, Reporting };

  config::NativeProbe probe;
  Clock::time_point deadline;
  DoneCallback onDone;
  std::size_t url = 0;
  Phase phase = Phase::Connecting;
  util::UniqueFd fd;
  bool reading = false;
  bool writing = false;
  std::string request;
  std::size_t sent = 0;
  std::optional<HttpResponseReader> response;
  std::optional<Scheduler::TimerId> timer;
  std::optional<ProbeOutcome> outcome;

  const config::HttpUrl& currentUrl() const { return probe.urls.at(url); }
  bool http() const { return probe.kind == config::ProbeKind::Http; }
  /// "GET /health" for HTTP, the endpoint for TCP: what a message is about.
  std::string what() const {
    return http() ? "GET " + currentUrl().path + " from " + endpoint(probe) : endpoint(probe);
  }
};

LoopProber::LoopProber(EventLoop& loop, Limits limits) : loop_(loop), limits_(limits) {}

LoopProber::~LoopProber() {
  for (auto& [id, attempt] : attempts_) {
    if (attempt->timer) loop_.cancelTimer(*attempt->timer);
    closeConnection(*attempt);
  }
}

LoopProber::Attempt* LoopProber::find(ProbeId id) {
  const auto it = attempts_.find(id);
  return it == attempts_.end() ? nullptr : it->second.get();
}

Prober::ProbeId LoopProber::start(const config::NativeProbe& probe, Clock::time_point deadline,
                                  DoneCallback onDone) {
  const ProbeId id = nextId_++;
  auto attempt = std::make_unique<Attempt>();
  attempt->probe = probe;
  attempt->deadline = deadline;
  attempt->onDone = std::move(onDone);
  Attempt& a = *attempt;
  attempts_.emplace(id, std::move(attempt));
  if (a.http() && a.probe.urls.empty()) {
    finish(id, a, ProbeStatus::Failure, "HTTP_GET has no url");
  } else {
    connect(id, a);
  }
  return id;
}

void LoopProber::cancel(ProbeId id) {
  const auto it = attempts_.find(id);
  if (it == attempts_.end()) return;
  if (it->second->timer) loop_.cancelTimer(*it->second->timer);
  closeConnection(*it->second);
  attempts_.erase(it);
}

// A connection per url (and one for TCP_CHECK), each with its own timer.
void LoopProber::connect(ProbeId id, Attempt& a) {
  a.phase = Attempt::Phase::Connecting;
  const int family = a.probe.connectIp.isV4() ? AF_INET : AF_INET6;
  a.fd.reset(::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!a.fd) return finish(id, a, ProbeStatus::Failure, "socket: " + errorText(errno));
  if (a.probe.bindTo) {
    const SocketAddress source = socketAddress(*a.probe.bindTo, 0);
    if (::bind(a.fd.get(), source.get(), source.length) != 0) {
      return finish(id, a, ProbeStatus::Failure,
                    "bindto " + a.probe.bindTo->toString() + ": " + errorText(errno));
    }
  }
  const SocketAddress target = socketAddress(a.probe.connectIp, a.probe.connectPort);
  const auto connectTimeout = std::chrono::duration_cast<Clock::duration>(a.probe.connectTimeout);
  a.timer = loop_.armTimer(std::min(loop_.now() + connectTimeout, a.deadline),
                           [this, id] { onTimeout(id); });
  if (::connect(a.fd.get(), target.get(), target.length) == 0) {
    onWritable(id);  // connected at once (loopback may)
    return;
  }
  if (errno != EINPROGRESS) {
    return finish(id, a, ProbeStatus::Failure,
                  "connect to " + endpoint(a.probe) + ": " + errorText(errno));
  }
  watch(id, a, Watch::Write);
}

// epoll_ctl can fail (ENOMEM, ENOSPC): then the attempt fails, not the daemon.
void LoopProber::watch(ProbeId id, Attempt& a, Watch what) {
  try {
    if (what == Watch::Write) {
      loop_.addWriter(a.fd.get(), [this, id] { onWritable(id); });
      a.writing = true;
    } else {
      loop_.addReader(a.fd.get(), [this, id] { onReadable(id); });
      a.reading = true;
    }
  } catch (const std::system_error& e) {
    finish(id, a, ProbeStatus::Failure, a.what() + ": " + e.what());
  }
}

void LoopProber::onWritable(ProbeId id) {
  Attempt* a = find(id);
  if (a == nullptr || a->phase == Attempt::Phase::Reporting) return;
  if (a->phase == Attempt::Phase::Connecting) {
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(a->fd.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
    if (error != 0) {
      return finish(id, *a, ProbeStatus::Failure,
                    "connect to " + endpoint(a->probe) + ": " + errorText(error));
    }
    sockaddr_storage peer{};
    socklen_t peerLength = sizeof peer;
    if (::getpeername(a->fd.get(), reinterpret_cast<sockaddr*>(&peer), &peerLength) != 0) {
      return;  // a spurious wake-up: still connecting
    }
    if (!a->http()) {
      return finish(id, *a, ProbeStatus::Success, "connected to " + endpoint(a->probe));
    }
    a->phase = Attempt::Phase::Sending;
    a->request = httpRequest(a->probe, a->currentUrl());
    a->sent = 0;
  }
  sendRequest(id, *a);
}

void LoopProber::sendRequest(ProbeId id, Attempt& a) {
  while (a.sent < a.request.size()) {
    const ssize_t n =
        ::send(a.fd.get(), a.request.data() + a.sent, a.request.size() - a.sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!a.writing) watch(id, a, Watch::Write);
        return;
      }
      if (errno == EINTR) continue;
      return finish(id, a, ProbeStatus::Failure, a.what() + ": send: " + errorText(errno));
    }
    a.sent += static_cast<std::size_t>(n);
  }
  if (a.writing) loop_.removeWriter(a.fd.get());
  a.writing = false;
  a.phase = Attempt::Phase::Receiving;
  a.response.emplace(a.currentUrl().digest.has_value(), limits_.maxResponseBytes);
  watch(id, a, Watch::Read);
}

void LoopProber::onReadable(ProbeId id) {
  Attempt* a = find(id);
  if (a == nullptr || a->phase != Attempt::Phase::Receiving) return;
  std::array<char, kReadChunk> buffer;
  auto state = HttpResponseReader::State::Reading;
  while (state == HttpResponseReader::State::Reading) {
    const ssize_t n = ::recv(a->fd.get(), buffer.data(), buffer.size(), 0);
    if (n > 0) {
      state = a->response->feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    } else if (n == 0) {
      state = a->response->finish();
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return;
    } else if (errno != EINTR) {
      return finish(id, *a, ProbeStatus::Failure, a->what() + ": recv: " + errorText(errno));
    }
  }
  urlDone(id, *a);
}

// [SRC check_http.c:http_handle_response]: the status must be accepted and,
// with a digest, the body's MD5 must match.
void LoopProber::urlDone(ProbeId id, Attempt& a) {
  const HttpResponseReader& response = *a.response;
  if (response.state() == HttpResponseReader::State::Failed) {
    return finish(id, a, ProbeStatus::Failure, a.what() + ": " + response.error());
  }
  const config::HttpUrl& url = a.currentUrl();
  const std::string status = "status " + std::to_string(response.status());
  if (!statusAccepted(url, response.status())) {
    return finish(id, a, ProbeStatus::Failure, a.what() + ": " + status + " is not accepted");
  }
  if (url.digest && response.bodyMd5() != url.digest) {
    return finish(id, a, ProbeStatus::Failure,
                  a.what() + ": the body's MD5 is " + response.bodyMd5().value_or("?") + ", not " +
                      *url.digest);
  }
  if (a.url + 1 == a.probe.urls.size()) {
    const std::string count = a.url == 0 ? "" : " (and " + std::to_string(a.url) + " more urls)";
    return finish(id, a, ProbeStatus::Success, a.what() + ": " + status + count);
  }
  closeConnection(a);
  if (a.timer) loop_.cancelTimer(*a.timer);
  a.timer.reset();
  ++a.url;
  connect(id, a);
}

void LoopProber::onTimeout(ProbeId id) {
  Attempt* a = find(id);
  if (a == nullptr) return;
  a->timer.reset();
  if (loop_.now() >= a->deadline) {
    return finish(id, *a, ProbeStatus::TimedOut, a->what() + ": the check's timeout ended it");
  }
  const char* phase = a->phase == Attempt::Phase::Connecting ? "connecting"
                      : a->phase == Attempt::Phase::Sending  ? "sending the request"
                                                             : "waiting for the response";
  finish(id, *a, ProbeStatus::Failure,
         a->what() + ": no answer within connect_timeout " + secondsText(a->probe.connectTimeout) +
             " (" + phase + ")");
}

void LoopProber::finish(ProbeId id, Attempt& a, ProbeStatus status, std::string detail) {
  closeConnection(a);
  if (a.timer) loop_.cancelTimer(*a.timer);
  a.phase = Attempt::Phase::Reporting;
  a.outcome = ProbeOutcome{status, std::move(detail)};
  // Reported from the loop, never from inside start() or a caller's call.
  a.timer = loop_.armTimer(loop_.now(), [this, id] {
    const auto it = attempts_.find(id);
    if (it == attempts_.end()) return;
    std::unique_ptr<Attempt> done = std::move(it->second);
    attempts_.erase(it);
    if (done->onDone) done->onDone(*done->outcome);
  });
}

void LoopProber::closeConnection(Attempt& a) {
  if (!a.fd) return;
  if (a.reading) loop_.removeReader(a.fd.get());
  if (a.writing) loop_.removeWriter(a.fd.get());
  a.reading = false;
  a.writing = false;
  a.fd.reset();
}

}  // namespace vipd::daemon
