#include "vipd/daemon/control_server.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vipd/ctl/client.h"

namespace vipd::daemon {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

// A client gives up after this; a broken server fails a test instead of hanging it.
constexpr auto kClientPatience = 10s;

std::shared_ptr<spdlog::logger> quietLog() {
  return std::make_shared<spdlog::logger>("control",
                                          std::make_shared<spdlog::sinks::null_sink_mt>());
}

sockaddr_un unixAddress(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

/// A blocking stream connection to `path`; invalid when connect() fails
/// (errno tells why).
util::UniqueFd connectTo(const std::string& path) {
  util::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const sockaddr_un addr = unixAddress(path);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    return util::UniqueFd();
  }
  return fd;
}

bool sendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

/// What a raw client read before the server closed the connection.
struct Received {
  std::string data;
  bool eof = false;  ///< The server closed (orderly or reset); false: we gave up waiting.
  int error = 0;     ///< errno of a failed read (ECONNRESET), else 0.
};

Received readToEnd(int fd) {
  Received r;
  const auto deadline = SteadyClock::now() + kClientPatience;
  char buf[4096];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return r;
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r.error = errno;
      r.eof = true;
      return r;
    }
    if (n == 0) {
      r.eof = true;
      return r;
    }
    r.data.append(buf, static_cast<std::size_t>(n));
  }
}

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/vipd-control-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr) << std::strerror(errno);
    dir_ = dir;
    path_ = dir_ + "/vipd.sock";
  }
  void TearDown() override {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  /// The handler every server here uses: records the request and the peer's
  /// uid, answers with both.
  ControlServer::Handler recordingHandler() {
    return [this](std::string_view request, uid_t uid) {
      requests_.emplace_back(request);
      uids_.push_back(uid);
      return json{{"ok", true}, {"request", std::string(request)}, {"uid", uid}}.dump();
    };
  }

  void start(std::chrono::milliseconds clientTimeout = ControlServer::kClientTimeout) {
    server_ = std::make_unique<ControlServer>(loop_, path_, recordingHandler(), quietLog(),
                                              clientTimeout);
  }

  /// Runs `client` on its own thread while this thread drives the loop; returns
  /// once the client has finished (join-based: the client's own deadline
  /// bounds the wait). Rethrows what the client threw.
  template <typename Result>
  Result whileServing(std::function<Result()> client) {
    std::optional<Result> result;
    std::exception_ptr thrown;
    std::atomic<bool> done{false};
    std::thread thread([&] {
      try {
        result.emplace(client());
      } catch (...) {
        thrown = std::current_exception();
      }
      done = true;
    });
    while (!done) loop_.runOnce(10ms);
    thread.join();
    if (thrown) std::rethrow_exception(thrown);
    return std::move(*result);
  }

  /// Drives the loop until `done` holds, or the clients' patience is out.
  void runUntil(const std::function<bool()>& done) {
    const auto deadline = SteadyClock::now() + kClientPatience;
    while (!done() && SteadyClock::now() < deadline) loop_.runOnce(10ms);
  }

  json ask(const json& body) {
    return whileServing<json>(
        [&] { return ctl::request(path_, body, std::chrono::milliseconds(kClientPatience)); });
  }

  /// A raw client: sends `bytes` (then shuts its write side if `shutWrite`)
  /// and reads until the server closes.
  Received exchange(std::string bytes, bool shutWrite) {
    return whileServing<Received>([&] {
      util::UniqueFd fd = connectTo(path_);
      if (!fd) return Received{"connect: " + std::string(std::strerror(errno)), false, errno};
      sendAll(fd.get(), bytes);
      if (shutWrite) ::shutdown(fd.get(), SHUT_WR);
      return readToEnd(fd.get());
    });
  }

  /// A request whose JSON text plus newline is exactly `total` bytes.
  static std::string requestOfSize(std::size_t total) {
    json body = {{"command", "status"}, {"pad", ""}};
    const std::size_t bare = body.dump().size() + 1;
    body["pad"] = std::string(total - bare, 'x');
    std::string text = body.dump() + "\n";
    EXPECT_EQ(text.size(), total);
    return text;
  }

  std::string dir_;
  std::string path_;
  EventLoop loop_;
  std::unique_ptr<ControlServer> server_;
  std::vector<std::string> requests_;
  std::vector<uid_t> uids_;
};

