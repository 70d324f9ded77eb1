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

/// `USER [GROUP]` of `script_user`, a vrrp_script's `user` and the notify
/// FIFOs; the group defaults to the user's primary group when scripts run.
struct RunAs {
  std::string user;
  std::optional<std::string> group;

  friend bool operator==(const RunAs&, const RunAs&) = default;
};

/// `notify_fifo PATH [USER [GROUP]]` (or `vrrp_notify_fifo`) with its
/// `*_fifo_script CMD [USER [GROUP]]`, which gets PATH as its last argument
/// [SRC global_parser.c:fifo_handler; reference §2.2].
struct NotifyFifo {
  std::string path;
  /// Owner of a FIFO that keepalived creates.
  std::optional<RunAs> owner;
  /// The reader command split keepalived-style; empty: no reader.
  std::vector<std::string> readerArgv;
  /// nullopt: the default script user.
  std::optional<RunAs> readerUser;
  SourceLocation where;

  friend bool operator==(const NotifyFifo&, const NotifyFifo&) = default;
};

/// A line of `interface_up_down_delays { IF DOWN [UP] }`: how long a link
/// change must last before the instances on IF see it (0..255 s each)
/// [SRC vrrp_parser.c:alloc_if_up_down_delay].
struct InterfaceDelays {
  std::string interface;
  std::chrono::microseconds down{0};
  std::chrono::microseconds up{0};
  SourceLocation where;

  friend bool operator==(const InterfaceDelays&, const InterfaceDelays&) = default;
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

/// How long a notify script may run unless configured (notify_timeout), and
/// the most it may be given, as keepalived's startup_script_timeout [K5
/// §Global definitions].
inline constexpr std::chrono::seconds kDefaultNotifyTimeout{10};
inline constexpr std::chrono::seconds kMaxNotifyTimeout{1000};

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
  /// `vrrp_notify_priority_changes`: default of notify_priority_changes.
  bool notifyPriorityChanges = false;
  /// `vrrp_notify_timeout` (vipd; keepalived has none): default of the
  /// instances' and sync groups' notify_timeout.
  std::chrono::seconds notifyTimeout{kDefaultNotifyTimeout};
  bool skipCheckAdvAddr = false;
  bool checkUnicastSrc = false;
  /// `v3_checksum_as_v2` (keepalived >= 2.2.8): VRRPv3/IPv4 checksums without the
  /// pseudo-header (RFC 9568 §5.2.8, router vendors). Default of the instances' setting.
  bool v3ChecksumAsV2 = false;
  /// `v3_checksum_follow_peers` (vipd): answer each peer in the checksum form it uses.
  bool v3ChecksumFollowPeers = false;
  /// `vrrp_strict`; its effects are applied to each instance (strictMode).
  bool strict = false;
  /// `vrrp_priority`: the nice(2) value of the VRRP process, -20..19.
  /// NOT a VRRP priority.
  std::int8_t processNice = 0;
  /// `script_user`; nullopt: keepalived_script if that user exists, else root.
  std::optional<RunAs> scriptUser;
  /// `enable_script_security`: refuse root scripts in unsafe paths (reference §2.4).
  bool scriptSecurity = false;
  /// `notify_fifo` (VRRP and LVS events) and `vrrp_notify_fifo` (VRRP only).
  std::optional<NotifyFifo> notifyFifo;
  std::optional<NotifyFifo> vrrpNotifyFifo;
  /// `vrrp_startup_delay`: wait before the instances start.
  std::chrono::microseconds startupDelay{0};
  /// `vrrp_netlink_monitor_rcv_bufs`: receive buffer of the netlink monitor
  /// in bytes; nullopt: vipd's default (8 MiB, forced). 0: the kernel's default.
  std::optional<std::uint32_t> netlinkMonitorRcvBufs;
  /// `vrrp_netlink_monitor_rcv_bufs_force`: set it past net.core.rmem_max.
  bool netlinkMonitorRcvBufsForce = false;
  /// The root block `interface_up_down_delays` (kept here: it is per host).
  std::vector<InterfaceDelays> interfaceDelays;
  /// The root block `static_ipaddress`: addresses vipd adds at start and
  /// removes at stop, whatever the instances' states (not in any advert).
  /// A `device` of nullopt means keepalived's default_interface, eth0.
  std::vector<VirtualAddress> staticAddresses;
  /// `vmac_prefix`: start of the generated VMAC interface names (PREFIX.VRID).
  std::string vmacPrefix = "vrrp";

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

/// An address prefix of a route or rule: `ADDR[/LEN]`, the length defaulting
/// to the full one.
struct IpPrefix {
  util::IpAddress address;
  std::uint8_t length = 32;

