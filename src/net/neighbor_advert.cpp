// Unsolicited Neighbor Advertisement: the frame keepalived 2.2.7 builds in
// vrrp_ndisc.c:ndisc_send_unsolicited_na_immediate, sent like its
// ndisc_send_na() through an AF_PACKET socket (LinkLayerSocket).
#include "vipd/net/neighbor_advert.h"

#include <linux/if_ether.h>

#include <utility>

namespace vipd::net {

namespace {

constexpr const char* kNaSocketName = "na socket";
constexpr std::uint8_t kIcmpv6NextHeader = 58;     // RFC 4443 §1
constexpr std::uint8_t kNeighborAdvertType = 136;  // RFC 4861 §4.4
constexpr std::uint8_t kOptTargetLinkLayer = 2;    // RFC 4861 §4.6.1
constexpr std::uint8_t kNdHopLimit = 255;          // RFC 4861 §7.1.2
constexpr std::uint8_t kFlagRouter = 0x80;         // RFC 4861 §4.4 R
constexpr std::uint8_t kFlagOverride = 0x20;       // RFC 4861 §4.4 O
constexpr std::size_t kEthLen = 14;
constexpr std::size_t kIp6Len = 40;
constexpr std::size_t kIcmpLen = kNaFrameSize - kEthLen - kIp6Len;      // 32
constexpr MacAddress kAllNodesMac{0x33, 0x33, 0x00, 0x00, 0x00, 0x01};  // RFC 2464 §7

const util::IpAddress& allNodes() {
  static const util::IpAddress a =
      util::IpAddress::v6({0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01});
  return a;
}

template <class Range>
void putBytes(NaFrame& f, std::size_t at, const Range& bytes) {
  std::size_t i = at;
  for (std::uint8_t b : bytes) f[i++] = b;
}

std::uint32_t sumWords(std::span<const std::uint8_t> bytes, std::uint32_t sum) {
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2)
    sum += static_cast<std::uint32_t>((bytes[i] << 8) | bytes[i + 1]);
  if (i < bytes.size()) sum += static_cast<std::uint32_t>(bytes[i] << 8);
  return sum;
}

}  // namespace

std::uint16_t icmpv6Checksum(const util::IpAddress& source, const util::IpAddress& destination,
                             std::span<const std::uint8_t> message) {
  // RFC 8200 §8.1 pseudo-header: source, destination, upper-layer length (32
  // bits), three zero bytes, next header.
  std::uint32_t sum = 0;
  sum = sumWords(source.bytes(), sum);
  sum = sumWords(destination.bytes(), sum);
  const auto len = static_cast<std::uint32_t>(message.size());
  sum += (len >> 16) + (len & 0xffff);
  sum += kIcmpv6NextHeader;
  sum = sumWords(message, sum);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

// Layout:
//   0  Ethernet: dst 33:33:00:00:00:01, src mac, type 0x86dd
//   14 IPv6: 0x60 000000 (tc 0, flow 0), payload length 32, next header 58,
//      hop limit 255, source (16), destination ff02::1 (16)
//   54 ICMPv6 NA: type 136, code 0, checksum, flags R|S|O + 29 reserved bits,
//      target (16)
//   78 option: type 2, length 1 (8 bytes), mac
NaFrame buildUnsolicitedNa(const NeighborAdvert& na) {
  const util::IpAddress& source = na.source ? *na.source : na.target;
  NaFrame f{};
  putBytes(f, 0, kAllNodesMac);
  putBytes(f, 6, na.mac);
  f[12] = static_cast<std::uint8_t>(ETH_P_IPV6 >> 8);
  f[13] = static_cast<std::uint8_t>(ETH_P_IPV6 & 0xff);

  f[14] = 0x60;
  f[18] = static_cast<std::uint8_t>(kIcmpLen >> 8);
  f[19] = static_cast<std::uint8_t>(kIcmpLen & 0xff);
  f[20] = kIcmpv6NextHeader;
  f[21] = kNdHopLimit;
  putBytes(f, 22, source.bytes());
  putBytes(f, 38, allNodes().bytes());

  constexpr std::size_t icmp = kEthLen + kIp6Len;
  f[icmp] = kNeighborAdvertType;
  f[icmp + 4] = static_cast<std::uint8_t>(kFlagOverride | (na.router ? kFlagRouter : 0));
  putBytes(f, icmp + 8, na.target.bytes());
  f[icmp + 24] = kOptTargetLinkLayer;
  f[icmp + 25] = 1;
  putBytes(f, icmp + 26, na.mac);

  const std::uint16_t sum =
      icmpv6Checksum(source, allNodes(), std::span<const std::uint8_t>(f).subspan(icmp));
  f[icmp + 2] = static_cast<std::uint8_t>(sum >> 8);
  f[icmp + 3] = static_cast<std::uint8_t>(sum & 0xff);
  return f;
}

std::error_code sendUnsolicitedNa(LinkLayerSocket& socket, const NeighborAdvert& na) {
  if (!na.target.isV6() || (na.source && !na.source->isV6())) {
    return std::make_error_code(std::errc::address_family_not_supported);
  }
  const NaFrame frame = buildUnsolicitedNa(na);
  return socket.send(frame, ETH_P_IPV6, kAllNodesMac);
}

NeighborAdvertSender::NeighborAdvertSender(std::string interface, int ifindex)
    : socket_(kNaSocketName, std::move(interface), ifindex) {}

std::error_code NeighborAdvertSender::send(const NeighborAdvert& na) {
  return sendUnsolicitedNa(socket_, na);
}

}  // namespace vipd::net
