#include "vipd/net/link_info.h"

#include <fmt/format.h>

namespace vipd::net {

std::string toString(const LinkInfo& link) {
  const auto& m = link.mac;
  return fmt::format(
      "ifindex={} name={} mac={:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x} admin={} oper={} mtu={}",
      link.ifindex, link.name, m[0], m[1], m[2], m[3], m[4], m[5], link.adminUp ? "up" : "down",
      link.operUp ? "up" : "down", link.mtu);
}

}  // namespace vipd::net
