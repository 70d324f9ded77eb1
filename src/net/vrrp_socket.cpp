// Raw VRRP sockets. Socket options follow keepalived 2.2.7
// (vrrp.c:open_vrrp_send_socket / open_vrrp_read_socket / vrrp_send_pkt and
// vrrp_if.c:if_setsockopt_*); each deviation is commented where it is made.
#include "vipd/net/vrrp_socket.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "packet_sys.h"
#include "vipd/net/vrrp_socket_ipv4.h"

namespace vipd::net {

namespace {

constexpr const char* kWhat = "vrrp socket";

int domainOf(util::Family family) { return family == util::Family::V4 ? AF_INET : AF_INET6; }

sockaddr_in toSockaddr4(const util::IpAddress& address) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  std::memcpy(&sa.sin_addr, address.bytes().data(), 4);
  return sa;
}

/// Link-local unicast and link-scope multicast need a scope id; the socket is
/// per interface, so it is always ours.
sockaddr_in6 toSockaddr6(const util::IpAddress& address, int ifindex) {
  sockaddr_in6 sa{};
  sa.sin6_family = AF_INET6;
  std::memcpy(&sa.sin6_addr, address.bytes().data(), 16);
  const auto b = address.bytes();
  const bool linkScopeMulticast = b[0] == 0xff && (b[1] & 0x0f) == 0x02;
  if (address.isLinkLocal() || linkScopeMulticast)
    sa.sin6_scope_id = static_cast<std::uint32_t>(ifindex);
  return sa;
}

util::IpAddress fromIn6(const in6_addr& a) {
  std::array<std::uint8_t, 16> bytes{};
  std::memcpy(bytes.data(), &a, bytes.size());
  return util::IpAddress::v6(bytes);
}

util::IpAddress fromIn4(const in_addr& a) {
  std::array<std::uint8_t, 4> bytes{};
  std::memcpy(bytes.data(), &a, bytes.size());
  return util::IpAddress::v4(bytes);
}

util::UniqueFd openRaw(util::Family family, const std::string& ifname) {
  const int domain = domainOf(family);
  util::UniqueFd fd(::socket(domain, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, kIpProtoVrrp));
  if (!fd) {
    detail::throwSys(
        kWhat, ifname,
        domain == AF_INET ? "socket(AF_INET, SOCK_RAW, 112)" : "socket(AF_INET6, SOCK_RAW, 112)",
        errno);
  }
  return fd;
}

/// Values copied out of the ancillary data of one datagram.
struct Ancillary {
  std::optional<int> ttl;
  std::optional<int> ifindex;
  std::optional<util::IpAddress> destination;
};

Ancillary readAncillary(msghdr& msg) {
  Ancillary out;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    const std::size_t len = c->cmsg_len >= CMSG_LEN(0) ? c->cmsg_len - CMSG_LEN(0) : 0;
    const unsigned char* data = CMSG_DATA(c);
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL && len >= sizeof(int)) {
      int v = 0;
      std::memcpy(&v, data, sizeof v);
      out.ttl = v;
    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
               len >= sizeof(in_pktinfo)) {
      in_pktinfo info{};
      std::memcpy(&info, data, sizeof info);
      out.ifindex = info.ipi_ifindex;
      out.destination = fromIn4(info.ipi_addr);
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT &&
               len >= sizeof(int)) {
      int v = 0;
      std::memcpy(&v, data, sizeof v);
      out.ttl = v;
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
               len >= sizeof(in6_pktinfo)) {
      in6_pktinfo info{};
      std::memcpy(&info, data, sizeof info);
      out.ifindex = static_cast<int>(info.ipi6_ifindex);
      out.destination = fromIn6(info.ipi6_addr);
    }
  }
  return out;
}

}  // namespace

util::IpAddress defaultVrrpGroup(util::Family family) {
  if (family == util::Family::V4) return util::IpAddress::v4({224, 0, 0, 18});
  return util::IpAddress::v6({0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});
}

