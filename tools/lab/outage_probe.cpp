#include "outage_probe.h"

#include <arpa/inet.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <stdexcept>

#include "packet_time.h"
#include "realtime.h"

namespace vipd::lab {

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<std::uint16_t> nextIdent{0};

// RFC 1071 Internet checksum.
std::uint16_t internetChecksum(const std::uint8_t* data, std::size_t len) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < len; i += 2) {
    sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  }
  if (len % 2) sum += static_cast<std::uint32_t>(data[len - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

}  // namespace

OutageProbe::OutageProbe(const testing::NetNs& ns, const std::string& target,
                         std::chrono::microseconds interval)
    : ident_(static_cast<std::uint16_t>((getpid() << 4) + nextIdent++)), interval_(interval) {
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  if (inet_pton(AF_INET, target.c_str(), &dst.sin_addr) != 1) {
    throw std::invalid_argument("not an IPv4 address: " + target);
  }
  {
    testing::EnterNetNs enter(ns);
    fd_ = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
  }
  if (fd_ < 0) throw std::runtime_error(std::string("ICMP raw socket: ") + strerror(errno));
  // connect() fixes the destination, and the kernel then only queues ICMP
  // from the target; replies to other probes are filtered by ident below.
  if (connect(fd_, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    close(fd_);
    throw std::runtime_error(std::string("connect: ") + strerror(errno));
  }
  try {
    enableReceiveTimestamps(fd_);
  } catch (...) {
    close(fd_);
    throw;
  }
  thread_ = std::thread([this] { run(); });
}

OutageProbe::~OutageProbe() {
  stop();
  close(fd_);
}

void OutageProbe::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

void OutageProbe::run() {
  tryRealtime();
  // Start at a random phase: a failure injected at a fixed point of the
  // advert cycle would otherwise meet the probe at the same phase every
  // time, and the outage, quantized to the interval, would be biased.
  std::random_device seed;
  std::uniform_int_distribution<std::int64_t> phase(0, interval_.count() - 1);
  auto nextSend = Clock::now() + std::chrono::microseconds(phase(seed));
  std::uint16_t seq = 0;
  while (running_) {
    auto now = Clock::now();
    if (now >= nextSend) {
      std::uint8_t msg[16] = {};
      msg[0] = ICMP_ECHO;
      msg[4] = static_cast<std::uint8_t>(ident_ >> 8);
      msg[5] = static_cast<std::uint8_t>(ident_);
      msg[6] = static_cast<std::uint8_t>(seq >> 8);
      msg[7] = static_cast<std::uint8_t>(seq);
      ++seq;
      const std::uint16_t c = internetChecksum(msg, sizeof msg);
      msg[2] = static_cast<std::uint8_t>(c >> 8);
      msg[3] = static_cast<std::uint8_t>(c);
      // Fails (EHOSTUNREACH) while no one answers ARP for the target: that
      // is part of the outage.
      send(fd_, msg, sizeof msg, 0);
      ++sent_;
      {
        std::lock_guard lock(mutex_);
        sends_.push_back(now);
      }
      nextSend += interval_;
      // After a stall, send at the normal rate again instead of in a burst.
      if (nextSend < now) nextSend = now + interval_;
    }
    const auto wait = std::max(Clock::duration::zero(), nextSend - Clock::now());
    timespec ts{};
    ts.tv_sec = std::chrono::duration_cast<std::chrono::seconds>(wait).count();
    ts.tv_nsec = static_cast<long>((wait - std::chrono::seconds(ts.tv_sec)).count());
    pollfd p{fd_, POLLIN, 0};
    ppoll(&p, 1, &ts, nullptr);
    std::uint8_t buf[1500];
    ssize_t n;
    Clock::time_point t;
    while ((n = receiveStamped(fd_, buf, sizeof buf, 0, t)) > 0) {
      const std::size_t off = static_cast<std::size_t>(buf[0] & 0x0f) * 4;
      if (static_cast<std::size_t>(n) < off + 8) continue;
      const std::uint8_t* icmp = buf + off;
      const auto id = static_cast<std::uint16_t>(icmp[4] << 8 | icmp[5]);
      if (icmp[0] != ICMP_ECHOREPLY || id != ident_) continue;
      std::lock_guard lock(mutex_);
      replies_.push_back(t);
    }
  }
}

std::size_t OutageProbe::received() const {
  std::lock_guard lock(mutex_);
  return replies_.size();
}

std::optional<Clock::time_point> OutageProbe::firstReplyAfter(Clock::time_point t) const {
  std::lock_guard lock(mutex_);
  auto it = std::upper_bound(replies_.begin(), replies_.end(), t);
  if (it == replies_.end()) return std::nullopt;
  return *it;
}

std::optional<ReplyGap> OutageProbe::longestGapSince(Clock::time_point since) const {
  std::lock_guard lock(mutex_);
  auto it = std::upper_bound(replies_.begin(), replies_.end(), since);
  if (it == replies_.end() || it == replies_.begin()) return std::nullopt;
  std::optional<ReplyGap> best;
  for (auto prev = std::prev(it); it != replies_.end(); ++prev, ++it) {
    ReplyGap g{*prev, *it};
    if (!best || g.length() > best->length()) best = g;
  }
  return best;
}

std::chrono::microseconds OutageProbe::longestSendGap(Clock::time_point from,
                                                      Clock::time_point to) const {
  std::lock_guard lock(mutex_);
  std::chrono::microseconds longest{0};
  for (std::size_t i = 1; i < sends_.size(); ++i) {
    if (sends_[i] < from || sends_[i - 1] > to) continue;
    longest = std::max(
        longest, std::chrono::duration_cast<std::chrono::microseconds>(sends_[i] - sends_[i - 1]));
  }
  return longest;
}

}  // namespace vipd::lab
