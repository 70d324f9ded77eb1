#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "netns.h"

struct mnl_socket;

namespace vipd::lab {

using Clock = std::chrono::steady_clock;

/// Sets a link administratively up or down in a namespace with one rtnetlink
/// request (about 0.1 ms, where `ip netns exec … ip link set` takes several):
/// failure injection wants the instant to be known. Throws on failure.
void setLinkNow(const testing::NetNs& ns, const std::string& ifname, bool up);

/// Watches one address in a namespace through rtnetlink notifications and
/// records the first time it is added and removed: "the VIP is present on
/// the new master" without polling `ip addr`.
///
/// NOTE: owns a netlink socket opened in `ns` (it stays there; the watching
/// thread never changes namespace) and one thread. Times are steady_clock
/// instants taken when the thread reads the notification, typically tens of
/// microseconds after the kernel sent it. Subscribed when the constructor
/// returns; an address already present then is not reported.
class AddressWatch {
 public:
  AddressWatch(const testing::NetNs& ns, const std::string& address);
  ~AddressWatch();
  AddressWatch(const AddressWatch&) = delete;
  AddressWatch& operator=(const AddressWatch&) = delete;

  /// The first RTM_NEWADDR for the address, waiting up to `timeout`.
  std::optional<Clock::time_point> waitAdded(std::chrono::milliseconds timeout);
  /// The first RTM_DELADDR for the address, waiting up to `timeout`.
  std::optional<Clock::time_point> waitRemoved(std::chrono::milliseconds timeout);

 private:
  void run();
  void onMessage(int type, const void* address, std::size_t length);
  std::optional<Clock::time_point> wait(std::optional<Clock::time_point>& slot,
                                        std::chrono::milliseconds timeout);

  std::string address_;
  unsigned char want_[16] = {};
  std::size_t wantLength_ = 0;
  mnl_socket* nl_ = nullptr;
  int stopFd_ = -1;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Clock::time_point> added_;
  std::optional<Clock::time_point> removed_;
  std::thread thread_;
};

}  // namespace vipd::lab
