#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "vipd/config/model.h"
#include "vipd/daemon/scheduler.h"

namespace vipd::daemon {

enum class ProbeStatus : std::uint8_t {
  Success,
  /// Refused, reset, a bad answer, or no answer within connect_timeout.
  Failure,
  /// The attempt's deadline (the end of the check's run) cut it short.
  TimedOut,
};

/// How one attempt of a vipd_check probe ended.
struct ProbeOutcome {
  ProbeStatus status = ProbeStatus::Failure;
  /// What happened, for the log: "connected", "connect: Connection refused",
  /// "GET /health: status 500 not accepted"…
  std::string detail;
};

/// Runs the probes of vipd_checks (keepalived's TCP_CHECK and HTTP_GET)
/// without blocking the caller and without forking. One start() is one
/// attempt: a connect for TCP_CHECK, a GET of every url in order for
/// HTTP_GET (each on its own connection, each bounded by connect_timeout).
/// Retries are the caller's (ScriptChecks), so they can be tested on fakes.
///
/// NOTE: single-threaded, on the loop. The done callback is never called from
/// inside start() or cancel(): always later, from the loop.
class Prober {
 public:
  using ProbeId = std::uint64_t;
  using DoneCallback = std::function<void(const ProbeOutcome&)>;

  virtual ~Prober() = default;

  /// Starts one attempt of `probe` (copied), ending by `deadline` at the
  /// latest (TimedOut). Calls `onDone` exactly once unless cancelled. Returns
  /// an id unique for the prober's lifetime (never 0).
  virtual ProbeId start(const config::NativeProbe& probe, Scheduler::Clock::time_point deadline,
                        DoneCallback onDone) = 0;
  /// Abandons the attempt (its connection is closed); `onDone` is not called.
  /// Unknown or finished ids are ignored.
  virtual void cancel(ProbeId id) = 0;
};

}  // namespace vipd::daemon
