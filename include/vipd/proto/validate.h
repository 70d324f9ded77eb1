#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "vipd/proto/advertisement.h"
#include "vipd/proto/decode.h"
#include "vipd/proto/result.h"
#include "vipd/util/ip_address.h"

namespace vipd::proto {

/// A configured unicast peer (keepalived `unicast_peer { ADDR [min_ttl N] [max_ttl N] }`).
struct UnicastPeer {
  util::IpAddress address;
  std::uint8_t minTtl = 0;
  std::uint8_t maxTtl = 255;
};

/// What one local VRRP instance expects of the adverts it accepts.
struct InstanceExpectations {
  Version version = Version::V3;
  util::Family family = util::Family::V4;
  std::uint8_t vrid = 1;
  /// Configured interval in centiseconds; compared for v2 only (RFC 3768 §7.1). A v3 backup
  /// learns the master's interval instead (RFC 5798 §6.4.2), so v3 never drops on it.
  std::uint16_t intervalCs = 100;
  /// v2 authentication (ignored for v3). IpsecAh is not implemented: every packet is dropped
  /// with AuthAhUnsupported, so the misconfiguration is visible in the counters.
  AuthType authType = AuthType::None;
  /// v2 password, zero padded to 8 bytes as keepalived does; compared in constant time.
  std::array<std::uint8_t, kAuthDataSize> authData{};
  /// The configured virtual addresses.
  std::vector<util::IpAddress> addresses;
  /// Compare count and addresses (keepalived; RFC 5798 §7.1 only "MAY"). The daemon clears it
  /// for keepalived's `skip_check_adv_addr` when the advert comes from the current master.
  bool checkAddresses = true;
  /// Apply the RFC 3768/5798 §7.1 rule "the local router is not the IPvX address owner": drop
  /// everything while the local priority is 255. keepalived does not, it demotes a duplicate
  /// owner to 254 instead, so the daemon sets this only in strict RFC mode.
  bool discardWhenLocalIsOwner = false;
  /// The local instance currently has priority 255 (it owns the addresses).
  bool localIsAddressOwner = false;
  /// keepalived `unicast_peer`: empty means multicast. Non-empty makes multicast adverts drop.
  std::vector<UnicastPeer> unicastPeers;
  /// keepalived `check_unicast_src`: the unicast source must be a peer, its TTL in range.
  bool checkUnicastSource = false;
};

/// Per-instance checks of a decoded advertisement, in keepalived 2.2.7's order
/// (vrrp.c:vrrp_check_packet): version, family, VRID, owner rule, delivery, v2 auth type and
/// password (constant time), v2 interval, address count and list, unicast source and TTL.
///
/// @return success, or the first failed check.
Result<void> validate(const ReceivedAdvertisement& received, const InstanceExpectations& expected);

}  // namespace vipd::proto
