#pragma once

#include <string>
#include <system_error>

#include "vipd/net/garp.h"
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

/// AddressAnnouncer for one interface: a GarpSender and a
/// NeighborAdvertSender, both opened by the constructor.
///
/// NOTE: owns both AF_PACKET sockets (closed on destruction; movable, not
/// copyable). Not thread-safe: use it from the event-loop thread.
class InterfaceAnnouncer final : public AddressAnnouncer {
 public:
  /// Opens both sockets in the calling thread's network namespace. Throws
  /// std::system_error naming the interface and the failing call.
  /// @param ifindex 0 = look up `interface` by name.
  explicit InterfaceAnnouncer(const std::string& interface, int ifindex = 0)
      : garp_(interface, ifindex), na_(interface, garp_.ifindex()) {}

  std::error_code announce(const util::IpAddress& address, const MacAddress& mac,
                           bool router) override {
    if (address.isV4()) return garp_.send(address, mac);
    NeighborAdvert na;
    na.mac = mac;
    na.target = address;
    na.router = router;
    return na_.send(na);
  }

 private:
  GarpSender garp_;
  NeighborAdvertSender na_;
};

}  // namespace vipd::net
