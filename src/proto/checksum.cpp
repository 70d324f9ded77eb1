#include "vipd/proto/checksum.h"

#include <algorithm>
#include <array>

#include "wire.h"

namespace vipd::proto {
namespace {

/// RFC 1071 one's complement sum over several byte ranges, as if they were concatenated.
class OnesComplementSum {
 public:
  void add(std::span<const std::byte> bytes) {
    for (std::byte b : bytes) {
      const auto value = std::to_integer<std::uint32_t>(b);
      sum_ += odd_ ? value : value << 8;
      odd_ = !odd_;
    }
  }
  void addU16(std::uint16_t value) {
    const std::array<std::byte, 2> raw{std::byte(value >> 8), std::byte(value & 0xff)};
    add(raw);
  }
  /// The folded 16-bit sum (all ones means "verifies").
  std::uint16_t folded() const {
    std::uint64_t s = sum_;
    while (s > 0xffff) s = (s & 0xffff) + (s >> 16);
    return static_cast<std::uint16_t>(s);
  }

 private:
  std::uint64_t sum_ = 0;
  bool odd_ = false;
};

/// Adds the pseudo-header `form` needs for a message of `length` bytes. Returns false if the
/// endpoints are not of the form's family.
bool addPseudoHeader(OnesComplementSum& sum, ChecksumForm form, const util::IpAddress& source,
                     const util::IpAddress& destination, std::size_t length) {
  switch (form) {
    case ChecksumForm::MessageOnly:
      return true;
    case ChecksumForm::Ipv4PseudoHeader:
    case ChecksumForm::Ipv4PseudoHeaderMulticastDst: {
      // RFC 768-style IPv4 pseudo-header: src, dst, zero, protocol, 16-bit length (keepalived
      // vrrp.c ipv4_phdr_t). The legacy form substitutes 224.0.0.18 for dst.
      if (!source.isV4() || !destination.isV4()) return false;
      const util::IpAddress dst =
          form == ChecksumForm::Ipv4PseudoHeader ? destination : vrrpMulticastV4();
      sum.add(std::as_bytes(source.bytes()));
      sum.add(std::as_bytes(dst.bytes()));
      sum.addU16(kIpProtocolVrrp);
      sum.addU16(static_cast<std::uint16_t>(length));
      return true;
    }
    case ChecksumForm::Ipv6PseudoHeader:
      // RFC 8200 §8.1: src, dst, 32-bit upper-layer length, 24 zero bits, next header.
      if (!source.isV6() || !destination.isV6()) return false;
      sum.add(std::as_bytes(source.bytes()));
      sum.add(std::as_bytes(destination.bytes()));
      sum.addU16(static_cast<std::uint16_t>(length >> 16));
      sum.addU16(static_cast<std::uint16_t>(length & 0xffff));
      sum.addU16(kIpProtocolVrrp);
      return true;
  }
  return false;
}

}  // namespace

std::string_view toString(ChecksumForm form) {
  switch (form) {
    case ChecksumForm::MessageOnly:
      return "message_only";
    case ChecksumForm::Ipv4PseudoHeader:
      return "ipv4_pseudo_header";
    case ChecksumForm::Ipv4PseudoHeaderMulticastDst:
      return "ipv4_pseudo_header_multicast_dst";
    case ChecksumForm::Ipv6PseudoHeader:
      return "ipv6_pseudo_header";
  }
  return "unknown";
}

bool isApplicable(ChecksumForm form, Version version, util::Family family) {
  if (version == Version::V2)
    return family == util::Family::V4 && form == ChecksumForm::MessageOnly;
  if (family == util::Family::V6) return form == ChecksumForm::Ipv6PseudoHeader;
  return form != ChecksumForm::Ipv6PseudoHeader;
}

ChecksumForm defaultChecksumForm(Version version, util::Family family) {
  if (version == Version::V2) return ChecksumForm::MessageOnly;
  return family == util::Family::V4 ? ChecksumForm::Ipv4PseudoHeader
                                    : ChecksumForm::Ipv6PseudoHeader;
}

std::uint16_t computeChecksum(std::span<const std::byte> message, ChecksumForm form,
                              const util::IpAddress& source, const util::IpAddress& destination) {
  OnesComplementSum sum;
  if (!addPseudoHeader(sum, form, source, destination, message.size())) return 0;
  const std::size_t split = std::min(message.size(), wire::kChecksumOffset);
  sum.add(message.first(split));
  if (message.size() > split + 2) sum.add(message.subspan(split + 2));  // skip the field
  return static_cast<std::uint16_t>(~sum.folded());
}

bool verifyChecksum(std::span<const std::byte> message, ChecksumForm form,
                    const util::IpAddress& source, const util::IpAddress& destination) {
  OnesComplementSum sum;
  if (!addPseudoHeader(sum, form, source, destination, message.size())) return false;
  sum.add(message);
  return sum.folded() == 0xffff;
}

}  // namespace vipd::proto
