#pragma once

// Test helper: turns captured packets (hex text of a full IPv4 or IPv6 packet carrying VRRP) into
// the VRRP payload plus the PacketMeta the receive path would have handed to decode().

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/proto/advertisement.h"
#include "vipd/proto/result.h"

namespace vipd::proto::testing {

/// The parts of a captured IP packet the codec needs.
struct IpPacket {
  PacketMeta meta;                    ///< src, dst, TTL / hop limit; delivery from dst.
  std::vector<std::uint8_t> payload;  ///< the VRRP message.
};

/// Hex digits to bytes. `#` starts a comment to the end of the line; whitespace is ignored.
/// Fails on any other character or an odd number of digits.
Result<std::vector<std::uint8_t>, std::string> parseHex(std::string_view text);

/// Reads a .hex file and parses it with parseHex().
Result<std::vector<std::uint8_t>, std::string> readHexFile(const std::filesystem::path& path);

/// Splits a full IP packet. IPv4: IHL, total length, TTL, protocol 112, src, dst (the header
/// checksum is not verified; the kernel did that). IPv6: the fixed 40-byte header with next
/// header 112 (no extension headers), payload length, hop limit, src, dst.
Result<IpPacket, std::string> splitIpPacket(const std::vector<std::uint8_t>& packet);

}  // namespace vipd::proto::testing
