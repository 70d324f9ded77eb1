#include "vipd/daemon/instance_settings.h"

#include <algorithm>
#include <stdexcept>

#include "vipd/daemon/route_specs.h"

namespace vipd::daemon {

namespace {

core::RouterConfig routerConfig(const config::VrrpInstance& in, const util::IpAddress& source) {
  core::RouterConfig rc;
  rc.vrid = in.virtualRouterId;
  rc.version = in.version == 2 ? core::Version::V2 : core::Version::V3;
  rc.primaryAddress = source;
  rc.priority = in.priority;
  rc.advertInterval = core::Centiseconds{in.advertInterval.count()};
  rc.downTimerAdverts = in.downTimerAdverts;
  rc.preempt = in.preempt;
  rc.preemptDelay = in.preemptDelay;
  rc.acceptMode = in.accept;
  rc.lowerPriorityNoAdvert = in.lowerPrioNoAdvert;
  rc.startHint = in.initialState == config::InitialState::Master ? core::StartHint::Master
                                                                 : core::StartHint::Backup;
  return rc;
}

std::array<std::uint8_t, proto::kAuthDataSize> authData(const config::VrrpInstance& in) {
  std::array<std::uint8_t, proto::kAuthDataSize> data{};
  if (in.authentication) {
    const auto& pw = in.authentication->password;
    std::copy_n(pw.begin(), std::min(pw.size(), data.size()), data.begin());
  }
  return data;
}

proto::AuthType authType(const config::VrrpInstance& in) {
  if (!in.authentication) return proto::AuthType::None;
  return in.authentication->type == config::AuthType::Pass ? proto::AuthType::SimplePassword
                                                           : proto::AuthType::IpsecAh;
}

net::InterfaceAddress interfaceAddress(const config::VirtualAddress& vip,
                                       const std::string& instance, const ResolvedInterface& itf,
                                       const IfindexLookup& ifindexOf) {
  int ifindex = itf.ifindex;
  if (vip.device && *vip.device != itf.name) {
    auto index = ifindexOf(*vip.device);
    if (!index) {
      throw std::runtime_error(config::toString(vip.where) + ": instance " + instance +
                               ": interface '" + *vip.device + "' of " + vip.address.toString() +
                               " does not exist");
    }
    ifindex = *index;
  }
  return toInterfaceAddress(vip, ifindex);
}

}  // namespace

net::InterfaceAddress toInterfaceAddress(const config::VirtualAddress& vip, int ifindex) {
  net::InterfaceAddress a;
  a.ifindex = ifindex;
  a.address = vip.address;
  a.prefixLength = vip.prefixLength;
  if (vip.label) a.label = *vip.label;
  if (vip.scope) a.scope = static_cast<net::Scope>(*vip.scope);
  // keepalived adds IPv6 VIPs with IFA_F_NODAD; its `-nodad` option
  // (noDad in the model) turns that off again [SRC vrrp_ipaddress.c].
  a.noDad = vip.address.isV6() && !vip.noDad;
  a.noPrefixRoute = vip.noPrefixRoute;
  a.broadcast = vip.broadcast;
  a.preferredLifetime = vip.preferredLifetime;
  return a;
}

InstanceSettings resolveInstance(const config::VrrpInstance& in, const config::GlobalDefs& global,
                                 const ResolvedInterface& itf, const IfindexLookup& ifindexOf) {
  InstanceSettings s;
  s.name = in.name;
  s.interface = itf;
  s.router = routerConfig(in, itf.source);

  auto& ad = s.advert;
  ad.version = in.version == 2 ? proto::Version::V2 : proto::Version::V3;
  ad.family = in.family;
  ad.vrid = in.virtualRouterId;
  ad.authType = authType(in);
  ad.authData = authData(in);
  for (const auto& vip : in.virtualAddresses) ad.addresses.push_back(vip.address);

  auto& ex = s.expect;
  ex.version = ad.version;
  ex.family = ad.family;
  ex.vrid = ad.vrid;
  ex.intervalCs = static_cast<std::uint16_t>(in.advertInterval.count());
  ex.authType = ad.authType;
  ex.authData = ad.authData;
  ex.addresses = ad.addresses;
  ex.checkAddresses = !in.skipCheckAdvAddr;
  ex.checkUnicastSource = in.checkUnicastSrc;
  for (const auto& peer : in.unicastPeers) {
    ex.unicastPeers.push_back({peer.address, peer.minTtl, peer.maxTtl});
  }

  s.unicast = in.isUnicast();
  if (s.unicast) {
    for (const auto& peer : in.unicastPeers) s.destinations.push_back(peer.address);
  } else {
    s.destinations.push_back(in.family == util::Family::V4 ? global.mcastGroup4
                                                           : global.mcastGroup6);
  }

  for (const auto& vip : in.virtualAddresses) {
    s.addresses.push_back(interfaceAddress(vip, in.name, itf, ifindexOf));
  }
  for (const auto& vip : in.excludedAddresses) {
    s.addresses.push_back(interfaceAddress(vip, in.name, itf, ifindexOf));
  }

  s.routes = routeSpecs(in.virtualRoutes);
  s.rules = ruleSpecs(in.virtualRules);

  s.garp.masterRepeat = in.garpMasterRepeat;
  s.garp.masterDelay = in.garpMasterDelay;
  s.garp.masterRefresh = in.garpMasterRefresh;
  s.garp.masterRefreshRepeat = in.garpMasterRefreshRepeat;
  s.garp.lowerPrioRepeat = in.garpLowerPrioRepeat;
  s.garp.lowerPrioDelay = in.garpLowerPrioDelay;
  s.checksum.base =
      in.v3ChecksumAsV2 ? proto::ChecksumForm::MessageOnly : proto::ChecksumForm::Ipv4PseudoHeader;
  s.checksum.followPeers = in.v3ChecksumFollowPeers;
  s.checksum.oldUnicast = in.oldUnicastChecksum;
  return s;
}

}  // namespace vipd::daemon
