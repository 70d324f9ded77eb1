// vipd under a Type=notify service manager, without systemd: the test plays
// systemd's part (an AF_UNIX datagram socket named by NOTIFY_SOCKET, and
// WATCHDOG_USEC) and checks what vipd tells it across start, reload and stop.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <string>

#include "pair_lab.h"
#include "vipd/util/unique_fd.h"

namespace vipd::lab {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class ServiceNotifyTest : public PairLabTest {
 protected:
  ServiceNotifyTest() : PairLabTest("sdn") {}

  void bindNotifySocket() {
    socket_ = util::UniqueFd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ASSERT_TRUE(socket_.valid());
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const auto where = path("notify.sock");
    ASSERT_LT(where.size(), sizeof addr.sun_path);
    where.copy(addr.sun_path, where.size());
    ASSERT_EQ(::bind(socket_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  }

  /// The next datagram, or "" after `timeout`.
  std::string next(std::chrono::milliseconds timeout = 3s) {
    pollfd p{socket_.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return "";
    char buf[512];
    const auto n = ::recv(socket_.get(), buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
  }

  /// Skips watchdog pings and status updates until a message containing `text`.
  std::string until(const std::string& text, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      auto message =
          next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
      if (message.find(text) != std::string::npos) return message;
    }
    return "";
  }

  static std::string config() {
    return "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
           "    priority 150\n    advert_int 0.1\n    version 3\n"
           "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n";
  }

  util::UniqueFd socket_;
};

TEST_F(ServiceNotifyTest, ReadyReloadingStoppingStatusAndWatchdog) {
  bindNotifySocket();
  const auto conf = path("vipd.conf");
  std::ofstream(conf) << config();
  c1_ = lab_->spawn(*h1_,
                    {"env", "NOTIFY_SOCKET=" + path("notify.sock"), "WATCHDOG_USEC=400000",
                     vipdBinary(), "-n", "-l", "-f", conf, "--pid-file", path("vipd.pid"),
                     "--control-socket", path("vipd.sock")},
                    "h1-vipd");
  EXPECT_EQ(next(), "READY=1\nSTATUS=1 instance: 1 BACKUP") << "the first message";
  const auto before = Clock::now();
  EXPECT_EQ(next(), "WATCHDOG=1");
  EXPECT_LT(Clock::now() - before, 400ms) << "fed at half of WATCHDOG_USEC";
  EXPECT_EQ(until("MASTER"), "STATUS=1 instance: 1 MASTER");

  lab_->signal(c1_, SIGHUP);
  EXPECT_EQ(until("RELOADING"), "RELOADING=1\nSTATUS=reloading");
  EXPECT_EQ(until("READY"), "READY=1\nSTATUS=1 instance: 1 MASTER");

  lab_->signal(c1_, SIGTERM);
  EXPECT_EQ(until("STOPPING"), "STOPPING=1\nSTATUS=stopping");
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
}

}  // namespace
}  // namespace vipd::lab
