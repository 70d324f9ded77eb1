#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "netns.h"

namespace vipd::lab {

/// A stretch without replies between two consecutive ones.
struct ReplyGap {
  std::chrono::steady_clock::time_point from;  // last reply before the gap
  std::chrono::steady_clock::time_point to;    // first reply after it
  std::chrono::microseconds length() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(to - from);
  }
};

/// An ICMP echo client that keeps the (kernel receive) time of every reply,
/// so the outage a failure caused can be told from other gaps (the longest
/// gap that starts at or after the failure) and a run that never recovered
/// is visible.
///
/// Differs from the lab's Prober in what it keeps and in that it sleeps
/// with microsecond timeouts between probes instead of spinning, which on a
/// two-CPU machine would take a CPU away from the agents being measured.
///
/// The first probe goes out at a random point of the first interval, so
/// over repetitions the probe's phase against the failure is uniform and the
/// outage is, on average, the true one plus about one interval.
///
/// NOTE: IPv4 only; owns a raw ICMP socket opened in `ns` and one thread.
class OutageProbe {
 public:
  OutageProbe(const testing::NetNs& ns, const std::string& target,
              std::chrono::microseconds interval);
  ~OutageProbe();
  OutageProbe(const OutageProbe&) = delete;
  OutageProbe& operator=(const OutageProbe&) = delete;

  /// Stops probing (idempotent); the replies so far stay readable.
  void stop();

  std::uint64_t sent() const { return sent_; }
  std::size_t received() const;
  /// Time of the first reply after `t`, if any yet.
  std::optional<std::chrono::steady_clock::time_point> firstReplyAfter(
      std::chrono::steady_clock::time_point t) const;
  /// The longest gap ending after `since` whose start is the last reply at
  /// or before `since`, or any later reply. nullopt without a reply after `since`.
  std::optional<ReplyGap> longestGapSince(std::chrono::steady_clock::time_point since) const;
  /// The longest time between two of our own sends that overlaps [from, to]:
  /// more than a few intervals means this process was not scheduled, and an
  /// outage measured then is partly the probe's.
  std::chrono::microseconds longestSendGap(std::chrono::steady_clock::time_point from,
                                           std::chrono::steady_clock::time_point to) const;

 private:
  void run();

  int fd_ = -1;
  std::uint16_t ident_ = 0;
  std::chrono::microseconds interval_;
  std::atomic<bool> running_{true};
  std::atomic<std::uint64_t> sent_{0};
  mutable std::mutex mutex_;
  std::vector<std::chrono::steady_clock::time_point> replies_;
  std::vector<std::chrono::steady_clock::time_point> sends_;
  std::thread thread_;
};

}  // namespace vipd::lab
