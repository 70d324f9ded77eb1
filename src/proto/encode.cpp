#include "vipd/proto/encode.h"

#include <algorithm>
#include <optional>

#include "wire.h"

namespace vipd::proto {
namespace {

using EncodeCheck = std::optional<EncodeError>;

bool allOfFamily(const Advertisement& a, const util::IpAddress& source,
                 const util::IpAddress& destination) {
  const auto sameFamily = [&](const util::IpAddress& ip) { return ip.family() == a.family; };
  return sameFamily(source) && sameFamily(destination) &&
         std::all_of(a.addresses.begin(), a.addresses.end(), sameFamily);
}

EncodeCheck checkEncodableInterval(const Advertisement& a) {
  if (a.version == Version::V3) {
    if (a.intervalCs == 0 || a.intervalCs > kMaxIntervalCs) return EncodeError::IntervalOutOfRange;
    return std::nullopt;
  }
  const unsigned seconds = a.intervalCs / wire::kCentisecondsPerSecond;
  if (a.intervalCs % wire::kCentisecondsPerSecond != 0 || seconds == 0 ||
      seconds > kMaxV2IntervalSeconds) {
    return EncodeError::IntervalOutOfRange;
  }
  return std::nullopt;
}

EncodeCheck checkEncodable(const Advertisement& a, const util::IpAddress& source,
                           const util::IpAddress& destination, ChecksumForm form) {
  if (a.version == Version::V2 && a.family == util::Family::V6) {
    return EncodeError::Version2OverIpv6;
  }
  if (!allOfFamily(a, source, destination)) return EncodeError::AddressFamilyMismatch;
  if (a.addresses.size() > kMaxAddresses) return EncodeError::TooManyAddresses;
  if (auto error = checkEncodableInterval(a)) return error;
  const bool hasAuth = a.authType != AuthType::None ||
                       std::any_of(a.authData.begin(), a.authData.end(), [](auto b) { return b; });
  if (a.version == Version::V3 && hasAuth) return EncodeError::AuthenticationOnVersion3;
  if (!isApplicable(form, a.version, a.family)) return EncodeError::ChecksumFormNotApplicable;
  return std::nullopt;
}

/// Writes everything but the checksum (left zero).
std::vector<std::uint8_t> serialise(const Advertisement& a) {
  std::vector<std::uint8_t> out(wire::messageSize(a.version, a.family, a.addresses.size()), 0);
  out[wire::kVersionTypeOffset] =
      static_cast<std::uint8_t>(static_cast<unsigned>(a.version) << 4 | wire::kTypeAdvertisement);
  out[wire::kVridOffset] = a.vrid;
  out[wire::kPriorityOffset] = a.priority;
  out[wire::kCountOffset] = static_cast<std::uint8_t>(a.addresses.size());
  if (a.version == Version::V2) {
    out[wire::kV2AuthTypeOffset] = static_cast<std::uint8_t>(a.authType);
    out[wire::kV2IntervalOffset] =
        static_cast<std::uint8_t>(a.intervalCs / wire::kCentisecondsPerSecond);
    std::copy(a.authData.begin(), a.authData.end(), out.end() - kAuthDataSize);
  } else {
    wire::writeU16(out, wire::kV3IntervalOffset, a.intervalCs);  // reserved bits stay 0
  }
  auto cursor = out.begin() + kHeaderSize;
  for (const util::IpAddress& ip : a.addresses) {
    cursor = std::copy(ip.bytes().begin(), ip.bytes().end(), cursor);
  }
  return out;
}

}  // namespace

std::string_view toString(EncodeError error) {
  switch (error) {
    case EncodeError::Version2OverIpv6:
      return "version2_over_ipv6";
    case EncodeError::AddressFamilyMismatch:
      return "address_family_mismatch";
    case EncodeError::TooManyAddresses:
      return "too_many_addresses";
    case EncodeError::IntervalOutOfRange:
      return "interval_out_of_range";
    case EncodeError::AuthenticationOnVersion3:
      return "authentication_on_version3";
    case EncodeError::ChecksumFormNotApplicable:
      return "checksum_form_not_applicable";
  }
  return "unknown";
}

Result<std::vector<std::uint8_t>, EncodeError> encode(const Advertisement& advert,
                                                      const util::IpAddress& source,
                                                      const util::IpAddress& destination,
                                                      std::optional<ChecksumForm> form) {
  const ChecksumForm chosen = form.value_or(defaultChecksumForm(advert.version, advert.family));
  if (auto error = checkEncodable(advert, source, destination, chosen)) return *error;
  std::vector<std::uint8_t> out = serialise(advert);
  wire::writeU16(out, wire::kChecksumOffset,
                 computeChecksum(std::span<const std::uint8_t>(out), chosen, source, destination));
  return out;
}

}  // namespace vipd::proto
