#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "vipd/util/unique_fd.h"
#include "vipd/proto/advertisement.h"
#include "vipd/util/ip_address.h"

namespace vipd::net {

/// The protocol's wire constants live with the codec (RFC 5798 §5.1).
inline constexpr int kIpProtoVrrp = proto::kIpProtocolVrrp;
using proto::kVrrpTtl;
/// IPv4 TOS / IPv6 traffic class keepalived puts on adverts: precedence 6,
/// "internetwork control" (keepalived vrrp.c:vrrp_build_ip4, vrrp_if.c:if_setsockopt_priority).
inline constexpr std::uint8_t kVrrpTos = 0xc0;

/// The VRRP multicast group of a family: 224.0.0.18 or ff02::12 (RFC 5798 §5.1.1.2, §5.1.2.2).
util::IpAddress defaultVrrpGroup(util::Family family);

/// One VRRP datagram as read from the wire.
struct ReceivedPacket {
  std::vector<std::uint8_t> payload;  ///< The VRRP part only (no IP header).
  util::IpAddress source;             ///< IP source (IPv6: usually the peer's link-local).
  util::IpAddress destination;        ///< IP destination (the group, or our unicast address).
  std::uint8_t ttl = 0;               ///< IPv4 TTL or IPv6 hop limit as received.
  int ifindex = 0;                    ///< Interface the packet arrived on.
  bool multicast = false;             ///< destination.isMulticast().
};

/// What a VrrpSocket is opened for. One socket serves every instance with the
/// same (interface, family, delivery) key: keepalived's socket pool has the
/// same key (vrrp.c:open_sockpool_socket, keyed by family, interface and unicast_src).
struct VrrpSocketConfig {
  std::string interface;  ///< Interface name (SO_BINDTODEVICE; named in error messages).
  int ifindex = 0;        ///< Its index; 0 = look it up by name when opening.
  util::Family family = util::Family::V4;
  /// Source address of what we send, and for unicast the address we receive on.
  /// IPv4: unicast_src_ip / mcast_src_ip / the interface's primary address.
  /// IPv6: the interface's link-local address (or unicast_src_ip).
  /// Precondition: same family as `family`, and (for sending) assigned to a
  /// local interface; IPv6 also not tentative.
  util::IpAddress source;
  /// false: multicast mode (join `group`, receive only what is sent to it).
  /// true: unicast-peer mode (receive only what is sent to `source`).
  bool unicast = false;
  /// Multicast group; nullopt = defaultVrrpGroup(family).
  std::optional<util::IpAddress> group;
  /// TTL / hop limit for unicast sends (keepalived unicast_ttl). nullopt = the
  /// keepalived default: 255 for IPv4, the kernel's default hop limit for IPv6
  /// (vrrp.c:vrrp_complete_instance: "For IPv6 the default is to let the kernel
  /// set the default value"). Multicast always uses 255.
  std::optional<std::uint8_t> unicastTtl;
  /// SO_RCVBUF of the receive socket in bytes (keepalived kernel_rx_buf_size);
  /// 0 = kernel default.
  int kernelRxBufSize = 0;
};

/// Counters of one VrrpSocket since it was opened.
struct VrrpSocketStats {
  std::uint64_t sent = 0;           ///< Datagrams the kernel accepted.
  std::uint64_t sendErrors = 0;     ///< sendmsg() failures (returned to the caller too).
  std::uint64_t received = 0;       ///< Datagrams handed out by drain().
  std::uint64_t truncated = 0;      ///< Dropped: larger than the receive buffer.
  std::uint64_t malformed = 0;      ///< Dropped: bad IPv4 header or missing ancillary data.
  std::uint64_t receiveErrors = 0;  ///< recvmsg() failures other than "nothing queued".
};

/// keepalived's IPv4 Identification sequence for one instance
/// (vrrp.c:vrrp_update_pkt): 1 for the first advert, +1 for each advert
/// (the priority-0 one included), never 0 (0 would let the kernel pick one).
/// Every unicast copy of one advert carries the same value: call next() once
/// per advert, not once per peer. The golden captures show 1, 2, 3, ...
class Ipv4IdCounter {
 public:
  std::uint16_t next() {
    if (++last_ == 0) ++last_;
    return last_;
  }

 private:
  std::uint16_t last_ = 0;
};

/// Sends and receives VRRP datagrams (protocol 112) on one interface. The
/// daemon talks to this interface so tests can use a fake network instead.
class VrrpTransport {
 public:
  virtual ~VrrpTransport() = default;

