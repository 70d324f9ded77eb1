#include "vipd/net/vrrp_socket_ipv4.h"

#include <array>

namespace vipd::net {

std::string_view toString(Ipv4HeaderError error) {
  switch (error) {
    case Ipv4HeaderError::Truncated:
      return "truncated";
    case Ipv4HeaderError::NotIpv4:
      return "not_ipv4";
    case Ipv4HeaderError::BadHeaderLength:
      return "bad_header_length";
    case Ipv4HeaderError::BadTotalLength:
      return "bad_total_length";
  }
  return "unknown";
}

namespace {

constexpr std::size_t kMinHeader = 20;

std::uint16_t load16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

util::IpAddress load4(std::span<const std::uint8_t> b, std::size_t at) {
  return util::IpAddress::v4({b[at], b[at + 1], b[at + 2], b[at + 3]});
}

}  // namespace

// RFC 791 §3.1 layout: 0 version/IHL, 1 TOS, 2-3 total length, 4-5 id,
// 6-7 flags/fragment offset, 8 TTL, 9 protocol, 10-11 checksum, 12-15 source,
// 16-19 destination, then options up to IHL*4.
Ipv4HeaderResult<Ipv4Header> parseIpv4Header(std::span<const std::uint8_t> datagram) {
  if (datagram.size() < kMinHeader) return Ipv4HeaderError::Truncated;
  if ((datagram[0] >> 4) != 4) return Ipv4HeaderError::NotIpv4;
  const std::size_t ihl = static_cast<std::size_t>(datagram[0] & 0x0f) * 4;
  if (ihl < kMinHeader) return Ipv4HeaderError::BadHeaderLength;
  if (datagram.size() < ihl) return Ipv4HeaderError::Truncated;

  Ipv4Header h;
  h.headerLength = static_cast<std::uint8_t>(ihl);
  h.tos = datagram[1];
  h.totalLength = load16(datagram, 2);
  if (h.totalLength < ihl || h.totalLength > datagram.size()) {
    return Ipv4HeaderError::BadTotalLength;
  }
  h.id = load16(datagram, 4);
  const std::uint16_t flagsFrag = load16(datagram, 6);
  h.dontFragment = (flagsFrag & 0x4000) != 0;
  h.moreFragments = (flagsFrag & 0x2000) != 0;
  h.fragmentOffset = static_cast<std::uint16_t>(flagsFrag & 0x1fff);
  h.ttl = datagram[8];
  h.protocol = datagram[9];
  h.source = load4(datagram, 12);
  h.destination = load4(datagram, 16);
  return h;
}

std::array<std::uint8_t, 20> buildIpv4Header(const Ipv4Header& h) {
  std::array<std::uint8_t, 20> b{};
  auto put16 = [&](std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v & 0xff);
  };
  b[0] = 0x45;
  b[1] = h.tos;
  put16(2, h.totalLength);
  put16(4, h.id);
  put16(6,
        static_cast<std::uint16_t>((h.dontFragment ? 0x4000 : 0) | (h.moreFragments ? 0x2000 : 0) |
                                   (h.fragmentOffset & 0x1fff)));
  b[8] = h.ttl;
  b[9] = h.protocol;
  for (std::size_t i = 0; i < 4; ++i) {
    b[12 + i] = h.source.bytes()[i];
    b[16 + i] = h.destination.bytes()[i];
  }
  // RFC 791 §3.1 / RFC 1071: one's complement of the one's complement sum of
  // the header's 16-bit words, checksum field taken as zero.
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < b.size(); i += 2)
    sum += static_cast<std::uint32_t>((b[i] << 8) | b[i + 1]);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  put16(10, static_cast<std::uint16_t>(~sum & 0xffff));
  return b;
}

}  // namespace vipd::net