  friend bool operator==(const IpPrefix&, const IpPrefix&) = default;
};

/// The rtm_type of a route: `blackhole|unreachable|prohibit|throw DEST`
/// instead of a unicast route (ip-route(8) TYPE).
enum class RouteType : std::uint8_t { Unicast, Blackhole, Unreachable, Prohibit, Throw };

/// Routing tables ip-route(8) names (rt_tables); any number 1..2^32-1 works.
inline constexpr std::uint32_t kTableMain = 254;
inline constexpr std::uint32_t kTableLocal = 255;
inline constexpr std::uint32_t kTableDefault = 253;
/// RTPROT_KEEPALIVED: the protocol keepalived stamps on its routes (and
/// watches for), so `ip route show proto keepalived` lists them.
inline constexpr std::uint8_t kProtocolKeepalived = 18;

/// A line of `virtual_routes` / `static_routes`:
/// `[src IP] [to] DEST [via|gw IP [or IP]] [dev IF] [scope S] [table T]
///  [metric|priority|preference N] [proto P] [onlink] [no_track]`, or
/// `TYPE DEST [table T] [metric N] ...` with TYPE blackhole, unreachable,
/// prohibit or throw [SRC vrrp_iproute.c:alloc_route; K5 §Static routes].
struct VirtualRoute {
  RouteType type = RouteType::Unicast;
  IpPrefix destination;
  /// `src`: the preferred source address (RTA_PREFSRC).
  std::optional<util::IpAddress> source;
  /// `via` / `gw`; with `or`, a second, equal-cost next hop (RTA_MULTIPATH).
  std::optional<util::IpAddress> gateway;
  std::optional<util::IpAddress> alternateGateway;
  /// nullopt: the kernel picks the device that reaches the gateway.
  std::optional<std::string> device;
  /// nullopt: the kernel's default (link without gateway, else global).
  std::optional<AddressScope> scope;
  std::uint32_t table = kTableMain;
  /// nullopt: the kernel's default (0 for IPv4, 1024 for IPv6).
  std::optional<std::uint32_t> metric;
  std::uint8_t protocol = kProtocolKeepalived;
  bool onLink = false;
  /// Accepted for keepalived: vipd does not watch routes, so a route deleted
  /// by someone else never takes the instance out of MASTER.
  bool noTrack = false;
  SourceLocation where;

  util::Family family() const { return destination.address.family(); }

  friend bool operator==(const VirtualRoute&, const VirtualRoute&) = default;
};

/// What a rule does when it matches (ip-rule(8) ACTION).
enum class RuleAction : std::uint8_t { Table, Goto, Blackhole, Unreachable, Prohibit };

/// A line of `virtual_rules` / `static_rules`: `[from PFX] [to PFX]
/// [iif IF] [oif IF] [fwmark N[/MASK]] [priority|preference|pref N]
/// [table T | goto N | blackhole | unreachable | prohibit] [inet6] [no_track]`
/// [SRC vrrp_iprule.c:alloc_rule].
struct VirtualRule {
  /// From the addresses; IPv4 unless `inet6` or an IPv6 address says otherwise.
  util::Family family = util::Family::V4;
  std::optional<IpPrefix> from;
  std::optional<IpPrefix> to;
  std::optional<std::string> inputInterface;
  std::optional<std::string> outputInterface;
  std::optional<std::uint32_t> fwmark;
  /// Only with fwmark; nullopt: the kernel's all-ones mask.
  std::optional<std::uint32_t> fwmask;
  /// nullopt: the kernel picks one (keepalived advises to give it).
  std::optional<std::uint32_t> priority;
  RuleAction action = RuleAction::Table;
  /// The table of RuleAction::Table (main unless given).
  std::uint32_t table = kTableMain;
  /// The priority RuleAction::Goto jumps to.
  std::uint32_t gotoTarget = 0;
  bool noTrack = false;
  SourceLocation where;

