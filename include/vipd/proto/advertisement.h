#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "vipd/util/ip_address.h"

namespace vipd::proto {

/// IP protocol number of VRRP (RFC 5798 §5.1.1.4 / §5.1.2.4).
inline constexpr std::uint8_t kIpProtocolVrrp = 112;
/// TTL / hop limit a VRRP packet is sent with and must arrive with (RFC 5798 §5.1.1.3).
inline constexpr std::uint8_t kVrrpTtl = 255;
/// Fixed header size, both versions (RFC 3768 §5.1, RFC 5798 §5.1).
inline constexpr std::size_t kHeaderSize = 8;
/// VRRPv2 Authentication Data size; always present, zeros for none (RFC 3768 §5.3.10).
inline constexpr std::size_t kAuthDataSize = 8;
/// Largest v3 Max Adver Int: 12 bits of centiseconds (RFC 5798 §5.2.7).
inline constexpr std::uint16_t kMaxIntervalCs = 0x0fff;
/// Largest v2 Adver Int: 8 bits of seconds (RFC 3768 §5.3.7).
inline constexpr std::uint16_t kMaxV2IntervalSeconds = 0xff;
/// Largest Count IPvX Addrs (8-bit field).
inline constexpr std::size_t kMaxAddresses = 255;

/// The VRRP IPv4 multicast group 224.0.0.18 (RFC 5798 §5.1.1.2).
util::IpAddress vrrpMulticastV4();
/// The VRRP IPv6 multicast group ff02::12 (RFC 5798 §5.1.2.2).
util::IpAddress vrrpMulticastV6();

/// VRRP protocol version (the high nibble of the first byte).
enum class Version : std::uint8_t {
  V2 = 2,  ///< RFC 3768, IPv4 only.
  V3 = 3,  ///< RFC 5798, obsoleted by RFC 9568; IPv4 and IPv6.
};

/// VRRPv2 Auth Type (RFC 3768 §5.3.6 keeps the field; RFC 2338 §5.3.6 defined the values).
enum class AuthType : std::uint8_t {
  None = 0,            ///< No authentication.
  SimplePassword = 1,  ///< 8-byte clear-text password in Authentication Data (keepalived PASS).
  IpsecAh = 2,  ///< IPsec AH (keepalived AH): the AH header sits before VRRP, outside this codec.
};

/// One VRRP advertisement as a value: what decode() produces and encode() consumes.
struct Advertisement {
  Version version = Version::V3;
  /// IP family the advertisement travels over; all `addresses` are of this family.
  util::Family family = util::Family::V4;
  std::uint8_t vrid = 1;
  std::uint8_t priority = 100;
  /// Advertisement interval in centiseconds. v3: Max Adver Int (1..4095, RFC 5798 §5.2.7);
  /// v2: Adver Int seconds * 100 (100..25500, RFC 3768 §5.3.7).
  std::uint16_t intervalCs = 100;
  /// The virtual addresses, in packet order. For v3/IPv6 the first should be link-local
  /// (RFC 9568 §5.2.9).
  std::vector<util::IpAddress> addresses;
  /// v2 only; always None for v3 (RFC 5798 removed authentication).
  AuthType authType = AuthType::None;
  /// v2 only: the 8 bytes of Authentication Data as sent; zeros for v3.
  std::array<std::uint8_t, kAuthDataSize> authData{};

  friend bool operator==(const Advertisement&, const Advertisement&) = default;
};

/// How the packet reached us.
enum class Delivery : std::uint8_t {
  Multicast,  ///< Sent to 224.0.0.18 / ff02::12 (or another multicast group).
  Unicast,    ///< Sent to a unicast peer address (keepalived unicast_peer).
};

/// What the receive path knows about a packet beyond its VRRP payload: the IPv4 or IPv6 header
/// fields that the codec needs (the codec never sees the IP header itself).
struct PacketMeta {
  util::IpAddress source;       ///< IP source address (the sender's primary address).
  util::IpAddress destination;  ///< IP destination address.
  std::uint8_t ttl = kVrrpTtl;  ///< IPv4 TTL or IPv6 hop limit as received.
  Delivery delivery = Delivery::Multicast;
};

}  // namespace vipd::proto
