#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "vipd/proto/advertisement.h"
#include "vipd/proto/checksum.h"
#include "vipd/proto/drop_reason.h"
#include "vipd/proto/result.h"

namespace vipd::proto {

/// Receive-side knobs of decode(). The defaults accept everything keepalived 2.2.7 sends and
/// drop what it drops; each field says where keepalived and RFC 9568 differ.
struct ReceivePolicy {
  /// Drop multicast packets whose TTL / hop limit is not 255 (RFC 5798 §5.1.1.3; keepalived).
  bool checkMulticastTtl = true;
  /// Also drop unicast packets whose TTL is not 255. keepalived does not (it checks unicast TTL
  /// only against a peer's min_ttl/max_ttl, see InstanceExpectations::unicastPeers).
  bool checkUnicastTtl = false;
  /// Drop v3 adverts with Count IPvX Addrs 0 (RFC 9568 §5.2.5 and erratum 8299 to §7.1).
  /// Clear it to accept keepalived >= 2.2.8 `no_virtual_ipaddress` instances.
  bool rejectZeroAddressCount = true;
  /// Drop v3/IPv6 adverts whose first address is not link-local. RFC 9568 §5.2.9 makes this a
  /// MUST for senders (RFC 5798 §5.2.9 had a lowercase "must"); keepalived does not check it on
  /// receive and sends global addresses first unless vrrp_strict, so it is off by default.
  bool requireLinkLocalFirstIpv6 = false;
  /// Accept v3/IPv4 checksums without pseudo-header (ChecksumForm::MessageOnly).
  bool acceptV3Ipv4MessageOnly = true;
  /// Accept v3/IPv4 unicast checksums with 224.0.0.18 as pseudo-header destination
  /// (ChecksumForm::Ipv4PseudoHeaderMulticastDst). keepalived accepts it unless configured
  /// `old_unicast_checksum never`.
  bool acceptV3Ipv4LegacyUnicast = true;
};

/// A structurally valid advertisement with what the receive path knew about it.
struct ReceivedAdvertisement {
  Advertisement advert;
  PacketMeta meta;
  /// The checksum form that verified; encode() with it reproduces the checksum.
  ChecksumForm checksumForm = ChecksumForm::MessageOnly;
};

/// Parses and structurally checks one VRRP payload (the bytes after the IPv4/IPv6 header).
///
/// Checks, in order: metadata families agree; TTL / hop limit (per `policy`); fixed header
/// present; version 2 or 3 and v2 only over IPv4; type 1; exact length for the address count
/// (keepalived rejects both short and long packets); checksum in any accepted form; v3 count and
/// interval non-zero (RFC 9568 errata 8299, 8301; interval also for v2); v2 Auth Type known;
/// optionally the v3/IPv6 link-local first address. Reserved bits of the v3 interval word are
/// ignored (RFC 5798 §5.2.6). Per-instance checks are validate()'s.
///
/// @param payload  the VRRP message; never read beyond its size.
/// @param meta     source, destination, TTL and delivery from the IP layer.
/// @return the advertisement and matched checksum form, or the first failed check.
Result<ReceivedAdvertisement> decode(std::span<const std::byte> payload, const PacketMeta& meta,
                                     const ReceivePolicy& policy = {});

/// Byte-type convenience overload of decode().
inline Result<ReceivedAdvertisement> decode(std::span<const std::uint8_t> payload,
                                            const PacketMeta& meta,
                                            const ReceivePolicy& policy = {}) {
  return decode(std::as_bytes(payload), meta, policy);
}

}  // namespace vipd::proto
