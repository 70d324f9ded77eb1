#include "packet_test_env.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace vipd::testing {

namespace {

using Clock = std::chrono::steady_clock;

std::runtime_error sysError(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

int remainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

/// The first non-tentative link-local address of `ifname` in `ns`, if any.
std::optional<util::IpAddress> linkLocalOf(const NetNs& ns, const std::string& ifname) {
  std::istringstream out(ns.exec("ip -6 -o addr show dev " + ifname + " scope link -tentative"));
  std::string word;
  while (out >> word) {
    if (word != "inet6") continue;
    std::string cidr;
    if (!(out >> cidr)) break;
    return util::IpAddress::parse(cidr.substr(0, cidr.find('/')));
  }
  return std::nullopt;
}

/// ifindex and MAC of `ifname`, read inside `ns`.
void readLink(const NetNs& ns, const std::string& ifname, int& index, net::MacAddress& mac) {
  EnterNetNs in(ns);
  index = static_cast<int>(::if_nametoindex(ifname.c_str()));
  if (index == 0) throw sysError("if_nametoindex " + ifname);
  util::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) throw sysError("socket");
  ifreq req{};
  std::strncpy(req.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  if (::ioctl(fd.get(), SIOCGIFHWADDR, &req) != 0) throw sysError("SIOCGIFHWADDR " + ifname);
  std::memcpy(mac.data(), req.ifr_hwaddr.sa_data, mac.size());
}

/// The EUI-64 link-local the kernel derives from `mac` (RFC 4291 App. A).
util::IpAddress eui64LinkLocal(const net::MacAddress& mac) {
  return util::IpAddress::v6({0xfe, 0x80, 0, 0, 0, 0, 0, 0,
                              static_cast<std::uint8_t>(mac[0] ^ 0x02), mac[1], mac[2], 0xff, 0xfe,
                              mac[3], mac[4], mac[5]});
}

}  // namespace

bool waitReadable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const int n = ::poll(&p, 1, remainingMs(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) throw sysError("poll");
  }
}

NetlinkWatch::NetlinkWatch(std::uint32_t groups)
    : fd_(::socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE)) {
  if (!fd_) throw sysError("socket(AF_NETLINK)");
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  sa.nl_groups = groups;
  if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
    throw sysError("bind(AF_NETLINK)");
  }
}

bool NetlinkWatch::waitFor(const std::function<bool()>& condition,
                           std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::array<char, 16384> buf;
  for (;;) {
    if (condition()) return true;
    if (!waitReadable(fd_.get(), std::chrono::milliseconds(remainingMs(deadline)))) {
      return condition();
    }
    while (::recv(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT) > 0) {
    }
  }
}

FrameCapture::FrameCapture(const std::string& ifname)
    : fd_(::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {
  if (!fd_) throw sysError("socket(AF_PACKET)");
  // Protocol 0 at socket() and ETH_P_ALL at bind(): nothing from other
  // interfaces is queued in between.
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = static_cast<int>(::if_nametoindex(ifname.c_str()));
  if (sll.sll_ifindex == 0) throw sysError("if_nametoindex " + ifname);
  const int one = 1;
  if (::setsockopt(fd_.get(), SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) != 0) {
    throw sysError("PACKET_IGNORE_OUTGOING");
  }
  if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&sll), sizeof sll) != 0) {
    throw sysError("bind(AF_PACKET)");
  }
}

std::optional<std::vector<std::uint8_t>> FrameCapture::next(
    const std::function<bool(std::span<const std::uint8_t>)>& match,
    std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::vector<std::uint8_t> buf(65536);
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
    if (n > 0) {
      const std::span<const std::uint8_t> frame(buf.data(), static_cast<std::size_t>(n));
      if (match(frame)) return std::vector<std::uint8_t>(frame.begin(), frame.end());
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      throw sysError("recv(AF_PACKET)");
    }
    if (!waitReadable(fd_.get(), std::chrono::milliseconds(remainingMs(deadline)))) {
      return std::nullopt;
    }
  }
}

VethPair::VethPair() {
  for (const NetNs* ns : {&a, &b}) {
    ns->exec("sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0");
  }
  // Subscribed before the links exist, so no address event can be missed.
  auto watchIn = [](const NetNs& ns) {
    EnterNetNs in(ns);
    return NetlinkWatch(RTMGRP_IPV6_IFADDR | RTMGRP_LINK);
  };
  NetlinkWatch watchA = watchIn(a);
  NetlinkWatch watchB = watchIn(b);
  linkVeth(a, ifA, b, ifB);
  // The fixed MACs go on while the links are down; bringing them up again
  // makes the kernel derive the link-locals from them.
  const net::MacAddress wantA = macA;
  const net::MacAddress wantB = macB;
  a.exec("ip link set dev " + ifA + " down && ip link set dev " + ifA + " address " +
         net::toString(wantA));
  b.exec("ip link set dev " + ifB + " down && ip link set dev " + ifB + " address " +
         net::toString(wantB));
  a.exec("ip link set dev " + ifA + " up");
  b.exec("ip link set dev " + ifB + " up");
  a.exec("ip addr add 192.0.2.1/24 dev " + ifA);
  b.exec("ip addr add 192.0.2.2/24 dev " + ifB);

  llA = eui64LinkLocal(wantA);
  llB = eui64LinkLocal(wantB);
  if (!watchA.waitFor([&] { return linkLocalOf(a, ifA) == llA; }, 10s)) {
    throw std::runtime_error("link-local " + llA.toString() + " not usable on " + ifA);
  }
  if (!watchB.waitFor([&] { return linkLocalOf(b, ifB) == llB; }, 10s)) {
    throw std::runtime_error("link-local " + llB.toString() + " not usable on " + ifB);
  }
  readLink(a, ifA, indexA, macA);
  readLink(b, ifB, indexB, macB);
  if (macA != wantA || macB != wantB) throw std::runtime_error("fixed MACs not applied");
}

}  // namespace vipd::testing
