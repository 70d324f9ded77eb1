#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>

namespace vipd::lab {

/// Asks the kernel to timestamp each packet received on `fd` (SO_TIMESTAMPNS),
/// so that a reader scheduled late still knows when a packet arrived.
/// Throws on failure.
void enableReceiveTimestamps(int fd);

/// recv() that also tells when the packet arrived, as a steady_clock
/// instant: the kernel's receive timestamp where the socket has them (see
/// enableReceiveTimestamps), else the time of the read. The kernel stamps
/// with CLOCK_REALTIME; the conversion reads both clocks at once, so it is
/// exact unless the wall clock is stepped in between.
ssize_t receiveStamped(int fd, void* buf, std::size_t len, int flags,
                       std::chrono::steady_clock::time_point& arrival);

}  // namespace vipd::lab
