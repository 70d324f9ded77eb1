#pragma once

#include <spdlog/logger.h>

#include <set>

#include "vipd/daemon/capabilities.h"

namespace vipd::daemon {

/// The daemon's own capability sets, changed through libcap-ng. The policy
/// (which ones) is neededCapabilities(); this only applies it.
///
/// NOTE: capabilities belong to a thread. Call from the main thread; other
/// threads (the log writer) drop theirs with dropThreadCapabilities().
class Privileges {
 public:
  /// Empties the inheritable and ambient sets (which needs no privilege),
  /// so that no thread or child started afterwards inherits capabilities
  /// through execve: scripts get what execve gives their user, nothing more.
  /// 0, or the errno value of the refusal.
  static int stopInheritance();

  /// Keeps exactly the capabilities in `needs` that the thread holds, in its
  /// effective and permitted sets; the inheritable and ambient sets stay
  /// empty, the bounding set is not touched (root scripts still get it from
  /// execve; vipd keeps uid 0). Logs one info line with what it kept and
  /// why, and a warning for needs it does not hold or when the kernel
  /// refuses (then the daemon carries on with what it had).
  void dropTo(const CapabilityNeeds& needs, spdlog::logger& log);

  /// The needs of a reloaded configuration that dropTo() gave up: a reload
  /// needing them must be refused (see lostCapabilities()).
  CapabilityNeeds lost(const CapabilityNeeds& next) const;

  const std::set<Capability>& kept() const { return kept_; }

 private:
  std::set<Capability> heldAtStart_;
  std::set<Capability> kept_;
};

/// Empties every capability set of the calling thread but the bounding set.
/// For threads that need none (spdlog's writer: stderr, syslog).
void dropThreadCapabilities();

}  // namespace vipd::daemon
