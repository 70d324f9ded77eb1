#pragma once

#include <optional>
#include <vector>

#include "vipd/net/garp_announcer.h"
#include "vipd/net/vrrp_socket.h"

namespace vipd::fakes {

/// Records what an instance sends; receives nothing (tests call onAdvert).
class FakeTransport final : public net::VrrpTransport {
 public:
  struct Sent {
    std::vector<std::uint8_t> payload;
    std::optional<util::IpAddress> destination;  ///< nullopt: the multicast group.
    std::uint16_t ipv4Id = 0;
  };

  std::error_code send(std::span<const std::uint8_t> payload, std::uint16_t ipv4Id) override {
    sent.push_back({{payload.begin(), payload.end()}, std::nullopt, ipv4Id});
    return failWith;
  }
  std::error_code sendTo(std::span<const std::uint8_t> payload, const util::IpAddress& destination,
                         std::uint16_t ipv4Id) override {
    sent.push_back({{payload.begin(), payload.end()}, destination, ipv4Id});
    return failWith;
  }
  std::error_code drain(std::vector<net::ReceivedPacket>&, std::size_t) override { return {}; }

  std::vector<Sent> sent;
  std::error_code failWith;
};

/// Records every gratuitous ARP / NA.
class FakeAnnouncer final : public net::AddressAnnouncer {
 public:
  std::error_code announce(const util::IpAddress& address, const net::MacAddress&,
                           bool) override {
    announced.push_back(address);
    return {};
  }
  std::vector<util::IpAddress> announced;
};

}  // namespace vipd::fakes
