#include "vipd/proto/decode.h"

#include <optional>

#include "wire.h"

namespace vipd::proto {
namespace {

using Check = std::optional<DropReason>;

/// The fixed 8-byte header, fields as on the wire (RFC 3768 §5.1, RFC 5798 §5.1).
struct FixedHeader {
  std::uint8_t version = 0;
  std::uint8_t type = 0;
  std::uint8_t vrid = 0;
  std::uint8_t priority = 0;
  std::uint8_t count = 0;
  std::uint8_t v2AuthType = 0;   ///< v2 byte 4.
  std::uint16_t intervalCs = 0;  ///< v2: byte 5 seconds * 100; v3: 12-bit field, reserved dropped.
};

FixedHeader readHeader(std::span<const std::byte> bytes) {
  FixedHeader h;
  const std::uint8_t versionType = wire::readU8(bytes, wire::kVersionTypeOffset);
  h.version = static_cast<std::uint8_t>(versionType >> 4);
  h.type = static_cast<std::uint8_t>(versionType & 0x0f);
  h.vrid = wire::readU8(bytes, wire::kVridOffset);
  h.priority = wire::readU8(bytes, wire::kPriorityOffset);
  h.count = wire::readU8(bytes, wire::kCountOffset);
  if (h.version == static_cast<std::uint8_t>(Version::V2)) {
    h.v2AuthType = wire::readU8(bytes, wire::kV2AuthTypeOffset);
    h.intervalCs = static_cast<std::uint16_t>(wire::readU8(bytes, wire::kV2IntervalOffset) *
                                              wire::kCentisecondsPerSecond);
  } else {
    // RFC 5798 §5.2.6: the 4 reserved bits are ignored on reception.
    h.intervalCs = wire::readU16(bytes, wire::kV3IntervalOffset) & wire::kV3IntervalMask;
  }
  return h;
}

Check checkMeta(const PacketMeta& meta) {
  if (meta.source.family() != meta.destination.family()) return DropReason::AddressFamilyMismatch;
  return std::nullopt;
}

/// RFC 5798 §5.1.1.3 / §5.1.2.3, RFC 3768 §5.2.3: TTL / hop limit must be 255. keepalived applies
/// it to multicast only (vrrp_check_packet: "but not if unicast").
Check checkTtl(const PacketMeta& meta, const ReceivePolicy& policy) {
  const bool check =
      meta.delivery == Delivery::Multicast ? policy.checkMulticastTtl : policy.checkUnicastTtl;
  if (check && meta.ttl != kVrrpTtl) return DropReason::TtlNot255;
  return std::nullopt;
}

Check checkVersionAndType(const FixedHeader& h, util::Family family) {
  if (h.version != static_cast<std::uint8_t>(Version::V2) &&
      h.version != static_cast<std::uint8_t>(Version::V3)) {
    return DropReason::UnsupportedVersion;  // RFC 3768/5798 §7.1
  }
  // keepalived can run v2 over IPv6 without auth data; neither RFC defines it, vipd does not.
  if (h.version == static_cast<std::uint8_t>(Version::V2) && family == util::Family::V6) {
    return DropReason::Version2OverIpv6;
  }
  if (h.type != wire::kTypeAdvertisement) return DropReason::UnknownType;  // RFC 5798 §5.2.2
  return std::nullopt;
}

/// RFC 5798 §7.1: "the complete VRRP packet (including fixed fields, and IPvX address(es))"; for
/// v2 also the Authentication Data (RFC 3768 §7.1). Trailing bytes are rejected like keepalived
/// (vrrp_check_packet: "vrrp packet too long").
Check checkLength(std::size_t size, const FixedHeader& h, Version version, util::Family family) {
  const std::size_t expected = wire::messageSize(version, family, h.count);
  if (size < expected) return DropReason::CountExceedsLength;
  if (size > expected) return DropReason::TooLong;
  return std::nullopt;
}

/// Tries every accepted form, keepalived's transmit default first. For v3/IPv4 a pseudo-header
/// match wins over a message-only match, which is only a fallback.
std::optional<ChecksumForm> matchChecksum(std::span<const std::byte> bytes, Version version,
                                          const PacketMeta& meta, const ReceivePolicy& policy) {
  const util::Family family = meta.source.family();
  const ChecksumForm primary = defaultChecksumForm(version, family);
  if (verifyChecksum(bytes, primary, meta.source, meta.destination)) return primary;
  if (version == Version::V2 || family == util::Family::V6) return std::nullopt;
  // RFC 9568 §5.2.8: IPv4 checksum over the VRRP message only.
  if (policy.acceptV3Ipv4MessageOnly &&
      verifyChecksum(bytes, ChecksumForm::MessageOnly, meta.source, meta.destination)) {
    return ChecksumForm::MessageOnly;
  }
  // keepalived < 1.3.6 / old_unicast_checksum; same as the primary form for 224.0.0.18.
  const ChecksumForm legacy = ChecksumForm::Ipv4PseudoHeaderMulticastDst;
  if (policy.acceptV3Ipv4LegacyUnicast && meta.destination != vrrpMulticastV4() &&
      verifyChecksum(bytes, legacy, meta.source, meta.destination)) {
    return legacy;
  }
  return std::nullopt;
}

/// Field checks that only make sense once the checksum says the bytes are what was sent.
Check checkFields(const FixedHeader& h, Version version, const ReceivePolicy& policy) {
  // RFC 9568 §5.2.5 and erratum 8299 (§7.1 "MUST verify that IPvX Addr Count is non zero"),
  // new against RFC 5798. RFC 3768 sets no minimum, so v2 is left to the address-list check.
  if (version == Version::V3 && h.count == 0 && policy.rejectZeroAddressCount) {
    return DropReason::ZeroAddressCount;
  }
  // RFC 9568 erratum 8301 (§7.1 "MUST verify that the Max Advertise Interval is non zero"), new
  // against RFC 5798. Applied to v2 too: a 0 s Adver Int cannot match any configuration.
  if (h.intervalCs == 0) return DropReason::ZeroInterval;
  // RFC 3768 §5.3.6: unknown Auth Type MUST be discarded; 0..2 are the RFC 2338 values.
  if (version == Version::V2 && h.v2AuthType > static_cast<std::uint8_t>(AuthType::IpsecAh)) {
    return DropReason::UnknownAuthType;
  }
  return std::nullopt;
}

Advertisement buildAdvert(std::span<const std::byte> bytes, const FixedHeader& h, Version version,
                          util::Family family) {
  Advertisement a;
  a.version = version;
  a.family = family;
  a.vrid = h.vrid;
  a.priority = h.priority;
  a.intervalCs = h.intervalCs;
  const std::size_t size = wire::addressSize(family);
  a.addresses.reserve(h.count);
  for (std::size_t i = 0; i < h.count; ++i) {
    a.addresses.push_back(wire::readAddress(bytes.subspan(kHeaderSize + i * size, size), family));
  }
  if (version == Version::V2) {
    a.authType = static_cast<AuthType>(h.v2AuthType);
    std::memcpy(a.authData.data(), bytes.last(kAuthDataSize).data(), kAuthDataSize);
  }
  return a;
}

/// RFC 9568 §5.2.9: "For IPv6, the first address MUST be the IPv6 link-local address associated
/// with the Virtual Router" (RFC 5798 §5.2.9 said "must"). A sender rule; checked on receive
/// only if the policy asks, because keepalived neither enforces nor (without vrrp_strict) obeys it.
Check checkLinkLocal(const Advertisement& a, const ReceivePolicy& policy) {
  if (!policy.requireLinkLocalFirstIpv6 || a.family != util::Family::V6) return std::nullopt;
  if (!a.addresses.empty() && !a.addresses.front().isLinkLocal()) {
    return DropReason::FirstAddressNotLinkLocal;
  }
  return std::nullopt;
}

}  // namespace

Result<ReceivedAdvertisement> decode(std::span<const std::byte> payload, const PacketMeta& meta,
                                     const ReceivePolicy& policy) {
  if (auto drop = checkMeta(meta)) return *drop;
  if (auto drop = checkTtl(meta, policy)) return *drop;
  if (payload.size() < kHeaderSize) return DropReason::Truncated;
  const FixedHeader header = readHeader(payload);
  const util::Family family = meta.source.family();
  if (auto drop = checkVersionAndType(header, family)) return *drop;
  const auto version = static_cast<Version>(header.version);
  if (auto drop = checkLength(payload.size(), header, version, family)) return *drop;
  const auto form = matchChecksum(payload, version, meta, policy);
  if (!form) return DropReason::BadChecksum;
  if (auto drop = checkFields(header, version, policy)) return *drop;
  ReceivedAdvertisement received{buildAdvert(payload, header, version, family), meta, *form};
  if (auto drop = checkLinkLocal(received.advert, policy)) return *drop;
  return received;
}

}  // namespace vipd::proto
