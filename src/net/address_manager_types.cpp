#include "vipd/net/address_manager_types.h"

#include <fmt/format.h>
#include <net/if.h>

#include <charconv>

#include "vipd/net/address_manager_error.h"

namespace vipd::net {

std::string scopeName(Scope scope) {
  switch (scope) {
    case Scope::Global:
      return "global";
    case Scope::Site:
      return "site";
    case Scope::Link:
      return "link";
    case Scope::Host:
      return "host";
    case Scope::Nowhere:
      return "nowhere";
  }
  return std::to_string(static_cast<unsigned>(scope));
}

std::optional<Scope> parseScope(std::string_view text) {
  if (text == "global") return Scope::Global;
  if (text == "site") return Scope::Site;
  if (text == "link") return Scope::Link;
  if (text == "host") return Scope::Host;
  if (text == "nowhere") return Scope::Nowhere;
  unsigned value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > 255) return std::nullopt;
  return static_cast<Scope>(value);
}

bool sameAddress(const InterfaceAddress& a, const InterfaceAddress& b) {
  if (a.ifindex != b.ifindex || a.address != b.address) return false;
  return a.address.isV6() || a.prefixLength == b.prefixLength;
}

std::uint32_t effectivePreferredLifetime(const InterfaceAddress& address) {
  if (address.preferredLifetime) return *address.preferredLifetime;
  // keepalived vrrp_ipaddress.c netlink_ipaddress: an IPv6 /128 VIP is added
  // deprecated so that health checks do not pick it as their source.
  if (address.address.isV6() && address.prefixLength == 128) return 0;
  return kForeverLifetime;
}

std::error_code validateForAdd(const InterfaceAddress& address, std::string_view interfaceName) {
  if (address.ifindex <= 0) return NetlinkErrc::InvalidIfindex;
  const unsigned maxPrefix = address.address.isV4() ? 32 : 128;
  if (address.prefixLength > maxPrefix) return NetlinkErrc::InvalidPrefixLength;
  if (address.address.isV6()) {
    if (!address.label.empty()) return NetlinkErrc::LabelNotSupported;
    if (address.broadcast) return NetlinkErrc::BroadcastNotSupported;
    if (address.scope != Scope::Global && address.scope != Scope::Link) {
      // Link is what a query reports for fe80::/10, so an address read back
      // can be added again; the kernel ignores ifa_scope for IPv6 anyway.
      return NetlinkErrc::ScopeNotSupported;
    }
    return {};
  }
  if (address.broadcast && !address.broadcast->isV4()) return NetlinkErrc::BroadcastNotSupported;
  if (!address.label.empty()) {
    if (address.label.size() > IFNAMSIZ - 1) return NetlinkErrc::LabelTooLong;
    // iproute2's rule (ipaddress.c ipaddr_modify: "dev" must match "label").
    if (!std::string_view(address.label).starts_with(interfaceName) || interfaceName.empty()) {
      return NetlinkErrc::LabelMismatch;
    }
  }
  return {};
}

std::string toString(const InterfaceAddress& address) {
  std::string out = fmt::format("{}/{} ifindex={}", address.address.toString(),
                                address.prefixLength, address.ifindex);
  if (!address.label.empty()) out += " label=" + address.label;
  out += " scope=" + scopeName(address.scope);
  if (address.broadcast) out += " brd=" + address.broadcast->toString();
  if (address.address.isV6() && address.noDad) out += " nodad";
  if (address.noPrefixRoute) out += " noprefixroute";
  if (address.preferredLifetime && *address.preferredLifetime != kForeverLifetime) {
    out += fmt::format(" preferred_lft={}", *address.preferredLifetime);
  }
  if (address.secondary) out += " secondary";
  if (address.tentative) out += " tentative";
  return out;
}

}  // namespace vipd::net
