#include "interrupt.h"

#include <signal.h>

#include <algorithm>
#include <thread>

namespace vipd::lab {

namespace {

// The one piece of state a signal handler may touch.
volatile sig_atomic_t gInterrupted = 0;

void onSignal(int) { gInterrupted = 1; }

}  // namespace

void installInterruptHandler() {
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return gInterrupted != 0; }

void throwIfInterrupted() {
  if (interrupted()) throw Interrupted();
}

void sleepFor(std::chrono::microseconds d) {
  const auto deadline = std::chrono::steady_clock::now() + d;
  for (;;) {
    throwIfInterrupted();
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(10)));
  }
}

bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    throwIfInterrupted();
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace vipd::lab
