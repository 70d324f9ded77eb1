#pragma once

namespace vipd::lab {

/// Moves the calling thread to SCHED_FIFO (priority 50) with
/// SCHED_RESET_ON_FORK, so processes it starts run as usual. Measuring
/// threads use it so that a busy machine delays what they measure, not
/// their own clocks. Best effort: false (and nothing changed) without
/// permission.
bool tryRealtime();

}  // namespace vipd::lab
