// Gratuitous ARP: the frame keepalived 2.2.7 builds in
// vrrp_arp.c:send_gratuitous_arp_immediate, sent like its send_arp() through
// an AF_PACKET socket (LinkLayerSocket).
#include "vipd/net/garp.h"

#include <linux/if_ether.h>
#include <net/if_arp.h>

#include <utility>

namespace vipd::net {

namespace {

constexpr const char* kGarpSocketName = "garp socket";

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

std::error_code sendGratuitousArp(LinkLayerSocket& socket, const util::IpAddress& vip,
                                  const MacAddress& mac, ArpOp op) {
  if (!vip.isV4()) return std::make_error_code(std::errc::address_family_not_supported);
  const GarpFrame frame = buildGratuitousArp(mac, vip, op);
  return socket.send(frame, ETH_P_ARP, kBroadcastMac);
}

GarpSender::GarpSender(std::string interface, int ifindex)
    : socket_(kGarpSocketName, std::move(interface), ifindex) {}

std::error_code GarpSender::send(const util::IpAddress& vip, const MacAddress& mac, ArpOp op) {
  return sendGratuitousArp(socket_, vip, mac, op);
}

}  // namespace vipd::net
