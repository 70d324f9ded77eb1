// What an instance needs from the host, and the host checks of `vipd -t`;
// see host_check.h.
#include "vipd/daemon/host_check.h"

#include "vipd/daemon/advert_source.h"

#include <algorithm>
#include <system_error>

namespace vipd::daemon {

namespace {

const char* familyName(util::Family family) { return family == util::Family::V4 ? "IPv4" : "IPv6"; }

/// The link named `name`, nullopt when there is none; other failures throw.
std::optional<net::LinkInfo> findLink(net::AddressManager& host, const std::string& name) {
  auto link = host.linkByName(name);
  if (link) return link.value();
  if (link.error() == std::errc::no_such_device) return std::nullopt;
  throw std::system_error(link.error(), "interface " + name);
}

template <typename T>
T valueOr(net::NetlinkResult<T> result, const std::string& what) {
  if (!result) throw std::system_error(result.error(), what);
  return std::move(result).value();
}

std::vector<net::InterfaceAddress> hostAddresses(net::AddressManager& host, util::Family family) {
  return valueOr(host.hostAddresses(family),
                 std::string("listing the host's ") + familyName(family) + " addresses");
}

const char* sourceKeyword(const config::VrrpInstance& in) {
  return in.isUnicast() ? "unicast_src_ip" : "mcast_src_ip";
}

std::optional<HostWait> waitForSource(const config::VrrpInstance& in, net::AddressManager& host) {
  const auto& source = *in.sourceAddress;
  const auto all = hostAddresses(host, in.family);
  const auto it = std::find_if(all.begin(), all.end(),
                               [&](const net::InterfaceAddress& a) { return a.address == source; });
  if (it != all.end() && !it->tentative) return std::nullopt;
  HostWait wait;
  wait.kind = it == all.end() ? HostWait::Kind::SourceAddress : HostWait::Kind::SourceDad;
  wait.interface = in.interface.value_or("");
  wait.address = source;
  wait.family = in.family;
  wait.keyword = sourceKeyword(in);
  return wait;
}

HostWait interfaceWait(const std::string& name, util::Family family) {
  HostWait wait;
  wait.kind = HostWait::Kind::Interface;
  wait.interface = name;
  wait.family = family;
  return wait;
}

std::string linkName(net::AddressManager& host, int ifindex) {
  auto link = host.linkByIndex(ifindex);
  return link ? link.value().name : "ifindex " + std::to_string(ifindex);
}

config::Diagnostic finding(config::Severity severity, const config::SourceLocation& where,
                           const config::VrrpInstance& in, const std::string& message) {
  return {severity, config::DiagnosticCode::General, where,
          "vrrp_instance " + in.name + " " + message};
}

/// The warning for what `in` would wait for: where it is written and why
/// that is no error.
config::Diagnostic waitFinding(const config::VrrpInstance& in, const HostWait& wait) {
  constexpr const char* kWait = "; vipd will wait for it (the instance is PENDING, not FAULT)";
  switch (wait.kind) {
    case HostWait::Kind::Interface:
      return finding(
          config::Severity::Warning, in.where, in,
          "needs interface " + wait.interface + ", which is not on this host now" + kWait);
    case HostWait::Kind::SourceAddress:
      return finding(config::Severity::Warning, in.sourceWhere, in,
                     "has " + wait.keyword + " " + wait.address->toString() +
                         ", which is not on any interface of this host now" + kWait);
    case HostWait::Kind::SourceDad:
      return finding(config::Severity::Warning, in.sourceWhere, in,
                     "has " + wait.keyword + " " + wait.address->toString() +
                         ", which is still tentative (duplicate address detection)" + kWait);
    case HostWait::Kind::InterfaceAddress:
      break;
  }
  return finding(
      config::Severity::Warning, in.where, in,
      "needs " + toString(wait) + " to send adverts from, and there is none now" + kWait);
}

}  // namespace

std::string toString(const HostWait& wait) {
  switch (wait.kind) {
    case HostWait::Kind::Interface:
      return "interface " + wait.interface;
    case HostWait::Kind::SourceAddress:
      return "address " + wait.address->toString() + " (" + wait.keyword + ")";
    case HostWait::Kind::SourceDad:
      return "address " + wait.address->toString() + " (" + wait.keyword +
             ") to finish duplicate address detection";
    case HostWait::Kind::InterfaceAddress:
      break;
  }
  return wait.family == util::Family::V4 ? "an IPv4 address on " + wait.interface : "an IPv6 link-local address on " + wait.interface;
}

std::optional<util::IpAddress> defaultSource(const config::VrrpInstance& in,
                                             const std::vector<net::InterfaceAddress>& addresses,
                                             const net::MacAddress& mac) {
  std::vector<util::IpAddress> vips;
  for (const auto* list : {&in.virtualAddresses, &in.excludedAddresses}) {
    for (const auto& v : *list) vips.push_back(v.address);
  }
  auto chosen = chooseAdvertSource(in.family, addresses, mac, vips);
  if (!chosen) return std::nullopt;
  return chosen.value();
}

std::optional<HostWait> hostWait(const config::VrrpInstance& in, net::AddressManager& host) {
  // Without an interface the daemon refuses the instance at start anyway.
  if (!in.interface) return std::nullopt;
  const auto link = findLink(host, *in.interface);
  if (!link) return interfaceWait(*in.interface, in.family);
  for (const auto* list : {&in.virtualAddresses, &in.excludedAddresses}) {
    for (const auto& vip : *list) {
      if (vip.device && *vip.device != *in.interface && !findLink(host, *vip.device)) {
        return interfaceWait(*vip.device, in.family);
      }
    }
  }
  if (in.sourceAddress) return waitForSource(in, host);
  const auto own =
      valueOr(host.addressesOf(link->ifindex, in.family), "listing the addresses of " + link->name);
  if (defaultSource(in, own, link->mac)) return std::nullopt;
  HostWait wait;
  wait.kind = HostWait::Kind::InterfaceAddress;
  wait.interface = link->name;
  wait.family = in.family;
  return wait;
}

std::vector<config::Diagnostic> checkHost(const config::Config& config, net::AddressManager& host) {
  std::vector<config::Diagnostic> out;
  for (const auto& in : config.instances) {
    if (auto wait = hostWait(in, host)) out.push_back(waitFinding(in, *wait));
    if (in.unicastPeers.empty()) continue;
    const auto own = hostAddresses(host, in.family);
    for (const auto& peer : in.unicastPeers) {
      const auto it = std::find_if(own.begin(), own.end(), [&](const net::InterfaceAddress& a) {
        return a.address == peer.address;
      });
      // Listing the source itself is a configuration error already.
      if (it == own.end() || peer.address == in.sourceAddress) continue;
      out.push_back(finding(config::Severity::Error, peer.where, in,
                            "has unicast_peer " + peer.address.toString() +
                                ", an address of this host (on " + linkName(host, it->ifindex) +
                                "): list the other routers, not this one"));
    }
  }
  return out;
}

}  // namespace vipd::daemon
