#pragma once

#include <string>
#include <vector>

#include "vipd/core/action.h"
#include "vipd/core/event.h"

namespace vipd::fakes {

/// "@3609.375ms": a time point as milliseconds after the epoch (FakeClock and
/// SimNetwork both start there), with microseconds only when present.
std::string formatAt(core::TimePoint at);

/// One line per action, e.g. "ArmTimer Master_Down_Timer @3600ms" or
/// "Notify BACKUP->MASTER MasterDownTimer prio=100". Timer generations are
/// left out: tests state what happens, not bookkeeping numbers.
std::string describe(const core::Action& action);
std::vector<std::string> describe(const core::Actions& actions);
std::string describe(const core::Event& event);

}  // namespace vipd::fakes
