#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "vipd/proto/advertisement.h"
#include "vipd/util/ip_address.h"

namespace vipd::proto {

/// The ways peers compute the VRRP checksum. All are the RFC 1071 16-bit one's complement of the
/// one's complement sum; they differ in what is summed besides the VRRP message.
enum class ChecksumForm : std::uint8_t {
  /// The VRRP message alone. VRRPv2 always (RFC 3768 §5.3.8). VRRPv3 over IPv4 per RFC 9568
  /// §5.2.8 ("only includes the VRRP message"), Cisco and Juniper, keepalived >= 2.2.8 with
  /// `v3_checksum_as_v2`, FRR with `no checksum-with-ipv4-pseudoheader`.
  MessageOnly,
  /// VRRPv3 over IPv4 with an IPv4 pseudo-header (src, dst, 0, 112, VRRP length) using the real
  /// destination. RFC 5798 §5.2.8 as most read it; keepalived >= 1.3.6 default
  /// (vrrp.c:vrrp_build_vrrp_v3), FRR default.
  Ipv4PseudoHeader,
  /// As Ipv4PseudoHeader but with 224.0.0.18 as pseudo-header destination even for unicast.
  /// keepalived < 1.3.6, and keepalived's `old_unicast_checksum` (vrrp.c:vrrp_check_packet
  /// auto-detects it on a unicast checksum failure). Identical to Ipv4PseudoHeader for packets
  /// sent to 224.0.0.18.
  Ipv4PseudoHeaderMulticastDst,
  /// VRRPv3 over IPv6: pseudo-header of RFC 8200 §8.1 (src, dst, 32-bit upper-layer length,
  /// 3 zero bytes, next header 112) per RFC 5798/9568 §5.2.8. The only IPv6 form; Linux computes
  /// it for keepalived via IPV6_CHECKSUM.
  Ipv6PseudoHeader,
};

/// Every ChecksumForm, in declaration order (for per-form counters).
inline constexpr std::array kAllChecksumForms = {
    ChecksumForm::MessageOnly, ChecksumForm::Ipv4PseudoHeader,
    ChecksumForm::Ipv4PseudoHeaderMulticastDst, ChecksumForm::Ipv6PseudoHeader};

/// A stable snake_case name for logs and metric labels, e.g. "ipv4_pseudo_header".
std::string_view toString(ChecksumForm form);

/// Whether `form` can be used for a `version` advertisement over `family`:
/// v2 → MessageOnly; v3/IPv4 → MessageOnly or either IPv4 pseudo-header form;
/// v3/IPv6 → Ipv6PseudoHeader.
bool isApplicable(ChecksumForm form, Version version, util::Family family);

/// keepalived's transmit default: MessageOnly for v2, Ipv4PseudoHeader for v3/IPv4,
/// Ipv6PseudoHeader for v3/IPv6.
ChecksumForm defaultChecksumForm(Version version, util::Family family);

/// Computes the checksum of a VRRP message in `form`, reading bytes 6..7 (the checksum field) as
/// zero (RFC 5798 §5.2.8: "For computing the checksum, the Checksum field is set to zero").
///
/// @param message      the whole VRRP message (header, addresses, and for v2 auth data).
/// @param source       IP source address; used only by the pseudo-header forms.
/// @param destination  IP destination address; used only by Ipv4PseudoHeader/Ipv6PseudoHeader.
/// @return the value to store in network order at bytes 6..7. Precondition for the pseudo-header
///         forms: source and destination are of the form's family (else 0 is returned).
std::uint16_t computeChecksum(std::span<const std::byte> message, ChecksumForm form,
                              const util::IpAddress& source, const util::IpAddress& destination);

/// Byte-type convenience overload of computeChecksum().
inline std::uint16_t computeChecksum(std::span<const std::uint8_t> message, ChecksumForm form,
                                     const util::IpAddress& source,
                                     const util::IpAddress& destination) {
  return computeChecksum(std::as_bytes(message), form, source, destination);
}

/// True if `message`, including its stored checksum, verifies in `form` (the one's complement sum
/// over pseudo-header and message is all ones, RFC 1071 §1).
bool verifyChecksum(std::span<const std::byte> message, ChecksumForm form,
                    const util::IpAddress& source, const util::IpAddress& destination);

}  // namespace vipd::proto
