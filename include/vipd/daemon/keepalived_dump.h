#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "vipd/daemon/instance.h"

namespace vipd::daemon {

/// The dumps keepalived writes on its DATA, STATS and JSON signals
/// (keepalived(8) SIGNALS; reference §3.2), rendered from vipd's running
/// instances so that scrapers of /tmp/keepalived.* keep working on
/// /tmp/vipd.*. Pure functions: the caller writes the files.
///
/// What vipd has no equivalent for is left out rather than made up (a
/// keepalived field vipd would always print as 0 would be a lie), and the
/// authentication password is never written, unlike keepalived's
/// `auth_data` and `Password =`.

/// The file names, in the dump directory (default /tmp; --dump-dir).
inline constexpr const char* kDataDumpFile = "vipd.data";
inline constexpr const char* kStatsDumpFile = "vipd.stats";
inline constexpr const char* kJsonDumpFile = "vipd.json";

/// keepalived's per-instance counters [SRC vrrp/vrrp_json.c: vrrp_json_stats_dump],
/// derived from vipd's. Drop reasons map onto keepalived's error counters
/// as keepalived 2.2.7's vrrp_check_packet() counts them:
/// - packet_len_err: Truncated, CountExceedsLength, TooLong;
/// - ip_ttl_err: TtlNot255, UnicastTtlOutOfRange;
/// - invalid_type_rcvd: UnknownType;
/// - advert_interval_err: IntervalMismatch;
/// - addr_list_err: AddressCountMismatch, AddressListMismatch, and
///   DeliveryMismatch (keepalived counts multicast/unicast confusion there);
/// - invalid_authtype: UnknownAuthType; authtype_mismatch: AuthTypeMismatch;
///   auth_failure: AuthFailure.
/// The other reasons (checksum, version, VRID, ...) have no keepalived
/// counter. advert_rcvd counts the adverts that passed every check
/// (keepalived counts some that fail its later VIP checks as well).
struct KeepalivedStats {
  std::uint64_t advertRcvd = 0;
  std::uint64_t advertSent = 0;
  std::uint64_t becomeMaster = 0;
  std::uint64_t releaseMaster = 0;
  std::uint64_t packetLenErr = 0;
  std::uint64_t advertIntervalErr = 0;
  std::uint64_t ipTtlErr = 0;
  std::uint64_t invalidTypeRcvd = 0;
  std::uint64_t addrListErr = 0;
  std::uint64_t invalidAuthtype = 0;
  std::uint64_t authtypeMismatch = 0;
  std::uint64_t authFailure = 0;
  std::uint64_t priZeroRcvd = 0;
  std::uint64_t priZeroSent = 0;
};

KeepalivedStats keepalivedStats(const InstanceStats& stats);

/// Names the interface of a VIP whose `dev` is not the instance's own
/// interface (the settings keep only its ifindex).
using InterfaceNamer = std::function<std::string(int ifindex)>;

/// keepalived's state numbers: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT.
int keepalivedState(core::State state);

/// One VIP as keepalived's format_ipaddress() writes it:
/// "192.0.2.100/24 dev eth0 scope global set" (brd and label when set;
/// "set" while the address is installed).
std::string keepalivedAddress(const net::InterfaceAddress& address, const std::string& device,
                              bool installed);

/// /tmp/vipd.json: keepalived's JSON dump, an array with one
/// {"data": {…}, "stats": {…}} per instance in configuration order, with
/// keepalived 2.2.7's field names [SRC vrrp/vrrp_json.c]. `data` has iname,
/// ifp_ifname, master_priority, last_transition (epoch seconds, once there
/// was one), the garp_* settings, lower_prio_no_advert, skip_check_adv_addr,
/// vrid, base_priority, effective_priority, vipset, adver_int,
/// master_adver_int, accept, nopreempt, preempt_delay, state, wantstate,
/// version, vips, evips, track_ifp, track_process and auth_type; never
/// auth_data. wantstate equals state: a vipd transition completes within
/// the event that causes it, so there is never a pending one.
/// Keys keep keepalived's order (ordered_json) for a reader's sake.
nlohmann::ordered_json keepalivedJson(const std::vector<std::unique_ptr<Instance>>& instances,
                                      const InterfaceNamer& interfaceName);

/// /tmp/vipd.stats: keepalived's layout [SRC vrrp/vrrp_print.c:
/// vrrp_print_stats], line for line ("VRRP Instance: VI_1",
/// "  Advertisements:", "    Received: 0", ...).
std::string keepalivedStatsText(const std::vector<std::unique_ptr<Instance>>& instances);

/// /tmp/vipd.data: keepalived's "VRRP Topology" section for each instance
/// (the lines scrapers read: "State = MASTER", "Master router = …",
/// "Master priority = …", priorities, timers, VIPs; no password), then the
/// `vipctl status` table. `now` is the loop's clock.
std::string keepalivedDataText(const std::vector<std::unique_ptr<Instance>>& instances,
                               Scheduler::Clock::time_point now,
                               const InterfaceNamer& interfaceName);

/// The name the kernel gives `ifindex` now (if_indextoname), or "ifindex N".
std::string systemInterfaceName(int ifindex);

}  // namespace vipd::daemon
