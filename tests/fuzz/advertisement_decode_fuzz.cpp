// libFuzzer target for the VRRP advertisement decoder.
//
// Input layout, so one corpus explores both families, both versions and every policy branch:
//   byte 0  flags: bit 0 IPv6 (else IPv4); bit 1 unicast delivery; bit 2 ReceivePolicy
//           checkUnicastTtl; bit 3 requireLinkLocalFirstIpv6; bit 4 allow zero address count;
//           bits 5-7: 1..4 = overwrite the checksum with ChecksumForm (n - 1) before decoding,
//           so mutations get past the checksum check; other values leave it as is.
//   byte 1  TTL / hop limit
//   then    source and destination address (4 or 16 bytes each), then the VRRP payload.
// tests/fuzz/make-seed-corpus writes golden captures in this layout.
//
// Properties checked on every input that decodes: validate() accepts it against expectations
// built from it; encode() with the matched checksum form succeeds; the result decodes to the
// same advertisement and form, and equals the input except for the checksum field and the
// v3 reserved bits.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "vipd/proto/checksum.h"
#include "vipd/proto/decode.h"
#include "vipd/proto/encode.h"
#include "vipd/proto/validate.h"

namespace {

using namespace vipd::proto;
using vipd::util::IpAddress;

#define FUZZ_CHECK(cond)       \
  do {                         \
    if (!(cond)) std::abort(); \
  } while (0)

ReceivePolicy policyFrom(std::uint8_t flags) {
  ReceivePolicy policy;
  policy.checkUnicastTtl = (flags & 0x04) != 0;
  policy.requireLinkLocalFirstIpv6 = (flags & 0x08) != 0;
  policy.rejectZeroAddressCount = (flags & 0x10) == 0;
  return policy;
}

void maybeRepairChecksum(std::vector<std::uint8_t>& payload, std::uint8_t flags,
                         const PacketMeta& meta) {
  const unsigned selector = flags >> 5;
  if (selector == 0 || selector > kAllChecksumForms.size() || payload.size() < 8) return;
  const ChecksumForm form = kAllChecksumForms[selector - 1];
  const std::uint16_t sum =
      computeChecksum(std::span<const std::uint8_t>(payload), form, meta.source, meta.destination);
  payload[6] = static_cast<std::uint8_t>(sum >> 8);
  payload[7] = static_cast<std::uint8_t>(sum & 0xff);
}

InstanceExpectations expectationsFor(const ReceivedAdvertisement& rx) {
  InstanceExpectations ex;
  ex.version = rx.advert.version;
  ex.family = rx.advert.family;
  ex.vrid = rx.advert.vrid;
  ex.intervalCs = rx.advert.intervalCs;
  ex.authType = rx.advert.authType;
  ex.authData = rx.advert.authData;
  ex.addresses = rx.advert.addresses;
  if (rx.meta.delivery == Delivery::Unicast) ex.unicastPeers = {UnicastPeer{rx.meta.source}};
  ex.checkUnicastSource = true;
  return ex;
}

void checkValidate(const ReceivedAdvertisement& rx) {
  const auto verdict = validate(rx, expectationsFor(rx));
  if (rx.advert.authType == AuthType::IpsecAh) {
    FUZZ_CHECK(!verdict && verdict.error() == DropReason::AuthAhUnsupported);
  } else {
    FUZZ_CHECK(verdict.has_value());
  }
}

void checkReEncode(const ReceivedAdvertisement& rx, const std::vector<std::uint8_t>& payload,
                   const ReceivePolicy& policy) {
  const auto bytes = encode(rx.advert, rx.meta.source, rx.meta.destination, rx.checksumForm);
  FUZZ_CHECK(bytes.has_value());
  const std::vector<std::uint8_t>& out = bytes.value();
  FUZZ_CHECK(out.size() == payload.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i == 6 || i == 7) continue;  // +0 / -0 checksum encodings
    const std::uint8_t mask = (i == 4 && rx.advert.version == Version::V3) ? 0x0f : 0xff;
    FUZZ_CHECK((out[i] & mask) == (payload[i] & mask));
  }
  const auto again = decode(out, rx.meta, policy);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again.value().advert == rx.advert);
  FUZZ_CHECK(again.value().checksumForm == rx.checksumForm);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t flags = data[0];
  const std::size_t addressSize = (flags & 0x01) ? 16 : 4;
  if (size < 2 + 2 * addressSize) return 0;
  const std::span<const std::uint8_t> input(data, size);
  PacketMeta meta;
  meta.ttl = data[1];
  meta.delivery = (flags & 0x02) ? Delivery::Unicast : Delivery::Multicast;
  meta.source = *IpAddress::fromBytes(input.subspan(2, addressSize));
  meta.destination = *IpAddress::fromBytes(input.subspan(2 + addressSize, addressSize));
  std::vector<std::uint8_t> payload(
      input.begin() + static_cast<std::ptrdiff_t>(2 + 2 * addressSize), input.end());
  maybeRepairChecksum(payload, flags, meta);

  const ReceivePolicy policy = policyFrom(flags);
  const auto rx = decode(payload, meta, policy);
  if (!rx) {
    FUZZ_CHECK(toString(rx.error()) != "unknown");
    return 0;
  }
  checkValidate(rx.value());
  checkReEncode(rx.value(), payload, policy);
  return 0;
}
