// The AF_PACKET socket behind the gratuitous ARP and unsolicited NA senders.
#include "vipd/net/link_layer_socket.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "packet_sys.h"

namespace vipd::net {

LinkLayerSocket::LinkLayerSocket(std::string_view what, std::string interface, int ifindex)
    : interface_(std::move(interface)), ifindex_(ifindex) {
  const std::string whatText(what);
  if (interface_.empty() || interface_.size() >= IFNAMSIZ) {
    throw std::invalid_argument(whatText + ": bad interface name '" + interface_ + "'");
  }
  if (ifindex_ == 0) {
    const unsigned index = ::if_nametoindex(interface_.c_str());
    if (index == 0) detail::throwSys(whatText.c_str(), interface_, "if_nametoindex", errno);
    ifindex_ = static_cast<int>(index);
  }
  fd_.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd_) detail::throwSys(whatText.c_str(), interface_, "socket(AF_PACKET, SOCK_RAW)", errno);
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = 0;  // receive nothing
  sll.sll_ifindex = ifindex_;
  if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&sll), sizeof sll) != 0) {
    detail::throwSys(whatText.c_str(), interface_, "bind(AF_PACKET)", errno);
  }
}

std::error_code LinkLayerSocket::send(std::span<const std::uint8_t> frame, std::uint16_t ethertype,
                                      const MacAddress& destination) {
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ethertype);
  sll.sll_ifindex = ifindex_;
  sll.sll_hatype = ARPHRD_ETHER;
  sll.sll_halen = ETH_ALEN;
  std::memcpy(sll.sll_addr, destination.data(), destination.size());
  const ssize_t n = ::sendto(fd_.get(), frame.data(), frame.size(), 0,
                             reinterpret_cast<const sockaddr*>(&sll), sizeof sll);
  if (n < 0) return detail::lastError();
  if (static_cast<std::size_t>(n) != frame.size())
    return std::make_error_code(std::errc::message_size);
  return {};
}

}  // namespace vipd::net
