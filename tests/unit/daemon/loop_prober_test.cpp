// LoopProber against real sockets on 127.0.0.0/8 that the test itself opens:
// a port that refuses, a listener that accepts, and a tiny HTTP server on the
// same event loop. No sleeps: the loop runs until the callback fires, with a
// bound on the wall clock only as a safety net.
#include "vipd/daemon/loop_prober.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "daemon_test_support.h"
#include "vipd/util/unique_fd.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using Clock = Scheduler::Clock;

using testing::kHelloMd5;
using testing::url;

/// A TCP socket bound to `ip`:0 (listening if `backlog` is set); port() tells which.
class TestSocket {
 public:
  explicit TestSocket(std::optional<int> backlog, const char* ip = "127.0.0.1")
      : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    ::inet_pton(AF_INET, ip, &sa.sin_addr);
    EXPECT_EQ(::bind(fd_.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    if (backlog) {
      EXPECT_EQ(::listen(fd_.get(), *backlog), 0);
    }
    socklen_t length = sizeof sa;
    ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&sa), &length);
    port_ = ntohs(sa.sin_port);
  }
  int fd() const { return fd_.get(); }
  std::uint16_t port() const { return port_; }

 private:
  util::UniqueFd fd_;
  std::uint16_t port_ = 0;
};

/// Answers every connection with `response` once the request's blank line
/// arrived, then closes it; keeps the requests and the peers' addresses.
class TestHttpServer {
 public:
  TestHttpServer(EventLoop& loop, std::string response)
      : loop_(loop), response_(std::move(response)) {
    loop_.addReader(listener_.fd(), [this] { accept(); });
  }
  ~TestHttpServer() {
    loop_.removeReader(listener_.fd());
    for (auto& [fd, request] : open_) {
      loop_.removeReader(fd);
      ::close(fd);
    }
  }
  std::uint16_t port() const { return listener_.port(); }
  const std::vector<std::string>& requests() const { return requests_; }
  const std::vector<std::string>& peers() const { return peers_; }

 private:
  void accept() {
    sockaddr_in peer{};
    socklen_t length = sizeof peer;
    const int fd = ::accept4(listener_.fd(), reinterpret_cast<sockaddr*>(&peer), &length,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &peer.sin_addr, text, sizeof text);
    peers_.push_back(text);
    open_[fd] = "";
    loop_.addReader(fd, [this, fd] { read(fd); });
  }

  void read(int fd) {
    char buffer[4096];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) open_[fd].append(buffer, static_cast<std::size_t>(n));
    if (n > 0 && open_[fd].find("\r\n\r\n") == std::string::npos) return;
    if (n < 0 && errno == EAGAIN) return;
    requests_.push_back(open_[fd]);
    if (n > 0) {
      EXPECT_EQ(::send(fd, response_.data(), response_.size(), MSG_NOSIGNAL),
                static_cast<ssize_t>(response_.size()));
    }
    loop_.removeReader(fd);
    open_.erase(fd);
    ::close(fd);
  }

  EventLoop& loop_;
  std::string response_;
  TestSocket listener_{16};
  std::map<int, std::string> open_;
  std::vector<std::string> requests_;
  std::vector<std::string> peers_;
};

config::NativeProbe tcp(std::uint16_t port, const char* ip = "127.0.0.1") {
  config::NativeProbe p;
  p.kind = config::ProbeKind::Tcp;
  p.connectIp = *util::IpAddress::parse(ip);
  p.connectPort = port;
  p.connectTimeout = 2s;
  return p;
}

config::NativeProbe http(std::uint16_t port, std::vector<config::HttpUrl> urls) {
  config::NativeProbe p = tcp(port);
  p.kind = config::ProbeKind::Http;
  p.urls = std::move(urls);
  return p;
}

std::string response(const char* statusLine, const std::string& body = "hello") {
  return std::string(statusLine) + "\r\nContent-Type: text/plain\r\n\r\n" + body;
}

class LoopProberTest : public ::testing::Test {
 protected:
  /// Starts one attempt and runs the loop until it reports (at most 5 s).
  ProbeOutcome probe(const config::NativeProbe& p, Clock::duration deadline = 10s) {
    std::optional<ProbeOutcome> outcome;
    started_ = Clock::now();
    prober_.start(p, started_ + deadline, [&](const ProbeOutcome& o) { outcome = o; });
    EXPECT_FALSE(outcome) << "never reported from inside start()";
    while (!outcome && Clock::now() - started_ < 5s) loop_.runOnce(100ms);
    finished_ = Clock::now();
    EXPECT_TRUE(outcome) << "no report within 5 s";
    EXPECT_EQ(prober_.active(), 0u);
    return outcome.value_or(ProbeOutcome{ProbeStatus::Failure, "(none)"});
  }

  EventLoop loop_;
  LoopProber prober_{loop_};
  Clock::time_point started_;
  Clock::time_point finished_;
};

TEST_F(LoopProberTest, TcpConnectRefusedIsAFailure) {
  const TestSocket closed(std::nullopt);  // bound, not listening: the kernel resets
  const auto outcome = probe(tcp(closed.port()));
  EXPECT_EQ(outcome.status, ProbeStatus::Failure);
  EXPECT_EQ(outcome.detail,
            "connect to 127.0.0.1:" + std::to_string(closed.port()) + ": Connection refused");
}