// ---- Requests and answers --------------------------------------------------------------

TEST_F(ControlServerTest, ARequestGetsTheHandlersAnswer) {
  start();
  const json answer = ask(json{{"command", "status"}});
  EXPECT_EQ(answer.value("ok", false), true) << answer;
  // The handler sees the request without its newline.
  EXPECT_EQ(answer.value("request", ""), R"({"command":"status"})");
  EXPECT_EQ(requests_, std::vector<std::string>{R"({"command":"status"})"});
}

TEST_F(ControlServerTest, EachConnectionCarriesOneRequest) {
  start();
  EXPECT_EQ(ask(json{{"n", 1}}).value("request", ""), R"({"n":1})");
  EXPECT_EQ(ask(json{{"n", 2}}).value("request", ""), R"({"n":2})");
  EXPECT_EQ(requests_.size(), 2u);
}

TEST_F(ControlServerTest, AnswerEndsWithNewlineAndTheConnectionIsClosed) {
  start();
  const Received r = exchange("{\"command\":\"status\"}\n", /*shutWrite=*/false);
  EXPECT_TRUE(r.eof) << "the server closes after answering";
  ASSERT_FALSE(r.data.empty());
  EXPECT_EQ(r.data.back(), '\n');
  EXPECT_EQ(json::parse(r.data).value("request", ""), R"({"command":"status"})");
}

TEST_F(ControlServerTest, OnlyTheFirstLineIsTheRequest) {
  start();
  const Received r = exchange("{\"a\":1}\n{\"b\":2}\n", /*shutWrite=*/false);
  EXPECT_TRUE(r.eof);
  EXPECT_EQ(requests_, std::vector<std::string>{R"({"a":1})"});
}

TEST_F(ControlServerTest, RequestEndedByShutdownWithoutNewlineIsAnswered) {
  start();
  const Received r = exchange(R"({"command":"stats"})", /*shutWrite=*/true);
  EXPECT_TRUE(r.eof);
  ASSERT_FALSE(r.data.empty()) << "no answer";
  EXPECT_EQ(json::parse(r.data).value("request", ""), R"({"command":"stats"})");
  EXPECT_EQ(requests_, std::vector<std::string>{R"({"command":"stats"})"});
}

TEST_F(ControlServerTest, HandlerSeesThePeersUid) {
  start();
  const json answer = ask(json{{"command", "status"}});
  ASSERT_EQ(uids_.size(), 1u);
  EXPECT_EQ(uids_[0], ::geteuid()) << "SO_PEERCRED gives the client's uid (0 as root)";
  EXPECT_EQ(answer.value("uid", -1), static_cast<int>(::geteuid()));
}

// Root only: a child process drops to nobody and connects.
class ControlServerAsRootTest : public ControlServerTest {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to run a client as another user";
    ControlServerTest::SetUp();
    // mkdtemp's 0700 would stop nobody before the socket's own mode does.
    ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);
  }

  static constexpr uid_t kNobody = 65534;

  /// Forks a client that runs as kNobody and exits with `client`'s status;
  /// drives the loop until it has.
  int asNobody(const std::function<int()>& client) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) ::_exit(100);
      ::_exit(client());
    }
    EXPECT_GT(pid, 0);
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) loop_.runOnce(10ms);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 200;
  }
};

TEST_F(ControlServerAsRootTest, OtherUsersCannotConnectThroughMode0600) {
  start();
  const int status = asNobody([this] {
    util::UniqueFd fd = connectTo(path_);
    return !fd && errno == EACCES ? 0 : 1;
  });
  EXPECT_EQ(status, 0) << "nobody connected to a 0600 root socket";
  EXPECT_TRUE(requests_.empty());
}

