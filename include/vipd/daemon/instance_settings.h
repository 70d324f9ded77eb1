#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/core/router_config.h"
#include "vipd/daemon/peer_checksums.h"
#include "vipd/net/address_manager_types.h"
#include "vipd/net/garp.h"
#include "vipd/net/route_types.h"
#include "vipd/proto/advertisement.h"
#include "vipd/proto/validate.h"

namespace vipd::daemon {

/// Gratuitous ARP / unsolicited NA schedule of one instance (keepalived's
/// garp_master_* and garp_lower_prio_* settings).
struct GarpSchedule {
  std::uint32_t masterRepeat = 5;
  std::chrono::seconds masterDelay{5};    ///< Second burst after this; 0 = none.
  std::chrono::seconds masterRefresh{0};  ///< Periodic refresh while master; 0 = off.
  std::uint32_t masterRefreshRepeat = 1;
  std::uint32_t lowerPrioRepeat = 5;
  std::chrono::seconds lowerPrioDelay{5};
};

/// What the host tells us about the instance's interface at start-up.
/// With use_vmac, name/ifindex/mac are the VMAC's: the VIPs go there and
/// the announcements carry its MAC.
struct ResolvedInterface {
  std::string name;
  int ifindex = 0;
  net::MacAddress mac{};
  /// Advert source: unicast_src_ip/mcast_src_ip, else the primary IPv4
  /// address or the IPv6 link-local address of the interface.
  util::IpAddress source;
  /// IPv6 forwarding on the interface: sets the Router flag of our NAs.
  bool forwarding = false;
  /// The configured `interface`, whose link state the instance follows
  /// (the macvlan's carrier follows it anyway).
  std::string baseName{};
  /// Its ifindex when the instance was set up: a link of that name with
  /// another index is a new interface (deleted and created again).
  int baseIfindex = 0;
  /// `name` is the use_vmac macvlan on baseName.
  bool vmac = false;
  /// Where adverts are sent and received: `name`, or with use_vmac and
  /// vmac_xmit_base the interface under the VMAC [SRC vrrp.c:vrrp_open_sockpool].
  std::string advertName{};
  int advertIfindex = 0;
};

/// Everything an Instance needs, derived once from the configuration and
/// the resolved interface. Pure data: built by resolveInstance().
struct InstanceSettings {
  std::string name;
  ResolvedInterface interface;
  core::RouterConfig router;
  /// Template of our adverts (priority and interval are filled per send).
  proto::Advertisement advert;
  /// The receive checks specific to this instance.
  proto::InstanceExpectations expect;
  /// Multicast group, or the unicast peers.
  std::vector<util::IpAddress> destinations;
  bool unicast = false;
  /// VIPs then eVIPs, as netlink will install them.
  std::vector<net::InterfaceAddress> addresses;
  /// virtual_routes and virtual_rules, installed on MASTER after the VIPs.
  std::vector<net::RouteSpec> routes;
  std::vector<net::RuleSpec> rules;
  GarpSchedule garp;
  /// VRRPv3/IPv4 only: which checksum form our adverts use (peer_checksums.h).
  TransmitChecksum checksum;
};

/// Maps an interface name (a VIP's `dev`) to its ifindex; nullopt if absent.
using IfindexLookup = std::function<std::optional<int>(const std::string&)>;

/// The kernel address a virtual_ipaddress / static_ipaddress line asks
/// for, on `ifindex` (its `dev`, resolved by the caller), with keepalived's
/// flags (IPv6: IFA_F_NODAD unless `-nodad`).
net::InterfaceAddress toInterfaceAddress(const config::VirtualAddress& vip, int ifindex);

/// Builds the settings of one instance. Throws std::runtime_error naming the
/// instance and the config location when the host cannot serve it (unknown
/// `dev` of a VIP).
InstanceSettings resolveInstance(const config::VrrpInstance& instance,
                                 const config::GlobalDefs& global,
                                 const ResolvedInterface& interface,
                                 const IfindexLookup& ifindexOf);

}  // namespace vipd::daemon