VrrpSocket::VrrpSocket(VrrpSocketConfig config)
    : config_(std::move(config)), buffer_(kMaxDatagram) {
  const std::string& ifname = config_.interface;
  if (ifname.empty() || ifname.size() >= IFNAMSIZ) {
    throw std::invalid_argument("vrrp socket: bad interface name '" + ifname + "'");
  }
  if (config_.source.family() != config_.family) {
    throw std::invalid_argument("vrrp socket " + ifname + ": source " + config_.source.toString() +
                                " is not of the socket's family");
  }
  group_ = config_.group.value_or(defaultVrrpGroup(config_.family));
  if (group_.family() != config_.family || !group_.isMulticast()) {
    throw std::invalid_argument("vrrp socket " + ifname + ": group " + group_.toString() +
                                " is not a multicast address of the socket's family");
  }
  if (config_.ifindex == 0) {
    const unsigned index = ::if_nametoindex(ifname.c_str());
    if (index == 0) detail::throwSys(kWhat, ifname, "if_nametoindex", errno);
    config_.ifindex = static_cast<int>(index);
  }
  openReceiveSocket();
  openSendSocket();
}

// keepalived vrrp.c:open_vrrp_read_socket.
void VrrpSocket::openReceiveSocket() {
  const std::string& ifname = config_.interface;
  const bool v4 = config_.family == util::Family::V4;
  recvFd_ = openRaw(config_.family, ifname);
  const int fd = recvFd_.get();

  if (config_.kernelRxBufSize > 0) {
    detail::setOption(fd, SOL_SOCKET, SO_RCVBUF, config_.kernelRxBufSize, "SO_RCVBUF", kWhat,
                      ifname);
  }
  // Only the groups joined on this socket, not every group of the host.
  if (v4) detail::setOption(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL", kWhat, ifname);

  if (!config_.unicast) {
    if (v4) {
      ip_mreqn mreq{};
      std::memcpy(&mreq.imr_multiaddr, group_.bytes().data(), 4);
      mreq.imr_ifindex = config_.ifindex;
      detail::setOption(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, "IP_ADD_MEMBERSHIP", kWhat,
                        ifname);
      // Bound to the group, the socket gets nothing sent to our unicast addresses.
      const sockaddr_in sa = toSockaddr4(group_);
      if (::bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
        detail::throwSys(kWhat, ifname, "bind(" + group_.toString() + ")", errno);
      }
    } else {
      ipv6_mreq mreq{};
      std::memcpy(&mreq.ipv6mr_multiaddr, group_.bytes().data(), 16);
      mreq.ipv6mr_interface = static_cast<unsigned>(config_.ifindex);
      detail::setOption(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, mreq, "IPV6_ADD_MEMBERSHIP", kWhat,
                        ifname);
      // keepalived binds to ::1: the kernel then queues joined-group multicast
      // only (raw_v6_match), not unicast. It must happen before
      // SO_BINDTODEVICE (::1 is not on the interface) and needs lo up; like
      // keepalived we go on without it, and unicast then shows up with
      // multicast=false for the codec to reject.
      sockaddr_in6 lo{};
      lo.sin6_family = AF_INET6;
      lo.sin6_addr = in6addr_loopback;
      if (::bind(fd, reinterpret_cast<const sockaddr*>(&lo), sizeof lo) != 0) {
        detail::vrrpLogger()->warn(
            "vrrp socket bind to ::1 failed, unicast not filtered interface={} error=\"{}\"",
            ifname, std::strerror(errno));
      }
    }
  } else if (v4) {
    const sockaddr_in sa = toSockaddr4(config_.source);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
      detail::throwSys(kWhat, ifname, "bind(" + config_.source.toString() + ")", errno);
    }
  } else {
    const sockaddr_in6 sa = toSockaddr6(config_.source, config_.ifindex);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
      detail::throwSys(kWhat, ifname, "bind(" + config_.source.toString() + ")", errno);
    }
  }

  if (v4) {
    // Raw IPv4 sockets deliver the IP header, so TTL and destination are in
    // the datagram too; the ancillary data adds the receiving ifindex.
    detail::setOption(fd, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO", kWhat, ifname);
    detail::setOption(fd, IPPROTO_IP, IP_RECVTTL, 1, "IP_RECVTTL", kWhat, ifname);
  } else {
    detail::setOption(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT", kWhat, ifname);
    detail::setOption(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO", kWhat, ifname);
    // Deviation: keepalived sets IPV6_CHECKSUM 6 here, which makes the kernel
    // drop bad checksums silently. We verify in the codec and count them.
  }
  detail::bindToDevice(fd, kWhat, ifname);
}

// keepalived vrrp.c:open_vrrp_send_socket.
void VrrpSocket::openSendSocket() {
  const std::string& ifname = config_.interface;
  sendFd_ = openRaw(config_.family, ifname);
  const int fd = sendFd_.get();

  // The send socket would otherwise queue a copy of every VRRP packet on the
  // interface; a one-instruction "return 0" filter drops them
  // (vrrp_if.c:if_setsockopt_no_receive).
  sock_filter dropAll{BPF_RET | BPF_K, 0, 0, 0};
  sock_fprog program{1, &dropAll};
  detail::setOption(fd, SOL_SOCKET, SO_ATTACH_FILTER, program, "SO_ATTACH_FILTER", kWhat, ifname);

  const int tos = kVrrpTos;
  const int mcastHops = kVrrpTtl;
  if (config_.family == util::Family::V4) {
    // keepalived writes the IPv4 header itself (vrrp_if.c:if_setsockopt_hdrincl,
    // vrrp.c:vrrp_build_ip4); so do we (sendV4). That is the only way to get
    // its per-instance IP ID sequence; TOS, TTL and DF come from our header
    // too, so IP_TTL, IP_MULTICAST_TTL and IP_MTU_DISCOVER have no effect.
    detail::setOption(fd, IPPROTO_IP, IP_HDRINCL, 1, "IP_HDRINCL", kWhat, ifname);
    detail::setOption(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL", kWhat, ifname);
    // Still set, as keepalived does: it also gives the skb its priority band.
    detail::setOption(fd, IPPROTO_IP, IP_TOS, tos, "IP_TOS", kWhat, ifname);
    ip_mreqn mreq{};
    mreq.imr_ifindex = config_.ifindex;
    detail::setOption(fd, IPPROTO_IP, IP_MULTICAST_IF, mreq, "IP_MULTICAST_IF", kWhat, ifname);
    const unsigned char loop = 0;
    detail::setOption(fd, IPPROTO_IP, IP_MULTICAST_LOOP, loop, "IP_MULTICAST_LOOP", kWhat, ifname);
  } else {
    detail::setOption(fd, IPPROTO_IPV6, IPV6_TCLASS, tos, "IPV6_TCLASS", kWhat, ifname);
    detail::setOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, mcastHops, "IPV6_MULTICAST_HOPS",
                      kWhat, ifname);
    if (config_.unicastTtl) {
      // keepalived passes it per packet (IPV6_HOPLIMIT cmsg); same on the wire.
      const int hops = *config_.unicastTtl;
      detail::setOption(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, hops, "IPV6_UNICAST_HOPS", kWhat,
                        ifname);
    }
    const int index = config_.ifindex;
    detail::setOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, index, "IPV6_MULTICAST_IF", kWhat,
                      ifname);
    const int loop = 0;
    detail::setOption(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, loop, "IPV6_MULTICAST_LOOP", kWhat,
                      ifname);
    // No IPV6_CHECKSUM: the payload carries the codec's checksum unchanged.
  }
  detail::bindToDevice(fd, kWhat, ifname);
}

std::error_code VrrpSocket::send(std::span<const std::uint8_t> payload, std::uint16_t ipv4Id) {
  if (config_.unicast) return std::make_error_code(std::errc::destination_address_required);
  return sendTo(payload, group_, ipv4Id);
}

std::error_code VrrpSocket::sendTo(std::span<const std::uint8_t> payload,
                                   const util::IpAddress& destination, std::uint16_t ipv4Id) {
  if (destination.family() != config_.family) {
    ++stats_.sendErrors;
    return std::make_error_code(std::errc::address_family_not_supported);
  }
  const std::error_code error = config_.family == util::Family::V4
                                    ? sendV4(payload, destination, ipv4Id)
                                    : sendV6(payload, destination);
  if (error) {
    ++stats_.sendErrors;
  } else {
    ++stats_.sent;
  }
  return error;
}

namespace {

/// sendmsg() with the ancillary data in `control`; keepalived sends multicast
/// with MSG_DONTROUTE (vrrp.c:vrrp_send_pkt).
std::error_code sendWith(int fd, msghdr& msg, bool multicast) {
  if (::sendmsg(fd, &msg, multicast ? MSG_DONTROUTE : 0) < 0) return detail::lastError();
  return {};
}

}  // namespace

// The header keepalived builds in vrrp.c:vrrp_build_ip4 / vrrp_update_pkt.
// With IP_HDRINCL the kernel fills in only the header checksum (and would
// fill a zero ID); the source may be any address, as for keepalived.
std::error_code VrrpSocket::sendV4(std::span<const std::uint8_t> payload,
                                   const util::IpAddress& destination, std::uint16_t ipv4Id) {
  constexpr std::size_t kMaxPayload = 65535 - 20;
  if (payload.size() > kMaxPayload) return std::make_error_code(std::errc::message_size);
  Ipv4Header h;
  h.tos = kVrrpTos;
  h.totalLength = static_cast<std::uint16_t>(20 + payload.size());
  h.id = ipv4Id;
  h.ttl = destination.isMulticast() ? kVrrpTtl : config_.unicastTtl.value_or(kVrrpTtl);
  h.protocol = kIpProtoVrrp;
  h.source = config_.source;
  h.destination = destination;
  std::array<std::uint8_t, 20> header = buildIpv4Header(h);

  std::array<iovec, 2> iov{iovec{header.data(), header.size()},
                           iovec{const_cast<std::uint8_t*>(payload.data()), payload.size()}};
  sockaddr_in sa = toSockaddr4(destination);
  msghdr msg{};
  msg.msg_name = &sa;
  msg.msg_namelen = sizeof sa;
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  // The interface and source also steer the route lookup (policy routing by
  // source sees the address that is in the header).
  alignas(cmsghdr) std::array<unsigned char, CMSG_SPACE(sizeof(in_pktinfo))> control{};
  in_pktinfo info{};
  info.ipi_ifindex = config_.ifindex;
  std::memcpy(&info.ipi_spec_dst, config_.source.bytes().data(), 4);
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = IPPROTO_IP;
  c->cmsg_type = IP_PKTINFO;
  c->cmsg_len = CMSG_LEN(sizeof info);
  std::memcpy(CMSG_DATA(c), &info, sizeof info);
  return sendWith(sendFd_.get(), msg, destination.isMulticast());
}

// keepalived vrrp.c:vrrp_send_pkt / vrrp_build_ancillary_data: the source
// address and interface go with each packet (IPV6_PKTINFO), not through
// bind(), so a socket opened while the link-local is still tentative (DAD)
// starts working once it is usable instead of failing for good.
std::error_code VrrpSocket::sendV6(std::span<const std::uint8_t> payload,
                                   const util::IpAddress& destination) {
  iovec iov{const_cast<std::uint8_t*>(payload.data()), payload.size()};
  sockaddr_in6 sa = toSockaddr6(destination, config_.ifindex);
  msghdr msg{};
  msg.msg_name = &sa;
  msg.msg_namelen = sizeof sa;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) std::array<unsigned char, CMSG_SPACE(sizeof(in6_pktinfo))> control{};
  in6_pktinfo info{};
  info.ipi6_ifindex = static_cast<unsigned>(config_.ifindex);
  std::memcpy(&info.ipi6_addr, config_.source.bytes().data(), 16);
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = IPPROTO_IPV6;
  c->cmsg_type = IPV6_PKTINFO;
  c->cmsg_len = CMSG_LEN(sizeof info);
  std::memcpy(CMSG_DATA(c), &info, sizeof info);
  return sendWith(sendFd_.get(), msg, destination.isMulticast());
}

