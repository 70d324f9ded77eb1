#pragma once

#include <cstdint>

/// Pure tracking logic: tracker results in, effective priority and faults out.
/// [SRC f] cites keepalived v2.2.x source, file:function.
namespace vipd::track {

/// How one run of a vrrp_script ended. The exec area maps exit status and
/// signals to this; only Success counts as a success.
enum class ScriptOutcome : std::uint8_t {
  Success,   ///< exited with status 0
  Failure,   ///< exited non-zero, or killed by a signal we did not send
  TimedOut,  ///< killed by us after `timeout`: a failure [SRC
             ///< vrrp_scheduler.c:vrrp_script_child_thread]
};

/// Init: tracked but no run has finished yet (and no init_fail).
enum class ScriptStatus : std::uint8_t { Init, Good, Bad };

/// keepalived's rise/fall counter for one vrrp_script, with its arithmetic
/// [SRC vrrp_scheduler.c:vrrp_script_child_thread, vrrp_init_script]:
/// `result` runs 0..rise+fall-1; 0..rise-1 is BAD, rise..rise+fall-1 is GOOD.
/// A success below rise-1 counts up; the success that reaches rise jumps to
/// the top (so `fall` failures are needed to go BAD). A failure above rise
/// counts down; the failure at rise drops to 0 (so `rise` successes are needed).
/// Initial state: result = rise-1 with the INIT flag, so the first run decides
/// either way ("one success is enough"); `init_fail` starts at 0 = BAD, so
/// `rise` successes are needed.
class ScriptResult {
 public:
  /// Preconditions: rise >= 1, fall >= 1 (the config guarantees both).
  ScriptResult(std::uint32_t rise, std::uint32_t fall, bool initFail);

  /// Counts one finished run. Returns true when status() changed.
  bool record(ScriptOutcome outcome);

  ScriptStatus status() const;
  /// keepalived's `result` counter, for status output and tests.
  std::uint64_t counter() const { return result_; }

 private:
  bool recordSuccess();
  bool recordFailure();

  std::uint64_t rise_;
  std::uint64_t fall_;
  std::uint64_t result_;
  bool init_;
};

}  // namespace vipd::track