TEST_F(LoopProberTest, TcpAcceptedConnectionIsASuccess) {
  const TestSocket listener(16);
  const auto outcome = probe(tcp(listener.port()));
  EXPECT_EQ(outcome.status, ProbeStatus::Success);
  EXPECT_EQ(outcome.detail, "connected to 127.0.0.1:" + std::to_string(listener.port()));
}

// A listener whose accept queue is full drops the SYN: the connect hangs
// until connect_timeout, like an address nothing answers (a deterministic
// stand-in for a non-routable one, which needs a route to time out).
TEST_F(LoopProberTest, UnansweredConnectFailsAtConnectTimeout) {
  const TestSocket full(0);
  util::UniqueFd queued(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(full.port());
  ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  ASSERT_EQ(::connect(queued.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  auto p = tcp(full.port());
  p.connectTimeout = 300ms;
  const auto outcome = probe(p);
  EXPECT_EQ(outcome.status, ProbeStatus::Failure);
  EXPECT_EQ(outcome.detail, "127.0.0.1:" + std::to_string(full.port()) +
                                ": no answer within connect_timeout 0.3 s (connecting)");
  EXPECT_GE(finished_ - started_, 300ms);
  EXPECT_LT(finished_ - started_, 2s);
}

TEST_F(LoopProberTest, DeadlineBeforeConnectTimeoutIsATimeout) {
  const TestSocket full(0);
  util::UniqueFd queued(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(full.port());
  ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  ASSERT_EQ(::connect(queued.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  const auto outcome = probe(tcp(full.port()), 200ms);
  EXPECT_EQ(outcome.status, ProbeStatus::TimedOut);
  EXPECT_GE(finished_ - started_, 200ms);
}

TEST_F(LoopProberTest, Http200IsASuccessAndTheRequestIsHttp10) {
  TestHttpServer server(loop_, response("HTTP/1.0 200 OK"));
  const auto outcome = probe(http(server.port(), {url("/health")}));
  EXPECT_EQ(outcome.status, ProbeStatus::Success) << outcome.detail;
  EXPECT_EQ(outcome.detail,
            "GET /health from 127.0.0.1:" + std::to_string(server.port()) + ": status 200");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0], "GET /health HTTP/1.0\r\nUser-Agent: vipd\r\nHost: 127.0.0.1:" +
                                      std::to_string(server.port()) +
                                      "\r\nConnection: close\r\n\r\n");
}

TEST_F(LoopProberTest, Http500IsAFailure) {
  TestHttpServer server(loop_, response("HTTP/1.1 500 Internal Server Error"));
  const auto outcome = probe(http(server.port(), {url("/health")}));
  EXPECT_EQ(outcome.status, ProbeStatus::Failure);
  EXPECT_NE(outcome.detail.find(": status 500 is not accepted"), std::string::npos)
      << outcome.detail;
}

TEST_F(LoopProberTest, MatchingDigestIsASuccessAndAWrongOneAFailure) {
  TestHttpServer server(loop_, response("HTTP/1.0 200 OK", "hello"));
  EXPECT_EQ(probe(http(server.port(), {url("/", kHelloMd5)})).status, ProbeStatus::Success);
  const auto wrong = probe(http(server.port(), {url("/", std::string(32, '0'))}));
  EXPECT_EQ(wrong.status, ProbeStatus::Failure);
  EXPECT_NE(wrong.detail.find(std::string(": the body's MD5 is ") + kHelloMd5 + ", not 000"),
            std::string::npos)
      << wrong.detail;
}

TEST_F(LoopProberTest, GarbageStatusLineIsAFailure) {
  TestHttpServer server(loop_, "SSH-2.0-OpenSSH_9.2\r\n");
  const auto outcome = probe(http(server.port(), {url("/")}));
  EXPECT_EQ(outcome.status, ProbeStatus::Failure);
  EXPECT_NE(outcome.detail.find(": malformed status line 'SSH-2.0-OpenSSH_9.2'"), std::string::npos)
      << outcome.detail;
}

TEST_F(LoopProberTest, EveryUrlIsFetchedInOrderOnItsOwnConnection) {
  TestHttpServer server(loop_, response("HTTP/1.0 200 OK", "hello"));
  const auto outcome = probe(http(server.port(), {url("/a"), url("/b", std::string(32, 'f'))}));
  EXPECT_EQ(outcome.status, ProbeStatus::Failure);
  EXPECT_EQ(outcome.detail.rfind("GET /b from ", 0), 0u) << outcome.detail;
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.requests()[0].rfind("GET /a HTTP/1.0\r\n", 0), 0u);
  EXPECT_EQ(server.requests()[1].rfind("GET /b HTTP/1.0\r\n", 0), 0u);
}

TEST_F(LoopProberTest, BindtoChoosesTheSourceAddress) {
  TestHttpServer server(loop_, response("HTTP/1.0 200 OK"));
  auto p = http(server.port(), {url("/")});
  p.bindTo = util::IpAddress::parse("127.0.0.2");
  EXPECT_EQ(probe(p).status, ProbeStatus::Success);
  EXPECT_EQ(server.peers(), std::vector<std::string>{"127.0.0.2"});
}

TEST_F(LoopProberTest, CancelledAttemptNeverReports) {
  const TestSocket listener(16);
  bool reported = false;
  const auto id = prober_.start(tcp(listener.port()), Clock::now() + 10s,
                                [&](const ProbeOutcome&) { reported = true; });
  prober_.cancel(id);
  EXPECT_EQ(prober_.active(), 0u);
  for (int i = 0; i < 5; ++i) loop_.runOnce(10ms);
  EXPECT_FALSE(reported);
}

}  // namespace
}  // namespace vipd::daemon
