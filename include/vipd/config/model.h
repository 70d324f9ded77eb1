#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ratio>
#include <string>
#include <vector>

#include "vipd/config/diagnostic.h"
#include "vipd/util/ip_address.h"

/// The validated configuration model: what parseFile() returns when a
/// keepalived.conf has no errors. Every field holds its effective value, with
/// keepalived 2.2.7's defaults and derivations already applied (see the
/// comments; [SRC f] cites keepalived v2.2.7 source, function f).
namespace vipd::config {

/// VRRPv3 advertises the interval in centiseconds (RFC 5798 §5.2.7).
using Centiseconds = std::chrono::duration<std::int64_t, std::centi>;

/// Values of `global_defs` that vipd uses.
struct GlobalDefs {
  /// `router_id`; nullopt means "the host name" (resolved by the daemon).
  std::optional<std::string> routerId;
  /// `vrrp_version`: default protocol version of IPv4 instances.
  std::uint8_t vrrpVersion = 2;
  util::IpAddress mcastGroup4 = util::IpAddress::v4({224, 0, 0, 18});
  util::IpAddress mcastGroup6 =
      util::IpAddress::v6({0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});
  std::chrono::seconds garpMasterDelay{5};
  std::uint32_t garpMasterRepeat = 5;
  /// 0 = no periodic refresh.
  std::chrono::seconds garpMasterRefresh{0};
  std::uint32_t garpMasterRefreshRepeat = 1;
  /// Defaults to garpMasterDelay / garpMasterRepeat.
  std::chrono::seconds garpLowerPrioDelay{5};
  std::uint32_t garpLowerPrioRepeat = 5;
  /// Pacing between GARPs / unsolicited NAs on one interface.
  std::chrono::microseconds garpInterval{0};
  std::chrono::microseconds gnaInterval{0};
  /// `vrrp_down_timer_adverts`: default for the instances' down_timer_adverts.
  std::uint8_t downTimerAdverts = 3;
  /// `vrrp_lower_prio_no_advert`.
  bool lowerPrioNoAdvert = false;
  bool higherPrioSendAdvert = false;
  bool skipCheckAdvAddr = false;
  bool checkUnicastSrc = false;
  /// `vrrp_strict`; its effects are applied to each instance (strictMode).
  bool strict = false;
  /// `vrrp_priority`: the nice(2) value of the VRRP process, -20..19.
  /// NOT a VRRP priority.
  std::int8_t processNice = 0;
  friend bool operator==(const GlobalDefs&, const GlobalDefs&) = default;
};

enum class InitialState : std::uint8_t { Backup, Master };
enum class AuthType : std::uint8_t { Pass, Ah };

/// VRRPv2 authentication (RFC 2338 §5.3.6); only ever set on v2 instances.
struct Authentication {
  AuthType type = AuthType::Pass;
  /// At most 8 bytes (longer passwords are truncated, as keepalived does).
  std::string password;
  friend bool operator==(const Authentication&, const Authentication&) = default;
};

/// `scope` of an address, as ip-address(8) / rt_scopes numbers it.
enum class AddressScope : std::uint8_t {
  Global = 0,
  Site = 200,
  Link = 253,
  Host = 254,
  Nowhere = 255,
};

/// A line of `virtual_ipaddress` / `virtual_ipaddress_excluded`:
/// `ADDR[/LEN] [brd IP|+|-] [dev IF] [scope S] [label L] [peer IP] [home]
///  [-nodad] [mngtmpaddr] [noprefixroute] [autojoin] [no_track]
///  [preferred_lft N|forever]` [SRC vrrp_ipaddress.c:alloc_ipaddress].
struct VirtualAddress {
  static constexpr std::uint32_t kForever = 0xffffffffU;

