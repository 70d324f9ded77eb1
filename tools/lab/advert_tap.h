#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "netns.h"

namespace vipd::lab {

/// One VRRP advertisement as a bystander on the segment saw it.
struct SeenAdvert {
  std::chrono::steady_clock::time_point at;
  std::string source;  // IPv4 source address
  std::uint8_t version = 0;
  std::uint8_t vrid = 0;
  std::uint8_t priority = 0;
};

/// Listens to IPv4 VRRP adverts (protocol 112, group 224.0.0.18) from a
/// bystander's namespace and timestamps them with the kernel's receive time:
/// the wire-side clock for "the last advert the backup heard", the same for
/// every agent under test.
///
/// NOTE: owns a raw socket opened in `ns` and one thread; sees multicast
/// adverts only (the lab's agents advertise by multicast).
class AdvertTap {
 public:
  AdvertTap(const testing::NetNs& ns, const std::string& ifname);
  ~AdvertTap();
  AdvertTap(const AdvertTap&) = delete;
  AdvertTap& operator=(const AdvertTap&) = delete;

  /// The first advert from `source` seen after `after`, waiting up to `timeout`.
  std::optional<SeenAdvert> waitNext(const std::string& source,
                                     std::chrono::steady_clock::time_point after,
                                     std::chrono::milliseconds timeout);
  /// The last advert from `source` seen before `before`.
  std::optional<SeenAdvert> lastBefore(const std::string& source,
                                       std::chrono::steady_clock::time_point before) const;
  /// From now on the kernel queues only packets from `source` (an IPv4
  /// address) on the tap's socket (a socket filter): under a flood from
  /// elsewhere the tap neither loses adverts to a full queue nor spends a
  /// CPU on the junk.
  void onlyFrom(const std::string& source);
  /// Every advert seen so far, in arrival order.
  std::vector<SeenAdvert> seen() const;
  /// Forgets what was seen so far.
  void clear();

 private:
  void run();

  int fd_ = -1;
  int stopFd_ = -1;
  mutable std::mutex mutex_;
  std::condition_variable seen_;
  std::vector<SeenAdvert> adverts_;
  std::thread thread_;
};

}  // namespace vipd::lab