  friend bool operator==(const VirtualRule&, const VirtualRule&) = default;
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
  /// `notify_deleted [CMD]` (instances): a reload that deletes the instance
  /// reports DELETED instead of FAULT, and runs CMD if given.
  bool notifyDeleted = false;
  std::optional<NotifyScript> deleted;
  /// `notify_master_rx_lower_pri CMD` (instances): run when the master hears
  /// an advert with a lower priority.
  std::optional<NotifyScript> masterRxLowerPri;
  /// `notify_priority_changes [BOOL]` (instances and sync groups): FIFO
  /// MASTER_PRIORITY / BACKUP_PRIORITY lines when the effective priority
  /// changes. nullopt: the sync group's setting, then the global one.
  std::optional<bool> priorityChanges;
  /// `notify_timeout SECONDS` (vipd; instances and sync groups): how long
  /// each notify script may run, notify_stop included. nullopt: the sync
  /// group's setting, then the global vrrp_notify_timeout.
  std::optional<std::chrono::seconds> timeout;

  friend bool operator==(const NotifyScripts&, const NotifyScripts&) = default;
};

/// An entry of track_interface / track_script / track_file / track_process.
/// Stored only; the trackers are implemented elsewhere.
struct TrackedObject {
  std::string name;
  /// nullopt: no weight given (interface: down means FAULT; script/file: the
  /// weight of the script/file definition).
  std::optional<std::int32_t> weight;
  bool reverse = false;
  SourceLocation where;

  friend bool operator==(const TrackedObject&, const TrackedObject&) = default;
};

/// keepalived `old_unicast_checksum [never]`: the pre-1.3.6 VRRPv3 unicast checksum (a
/// pseudo-header with 224.0.0.18 as destination). Auto: sent to a unicast peer once it is seen
/// using it (keepalived's default auto-detection); Always: the keyword alone; Never: `never`.
enum class OldUnicastChecksum : std::uint8_t { Auto, Always, Never };

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
  /// Where sourceAddress was written (for the host checks of `-t`).
  SourceLocation sourceWhere;
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
  /// VRRPv3/IPv4 transmit checksum: without the pseudo-header (`v3_checksum_as_v2`), in each
  /// peer's own form (`v3_checksum_follow_peers`), and keepalived's `old_unicast_checksum`.
  bool v3ChecksumAsV2 = false;
  bool v3ChecksumFollowPeers = false;
  OldUnicastChecksum oldUnicastChecksum = OldUnicastChecksum::Auto;
  /// `strict_mode`, defaulting to global vrrp_strict.
  bool strictMode = false;
  bool dontTrackPrimary = false;
  /// `use_vmac [NAME]` (RFC 5798 §7.3): the macvlan on `interface` that
  /// carries the virtual MAC 00:00:5e:00:01:VRID (IPv6: ...:02:VRID) and the
  /// VIPs. nullopt: no VMAC. Without NAME: vmac_prefix.VRID ("vrrp.VRID").
  std::optional<std::string> vmacInterface;
  /// `vmac_xmit_base`: adverts are sent and received on `interface`, not on
  /// the VMAC. Forced on for unicast instances with a VMAC, as keepalived does.
  bool vmacXmitBase = false;
  NotifyScripts notify;
  std::vector<TrackedObject> trackInterfaces;
  std::vector<TrackedObject> trackScripts;
  std::vector<TrackedObject> trackFiles;
  std::vector<TrackedObject> trackProcesses;
  /// Installed after the VIPs on becoming MASTER, removed on leaving it.
  std::vector<VirtualRoute> virtualRoutes;
  std::vector<VirtualRule> virtualRules;
  SourceLocation where;

  bool isUnicast() const { return !unicastPeers.empty(); }

  friend bool operator==(const VrrpInstance&, const VrrpInstance&) = default;
};

/// An inclusive range of HTTP status codes: `200` or `200-299`.
struct StatusRange {
  std::uint16_t min = 200;
  std::uint16_t max = 299;

  friend bool operator==(const StatusRange&, const StatusRange&) = default;
};

