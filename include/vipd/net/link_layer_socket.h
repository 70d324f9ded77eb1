#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "vipd/util/unique_fd.h"

namespace vipd::net {

/// An Ethernet (EUI-48) address, network order.
using MacAddress = std::array<std::uint8_t, 6>;

inline constexpr MacAddress kBroadcastMac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/// A send-only AF_PACKET socket on one interface, for whole Ethernet frames
/// the caller builds (gratuitous ARP, unsolicited NA), as keepalived sends
/// them (vrrp_arp.c:send_arp, vrrp_ndisc.c:ndisc_send_na). The socket is
/// bound with protocol 0, so it is never handed received frames.
///
/// NOTE: owns its descriptor (closed on destruction; movable, not copyable).
/// Not thread-safe: use it from the event-loop thread. Non-blocking: a full
/// device queue returns EAGAIN/ENOBUFS instead of stalling the loop.
class LinkLayerSocket {
 public:
  /// Opens the socket in the calling thread's network namespace and binds it
  /// to the interface. Throws std::invalid_argument for an empty or too long
  /// (>= IFNAMSIZ) name, std::system_error naming `what`, the interface and
  /// the failing call otherwise (e.g. "garp socket eth0: socket(AF_PACKET,
  /// SOCK_RAW)" when not root).
  /// @param what the user, first in error messages (e.g. "garp socket").
  /// @param ifindex 0 = look up `interface` by name.
  LinkLayerSocket(std::string_view what, std::string interface, int ifindex = 0);

  /// Sends one whole frame (Ethernet header included) on the interface.
  /// @param ethertype host order; the sockaddr_ll protocol of the send.
  /// @param destination the sockaddr_ll destination address; the frame's own
  ///        Ethernet destination is what goes on the wire.
  /// @return the sendto() errno, or std::errc::message_size on a short write.
  std::error_code send(std::span<const std::uint8_t> frame, std::uint16_t ethertype,
                       const MacAddress& destination);

  int ifindex() const { return ifindex_; }
  const std::string& interface() const { return interface_; }

 private:
  std::string interface_;
  int ifindex_ = 0;
  util::UniqueFd fd_;
};

}  // namespace vipd::net
