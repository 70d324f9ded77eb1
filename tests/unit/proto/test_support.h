#pragma once

// Shared builders for the proto unit tests.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <ostream>
#include <string_view>
#include <vector>

#include "vipd/proto/checksum.h"
#include "vipd/proto/decode.h"
#include "vipd/proto/encode.h"
#include "vipd/util/ip_address.h"

namespace vipd::proto::testing {

/// Parses a literal address; a typo in a test is a test bug, so it aborts.
inline util::IpAddress ip(std::string_view text) {
  auto parsed = util::IpAddress::parse(text);
  if (!parsed) std::abort();
  return *parsed;
}

/// Metadata as the receive path would build it; delivery follows the destination.
inline PacketMeta meta(std::string_view source, std::string_view destination,
                       std::uint8_t ttl = kVrrpTtl) {
  PacketMeta m{ip(source), ip(destination), ttl, Delivery::Multicast};
  m.delivery = m.destination.isMulticast() ? Delivery::Multicast : Delivery::Unicast;
  return m;
}

inline PacketMeta v4Multicast() { return meta("192.0.2.1", "224.0.0.18"); }
inline PacketMeta v4Unicast() { return meta("192.0.2.1", "192.0.2.2"); }
inline PacketMeta v6Multicast() { return meta("fe80::1", "ff02::12"); }

inline Advertisement v2Advert() {
  Advertisement a;
  a.version = Version::V2;
  a.family = util::Family::V4;
  a.vrid = 51;
  a.priority = 100;
  a.intervalCs = 100;
  a.addresses = {ip("192.0.2.100"), ip("192.0.2.101")};
  return a;
}

inline Advertisement v3v4Advert() {
  Advertisement a;
  a.version = Version::V3;
  a.family = util::Family::V4;
  a.vrid = 52;
  a.priority = 150;
  a.intervalCs = 100;
  a.addresses = {ip("192.0.2.100"), ip("192.0.2.101"), ip("192.0.2.102")};
  return a;
}

inline Advertisement v3v6Advert() {
  Advertisement a;
  a.version = Version::V3;
  a.family = util::Family::V6;
  a.vrid = 53;
  a.priority = 200;
  a.intervalCs = 50;
  a.addresses = {ip("fe80::53"), ip("2001:db8::53")};
  return a;
}

/// Encodes with `form` (default: keepalived's); fails the test if that is impossible.
inline std::vector<std::uint8_t> wire(const Advertisement& a, const PacketMeta& m,
                                      std::optional<ChecksumForm> form = std::nullopt) {
  auto bytes = encode(a, m.source, m.destination, form);
  if (!bytes) {
    ADD_FAILURE() << "encode failed: " << toString(bytes.error());
    return {};
  }
  return bytes.value();
}

/// Recomputes the checksum after a test edited the bytes, so a later check is what fails.
inline void refreshChecksum(std::vector<std::uint8_t>& bytes, const PacketMeta& m,
                            ChecksumForm form) {
  const std::uint16_t sum =
      computeChecksum(std::span<const std::uint8_t>(bytes), form, m.source, m.destination);
  bytes[6] = static_cast<std::uint8_t>(sum >> 8);
  bytes[7] = static_cast<std::uint8_t>(sum & 0xff);
}

/// The drop reason of a decode that must fail (or a test failure if it succeeded).
inline std::optional<DropReason> dropOf(const Result<ReceivedAdvertisement>& r) {
  if (r) return std::nullopt;
  return r.error();
}

}  // namespace vipd::proto::testing

namespace vipd::proto {
// Readable gtest output for the enums.
inline void PrintTo(DropReason r, std::ostream* os) { *os << toString(r); }
inline void PrintTo(ChecksumForm f, std::ostream* os) { *os << toString(f); }
inline void PrintTo(EncodeError e, std::ostream* os) { *os << toString(e); }
}  // namespace vipd::proto
