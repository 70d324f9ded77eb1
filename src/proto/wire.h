#pragma once

// Internal to src/proto: byte-level helpers shared by the codec files. Every read goes through
// memcpy from a bounds-checked span (STYLE point 1); nothing is reinterpret_cast.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

#include "vipd/proto/advertisement.h"
#include "vipd/util/ip_address.h"

namespace vipd::proto::wire {

/// Byte offsets in the fixed header (RFC 3768 §5.1, RFC 5798 §5.1).
inline constexpr std::size_t kVersionTypeOffset = 0;
inline constexpr std::size_t kVridOffset = 1;
inline constexpr std::size_t kPriorityOffset = 2;
inline constexpr std::size_t kCountOffset = 3;
inline constexpr std::size_t kV2AuthTypeOffset = 4;
inline constexpr std::size_t kV2IntervalOffset = 5;
inline constexpr std::size_t kV3IntervalOffset = 4;
inline constexpr std::size_t kChecksumOffset = 6;

/// The only VRRP packet type (RFC 5798 §5.2.2).
inline constexpr std::uint8_t kTypeAdvertisement = 1;
/// Mask of the 12-bit v3 Max Adver Int; the top 4 bits are reserved (RFC 5798 §5.2.6).
inline constexpr std::uint16_t kV3IntervalMask = 0x0fff;
inline constexpr std::uint16_t kCentisecondsPerSecond = 100;

inline std::uint8_t readU8(std::span<const std::byte> bytes, std::size_t offset) {
  return std::to_integer<std::uint8_t>(bytes[offset]);
}

inline std::uint16_t readU16(std::span<const std::byte> bytes, std::size_t offset) {
  std::array<std::uint8_t, 2> raw{};
  std::memcpy(raw.data(), bytes.subspan(offset, 2).data(), raw.size());
  return static_cast<std::uint16_t>((raw[0] << 8) | raw[1]);
}

inline void writeU16(std::span<std::uint8_t> bytes, std::size_t offset, std::uint16_t value) {
  bytes[offset] = static_cast<std::uint8_t>(value >> 8);
  bytes[offset + 1] = static_cast<std::uint8_t>(value & 0xff);
}

/// Size of one address of `family` on the wire.
inline std::size_t addressSize(util::Family family) { return family == util::Family::V4 ? 4 : 16; }

/// Copies one address of `family` out of `bytes` (which holds exactly addressSize() bytes).
inline util::IpAddress readAddress(std::span<const std::byte> bytes, util::Family family) {
  if (family == util::Family::V4) {
    std::array<std::uint8_t, 4> raw{};
    std::memcpy(raw.data(), bytes.data(), raw.size());
    return util::IpAddress::v4(raw);
  }
  std::array<std::uint8_t, 16> raw{};
  std::memcpy(raw.data(), bytes.data(), raw.size());
  return util::IpAddress::v6(raw);
}

/// Length of a complete message of `version` over `family` carrying `count` addresses.
inline std::size_t messageSize(Version version, util::Family family, std::size_t count) {
  return kHeaderSize + count * addressSize(family) + (version == Version::V2 ? kAuthDataSize : 0);
}

}  // namespace vipd::proto::wire