TEST_F(ControlServerAsRootTest, HandlerSeesAnotherUsersUid) {
  start();
  // An administrator may open the socket to others (vipctl status for all).
  ASSERT_EQ(::chmod(path_.c_str(), 0666), 0);
  const int status = asNobody([this] {
    try {
      const json answer = ctl::request(path_, json{{"command", "status"}}, 10s);
      return answer.value("uid", -1) == static_cast<int>(kNobody) ? 0 : 1;
    } catch (const std::exception&) {
      return 2;
    }
  });
  EXPECT_EQ(status, 0);
  EXPECT_EQ(uids_, std::vector<uid_t>{kNobody});
}

TEST_F(ControlServerTest, ClientSendsArgumentsThatAreNotUtf8WithReplacements) {
  start();
  json answer;
  ASSERT_NO_THROW(answer = ask(json{{"command", "maintenance"}, {"instance", "VI_\xe9"}}));
  ASSERT_EQ(requests_.size(), 1u);
  EXPECT_EQ(json::parse(requests_[0])["instance"], "VI_\uFFFD");
}

// ---- Size limit ------------------------------------------------------------------------

TEST_F(ControlServerTest, RequestOfExactlyTheLimitIsAnswered) {
  start();
  const Received r = exchange(requestOfSize(ControlServer::kMaxRequest), false);
  EXPECT_TRUE(r.eof);
  EXPECT_FALSE(r.data.empty()) << "a request of kMaxRequest bytes (newline included) is allowed";
  EXPECT_EQ(requests_.size(), 1u);
}

TEST_F(ControlServerTest, RequestOverTheLimitIsDroppedUnanswered) {
  start();
  const Received r = exchange(requestOfSize(ControlServer::kMaxRequest + 1), false);
  EXPECT_TRUE(r.eof) << "the server closes the connection";
  EXPECT_TRUE(r.data.empty()) << "no answer: " << r.data;
  EXPECT_TRUE(requests_.empty()) << "the handler never sees it";
}

TEST_F(ControlServerTest, ClientSeesAnOversizedRequestFailAsClientError) {
  start();
  const json big = {{"command", "status"}, {"pad", std::string(ControlServer::kMaxRequest, 'x')}};
  EXPECT_THROW(ask(big), ctl::ClientError);
  EXPECT_TRUE(requests_.empty());
}

// ---- Slow and silent clients -----------------------------------------------------------

TEST_F(ControlServerTest, SilentClientIsDroppedWhenItsTimeIsUp) {
  start(/*clientTimeout=*/0ms);  // due at once: no waiting on the clock
  const Received r = exchange("", /*shutWrite=*/false);
  EXPECT_TRUE(r.eof) << "still connected after the timeout";
  EXPECT_TRUE(r.data.empty());
  EXPECT_TRUE(requests_.empty()) << "nothing was answered";
}

TEST_F(ControlServerTest, SilentClientIsKeptUntilTheTimeout) {
  constexpr auto kTimeout = 100ms;
  start(kTimeout);
  const auto before = SteadyClock::now();
  const Received r = exchange("{\"comm", /*shutWrite=*/false);
  const auto held = SteadyClock::now() - before;
  EXPECT_TRUE(r.eof);
  EXPECT_TRUE(r.data.empty());
  EXPECT_GE(held, kTimeout) << "dropped before its time";
  EXPECT_TRUE(requests_.empty()) << "a partial request is never handled";
}

TEST_F(ControlServerTest, ASilentClientDoesNotHoldUpOthers) {
  start();
  util::UniqueFd silent = connectTo(path_);
  ASSERT_TRUE(silent);
  const json answer = ask(json{{"command", "status"}});
  EXPECT_EQ(answer.value("ok", false), true);
  EXPECT_EQ(requests_.size(), 1u);
}

