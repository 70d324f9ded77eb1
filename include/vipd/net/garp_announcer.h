#pragma once

#include <string>
#include <system_error>

#include "vipd/net/garp.h"
#include "vipd/net/link_layer_socket.h"
#include "vipd/net/neighbor_advert.h"
#include "vipd/util/ip_address.h"

namespace vipd::net {

/// Announces that an address now lives at a MAC: a gratuitous ARP for IPv4,
/// an unsolicited NA for IPv6 (keepalived vrrp.c:vrrp_send_update). One call
/// sends one packet; bursts, repeats and pacing (garp_master_repeat,
/// garp_master_delay, vrrp_garp_interval ...) are the caller's schedule. The
/// daemon talks to this interface so tests can record announcements instead.
class AddressAnnouncer {
 public:
  virtual ~AddressAnnouncer() = default;

  /// Sends one GARP (IPv4 `address`) or unsolicited NA (IPv6 `address`).
  /// @param mac the interface MAC, or the VMAC with use_vmac.
  /// @param router NA Router flag: IPv6 forwarding is on for the interface
  ///        (keepalived re-reads it at most every 5 s). Ignored for IPv4.
  virtual std::error_code announce(const util::IpAddress& address, const MacAddress& mac,
                                   bool router) = 0;
};

/// AddressAnnouncer for one interface: one LinkLayerSocket, opened by the
/// constructor, carries both the gratuitous ARPs (sendGratuitousArp) and the
/// unsolicited NAs (sendUnsolicitedNa); the frames are GarpSender's and
/// NeighborAdvertSender's.
///
/// NOTE: owns the AF_PACKET socket (closed on destruction; movable, not
/// copyable). Not thread-safe: use it from the event-loop thread.
class InterfaceAnnouncer final : public AddressAnnouncer {
 public:
  /// Opens the socket in the calling thread's network namespace. Throws
  /// std::system_error naming the interface and the failing call.
  /// @param ifindex 0 = look up `interface` by name.
  explicit InterfaceAnnouncer(const std::string& interface, int ifindex = 0)
      : socket_("announce socket", interface, ifindex) {}

  std::error_code announce(const util::IpAddress& address, const MacAddress& mac,
                           bool router) override {
    if (address.isV4()) return sendGratuitousArp(socket_, address, mac);
    NeighborAdvert na;
    na.mac = mac;
    na.target = address;
    na.router = router;
    return sendUnsolicitedNa(socket_, na);
  }

 private:
  LinkLayerSocket socket_;
};

}  // namespace vipd::net
