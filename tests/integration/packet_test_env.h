#pragma once
// Shared set-up for the packet socket integration tests: two namespaces joined
// by a veth pair, frame capture with AF_PACKET, and waits that poll() a
// netlink subscription instead of sleeping.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "netns.h"
#include "vipd/net/garp.h"
#include "vipd/util/unique_fd.h"
#include "vipd/util/ip_address.h"

namespace vipd::testing {

using namespace std::chrono_literals;

/// Waits up to `timeout` for `fd` to become readable; true if it did.
bool waitReadable(int fd, std::chrono::milliseconds timeout);

/// A NETLINK_ROUTE socket subscribed to some multicast groups, opened in the
/// calling thread's namespace: it wakes waitFor() whenever the kernel reports
/// a change, so conditions are re-checked on events, not on a sleep.
class NetlinkWatch {
 public:
  explicit NetlinkWatch(std::uint32_t groups);
  /// Returns as soon as `condition()` holds (checked first, then after every
  /// event); false if it still does not after `timeout`.
  bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

 private:
  util::UniqueFd fd_;
};

/// Captures every frame received on one interface (AF_PACKET, ETH_P_ALL,
/// outgoing frames ignored), opened in the calling thread's namespace.
class FrameCapture {
 public:
  explicit FrameCapture(const std::string& ifname);
  /// The next received frame for which `match` is true; nullopt on timeout.
  std::optional<std::vector<std::uint8_t>> next(
      const std::function<bool(std::span<const std::uint8_t>)>& match,
      std::chrono::milliseconds timeout);

 private:
  util::UniqueFd fd_;
};

/// Two namespaces "a" and "b" joined by veth vA <-> vB, set up like the golden
/// captures (tests/data/golden/README.md): MACs 02:00:00:00:00:01 (vA) and
/// 02:00:00:00:00:02 (vB), so vA's kernel link-local is fe80::ff:fe00:1;
/// 192.0.2.1/24 on vA and 192.0.2.2/24 on vB; IPv6 DAD off. The constructor
/// returns once both link-locals are usable, which also means the devices are
/// fully up (the link-local appears only after the carrier event that
/// activates the transmit queues).
struct VethPair {
  VethPair();
  NetNs a{"pkt-a"};
  NetNs b{"pkt-b"};
  const std::string ifA = "vA";
  const std::string ifB = "vB";
  int indexA = 0;
  int indexB = 0;
  net::MacAddress macA{0x02, 0, 0, 0, 0, 0x01};
  net::MacAddress macB{0x02, 0, 0, 0, 0, 0x02};
  util::IpAddress v4A = *util::IpAddress::parse("192.0.2.1");
  util::IpAddress v4B = *util::IpAddress::parse("192.0.2.2");
  util::IpAddress llA;
  util::IpAddress llB;
};

}  // namespace vipd::testing
