#include "vipd/track/script_result.h"

namespace vipd::track {

// [SRC vrrp_scheduler.c:vrrp_init_script]: INIT starts at rise-1 ("one success
// is enough"); init_fail at 0 ("assume failed by config").
ScriptResult::ScriptResult(std::uint32_t rise, std::uint32_t fall, bool initFail)
    : rise_(rise), fall_(fall), result_(initFail ? 0 : std::uint64_t{rise} - 1), init_(!initFail) {}

bool ScriptResult::record(ScriptOutcome outcome) {
  const bool changed = outcome == ScriptOutcome::Success ? recordSuccess() : recordFailure();
  init_ = false;  // SCRIPT_INIT_STATE_DONE after any finished run
  return changed;
}

// [SRC vrrp_scheduler.c:vrrp_script_child_thread], success branch.
bool ScriptResult::recordSuccess() {
  const std::uint64_t top = rise_ + fall_ - 1;
  if (result_ + 1 < rise_) {  // result < rise - 1, without unsigned wrap
    ++result_;
    return false;
  }
  if (result_ == top) return false;
  // Reaching rise from below (INIT sits at rise-1 too) is the change to GOOD.
  const bool changed = result_ < rise_;
  result_ = top;
  return changed;
}

// [SRC vrrp_scheduler.c:vrrp_script_child_thread], failure branch; a timeout
// is a failure ("We treat forced termination as a failure").
bool ScriptResult::recordFailure() {
  if (result_ > rise_) {
    --result_;
    return false;
  }
  // Falling through rise is the change to BAD; so is the first run from INIT,
  // which sits at rise-1 and would otherwise go unreported.
  const bool changed = init_ || result_ == rise_;
  result_ = 0;
  return changed;
}

ScriptStatus ScriptResult::status() const {
  if (init_) return ScriptStatus::Init;
  return result_ >= rise_ ? ScriptStatus::Good : ScriptStatus::Bad;
}

}  // namespace vipd::track
