#pragma once

#include <spdlog/logger.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "vipd/daemon/scheduler.h"
#include "vipd/proto/drop_reason.h"
#include "vipd/util/ip_address.h"
#include "vipd/util/log_throttle.h"

namespace vipd::daemon {

/// Drops by reason, indexed like proto::kAllDropReasons.
using DropCounts = std::array<std::uint64_t, proto::kAllDropReasons.size()>;

/// The daemon's count of received packets that no single instance can own:
/// - decode() failures on a socket that several instances share: the VRID is
///   not known before decoding (with one instance the instance counts them);
/// - well-formed adverts for a VRID that no instance on the interface runs
///   (reason VridMismatch).
///
/// Decode failures are logged as instances log theirs: at most one line per
/// reason per kDropLogInterval, with the count since the previous line.
/// Unknown VRIDs are counted but never logged: on a shared segment they are
/// other routers' business, and keepalived ignores them silently.
///
/// NOTE: lives on the event-loop thread; the scheduler must outlive it.
class UnattributedDrops {
 public:
  UnattributedDrops(const Scheduler& clock, std::shared_ptr<spdlog::logger> log);

  /// A packet from `from` on `interface` that decode() rejected for `reason`.
  void onDecodeDrop(proto::DropReason reason, const util::IpAddress& from,
                    std::string_view interface);
  /// A valid advert for a VRID that no instance on its interface runs.
  void onUnknownVrid();

  const DropCounts& counts() const { return counts_; }
  std::uint64_t count(proto::DropReason reason) const;
  /// Zeroes the counts (vipctl clear-stats); the log's rate limit keeps running.
  void clear() { counts_ = {}; }

 private:
  void add(proto::DropReason reason);

  const Scheduler& clock_;
  std::shared_ptr<spdlog::logger> log_;
  DropCounts counts_{};
  util::LogThrottle throttle_;
};

}  // namespace vipd::daemon
