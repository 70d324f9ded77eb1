#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace vipd::lab {

/// What a client saw while probing the VIP.
struct ProbeReport {
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  /// Longest time between two consecutive replies: the client-observed outage.
  std::chrono::microseconds longestGap{0};
  /// When the longest gap ended, relative to the start of probing.
  std::chrono::microseconds longestGapEnd{0};
};

/// Sends ICMP echo requests to a target from inside a namespace at a fixed
/// interval and records the replies, on its own thread.
///
/// NOTE: owns one thread and one raw ICMP socket in the given namespace;
/// start() once, stop() once.
class Prober {
 public:
  /// @param nsName   network namespace to probe from (as under /run/netns)
  /// @param target   IPv4 or IPv6 address literal
  Prober(std::string nsName, std::string target,
         std::chrono::microseconds interval = std::chrono::microseconds(1000));
  ~Prober();

  void start();
  ProbeReport stop();

 private:
  void run();

  std::string nsName_;
  std::string target_;
  std::chrono::microseconds interval_;
  std::atomic<bool> running_{false};
  std::thread thread_;
  ProbeReport report_;
  std::string error_;
};

}  // namespace vipd::lab