  util::IpAddress address;
  /// /32 or /128 unless given (with `peer`, always the full length).
  std::uint8_t prefixLength = 32;
  /// IPv4 only; `+`/`-` are resolved to the computed address.
  std::optional<util::IpAddress> broadcast;
  std::optional<util::IpAddress> peer;
  /// nullopt: the instance's interface.
  std::optional<std::string> device;
  /// IPv4 only.
  std::optional<AddressScope> scope;
  /// IPv4 only.
  std::optional<std::string> label;
  bool home = false;
  bool noDad = false;
  bool manageTempAddr = false;
  bool noPrefixRoute = false;
  bool autoJoin = false;
  /// `no_track`: deleting the address does not take the instance out of MASTER.
  bool noTrack = false;
  /// IPv6: seconds or kForever; defaults to 0 (deprecated address) for a /128
  /// and kForever otherwise. IPv4: only if configured.
  std::optional<std::uint32_t> preferredLifetime;
  SourceLocation where;
  friend bool operator==(const VirtualAddress&, const VirtualAddress&) = default;
};

/// A line of `unicast_peer`. min_ttl/max_ttl default to 0/255.
struct UnicastPeer {
  util::IpAddress address;
  std::uint8_t minTtl = 0;
  std::uint8_t maxTtl = 255;
  SourceLocation where;
  friend bool operator==(const UnicastPeer&, const UnicastPeer&) = default;
};

/// A notify command: `notify_master CMD [USER [GROUP]]`.
struct NotifyScript {
  /// The command as written (quotes and escapes resolved once).
  std::string command;
  /// `command` split again into words, keepalived-style; argv[0] is the program.
  std::vector<std::string> argv;
  /// Run as; nullopt = the default script user (resolved when scripts run).
  std::optional<std::string> user;
  std::optional<std::string> group;
  SourceLocation where;
  friend bool operator==(const NotifyScript&, const NotifyScript&) = default;
};

struct NotifyScripts {
  std::optional<NotifyScript> master;
  std::optional<NotifyScript> backup;
  std::optional<NotifyScript> fault;
  std::optional<NotifyScript> stop;
  /// `notify`: gets 4 extra arguments (TYPE NAME STATE PRIORITY) when run.
  std::optional<NotifyScript> generic;
  friend bool operator==(const NotifyScripts&, const NotifyScripts&) = default;
};

/// An entry of track_interface / track_script / track_file. Stored only; the
/// trackers are implemented elsewhere.
struct TrackedObject {
  std::string name;
  /// nullopt: no weight given (interface: down means FAULT; script/file: the
  /// weight of the script/file definition).
  std::optional<std::int32_t> weight;
  bool reverse = false;
  SourceLocation where;
  friend bool operator==(const TrackedObject&, const TrackedObject&) = default;
};

/// One `vrrp_instance NAME { ... }` with every default applied.
struct VrrpInstance {
  std::string name;
  util::Family family = util::Family::V4;
  /// Protocol version: `version`, else global vrrp_version; IPv6 is always 3.
  std::uint8_t version = 2;
  /// keepalived's "wantstate": MASTER only shortens the first wait.
  InitialState initialState = InitialState::Backup;
  /// Advert/receive interface; may be absent for unicast with a source address.
  std::optional<std::string> interface;
  std::uint8_t virtualRouterId = 0;
  /// 1..255; `state MASTER` without `priority` gives 255, otherwise 100.
  std::uint8_t priority = 100;
  /// v2: whole seconds 1..255; v3: 1..4095 centiseconds.
  Centiseconds advertInterval{100};
  bool preempt = true;
  std::chrono::microseconds preemptDelay{0};
  /// Accept mode; defaults to true unless strict mode (then priority 255 only).
  bool accept = true;
  std::optional<Authentication> authentication;
  /// Advertised VIPs, all of `family`.
  std::vector<VirtualAddress> virtualAddresses;
  /// Not advertised; may be of either family.
  std::vector<VirtualAddress> excludedAddresses;
  /// `unicast_src_ip` / `mcast_src_ip` (one setting in keepalived).
  std::optional<util::IpAddress> sourceAddress;
  /// Non-empty: unicast mode.
  std::vector<UnicastPeer> unicastPeers;
  /// TTL / hop limit of sent unicast adverts; nullopt = kernel default (IPv6).
  /// 255 for IPv4.
  std::optional<std::uint8_t> unicastTtl;
  bool checkUnicastSrc = false;
  std::chrono::seconds garpMasterDelay{5};
  std::uint32_t garpMasterRepeat = 5;
  std::chrono::seconds garpMasterRefresh{0};
  std::uint32_t garpMasterRefreshRepeat = 1;
  std::chrono::seconds garpLowerPrioDelay{5};
  std::uint32_t garpLowerPrioRepeat = 5;
  /// Master-down interval = downTimerAdverts × advert interval + skew.
  std::uint8_t downTimerAdverts = 3;
  bool lowerPrioNoAdvert = false;
  bool higherPrioSendAdvert = false;
  bool skipCheckAdvAddr = false;
  /// `strict_mode`, defaulting to global vrrp_strict.
  bool strictMode = false;
  bool dontTrackPrimary = false;
  NotifyScripts notify;
  std::vector<TrackedObject> trackInterfaces;
  std::vector<TrackedObject> trackScripts;
  std::vector<TrackedObject> trackFiles;
  SourceLocation where;

  bool isUnicast() const { return !unicastPeers.empty(); }
  friend bool operator==(const VrrpInstance&, const VrrpInstance&) = default;
};

struct Config {
  GlobalDefs global;
  std::vector<VrrpInstance> instances;
  friend bool operator==(const Config&, const Config&) = default;
};

}  // namespace vipd::config
