#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/proto/checksum.h"
#include "vipd/util/ip_address.h"

namespace vipd::daemon {

/// How an instance checksums its VRRPv3/IPv4 adverts (v2 and IPv6 have one form each).
struct TransmitChecksum {
  /// MessageOnly with `v3_checksum_as_v2`, else the pseudo-header (keepalived's default).
  proto::ChecksumForm base = proto::ChecksumForm::Ipv4PseudoHeader;
  /// `v3_checksum_follow_peers`: answer each peer in the form it uses.
  bool followPeers = false;
  config::OldUnicastChecksum oldUnicast = config::OldUnicastChecksum::Auto;
};

/// The checksum form each peer's valid adverts use, learned as they arrive.
///
/// RFC 5798 left the VRRPv3/IPv4 pseudo-header ambiguous: keepalived and FRR include it, Cisco,
/// Juniper and RFC 9568 do not, keepalived before 1.3.6 used 224.0.0.18 as its destination for
/// unicast. vipd accepts every form; this table says which one each peer uses (for the status
/// and the log) and lets transmitForm() answer in it [reference §5 item 13; keepalived GH#2324,
/// GH#642, GH#1175, GH#1490].
///
/// Time comes in with each call: pure bookkeeping. Bounded: the least recently heard peer makes
/// room for a new one.
class PeerChecksums {
 public:
  using Clock = std::chrono::steady_clock;

  struct Peer {
    util::IpAddress address;
    proto::ChecksumForm form = proto::ChecksumForm::Ipv4PseudoHeader;
    std::uint64_t adverts = 0;
    Clock::time_point lastHeard{};
  };

  explicit PeerChecksums(std::size_t maxPeers = 16) : maxPeers_(maxPeers) {}

  /// A valid advert from `peer` checksummed in `form`. True when the peer is new or changed its
  /// form (worth a log line).
  bool heard(const util::IpAddress& peer, proto::ChecksumForm form, Clock::time_point now);
  /// The form `peer` used last, if it was heard at or after `notBefore`.
  std::optional<proto::ChecksumForm> formOf(const util::IpAddress& peer,
                                            Clock::time_point notBefore) const;
  /// The form every peer heard at or after `notBefore` uses; nullopt when none was heard or
  /// they differ (a multicast advert reaches all of them in one form).
  std::optional<proto::ChecksumForm> commonForm(Clock::time_point notBefore) const;

  const std::vector<Peer>& peers() const { return peers_; }

 private:
  std::size_t maxPeers_;
  std::vector<Peer> peers_;
};

/// The checksum form of our next advert to `destination` (a unicast peer, or the multicast
/// group when `unicast` is false), for a v3/IPv4 instance; learned forms older than
/// `notBefore` are ignored. Order: old_unicast_checksum (always) for unicast; with followPeers
/// the peer's form (multicast: the form all recent peers share); otherwise keepalived's
/// auto-detection of its old unicast form unless `never`; else `base`.
proto::ChecksumForm transmitForm(const TransmitChecksum& policy, bool unicast,
                                 const util::IpAddress& destination, const PeerChecksums& peers,
                                 PeerChecksums::Clock::time_point notBefore);

}  // namespace vipd::daemon
