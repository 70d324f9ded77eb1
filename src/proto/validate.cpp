#include "vipd/proto/validate.h"

#include <algorithm>
#include <optional>
#include <span>

namespace vipd::proto {
namespace {

using Check = std::optional<DropReason>;

/// Compares without an early exit so timing does not reveal how many leading bytes of a guessed
/// password were right (keepalived: memcmp_constant_time). Reads through volatile so the
/// compiler cannot turn the loop back into a short-circuiting memcmp.
bool constantTimeEqual(std::span<const std::uint8_t, kAuthDataSize> a,
                       std::span<const std::uint8_t, kAuthDataSize> b) {
  const volatile std::uint8_t* pa = a.data();
  const volatile std::uint8_t* pb = b.data();
  unsigned diff = 0;
  for (std::size_t i = 0; i < kAuthDataSize; ++i) diff |= static_cast<unsigned>(pa[i] ^ pb[i]);
  return diff == 0;
}

Check checkIdentity(const Advertisement& a, const InstanceExpectations& ex) {
  if (a.version != ex.version) return DropReason::VersionMismatch;
  if (a.family != ex.family) return DropReason::AddressFamilyMismatch;
  // RFC 3768/5798 §7.1: "MUST verify that the VRID is configured on the receiving interface and
  // the local router is not the IPvX address owner (Priority = 255 (decimal))".
  if (a.vrid != ex.vrid) return DropReason::VridMismatch;
  if (ex.discardWhenLocalIsOwner && ex.localIsAddressOwner) return DropReason::LocalIsAddressOwner;
  return std::nullopt;
}

/// keepalived vrrp_check_packet: "Expected unicast packet but received multicast packet" and
/// vice versa; unicast peers configured means unicast expected.
Check checkDelivery(const PacketMeta& meta, const InstanceExpectations& ex) {
  const bool expectMulticast = ex.unicastPeers.empty();
  if (expectMulticast != (meta.delivery == Delivery::Multicast))
    return DropReason::DeliveryMismatch;
  return std::nullopt;
}

/// RFC 3768 §5.3.6 and §7.1: the Auth Type must match the configured method, which is then
/// performed. Type 1 is RFC 2338 §5.3.6.1's clear-text password (all 8 bytes compared, as
/// keepalived does); type 2 needs an IPsec AH header vipd does not implement.
Check checkAuthentication(const Advertisement& a, const InstanceExpectations& ex) {
  if (a.version != Version::V2) return std::nullopt;  // RFC 5798 has no authentication
  if (ex.authType == AuthType::IpsecAh) return DropReason::AuthAhUnsupported;
  if (a.authType != ex.authType) return DropReason::AuthTypeMismatch;
  if (ex.authType == AuthType::SimplePassword && !constantTimeEqual(a.authData, ex.authData)) {
    return DropReason::AuthFailure;
  }
  return std::nullopt;
}

/// RFC 3768 §7.1: "MUST verify that the Adver Interval in the packet is the same as the locally
/// configured for this virtual router". v3 learns it instead (RFC 5798 §6.4.2).
Check checkInterval(const Advertisement& a, const InstanceExpectations& ex) {
  if (a.version == Version::V2 && a.intervalCs != ex.intervalCs)
    return DropReason::IntervalMismatch;
  return std::nullopt;
}

/// RFC 3768/5798 §7.1 "MAY verify" the addresses; keepalived always drops on a mismatch
/// (count, then each configured VIP present in any order), unless skip_check_adv_addr.
/// NOTE: RFC 3768 §7.1 would keep processing an owner's (priority 255) advert; keepalived and
/// vipd drop it.
Check checkAddresses(const Advertisement& a, const InstanceExpectations& ex) {
  if (!ex.checkAddresses) return std::nullopt;
  if (a.addresses.size() != ex.addresses.size()) return DropReason::AddressCountMismatch;
  for (const util::IpAddress& vip : ex.addresses) {
    if (std::find(a.addresses.begin(), a.addresses.end(), vip) == a.addresses.end()) {
      return DropReason::AddressListMismatch;
    }
  }
  return std::nullopt;
}

/// keepalived check_unicast_src: the source must be a unicast peer and the TTL within that
/// peer's [min_ttl, max_ttl].
Check checkUnicastSource(const PacketMeta& meta, const InstanceExpectations& ex) {
  if (!ex.checkUnicastSource || ex.unicastPeers.empty()) return std::nullopt;
  const auto peer = std::find_if(ex.unicastPeers.begin(), ex.unicastPeers.end(),
                                 [&](const UnicastPeer& p) { return p.address == meta.source; });
  if (peer == ex.unicastPeers.end()) return DropReason::UnicastSourceNotPeer;
  if (meta.ttl < peer->minTtl || meta.ttl > peer->maxTtl) return DropReason::UnicastTtlOutOfRange;
  return std::nullopt;
}

}  // namespace

Result<void> validate(const ReceivedAdvertisement& received, const InstanceExpectations& expected) {
  const Advertisement& advert = received.advert;
  if (auto drop = checkIdentity(advert, expected)) return *drop;
  if (auto drop = checkDelivery(received.meta, expected)) return *drop;
  if (auto drop = checkAuthentication(advert, expected)) return *drop;
  if (auto drop = checkInterval(advert, expected)) return *drop;
  if (auto drop = checkAddresses(advert, expected)) return *drop;
  if (auto drop = checkUnicastSource(received.meta, expected)) return *drop;
  return success();
}

}  // namespace vipd::proto
