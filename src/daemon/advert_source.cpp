// Which local address an instance advertises from; see advert_source.h.
#include "vipd/daemon/advert_source.h"

#include <algorithm>
#include <optional>

namespace vipd::daemon {

namespace {

bool isVip(std::span<const util::IpAddress> vips, const util::IpAddress& a) {
  return std::find(vips.begin(), vips.end(), a) != vips.end();
}

proto::Result<util::IpAddress, std::string> ipv4Source(
    std::span<const net::InterfaceAddress> addresses, std::span<const util::IpAddress> vips) {
  for (const auto& a : addresses) {
    if (a.address.isV4() && !a.secondary && !isVip(vips, a.address)) return a.address;
  }
  return std::string("no primary IPv4 address");
}

proto::Result<util::IpAddress, std::string> ipv6Source(
    std::span<const net::InterfaceAddress> addresses, const net::MacAddress& mac,
    std::span<const util::IpAddress> vips) {
  const util::IpAddress derived = eui64LinkLocal(mac);
  std::optional<util::IpAddress> lowest;
  bool tentativeOnly = false;
  for (const auto& a : addresses) {
    if (a.address.isV4() || !a.address.isLinkLocal() || isVip(vips, a.address)) continue;
    if (a.tentative) {
      tentativeOnly = true;
      continue;
    }
    if (a.address == derived) return derived;
    if (!lowest || a.address < *lowest) lowest = a.address;
  }
  if (lowest) return *lowest;
  if (tentativeOnly) {
    return std::string("its IPv6 link-local address is tentative (duplicate address detection)");
  }
  return std::string("no IPv6 link-local address");
}

}  // namespace

util::IpAddress eui64LinkLocal(const net::MacAddress& mac) {
  std::array<std::uint8_t, 16> b{0xfe, 0x80};
  b[8] = static_cast<std::uint8_t>(mac[0] ^ 0x02);  // the universal/local bit, inverted
  b[9] = mac[1];
  b[10] = mac[2];
  b[11] = 0xff;
  b[12] = 0xfe;
  b[13] = mac[3];
  b[14] = mac[4];
  b[15] = mac[5];
  return util::IpAddress::v6(b);
}

proto::Result<util::IpAddress, std::string> chooseAdvertSource(
    util::Family family, std::span<const net::InterfaceAddress> addresses,
    const net::MacAddress& mac, std::span<const util::IpAddress> vips) {
  return family == util::Family::V4 ? ipv4Source(addresses, vips)
                                    : ipv6Source(addresses, mac, vips);
}

}  // namespace vipd::daemon
