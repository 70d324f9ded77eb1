#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "vipd/proto/advertisement.h"
#include "vipd/proto/checksum.h"
#include "vipd/proto/result.h"
#include "vipd/util/ip_address.h"

namespace vipd::proto {

/// Why an Advertisement cannot be put on the wire (a configuration or caller bug).
enum class EncodeError : std::uint8_t {
  Version2OverIpv6,           ///< VRRPv2 is IPv4 only (RFC 3768 §1).
  AddressFamilyMismatch,      ///< An address or endpoint is not of the advert's family.
  TooManyAddresses,           ///< More than 255 addresses (8-bit count).
  IntervalOutOfRange,         ///< v3: not 1..4095 cs; v2: not a whole 1..255 seconds.
  AuthenticationOnVersion3,   ///< v3 has no Auth fields (RFC 5798 §5.1 removed them).
  ChecksumFormNotApplicable,  ///< See isApplicable().
};

/// A stable snake_case name for logs, e.g. "interval_out_of_range".
std::string_view toString(EncodeError error);

/// Serialises an advertisement and fills in its checksum.
///
/// v3: the 4 reserved bits are sent as zero (RFC 5798 §5.2.6). v2: Adver Int is
/// intervalCs / 100 and the 8 bytes of Authentication Data are always written (RFC 3768 §5.1).
///
/// @param source       IP source address the packet will carry (pseudo-header).
/// @param destination  IP destination address (the unicast peer, or the multicast group).
/// @param form         checksum form; nullopt picks defaultChecksumForm() (keepalived's).
/// @return the VRRP message (no IP header), or why it cannot be encoded.
Result<std::vector<std::uint8_t>, EncodeError> encode(
    const Advertisement& advert, const util::IpAddress& source, const util::IpAddress& destination,
    std::optional<ChecksumForm> form = std::nullopt);

}  // namespace vipd::proto
