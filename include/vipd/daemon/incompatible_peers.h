#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vipd/proto/drop_reason.h"
#include "vipd/util/ip_address.h"

namespace vipd::daemon {

/// The peers whose adverts for our VRID are dropped for a configuration mismatch (VIP list, v2
/// interval or authentication, version, delivery, checksum form), per peer and reason.
///
/// Such a peer is present but invisible to the state machine, so both routers become master;
/// keepalived only logs one line per dropped packet [reference §5 item 1; GH#2444, GH#2175,
/// GH#2649, GH#2458]. This table turns it into a condition the status, the metrics and one
/// rate-limited log line can show, and that clears when the peer agrees (sends a valid advert)
/// or falls silent (nothing from it for its hold time).
///
/// Time comes in with each call (the event loop's clock or a test's): pure bookkeeping.
///
/// NOTE: single-threaded. Bounded: at most `maxEntries` peer/reason pairs (a flood of spoofed
/// sources must not grow it); further ones are counted in overflow() only.
class IncompatiblePeers {
 public:
  using Clock = std::chrono::steady_clock;

  struct Entry {
    util::IpAddress peer;
    proto::DropReason reason = proto::DropReason::AddressListMismatch;
    /// "VIP list differs: theirs ..., ours ..." (proto::describeMismatch).
    std::string difference;
    /// Adverts dropped since the pair was first seen.
    std::uint64_t adverts = 0;
    Clock::time_point since{};
    Clock::time_point lastHeard{};
    /// Silent this long, the peer counts as gone.
    Clock::duration hold{};
  };

  /// What the caller should log for one dropped advert: `log` set when a line is due (at once
  /// for a new pair or a changed difference, then at most once per log interval), with the
  /// adverts it stands for since the previous line.
  struct Report {
    bool log = false;
    bool first = false;
    std::uint64_t sinceLastLine = 0;
  };

  /// The shortest gap between two lines of one pair when its difference changed.
  static constexpr std::chrono::seconds kChangedLineGap{1};

  explicit IncompatiblePeers(Clock::duration logInterval, std::size_t maxEntries = 16);

  /// One dropped advert from `peer`. `hold`: how long silence must last before the pair is
  /// forgotten (a few of the peer's advert intervals).
  Report dropped(const util::IpAddress& peer, proto::DropReason reason, std::string difference,
                 Clock::duration hold, Clock::time_point now);
  /// `peer` sent a valid advert: every pair of it is removed and returned (for the log).
  std::vector<Entry> agreed(const util::IpAddress& peer);
  /// Removes and returns the pairs silent past their hold time.
  std::vector<Entry> expire(Clock::time_point now);
  /// When the next pair falls silent; nullopt when the table is empty.
  std::optional<Clock::time_point> nextExpiry() const;
  /// Forgets everything (a reload that changes what we expect).
  void clear() { entries_.clear(); }

  const std::vector<Entry>& entries() const { return entries_; }
  /// Distinct peers currently incompatible.
  std::size_t peerCount() const;
  /// Dropped adverts not tracked because the table was full.
  std::uint64_t overflow() const { return overflow_; }

 private:
  struct Tracked {
    Clock::time_point lastLine{};
    std::uint64_t unreported = 0;
  };

  Clock::duration logInterval_;
  std::size_t maxEntries_;
  std::vector<Entry> entries_;
  std::vector<Tracked> tracked_;  // parallel to entries_
  std::uint64_t overflow_ = 0;
};

}  // namespace vipd::daemon
