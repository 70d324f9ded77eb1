#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vipd::util {

enum class Family : std::uint8_t { V4, V6 };

/// An IPv4 or IPv6 address as a value: family plus network-order bytes.
/// IPv4 uses the first 4 bytes; the rest stay zero so comparisons are exact.
class IpAddress {
 public:
  constexpr IpAddress() = default;

  static IpAddress v4(std::array<std::uint8_t, 4> bytes);
  static IpAddress v6(std::array<std::uint8_t, 16> bytes);
  /// Builds from raw network-order bytes; size must be 4 or 16.
  static std::optional<IpAddress> fromBytes(std::span<const std::uint8_t> bytes);
  /// Parses dotted-quad or RFC 4291 text; nullopt on anything else.
  static std::optional<IpAddress> parse(std::string_view text);

  Family family() const { return family_; }
  bool isV4() const { return family_ == Family::V4; }
  bool isV6() const { return family_ == Family::V6; }
  /// 4 or 16.
  std::size_t size() const { return isV4() ? 4 : 16; }
  /// The address bytes in network order (size() of them).
  std::span<const std::uint8_t> bytes() const { return {bytes_.data(), size()}; }

  bool isLinkLocal() const;
  bool isMulticast() const;
  std::string toString() const;

  /// Orders by family, then numerically (network byte order compares as
  /// big-endian integers), which is what RFC 5798 §6.4.3's tie-break needs.
  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;

 private:
  Family family_ = Family::V4;
  std::array<std::uint8_t, 16> bytes_{};
};

}  // namespace vipd::util
