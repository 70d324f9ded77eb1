#pragma once

#include <chrono>
#include <functional>
#include <stdexcept>

namespace vipd::lab {

/// Thrown by the waits below once SIGINT or SIGTERM arrived, so that the
/// stack unwinds and every Lab, probe and agent is cleaned up by its owner.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

/// Routes SIGINT and SIGTERM to a flag (SA_RESTART, so no call fails with
/// EINTR). Call once, before starting threads.
void installInterruptHandler();

/// True once SIGINT or SIGTERM arrived.
bool interrupted();

/// Throws Interrupted when interrupted().
void throwIfInterrupted();

/// Sleeps for `d`, checking for an interrupt every 10 ms.
void sleepFor(std::chrono::microseconds d);

/// Polls `condition` every millisecond until it holds (true) or `timeout`
/// passes (false); throws Interrupted meanwhile. Orchestration only.
bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace vipd::lab
