#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace vipd::proto {

/// Why a received VRRP packet was discarded, one value per receiver check so the daemon can count
/// drops by reason. `decode()` produces the structural reasons, `validate()` the per-instance
/// ones. Sources: RFC 3768 §7.1 (VRRPv2), RFC 5798 §7.1 and RFC 9568 §7.1 (VRRPv3) and
/// keepalived 2.2.7 `vrrp.c:vrrp_check_packet`.
enum class DropReason : std::uint8_t {
  // decode(): metadata and structure.
  AddressFamilyMismatch,     ///< Source/destination families differ, or differ from the instance.
  TtlNot255,                 ///< IPv4 TTL / IPv6 hop limit not 255 (RFC 5798 §5.1.1.3, §5.1.2.3).
  Truncated,                 ///< Shorter than the 8-byte fixed header (RFC 5798 §7.1).
  UnsupportedVersion,        ///< Version is neither 2 nor 3 (RFC 3768 §5.3.1, RFC 5798 §5.2.1).
  Version2OverIpv6,          ///< VRRPv2 is IPv4 only (RFC 3768 §1); v3 is required for IPv6.
  UnknownType,               ///< Type is not 1 = ADVERTISEMENT (RFC 5798 §5.2.2).
  CountExceedsLength,        ///< Count IPvX Addrs needs more bytes than received (RFC 5798 §7.1).
  TooLong,                   ///< Bytes after the message (keepalived: "vrrp packet too long").
  BadChecksum,               ///< No accepted checksum form matches (RFC 5798 §5.2.8, §7.1).
  ZeroAddressCount,          ///< v3 with Count IPvX Addrs 0 (RFC 9568 §5.2.5, erratum 8299).
  ZeroInterval,              ///< Advertisement interval 0 (RFC 9568 §7.1, erratum 8301).
  UnknownAuthType,           ///< v2 Auth Type not 0, 1 or 2 (RFC 3768 §5.3.6).
  FirstAddressNotLinkLocal,  ///< v3/IPv6 first address not link-local (RFC 9568 §5.2.9).
  // validate(): per-instance checks.
  VersionMismatch,       ///< Version differs from the instance's (keepalived "wrong version").
  VridMismatch,          ///< VRID not the instance's (RFC 5798 §7.1).
  LocalIsAddressOwner,   ///< The local router owns the addresses, priority 255 (RFC 5798 §7.1).
  DeliveryMismatch,      ///< Multicast received where unicast peers are set, or vice versa.
  UnicastSourceNotPeer,  ///< Unicast source not a configured peer (keepalived check_unicast_src).
  UnicastTtlOutOfRange,  ///< Unicast TTL outside the peer's min_ttl..max_ttl (keepalived).
  AuthAhUnsupported,     ///< The instance is configured for IPsec AH, which vipd does not do.
  AuthTypeMismatch,      ///< v2 Auth Type differs from the configured one (RFC 3768 §5.3.6).
  AuthFailure,           ///< v2 simple password differs (RFC 2338 §5.3.6.1, keepalived PASS).
  IntervalMismatch,      ///< v2 Adver Int differs from the configured one (RFC 3768 §7.1).
  AddressCountMismatch,  ///< Count differs from the configured VIP count (RFC 5798 §7.1 MAY).
  AddressListMismatch,   ///< A configured VIP is absent from the advert (RFC 5798 §7.1 MAY).
};

/// Every DropReason, in declaration order; lets the daemon create one counter per reason.
inline constexpr std::array kAllDropReasons = {
    DropReason::AddressFamilyMismatch,
    DropReason::TtlNot255,
    DropReason::Truncated,
    DropReason::UnsupportedVersion,
    DropReason::Version2OverIpv6,
    DropReason::UnknownType,
    DropReason::CountExceedsLength,
    DropReason::TooLong,
    DropReason::BadChecksum,
    DropReason::ZeroAddressCount,
    DropReason::ZeroInterval,
    DropReason::UnknownAuthType,
    DropReason::FirstAddressNotLinkLocal,
    DropReason::VersionMismatch,
    DropReason::VridMismatch,
    DropReason::LocalIsAddressOwner,
    DropReason::DeliveryMismatch,
    DropReason::UnicastSourceNotPeer,
    DropReason::UnicastTtlOutOfRange,
    DropReason::AuthAhUnsupported,
    DropReason::AuthTypeMismatch,
    DropReason::AuthFailure,
    DropReason::IntervalMismatch,
    DropReason::AddressCountMismatch,
    DropReason::AddressListMismatch,
};

/// A stable snake_case name for logs and metric labels, e.g. "ttl_not_255".
std::string_view toString(DropReason reason);

}  // namespace vipd::proto
