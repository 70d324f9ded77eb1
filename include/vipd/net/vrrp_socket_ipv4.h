#pragma once

#include <array>
#include <boost/outcome/result.hpp>
#include <cstdint>
#include <span>
#include <string_view>

#include "vipd/util/ip_address.h"

namespace vipd::net {

/// Why the IPv4 header in front of a raw-socket datagram was rejected.
enum class Ipv4HeaderError : std::uint8_t {
  Truncated,        ///< Fewer than 20 bytes, or fewer than IHL*4.
  NotIpv4,          ///< Version field is not 4.
  BadHeaderLength,  ///< IHL < 5 (RFC 791 §3.1: minimum 5 words).
  BadTotalLength,   ///< Total Length < IHL*4 or more than the bytes received.
};

/// A stable snake_case name for logs and counters, e.g. "bad_total_length".
std::string_view toString(Ipv4HeaderError error);

/// The fields of an IPv4 header (RFC 791 §3.1) that the VRRP receive path
/// uses, copied out of the buffer.
struct Ipv4Header {
  std::uint8_t headerLength = 0;  ///< In bytes: IHL * 4 (20..60).
  std::uint8_t tos = 0;           ///< Type of Service / DSCP+ECN byte.
  std::uint16_t totalLength = 0;  ///< Header plus payload, in bytes.
  std::uint16_t id = 0;
  bool dontFragment = false;         ///< DF flag.
  bool moreFragments = false;        ///< MF flag.
  std::uint16_t fragmentOffset = 0;  ///< In 8-byte units.
  std::uint8_t ttl = 0;
  std::uint8_t protocol = 0;
  util::IpAddress source;
  util::IpAddress destination;
};

template <class T>
using Ipv4HeaderResult =
    boost::outcome_v2::result<T, Ipv4HeaderError, boost::outcome_v2::policy::terminate>;

/// Parses the IPv4 header at the start of `datagram` (what a raw AF_INET
/// socket delivers: header, then payload). Checks every length against the
/// bytes present and copies each field out (no cast onto the buffer); the
/// header checksum is not checked (the kernel already did). The payload is
/// `datagram.subspan(headerLength, totalLength - headerLength)`.
Ipv4HeaderResult<Ipv4Header> parseIpv4Header(std::span<const std::uint8_t> datagram);

/// Writes a 20-byte IPv4 header (IHL 5, no options) from `h`, header
/// checksum included; `h.headerLength` is ignored. This is the header
/// keepalived writes for adverts on its IP_HDRINCL socket
/// (vrrp.c:vrrp_build_ip4 + vrrp_update_pkt).
/// Precondition: source and destination are IPv4.
std::array<std::uint8_t, 20> buildIpv4Header(const Ipv4Header& h);

}  // namespace vipd::net
