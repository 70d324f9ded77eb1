#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <system_error>

#include "vipd/net/garp.h"
#include "vipd/net/link_layer_socket.h"
#include "vipd/util/ip_address.h"

namespace vipd::net {

/// An unsolicited Neighbor Advertisement (RFC 4861 §4.4, §7.2.6) for one address.
struct NeighborAdvert {
  MacAddress mac{};        ///< Ethernet source and Target Link-Layer Address option.
  util::IpAddress target;  ///< The address announced (the IPv6 VIP).
  bool router = false;     ///< R flag: set when IPv6 forwarding is on for the interface.
  /// IPv6 source. nullopt = `target`, which is what keepalived 2.2.7 puts there
  /// (vrrp_ndisc.c:ndisc_send_unsolicited_na_immediate copies the announced
  /// address into ip6h.saddr). Pass the interface link-local to override.
  std::optional<util::IpAddress> source;
};

/// Frame length: Ethernet 14 + IPv6 40 + NA 24 + target link-layer option 8.
inline constexpr std::size_t kNaFrameSize = 86;
using NaFrame = std::array<std::uint8_t, kNaFrameSize>;

/// Builds the whole Ethernet frame keepalived sends for an unsolicited NA
/// (vrrp_ndisc.c:ndisc_send_unsolicited_na_immediate):
///   Ethernet dst 33:33:00:00:00:01 (RFC 2464 §7 mapping of ff02::1), src mac, type 0x86dd;
///   IPv6 traffic class 0, flow label 0, payload length 32, next header 58,
///   hop limit 255, src (see NeighborAdvert::source), dst ff02::1;
///   ICMPv6 type 136 code 0, flags R (if router) | O, S clear, target;
///   option type 2 (Target Link-Layer Address), length 1, mac.
/// The ICMPv6 checksum (RFC 4443 §2.3, over the RFC 8200 §8.1 pseudo-header)
/// is filled in, since an AF_PACKET frame bypasses the kernel's IPv6 stack.
/// Precondition: target (and source, if given) are IPv6.
NaFrame buildUnsolicitedNa(const NeighborAdvert& na);

/// The ICMPv6 checksum of `message` (checksum field included as it is) sent
/// from `source` to `destination`; 0 when the field already holds the right value.
std::uint16_t icmpv6Checksum(const util::IpAddress& source, const util::IpAddress& destination,
                             std::span<const std::uint8_t> message);

/// Sends one unsolicited NA built by buildUnsolicitedNa() on `socket`, to
/// 33:33:00:00:00:01 with ethertype 0x86dd (what NeighborAdvertSender::send
/// does; for callers that share one socket between ARP and NA).
/// Precondition: na.target (and na.source, if given) are IPv6 (else
/// std::errc::address_family_not_supported).
std::error_code sendUnsolicitedNa(LinkLayerSocket& socket, const NeighborAdvert& na);

/// Sends unsolicited NAs on one interface through its own LinkLayerSocket
/// (AF_PACKET) with the frame built above, like keepalived
/// (socket(PF_PACKET, SOCK_RAW, ETH_P_IPV6)).
/// A raw ICMPv6 socket would need the source to be a usable (non-tentative)
/// local address and would run the frame through netfilter; the AF_PACKET
/// frame is byte-for-byte keepalived's. The socket is bound with protocol 0,
/// so it receives nothing.
///
/// NOTE: owns its descriptor (closed on destruction; movable, not copyable).
/// Not thread-safe: use it from the event-loop thread. Non-blocking.
class NeighborAdvertSender {
 public:
  /// Opens and binds the socket in the calling thread's network namespace.
  /// Throws std::system_error naming the interface and the failing call.
  /// @param ifindex 0 = look up `interface` by name.
  explicit NeighborAdvertSender(std::string interface, int ifindex = 0);

  /// Sends one unsolicited NA. Precondition: na.target is IPv6 (else
  /// std::errc::address_family_not_supported).
  std::error_code send(const NeighborAdvert& na);

  int ifindex() const { return socket_.ifindex(); }
  const std::string& interface() const { return socket_.interface(); }

 private:
  LinkLayerSocket socket_;
};

}  // namespace vipd::net
