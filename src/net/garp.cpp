// Gratuitous ARP: the frame keepalived 2.2.7 builds in
// vrrp_arp.c:send_gratuitous_arp_immediate, sent like its send_arp() through
// an AF_PACKET socket.
#include "vipd/net/garp.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "packet_sys.h"

namespace vipd::net {

namespace {

constexpr const char* kWhat = "garp socket";

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void put16(GarpFrame& f, std::size_t at, std::uint16_t v) {
  f[at] = static_cast<std::uint8_t>(v >> 8);
  f[at + 1] = static_cast<std::uint8_t>(v & 0xff);
}

template <class Range>
void putBytes(GarpFrame& f, std::size_t at, const Range& bytes) {
  std::size_t i = at;
  for (std::uint8_t b : bytes) f[i++] = b;
}

}  // namespace

std::optional<MacAddress> parseMac(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  MacAddress mac{};
  for (std::size_t i = 0; i < mac.size(); ++i) {
    const std::size_t at = i * 3;
    if (i > 0 && text[at - 1] != ':') return std::nullopt;
    const int hi = hexValue(text[at]);
    const int lo = hexValue(text[at + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    mac[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return mac;
}

std::string toString(const MacAddress& mac) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(17);
  for (std::size_t i = 0; i < mac.size(); ++i) {
    if (i > 0) out += ':';
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0x0f];
  }
  return out;
}

// Layout (RFC 826 over Ethernet II):
//   0  dst MAC (6)   6 src MAC (6)   12 ethertype 0x0806
//   14 htype 1       16 ptype 0x0800 18 hlen 6   19 plen 4   20 op
//   22 sender hw (6) 28 sender IP (4) 32 target hw (6) 38 target IP (4)
GarpFrame buildGratuitousArp(const MacAddress& mac, const util::IpAddress& vip, ArpOp op) {
  GarpFrame f{};
  putBytes(f, 0, kBroadcastMac);
  putBytes(f, 6, mac);
  put16(f, 12, ETH_P_ARP);
  put16(f, 14, ARPHRD_ETHER);
  put16(f, 16, ETH_P_IP);
  f[18] = 6;
  f[19] = 4;
  put16(f, 20, static_cast<std::uint16_t>(op));
  putBytes(f, 22, mac);
  putBytes(f, 28, vip.bytes());
  putBytes(f, 32, op == ArpOp::Request ? kBroadcastMac : mac);
  putBytes(f, 38, vip.bytes());
  return f;
}

GarpSender::GarpSender(std::string interface, int ifindex)
    : interface_(std::move(interface)), ifindex_(ifindex) {
  if (interface_.empty() || interface_.size() >= IFNAMSIZ) {
    throw std::invalid_argument("garp socket: bad interface name '" + interface_ + "'");
  }
  if (ifindex_ == 0) {
    const unsigned index = ::if_nametoindex(interface_.c_str());
    if (index == 0) detail::throwSys(kWhat, interface_, "if_nametoindex", errno);
    ifindex_ = static_cast<int>(index);
  }
  // Protocol 0: the socket is never handed received frames.
  fd_.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd_) detail::throwSys(kWhat, interface_, "socket(AF_PACKET, SOCK_RAW)", errno);
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = 0;
  sll.sll_ifindex = ifindex_;
  if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&sll), sizeof sll) != 0) {
    detail::throwSys(kWhat, interface_, "bind(AF_PACKET)", errno);
  }
}

std::error_code GarpSender::send(const util::IpAddress& vip, const MacAddress& mac, ArpOp op) {
  if (!vip.isV4()) return std::make_error_code(std::errc::address_family_not_supported);
  const GarpFrame frame = buildGratuitousArp(mac, vip, op);
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ARP);
  sll.sll_ifindex = ifindex_;
  sll.sll_hatype = ARPHRD_ETHER;
  sll.sll_halen = ETH_ALEN;
  std::memcpy(sll.sll_addr, kBroadcastMac.data(), kBroadcastMac.size());
  const ssize_t n = ::sendto(fd_.get(), frame.data(), frame.size(), 0,
                             reinterpret_cast<const sockaddr*>(&sll), sizeof sll);
  if (n < 0) return detail::lastError();
  if (static_cast<std::size_t>(n) != frame.size())
    return std::make_error_code(std::errc::message_size);
  return {};
}

}  // namespace vipd::net
