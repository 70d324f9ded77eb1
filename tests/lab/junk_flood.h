#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netns.h"

namespace vipd::lab {

/// What a junk packet is wrong in, cycled in this order. Each names what a
/// receiver must notice (RFC 5798 §7.1, RFC 3768 §7.1, keepalived's
/// vrrp_check_packet); the comment says the drop reason vipd gives it.
enum class JunkKind : std::uint8_t {
  WrongTtl,       ///< A valid v3 advert for the target VRID, TTL 254 (one routed hop): ttl_not_255.
  BadChecksum,    ///< A v3 advert for the target VRID, checksum off by one: bad_checksum.
  Truncated,      ///< 4 bytes of VRRP, less than the fixed header: truncated.
  WrongVersion,   ///< A v3 advert with version 4: unsupported_version.
  UnknownType,    ///< A v3 advert with type 2: unknown_type.
  WrongVrid,      ///< A valid v3 advert for a VRID nobody runs: vrid_mismatch (unattributed).
  CountMismatch,  ///< A v3 advert whose count says 5 addresses, 1 present: count_exceeds_length.
  V2AuthMismatch,  ///< A valid v2 advert for the auth VRID, wrong password: auth_failure.
  Carp,            ///< CARP on protocol 112 (version 2, type 1, 36 bytes): count_exceeds_length.
  RandomBytes,     ///< 1 to 80 random bytes: mostly unsupported_version, truncated.
  ForgedPriority,  ///< A valid v3 advert for the target VRID, priority 254, TTL 64: ttl_not_255.
};

inline constexpr std::array kAllJunkKinds = {
    JunkKind::WrongTtl,      JunkKind::BadChecksum,    JunkKind::Truncated,
    JunkKind::WrongVersion,  JunkKind::UnknownType,    JunkKind::WrongVrid,
    JunkKind::CountMismatch, JunkKind::V2AuthMismatch, JunkKind::Carp,
    JunkKind::RandomBytes,   JunkKind::ForgedPriority,
};

/// A stable snake_case name, e.g. "wrong_ttl".
std::string_view toString(JunkKind kind);

/// What to send, how fast and for how long.
struct JunkFloodConfig {
  std::string source;  ///< The attacker's own IPv4 address (the packets' source).
  std::string group = "224.0.0.18";
  /// Also send every `unicastEvery`-th packet to this address (0: never).
  /// A vipd socket bound to the group never sees them: they cost the kernel only.
  std::optional<std::string> unicastTarget;
  std::size_t unicastEvery = 0;
  std::uint8_t targetVrid = 51;    ///< The master's VRID (v3).
  std::uint8_t foreignVrid = 99;   ///< A VRID no router on the segment runs.
  std::uint8_t authVrid = 52;      ///< A v2 instance with a password.
  std::uint8_t authIntervalS = 1;  ///< Its advert_int, so only the password is wrong.
  std::string wrongPassword = "guessed";
  /// The VIP the adverts carry (the target's; the auth VRID's is `authVip`).
  std::string vip = "192.0.2.100";
  std::string authVip = "192.0.2.101";
  double packetsPerSecond = 50'000;  ///< 0: send nothing for the duration (a baseline).
  std::chrono::milliseconds duration{5000};
  std::size_t batch = 32;  ///< Packets per sendmmsg().
  std::uint32_t seed = 1;
};

/// What was sent: per kind, to the group and to the unicast target.
struct JunkFloodReport {
  std::array<std::uint64_t, kAllJunkKinds.size()> sent{};
  std::uint64_t unicast = 0;     ///< Included in `sent`, sent to the unicast target.
  std::uint64_t sendErrors = 0;  ///< Packets sendmmsg() did not take.
  std::chrono::nanoseconds elapsed{0};

  std::uint64_t total() const;
  std::uint64_t of(JunkKind kind) const { return sent[static_cast<std::size_t>(kind)]; }
  /// Packets sent per second of the run.
  double rate() const;
  /// "wrong_ttl 4545, bad_checksum 4545, …" and the rate.
  std::string summary() const;
};

/// One packet of the cycle: an IPv4 datagram, header included.
struct JunkPacket {
  JunkKind kind;
  std::vector<std::uint8_t> bytes;
};

/// The packets JunkFlood sends to `destination`, in order: `rounds` rounds of
/// every kind (the random bytes differ from round to round). Pure, so tests
/// can check each kind without a lab.
std::vector<JunkPacket> junkCycle(const JunkFloodConfig& config, const std::string& destination,
                                  std::size_t rounds);

/// A junk VRRP generator for the lab: from a host's namespace, a raw IPv4
/// socket with IP_HDRINCL (so TTL and checksums can be forged) sends a cycle
/// of malformed, foreign and forged packets (JunkKind) to 224.0.0.18, paced
/// on the steady clock to a target rate in sendmmsg() batches. Bounded: run()
/// returns after the configured duration, at the rate or not.
///
/// NOTE: owns its socket; run() on one thread at a time.
class JunkFlood {
 public:
  JunkFlood(const testing::NetNs& ns, const std::string& ifname, JunkFloodConfig config);
  ~JunkFlood();
  JunkFlood(const JunkFlood&) = delete;
  JunkFlood& operator=(const JunkFlood&) = delete;

  /// Sends until the duration has passed; what was sent.
  JunkFloodReport run();

 private:
  JunkFloodConfig config_;
  int fd_ = -1;
  std::vector<JunkPacket> toGroup_;    ///< junkCycle() to the group, sent round-robin.
  std::vector<JunkPacket> toUnicast_;  ///< The same to the unicast target, if any.
};

}  // namespace vipd::lab