/// One `url { ... }` of a vipd_check's HTTP_GET [K5 HTTP_GET url].
struct HttpUrl {
  /// `path`: starts with '/'; sent as is in the request line.
  std::string path;
  /// `status_code`: the accepted codes; keepalived's 200-299 when none is given.
  std::vector<StatusRange> statusCodes;
  /// `digest`: MD5 of the body, 32 lower-case hex digits.
  std::optional<std::string> digest;
  /// `virtualhost`: this url's Host header (else the HTTP_GET's).
  std::optional<std::string> virtualHost;

  // No SourceLocation: a reload compares probes, and moving a url block to
  // another line must not restart its check.
  friend bool operator==(const HttpUrl&, const HttpUrl&) = default;
};

enum class ProbeKind : std::uint8_t { Tcp, Http };

/// What a `vipd_check` does instead of running a command: keepalived's
/// TCP_CHECK (a TCP connect) or HTTP_GET (a GET of each url), with their
/// connection options [K5 §Virtual server(s), CHECKER_TYPE]. vipd has no
/// real_server to inherit connect_ip and connect_port from: both are required.
struct NativeProbe {
  ProbeKind kind = ProbeKind::Tcp;
  util::IpAddress connectIp;
  std::uint16_t connectPort = 0;
  /// `bindto`: the source address of the connection.
  std::optional<util::IpAddress> bindTo;
  /// Bounds each connection: connect, request and response (keepalived's default 5 s).
  std::chrono::microseconds connectTimeout{5'000'000};
  /// Failed attempts repeated before the run fails (keepalived's default 1).
  std::uint32_t retry = 1;
  /// keepalived's default: 3 s for HTTP_GET, 1 s for TCP_CHECK.
  std::chrono::microseconds delayBeforeRetry{1'000'000};
  /// HTTP_GET `virtualhost`: the Host header of urls without their own.
  std::optional<std::string> virtualHost;
  /// HTTP_GET: at least one.
  std::vector<HttpUrl> urls;

  friend bool operator==(const NativeProbe&, const NativeProbe&) = default;
};

/// `vrrp_script NAME { ... }` [SRC vrrp_parser.c:vrrp_vscript_*_handler,
/// vrrp_data.c:alloc_vrrp_script], or vipd's own `vipd_check NAME { ... }`
/// (`native` set, no argv). Both are tracked by `track_script` and share one
/// namespace. Only run if something tracks it.
struct VrrpScript {
  std::string name;
  /// `script CMD`: the command split keepalived-style; argv[0] is the program.
  /// Empty for a vipd_check.
  std::vector<std::string> argv;
  /// Whole seconds, at least 1.
  std::chrono::seconds interval{1};
  /// Whole seconds, at least 1; defaults to the interval. A vipd_check's
  /// timeout bounds its whole run, retries included.
  std::chrono::seconds timeout{1};
  /// -253..253; 0 means a failure puts the tracking instances in FAULT.
  std::int32_t weight = 0;
  bool reverse = false;
  /// Consecutive results needed to change state, 1..INT_MAX.
  std::uint32_t rise = 1;
  std::uint32_t fall = 1;
  /// nullopt: global script_user.
  std::optional<RunAs> user;
  /// `init_fail`: start in the failed state.
  bool initFail = false;
  SourceLocation where;
  /// vipd_check: the probe that replaces the command.
  std::optional<NativeProbe> native;

  friend bool operator==(const VrrpScript&, const VrrpScript&) = default;
};

/// `init_file [VALUE] [overwrite]` of a track_file.
struct TrackFileInit {
  /// Written to a missing file (any int; -254..254 is the useful range).
  std::int32_t value = 0;
  /// Write it at start even if the file exists (not on reload).
  bool overwrite = false;

  friend bool operator==(const TrackFileInit&, const TrackFileInit&) = default;
};

/// `track_file NAME { ... }` (old name `vrrp_track_file`) [SRC trackers/track_file.c].
struct TrackFile {
  std::string name;
  /// `file PATH`: holds an integer, re-read when it changes.
  std::string path;
  /// -254..254; 0 means a non-zero value puts the tracking instances in FAULT.
  std::int32_t weight = 1;
  bool reverse = false;
  std::optional<TrackFileInit> init;
  SourceLocation where;

  friend bool operator==(const TrackFile&, const TrackFile&) = default;
};

