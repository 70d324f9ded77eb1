#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "vipd/net/link_layer_socket.h"
#include "vipd/util/ip_address.h"

namespace vipd::net {

/// Parses "aa:bb:cc:dd:ee:ff" (hex digits, either case); nullopt otherwise.
std::optional<MacAddress> parseMac(std::string_view text);
/// "aa:bb:cc:dd:ee:ff", lower case.
std::string toString(const MacAddress& mac);

/// ARP opcode (RFC 826; IANA "ARP operation codes").
enum class ArpOp : std::uint16_t { Request = 1, Reply = 2 };

/// Length of a gratuitous ARP frame: 14-byte Ethernet header + 28-byte ARP
/// body. No padding to 60 bytes: the NIC pads, as for keepalived's frames.
inline constexpr std::size_t kGarpFrameSize = 42;
using GarpFrame = std::array<std::uint8_t, kGarpFrameSize>;

/// Builds the gratuitous ARP frame keepalived 2.2.7 sends for `vip`
/// (vrrp_arp.c:send_gratuitous_arp_immediate):
///   Ethernet dst ff:ff:ff:ff:ff:ff, src `mac`, type 0x0806;
///   htype 1, ptype 0x0800, hlen 6, plen 4, op `op`;
///   sender hw `mac`, sender IP `vip`, target hw ff:ff:ff:ff:ff:ff, target IP `vip`.
/// keepalived only sends op Request (also what RFC 5227 §3 calls an ARP
/// Announcement). Reply gives the other gratuitous form of RFC 5944 §4.6 for
/// hosts that ignore gratuitous requests: same fields except target hw = `mac`
/// (RFC 5944 §4.6; Linux arp_is_garp() needs that to treat a reply as gratuitous).
/// @param mac the interface MAC, or the VMAC (00:00:5e:00:01:VRID) with use_vmac.
/// @param vip precondition: an IPv4 address.
GarpFrame buildGratuitousArp(const MacAddress& mac, const util::IpAddress& vip,
                             ArpOp op = ArpOp::Request);

/// Sends one gratuitous ARP for `vip` announcing `mac` on `socket`, to the
/// broadcast address with ethertype 0x0806 (what GarpSender::send does; for
/// callers that share one socket between ARP and NA).
/// Precondition: `vip` is IPv4 (else std::errc::address_family_not_supported).
std::error_code sendGratuitousArp(LinkLayerSocket& socket, const util::IpAddress& vip,
                                  const MacAddress& mac, ArpOp op = ArpOp::Request);

/// Sends gratuitous ARP frames on one interface through its own
/// LinkLayerSocket. The socket has protocol 0, so it receives nothing
/// (keepalived's uses ETH_P_RARP for the same end).
///
/// NOTE: owns its descriptor (closed on destruction; movable, not copyable).
/// Not thread-safe: use it from the event-loop thread. Non-blocking: a full
/// device queue returns EAGAIN/ENOBUFS instead of stalling the loop.
class GarpSender {
 public:
  /// Opens the socket in the calling thread's network namespace and binds it
  /// to the interface. Throws std::system_error naming the interface and the
  /// failing call (e.g. "garp socket eth0: socket(AF_PACKET, SOCK_RAW)" when not
  /// root).
  /// @param ifindex 0 = look up `interface` by name.
  explicit GarpSender(std::string interface, int ifindex = 0);

  /// Sends one gratuitous ARP for `vip` announcing `mac`.
  /// Precondition: `vip` is IPv4 (else std::errc::address_family_not_supported).
  std::error_code send(const util::IpAddress& vip, const MacAddress& mac,
                       ArpOp op = ArpOp::Request);

  int ifindex() const { return socket_.ifindex(); }
  const std::string& interface() const { return socket_.interface(); }

 private:
  LinkLayerSocket socket_;
};

}  // namespace vipd::net