TEST_F(ControlServerTest, ClientsBeyondTheLimitAreRefusedUntilOneLeaves) {
  start();
  // The listen backlog holds kMaxClients + 1, so these all connect at once;
  // the server accepts them in order.
  std::vector<util::UniqueFd> silent;
  for (std::size_t i = 0; i < ControlServer::kMaxClients; ++i) {
    silent.push_back(connectTo(path_));
    ASSERT_TRUE(silent.back()) << "connection " << i << ": " << std::strerror(errno);
  }
  // Each accepted client has its deadline armed: that counts them.
  runUntil([&] { return loop_.pendingTimers() == ControlServer::kMaxClients; });
  ASSERT_EQ(loop_.pendingTimers(), ControlServer::kMaxClients);
  EXPECT_THROW(ask(json{{"command", "status"}}), ctl::ClientError) << "one too many";
  EXPECT_TRUE(requests_.empty());
  // One leaves (its empty request is answered and closed): room again.
  silent.front().reset();
  runUntil([&] { return loop_.pendingTimers() < ControlServer::kMaxClients; });
  ASSERT_EQ(loop_.pendingTimers(), ControlServer::kMaxClients - 1);
  const json answer = ask(json{{"command", "status"}});
  EXPECT_EQ(answer.value("request", ""), R"({"command":"status"})");
}

// ---- The socket file -------------------------------------------------------------------

TEST_F(ControlServerTest, SocketFileIsMode0600WhateverTheUmask) {
  const mode_t old = ::umask(0);
  start();
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0) << std::strerror(errno);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(ControlServerTest, MissingDirectoryIsCreated) {
  path_ = dir_ + "/run/vipd/vipd.sock";
  start();
  EXPECT_TRUE(fs::is_socket(path_));
  EXPECT_EQ(ask(json{{"command", "status"}}).value("ok", false), true);
}

TEST_F(ControlServerTest, StaleSocketFileIsReplaced) {
  {
    // What a crashed daemon leaves: a socket file nobody listens on.
    util::UniqueFd old(::socket(AF_UNIX, SOCK_STREAM, 0));
    const sockaddr_un addr = unixAddress(path_);
    ASSERT_EQ(::bind(old.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)), 0);
  }
  ASSERT_TRUE(fs::is_socket(path_));
  ASSERT_NO_THROW(start());
  EXPECT_EQ(ask(json{{"command", "status"}}).value("ok", false), true);
}

TEST_F(ControlServerTest, PathALiveServerAnswersOnIsNotTaken) {
  start();
  EventLoop otherLoop;
  try {
    ControlServer second(otherLoop, path_, recordingHandler(), quietLog());
    FAIL() << "a second server took over a live socket";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
  }
  // The first one still owns the path and answers on it. (Its first client
  // is the second server's probe, which hangs up without a request.)
  EXPECT_TRUE(fs::is_socket(path_));
  EXPECT_EQ(ask(json{{"command", "status"}}).value("request", ""), R"({"command":"status"})");
}

TEST_F(ControlServerTest, FileThatIsNotASocketIsNeverRemoved) {
  { std::ofstream(path_) << "precious\n"; }
  EXPECT_THROW(start(), std::runtime_error);
  ASSERT_TRUE(fs::is_regular_file(path_)) << "the file was removed";
  std::ifstream in(path_);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "precious");
}

TEST_F(ControlServerTest, DestructorRemovesTheSocketFile) {
  start();
  ASSERT_TRUE(fs::exists(path_));
  server_.reset();
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(ControlServerTest, DestructorClosesConnectedClients) {
  start();
  util::UniqueFd client = connectTo(path_);
  ASSERT_TRUE(client);
  runUntil([&] { return loop_.pendingTimers() == 1; });
  ASSERT_EQ(loop_.pendingTimers(), 1u) << "the server never accepted the client";
  server_.reset();
  EXPECT_EQ(loop_.pendingTimers(), 0u) << "the client's deadline outlived the server";
  const Received r = readToEnd(client.get());
  EXPECT_TRUE(r.eof);
  EXPECT_TRUE(r.data.empty());
}

TEST_F(ControlServerTest, PathTooLongIsRefused) {
  path_ = dir_ + "/" + std::string(sizeof(sockaddr_un::sun_path), 'x');
  EXPECT_THROW(start(), std::runtime_error);
}

}  // namespace
}  // namespace vipd::daemon