std::error_code VrrpSocket::drain(std::vector<ReceivedPacket>& out, std::size_t maxPackets) {
  // Bounded: a flood cannot keep the event loop here; level-triggered epoll
  // brings us back for the rest.
  std::size_t attempts = 0;
  std::size_t delivered = 0;
  while (delivered < maxPackets && attempts < 2 * maxPackets + 1) {
    ++attempts;
    std::error_code error;
    bool dropped = false;
    auto packet = receiveOne(error, dropped);
    if (packet) {
      out.push_back(std::move(*packet));
      ++delivered;
      continue;
    }
    if (error) return error;
    if (!dropped) break;  // nothing queued
  }
  return {};
}

std::optional<ReceivedPacket> VrrpSocket::receiveOne(std::error_code& error, bool& dropped) {
  sockaddr_storage from{};
  iovec iov{buffer_.data(), buffer_.size()};
  alignas(cmsghdr) std::array<unsigned char, 256> control{};
  msghdr msg{};
  msg.msg_name = &from;
  msg.msg_namelen = sizeof from;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();

  const ssize_t n = ::recvmsg(recvFd_.get(), &msg, MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return std::nullopt;
    if (errno == EINTR) {
      dropped = true;  // try again
      return std::nullopt;
    }
    ++stats_.receiveErrors;
    error = detail::lastError();
    return std::nullopt;
  }
  if ((msg.msg_flags & MSG_TRUNC) != 0) {
    ++stats_.truncated;
    dropped = true;
    return std::nullopt;
  }
  const std::span<const std::uint8_t> datagram(buffer_.data(), static_cast<std::size_t>(n));
  const Ancillary anc = readAncillary(msg);

  ReceivedPacket p;
  if (config_.family == util::Family::V4) {
    auto header = parseIpv4Header(datagram);
    if (!header) {
      ++stats_.malformed;
      dropped = true;
      return std::nullopt;
    }
    const Ipv4Header& h = header.value();
    const auto payload = datagram.subspan(h.headerLength, h.totalLength - h.headerLength);
    p.payload.assign(payload.begin(), payload.end());
    p.source = h.source;
    p.destination = h.destination;
    p.ttl = h.ttl;  // IP_TTL ancillary data carries the same value
  } else {
    if (from.ss_family != AF_INET6 || msg.msg_namelen < sizeof(sockaddr_in6) || !anc.ttl ||
        !anc.destination || *anc.ttl < 0 || *anc.ttl > 255) {
      ++stats_.malformed;
      dropped = true;
      return std::nullopt;
    }
    sockaddr_in6 sa{};
    std::memcpy(&sa, &from, sizeof sa);
    p.payload.assign(datagram.begin(), datagram.end());
    p.source = fromIn6(sa.sin6_addr);
    p.destination = *anc.destination;
    p.ttl = static_cast<std::uint8_t>(*anc.ttl);
  }
  p.ifindex = anc.ifindex.value_or(config_.ifindex);
  p.multicast = p.destination.isMulticast();
  ++stats_.received;
  return p;
}

}  // namespace vipd::net
