#include "ip_packet.h"

#include <array>
#include <cctype>
#include <fstream>
#include <sstream>

namespace vipd::proto::testing {
namespace {

constexpr std::size_t kIpv4MinHeader = 20;
constexpr std::size_t kIpv6Header = 40;

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
  return -1;
}

template <std::size_t N>
std::array<std::uint8_t, N> take(const std::vector<std::uint8_t>& bytes, std::size_t offset) {
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = bytes[offset + i];
  return out;
}

std::size_t readU16(const std::vector<std::uint8_t>& bytes, std::size_t offset) {
  return static_cast<std::size_t>(bytes[offset] << 8 | bytes[offset + 1]);
}

IpPacket withDelivery(IpPacket p) {
  p.meta.delivery = p.meta.destination.isMulticast() ? Delivery::Multicast : Delivery::Unicast;
  return p;
}

Result<IpPacket, std::string> splitIpv4(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() < kIpv4MinHeader) return std::string("IPv4 header truncated");
  const std::size_t ihl = static_cast<std::size_t>(bytes[0] & 0x0f) * 4;
  const std::size_t total = readU16(bytes, 2);
  if (ihl < kIpv4MinHeader || total < ihl || total > bytes.size()) {
    return std::string("IPv4 IHL/total length inconsistent");
  }
  if (bytes[9] != kIpProtocolVrrp) return "IPv4 protocol " + std::to_string(bytes[9]) + " not 112";
  IpPacket p;
  p.meta.ttl = bytes[8];
  p.meta.source = util::IpAddress::v4(take<4>(bytes, 12));
  p.meta.destination = util::IpAddress::v4(take<4>(bytes, 16));
  p.payload.assign(bytes.begin() + static_cast<std::ptrdiff_t>(ihl),
                   bytes.begin() + static_cast<std::ptrdiff_t>(total));
  return withDelivery(std::move(p));
}

Result<IpPacket, std::string> splitIpv6(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() < kIpv6Header) return std::string("IPv6 header truncated");
  const std::size_t payloadLength = readU16(bytes, 4);
  if (bytes[6] != kIpProtocolVrrp) return "IPv6 next header " + std::to_string(bytes[6]);
  if (kIpv6Header + payloadLength > bytes.size()) return std::string("IPv6 payload truncated");
  IpPacket p;
  p.meta.ttl = bytes[7];
  p.meta.source = util::IpAddress::v6(take<16>(bytes, 8));
  p.meta.destination = util::IpAddress::v6(take<16>(bytes, 24));
  p.payload.assign(bytes.begin() + kIpv6Header,
                   bytes.begin() + static_cast<std::ptrdiff_t>(kIpv6Header + payloadLength));
  return withDelivery(std::move(p));
}

}  // namespace

Result<std::vector<std::uint8_t>, std::string> parseHex(std::string_view text) {
  std::vector<std::uint8_t> out;
  int pending = -1;
  bool comment = false;
  for (char c : text) {
    if (c == '\n') comment = false;
    if (comment || std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == '#') {
      comment = true;
      continue;
    }
    const int v = hexValue(c);
    if (v < 0) return "not a hex digit: '" + std::string(1, c) + "'";
    if (pending < 0) {
      pending = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(pending << 4 | v));
      pending = -1;
    }
  }
  if (pending >= 0) return std::string("odd number of hex digits");
  return out;
}

Result<std::vector<std::uint8_t>, std::string> readHexFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return "cannot open " + path.string();
  std::ostringstream text;
  text << in.rdbuf();
  return parseHex(text.str());
}

Result<IpPacket, std::string> splitIpPacket(const std::vector<std::uint8_t>& packet) {
  if (packet.empty()) return std::string("empty packet");
  switch (packet[0] >> 4) {
    case 4:
      return splitIpv4(packet);
    case 6:
      return splitIpv6(packet);
    default:
      return "IP version " + std::to_string(packet[0] >> 4);
  }
}

}  // namespace vipd::proto::testing