  /// Sends `payload` (a complete VRRP message, checksum included) to the
  /// multicast group. Fails with std::errc::destination_address_required on a
  /// unicast-mode transport.
  /// @param ipv4Id IPv4 Identification of this advert (Ipv4IdCounter::next());
  ///        0 = let the kernel choose. Ignored for IPv6.
  virtual std::error_code send(std::span<const std::uint8_t> payload, std::uint16_t ipv4Id) = 0;

  /// Sends `payload` to `destination` (a unicast peer, or a group). Unicast
  /// peers get one call each, all with the same `ipv4Id`.
  virtual std::error_code sendTo(std::span<const std::uint8_t> payload,
                                 const util::IpAddress& destination, std::uint16_t ipv4Id) = 0;

  /// Appends up to `maxPackets` queued datagrams to `out` and returns; it never
  /// blocks. Returns the error that stopped reading early, if any (packets
  /// read before it are kept in `out`); "nothing more queued" is not an error.
  virtual std::error_code drain(std::vector<ReceivedPacket>& out, std::size_t maxPackets) = 0;
};

/// Raw IPv4/IPv6 VRRP sockets on one interface, opened the way keepalived
/// 2.2.7 opens them (vrrp.c:open_vrrp_send_socket, open_vrrp_read_socket).
///
/// Two descriptors, as in keepalived: a receive socket (fd(), for epoll) that
/// is bound to the group (IPv4) or ::1 (IPv6) in multicast mode, or to the
/// source address in unicast mode, so the kernel filters what it queues; and a
/// send socket with a drop-everything filter. IPv4 is sent with IP_HDRINCL and
/// our own header, as keepalived does, so every header byte is keepalived's:
/// TOS 0xc0, the caller's ID, DF clear, TTL 255 (multicast) or unicastTtl,
/// source = `source` (any address, local or not, as with keepalived). IPv6
/// leaves with traffic class 0xc0, hop limit 255 (multicast) or unicastTtl,
/// source = `source` through IPV6_PKTINFO. IPV6_CHECKSUM is *not* set in
/// either direction: the codec computes and verifies the checksum so that bad
/// ones can be counted.
///
/// NOTE: owns both descriptors (closed on destruction; movable, not copyable).
/// Not thread-safe: use it from the event-loop thread. Descriptors are
/// non-blocking and close-on-exec.
class VrrpSocket final : public VrrpTransport {
 public:
  /// Opens and configures both sockets in the calling thread's network
  /// namespace. Throws std::system_error naming the interface and the failing
  /// call (e.g. "vrrp socket eth0: setsockopt(SO_BINDTODEVICE)") when the
  /// interface is missing, a family mismatches, or the kernel refuses an
  /// option (e.g. not root: socket(AF_INET, SOCK_RAW, 112)).
  explicit VrrpSocket(VrrpSocketConfig config);
  ~VrrpSocket() override = default;
  VrrpSocket(VrrpSocket&&) noexcept = default;
  VrrpSocket& operator=(VrrpSocket&&) noexcept = default;

  /// The receive descriptor: register it with epoll for EPOLLIN.
  int fd() const { return recvFd_.get(); }
  const VrrpSocketConfig& config() const { return config_; }
  int ifindex() const { return config_.ifindex; }
  /// The source address sent from; the codec needs it for the checksum.
  const util::IpAddress& source() const { return config_.source; }
  /// The multicast group sent to by send().
  const util::IpAddress& group() const { return group_; }
  const VrrpSocketStats& stats() const { return stats_; }

  std::error_code send(std::span<const std::uint8_t> payload, std::uint16_t ipv4Id) override;
  std::error_code sendTo(std::span<const std::uint8_t> payload, const util::IpAddress& destination,
                         std::uint16_t ipv4Id) override;
  std::error_code drain(std::vector<ReceivedPacket>& out, std::size_t maxPackets) override;

  /// Largest datagram drain() accepts; longer ones are dropped and counted.
  /// The biggest VRRP message is 8 + 255 * 16 bytes (v3, IPv6), plus headers.
  static constexpr std::size_t kMaxDatagram = 8192;

 private:
  void openReceiveSocket();
  void openSendSocket();
  /// Reads one datagram; nullopt when nothing is queued or it was dropped
  /// (then `dropped` is set so drain() goes on).
  std::optional<ReceivedPacket> receiveOne(std::error_code& error, bool& dropped);
  std::error_code sendV4(std::span<const std::uint8_t> payload, const util::IpAddress& destination,
                         std::uint16_t ipv4Id);
  std::error_code sendV6(std::span<const std::uint8_t> payload, const util::IpAddress& destination);

  VrrpSocketConfig config_;
  util::IpAddress group_;
  util::UniqueFd recvFd_;
  util::UniqueFd sendFd_;
  std::vector<std::uint8_t> buffer_;
  VrrpSocketStats stats_;
};

}  // namespace vipd::net
