#include "prober.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sched.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace vipd::lab {

namespace {

using Clock = std::chrono::steady_clock;

// RFC 1071 Internet checksum over an ICMPv4 message (ICMPv6's is computed
// by the kernel for raw ICMPv6 sockets).
std::uint16_t internetChecksum(const std::uint8_t* data, std::size_t len) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < len; i += 2) sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  if (len % 2) sum += static_cast<std::uint32_t>(data[len - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

}  // namespace

Prober::Prober(std::string nsName, std::string target, std::chrono::microseconds interval)
    : nsName_(std::move(nsName)), target_(std::move(target)), interval_(interval) {}

Prober::~Prober() {
  if (thread_.joinable()) stop();
}

void Prober::start() {
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

ProbeReport Prober::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
  if (!error_.empty()) throw std::runtime_error("prober: " + error_);
  return report_;
}

void Prober::run() {
  std::string path = "/run/netns/" + nsName_;
  int nsFd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (nsFd < 0 || setns(nsFd, CLONE_NEWNET) != 0) {
    error_ = "cannot enter " + path;
    if (nsFd >= 0) close(nsFd);
    return;
  }
  close(nsFd);

  const bool v6 = target_.find(':') != std::string::npos;
  sockaddr_storage dst{};
  socklen_t dstLen;
  if (v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&dst);
    a->sin6_family = AF_INET6;
    inet_pton(AF_INET6, target_.c_str(), &a->sin6_addr);
    dstLen = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&dst);
    a->sin_family = AF_INET;
    inet_pton(AF_INET, target_.c_str(), &a->sin_addr);
    dstLen = sizeof *a;
  }
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
                  v6 ? int{IPPROTO_ICMPV6} : int{IPPROTO_ICMP});
  if (fd < 0) {
    error_ = std::string("socket: ") + strerror(errno);
    return;
  }
  const std::uint16_t ident = static_cast<std::uint16_t>(getpid() ^ 0x5a5a);
  const auto begin = Clock::now();
  auto lastReply = Clock::time_point{};
  auto nextSend = begin;
  std::uint16_t seq = 0;

  while (running_) {
    auto now = Clock::now();
    if (now >= nextSend) {
      std::uint8_t msg[16] = {};
      msg[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
      msg[4] = static_cast<std::uint8_t>(ident >> 8);
      msg[5] = static_cast<std::uint8_t>(ident);
      msg[6] = static_cast<std::uint8_t>(seq >> 8);
      msg[7] = static_cast<std::uint8_t>(seq);
      ++seq;
      if (!v6) {
        std::uint16_t c = internetChecksum(msg, sizeof msg);
        msg[2] = static_cast<std::uint8_t>(c >> 8);
        msg[3] = static_cast<std::uint8_t>(c);
      }
      // Sending fails (EHOSTUNREACH etc.) while no one answers ARP for the
      // VIP; that is part of the outage, not an error.
      sendto(fd, msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&dst), dstLen);
      ++report_.sent;
      nextSend += interval_;
    }
    // ppoll with a timespec: poll()'s whole milliseconds would spin on 0.
    auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(nextSend - Clock::now());
    if (wait.count() < 0) wait = std::chrono::nanoseconds(0);
    timespec ts{static_cast<time_t>(wait.count() / 1'000'000'000),
                static_cast<long>(wait.count() % 1'000'000'000)};
    pollfd p{fd, POLLIN, 0};
    ppoll(&p, 1, &ts, nullptr);
    std::uint8_t buf[1500];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
      // IPv4 raw sockets deliver the IP header; ICMPv6 sockets do not.
      std::size_t off = v6 ? 0 : static_cast<std::size_t>((buf[0] & 0x0f) * 4);
      if (static_cast<std::size_t>(n) < off + 8) continue;
      const std::uint8_t* icmp = buf + off;
      bool reply = v6 ? icmp[0] == ICMP6_ECHO_REPLY : icmp[0] == ICMP_ECHOREPLY;
      std::uint16_t id = static_cast<std::uint16_t>(icmp[4] << 8 | icmp[5]);
      if (!reply || id != ident) continue;
      auto t = Clock::now();
      if (report_.received > 0) {
        auto gap = std::chrono::duration_cast<std::chrono::microseconds>(t - lastReply);
        if (gap > report_.longestGap) {
          report_.longestGap = gap;
          report_.longestGapEnd = std::chrono::duration_cast<std::chrono::microseconds>(t - begin);
        }
      }
      lastReply = t;
      ++report_.received;
    }
  }
  close(fd);
}

}  // namespace vipd::lab