/// How a vrrp_track_process compares a command line's parameters
/// [SRC core/track_process.c:check_params].
enum class ParamMatch : std::uint8_t {
  /// Parameters are not looked at (no parameters given, no param_match).
  None,
  /// Exactly the configured parameters, no more (`process` with parameters,
  /// or a bare `param_match`: then "no parameters at all").
  Exact,
  /// The configured parameters start the command line, more may follow
  /// (`param_match partial`).
  Partial,
  /// Like Partial, but the last configured parameter may be the start of a
  /// longer one (`param_match initial`).
  Initial,
};

/// `vrrp_track_process NAME { ... }` [SRC vrrp_parser.c:vrrp_tprocess_*_handler,
/// vrrp_data.c:alloc_vrrp_process; K5 §VRRP track processes]. Up while the
/// number of matching processes is within [quorum, quorumMax].
struct TrackProcess {
  /// quorum_max when not given: no upper limit.
  static constexpr std::uint32_t kUnlimited = 0xffffffffU;

  std::string name;
  /// `process NAME [PARAM...]`: compared with /proc/PID/comm, or with argv[0]
  /// of /proc/PID/cmdline when fullCommand.
  std::string process;
  std::vector<std::string> parameters;
  ParamMatch paramMatch = ParamMatch::None;
  /// `full_command`, also implied by parameters and by param_match.
  bool fullCommand = false;
  /// -254..254; 0 (the default) means losing the quorum puts the tracking
  /// instances in FAULT.
  std::int32_t weight = 0;
  bool reverse = false;
  /// 0..65535; 0 only together with quorum_max 0 ("must not run").
  std::uint32_t quorum = 1;
  /// 0..65535 or kUnlimited; never below quorum.
  std::uint32_t quorumMax = kUnlimited;
  /// How long a quorum gained by a fork of a tracked process must last
  /// before it counts (0: at once).
  std::chrono::microseconds forkDelay{0};
  /// How long a quorum lost by a process exiting must last before it counts.
  std::chrono::microseconds terminateDelay{0};
  SourceLocation where;

  friend bool operator==(const TrackProcess&, const TrackProcess&) = default;
};

/// `vrrp_sync_group NAME { ... }`: members move between MASTER and
/// BACKUP/FAULT together [SRC vrrp_parser.c:vrrp_sync_group_handler, vrrp_sync.c].
struct SyncGroup {
  std::string name;
  /// `group { INSTANCE... }`, each an existing vrrp_instance in no other group.
  std::vector<std::string> members;
  /// The generic `notify` gets GROUP NAME STATE 0.
  NotifyScripts notify;
  std::vector<TrackedObject> trackInterfaces;
  std::vector<TrackedObject> trackScripts;
  std::vector<TrackedObject> trackFiles;
  std::vector<TrackedObject> trackProcesses;
  /// `sync_group_tracking_weight` (or the deprecated `global_tracking`):
  /// the members' tracker weights apply; without it they count as 0.
  bool trackingWeight = false;
  SourceLocation where;

  friend bool operator==(const SyncGroup&, const SyncGroup&) = default;
};

/// `garp_group { ... }`: GARP / unsolicited NA pacing shared by interfaces
/// [SRC vrrp_parser.c:garp_group_*_handler]. At least one interval is set.
struct GarpGroup {
  std::optional<std::chrono::microseconds> garpInterval;
  std::optional<std::chrono::microseconds> gnaInterval;
  /// `interface IF` or the `interfaces { IF... }` block.
  std::vector<std::string> interfaces;
  SourceLocation where;

  friend bool operator==(const GarpGroup&, const GarpGroup&) = default;
};

struct Config {
  GlobalDefs global;
  std::vector<VrrpInstance> instances;
  std::vector<VrrpScript> scripts;
  std::vector<TrackFile> trackFiles;
  std::vector<TrackProcess> trackProcesses;
  std::vector<SyncGroup> syncGroups;
  std::vector<GarpGroup> garpGroups;
  /// `static_routes` / `static_rules`: installed while the daemon runs.
  std::vector<VirtualRoute> staticRoutes;
  std::vector<VirtualRule> staticRules;

  friend bool operator==(const Config&, const Config&) = default;
};

/// The sync group `instance` belongs to (validation allows one), or null.
const SyncGroup* syncGroupOf(const Config& config, const std::string& instance);

}  // namespace vipd::config
