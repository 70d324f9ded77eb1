#include "advert_tap.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <iterator>
#include <stdexcept>

#include "packet_time.h"
#include "realtime.h"

namespace vipd::lab {

namespace {
constexpr int kProtoVrrp = 112;  // IANA protocol number (RFC 5798 §5.1.1.4)
constexpr std::size_t kVrrpHeader = 8;
}  // namespace

AdvertTap::AdvertTap(const testing::NetNs& ns, const std::string& ifname) {
  testing::EnterNetNs enter(ns);
  fd_ = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, kProtoVrrp);
  if (fd_ < 0) throw std::runtime_error(std::string("VRRP raw socket: ") + strerror(errno));
  ip_mreqn join{};
  inet_pton(AF_INET, "224.0.0.18", &join.imr_multiaddr);
  join.imr_ifindex = static_cast<int>(if_nametoindex(ifname.c_str()));
  if (join.imr_ifindex == 0 ||
      setsockopt(fd_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) != 0) {
    const std::string reason = strerror(errno);
    close(fd_);
    throw std::runtime_error("joining 224.0.0.18 on " + ifname + ": " + reason);
  }
  try {
    enableReceiveTimestamps(fd_);
  } catch (...) {
    close(fd_);
    throw;
  }
  stopFd_ = eventfd(0, EFD_CLOEXEC);
  if (stopFd_ < 0) {
    close(fd_);
    throw std::runtime_error("eventfd failed");
  }
  thread_ = std::thread([this] { run(); });
}

AdvertTap::~AdvertTap() {
  const std::uint64_t one = 1;
  if (write(stopFd_, &one, sizeof one) != sizeof one) std::abort();  // join would hang
  thread_.join();
  close(stopFd_);
  close(fd_);
}

void AdvertTap::run() {
  tryRealtime();
  pollfd fds[2] = {{fd_, POLLIN, 0}, {stopFd_, POLLIN, 0}};
  std::uint8_t buf[1500];
  for (;;) {
    if (poll(fds, 2, -1) < 0) continue;  // EINTR
    if (fds[1].revents) return;
    std::chrono::steady_clock::time_point arrival;
    const ssize_t n = receiveStamped(fd_, buf, sizeof buf, MSG_DONTWAIT, arrival);
    if (n < 20) continue;
    // Raw IPv4 sockets deliver the IP header: IHL words, then VRRP.
    const std::size_t ihl = static_cast<std::size_t>(buf[0] & 0x0f) * 4;
    if (static_cast<std::size_t>(n) < ihl + kVrrpHeader) continue;
    SeenAdvert a;
    a.at = arrival;
    char src[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, buf + 12, src, sizeof src);
    a.source = src;
    a.version = static_cast<std::uint8_t>(buf[ihl] >> 4);
    a.vrid = buf[ihl + 1];
    a.priority = buf[ihl + 2];
    std::lock_guard lock(mutex_);
    adverts_.push_back(std::move(a));
    seen_.notify_all();
  }
}

std::optional<SeenAdvert> AdvertTap::waitNext(const std::string& source,
                                              std::chrono::steady_clock::time_point after,
                                              std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::optional<SeenAdvert> found;
  seen_.wait_for(lock, timeout, [&] {
    for (const auto& a : adverts_) {
      if (a.source == source && a.at > after) {
        found = a;
        return true;
      }
    }
    return false;
  });
  return found;
}

std::optional<SeenAdvert> AdvertTap::lastBefore(
    const std::string& source, std::chrono::steady_clock::time_point before) const {
  std::lock_guard lock(mutex_);
  for (auto it = adverts_.rbegin(); it != adverts_.rend(); ++it) {
    if (it->source == source && it->at < before) return *it;
  }
  return std::nullopt;
}

void AdvertTap::onlyFrom(const std::string& source) {
  in_addr address{};
  if (inet_pton(AF_INET, source.c_str(), &address) != 1) {
    throw std::invalid_argument("advert tap: not an IPv4 address: " + source);
  }
  // Raw IPv4 sockets filter on the IP header: the source is the word at 12.
  sock_filter code[] = {
      {BPF_LD | BPF_W | BPF_ABS, 0, 0, 12},
      {BPF_JMP | BPF_JEQ | BPF_K, 0, 1, ntohl(address.s_addr)},
      {BPF_RET | BPF_K, 0, 0, 0xffff},
      {BPF_RET | BPF_K, 0, 0, 0},
  };
  sock_fprog program{static_cast<unsigned short>(std::size(code)), code};
  if (setsockopt(fd_, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) != 0) {
    throw std::runtime_error(std::string("advert tap: SO_ATTACH_FILTER: ") + strerror(errno));
  }
}

std::vector<SeenAdvert> AdvertTap::seen() const {
  std::lock_guard lock(mutex_);
  return adverts_;
}

void AdvertTap::clear() {
  std::lock_guard lock(mutex_);
  adverts_.clear();
}

}  // namespace vipd::lab
