// global_defs { ... } [K5 §Global definitions; SRC global_parser.c]

#include <array>
#include <limits>

#include "draft.h"
#include "values.h"

namespace vipd::config::detail {

namespace {

using std::chrono::microseconds;
using std::chrono::seconds;

/// GARP repeat counts: 0 is accepted but means 1 [SRC global_parser.c:vrrp_garp_rep_handler].
std::optional<std::uint32_t> repeatArg(ParseContext& context, const Line& line) {
  auto value = readUnsignedArg(context, line, 0, std::numeric_limits<std::uint32_t>::max());
  if (value && *value == 0) {
    context.diagnostics.warning(line.tokens[1].where,
                                "'" + line.tokens[0].text + "' must be greater than 0; using 1");
    value = 1;
  }
  return value ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*value)) : std::nullopt;
}

std::optional<util::IpAddress> multicastArg(ParseContext& context, const Line& line,
                                            util::Family family) {
  const Token* token = singleArg(context, line);
  if (token == nullptr) return std::nullopt;
  const auto address = util::IpAddress::parse(token->text);
  if (!address || address->family() != family || !address->isMulticast()) {
    context.diagnostics.error(token->where, line.tokens[0].text + " expects an " +
                                                (family == util::Family::V4 ? "IPv4" : "IPv6") +
                                                " multicast address, got '" + token->text + "'");
    return std::nullopt;
  }
  return address;
}

void onRouterId(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (const Token* token = singleArg(c, line)) g.defs.routerId = token->text;
}

void onVersion(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readUnsignedArg(c, line, 2, 3))
    g.defs.vrrpVersion = static_cast<std::uint8_t>(*value);
}

void onGroup4(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto address = multicastArg(c, line, util::Family::V4)) g.defs.mcastGroup4 = *address;
}

void onGroup6(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto address = multicastArg(c, line, util::Family::V6)) g.defs.mcastGroup6 = *address;
}

void onGarpDelay(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readUnsignedArg(c, line, 0, kMaxGarpSeconds)) {
    g.defs.garpMasterDelay = seconds(*value);
    g.seen.insert(line.tokens[0].text);
  }
}

void onGarpRepeat(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = repeatArg(c, line)) {
    g.defs.garpMasterRepeat = *value;
    g.seen.insert(line.tokens[0].text);
  }
}

void onGarpRefresh(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readUnsignedArg(c, line, 0, std::numeric_limits<std::uint32_t>::max())) {
    g.defs.garpMasterRefresh = seconds(*value);
    g.seen.insert(line.tokens[0].text);
  }
}

void onGarpRefreshRepeat(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = repeatArg(c, line)) {
    g.defs.garpMasterRefreshRepeat = *value;
    g.seen.insert(line.tokens[0].text);
  }
}

void onGarpLowerPrioDelay(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readUnsignedArg(c, line, 0, kMaxGarpSeconds)) {
    g.defs.garpLowerPrioDelay = seconds(*value);
    g.seen.insert(line.tokens[0].text);
  }
}

void onGarpLowerPrioRepeat(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readUnsignedArg(c, line, 0, std::numeric_limits<std::int32_t>::max())) {
    g.defs.garpLowerPrioRepeat = static_cast<std::uint32_t>(*value);
    g.seen.insert(line.tokens[0].text);
  }
}

/// vrrp_garp_interval / vrrp_gna_interval: decimal seconds, µs resolution.
void onPacing(GlobalDraft& g, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  const auto value = readSeconds(*token, microseconds(0), seconds(kMaxGarpSeconds),
                                 line.tokens[0].text, c.diagnostics);
  if (!value) return;
  if (*value >= seconds(1)) {
    c.diagnostics.warning(token->where,
                          line.tokens[0].text + " is very large: " + token->text + " seconds");
  }
  (line.tokens[0].text == "vrrp_garp_interval" ? g.defs.garpInterval : g.defs.gnaInterval) = *value;
}

void onMinGarp(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readOptionalBool(c, line)) g.minGarp = *value;
}

void onDownTimerAdverts(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readUnsignedArg(c, line, 1, 100)) {
    g.defs.downTimerAdverts = static_cast<std::uint8_t>(*value);
  }
}

void onLowerPrioNoAdvert(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (line.tokens[0].text != "vrrp_lower_prio_no_advert") {
    c.diagnostics.warning(line.tokens[0].where,
                          "'" + line.tokens[0].text +
                              "' is not a keepalived keyword (keepalived ignores it); "
                              "use 'vrrp_lower_prio_no_advert'");
  }
  if (auto value = readOptionalBool(c, line)) g.defs.lowerPrioNoAdvert = *value;
}

void onHigherPrioSendAdvert(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readOptionalBool(c, line)) g.defs.higherPrioSendAdvert = *value;
}

void onNotifyPriorityChanges(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readOptionalBool(c, line)) g.defs.notifyPriorityChanges = *value;
}

void onNotifyTimeout(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = parseNotifyTimeout(c, line)) g.defs.notifyTimeout = *value;
}

void onSkipCheckAdvAddr(GlobalDraft& g, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  g.defs.skipCheckAdvAddr = true;
}

void onV3ChecksumAsV2(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readOptionalBool(c, line)) g.defs.v3ChecksumAsV2 = *value;
}

void onV3ChecksumFollowPeers(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readOptionalBool(c, line)) g.defs.v3ChecksumFollowPeers = *value;
}

void onCheckUnicastSrc(GlobalDraft& g, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  g.defs.checkUnicastSrc = true;
}

void onStrict(GlobalDraft& g, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  g.defs.strict = true;
  c.diagnostics.warning(line.tokens[0].where,
                        "vrrp_strict: instances without 'accept' drop traffic to their VIPs "
                        "unless priority is 255; unicast, authentication and preempt_delay are "
                        "not allowed");
}

void onProcessPriority(GlobalDraft& g, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  if (auto value =
          readInteger(*token, -20, 19, "vrrp_priority (the process nice value)", c.diagnostics)) {
    g.defs.processNice = static_cast<std::int8_t>(*value);
    c.diagnostics.note(line.tokens[0].where,
                       "vrrp_priority is the nice(2) value of the VRRP process, not a VRRP "
                       "priority; use 'priority' in vrrp_instance for that");
  }
}

void onNetlinkMonitorRcvBufs(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (auto value = readUnsignedArg(c, line, 0, std::numeric_limits<std::int32_t>::max())) {
    g.defs.netlinkMonitorRcvBufs = static_cast<std::uint32_t>(*value);
  }
}

/// keepalived: no argument means true.
void onNetlinkMonitorRcvBufsForce(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (!checkArgs(c, line, 0, 1)) return;
  if (line.tokens.size() == 1) {
    g.defs.netlinkMonitorRcvBufsForce = true;
  } else if (auto value = readBool(line.tokens[1], line.tokens[0].text, c.diagnostics)) {
    g.defs.netlinkMonitorRcvBufsForce = *value;
  }
}

// [SRC global_parser.c:vrrp_vmac_prefix_handler]: the first one counts.
void onVmacPrefix(GlobalDraft& g, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  if (g.vmacPrefix) {
    c.diagnostics.warning(
        token->where, "vmac_prefix was already given at " + toString(*g.vmacPrefix) + "; ignored");
    return;
  }
  // PREFIX.VRID must still be an interface name; complete.cpp checks the
  // names it builds.
  if (auto name = readInterfaceName(*token, "vmac_prefix", c.diagnostics)) {
    g.defs.vmacPrefix = *name;
    g.vmacPrefix = token->where;
  }
}

constexpr std::array kGlobalKeywords = {
    Keyword<GlobalDraft>{"router_id", false, onRouterId},
    Keyword<GlobalDraft>{"vrrp_version", false, onVersion},
    Keyword<GlobalDraft>{"vrrp_mcast_group4", false, onGroup4},
    Keyword<GlobalDraft>{"vrrp_mcast_group6", false, onGroup6},
    Keyword<GlobalDraft>{"vrrp_garp_master_delay", false, onGarpDelay},
    Keyword<GlobalDraft>{"vrrp_garp_master_repeat", false, onGarpRepeat},
    Keyword<GlobalDraft>{"vrrp_garp_master_refresh", false, onGarpRefresh},
    Keyword<GlobalDraft>{"vrrp_garp_master_refresh_repeat", false, onGarpRefreshRepeat},
    Keyword<GlobalDraft>{"vrrp_garp_lower_prio_delay", false, onGarpLowerPrioDelay},
    Keyword<GlobalDraft>{"vrrp_garp_lower_prio_repeat", false, onGarpLowerPrioRepeat},
    Keyword<GlobalDraft>{"vrrp_garp_interval", false, onPacing},
    Keyword<GlobalDraft>{"vrrp_gna_interval", false, onPacing},
    Keyword<GlobalDraft>{"vrrp_min_garp", false, onMinGarp},
    Keyword<GlobalDraft>{"vrrp_down_timer_adverts", false, onDownTimerAdverts},
    Keyword<GlobalDraft>{"vrrp_lower_prio_no_advert", false, onLowerPrioNoAdvert},
    // Named in keepalived.conf(5) but never a keepalived keyword.
    Keyword<GlobalDraft>{"vrrp_lower_priority_dont_send_advert", false, onLowerPrioNoAdvert},
    Keyword<GlobalDraft>{"vrrp_higher_prio_send_advert", false, onHigherPrioSendAdvert},
    Keyword<GlobalDraft>{"vrrp_skip_check_adv_addr", false, onSkipCheckAdvAddr},
    Keyword<GlobalDraft>{"v3_checksum_as_v2", false, onV3ChecksumAsV2},
    Keyword<GlobalDraft>{"v3_checksum_follow_peers", false, onV3ChecksumFollowPeers},
    Keyword<GlobalDraft>{"vrrp_check_unicast_src", false, onCheckUnicastSrc},
    Keyword<GlobalDraft>{"vrrp_strict", false, onStrict},
    Keyword<GlobalDraft>{"vrrp_priority", false, onProcessPriority},
    Keyword<GlobalDraft>{"script_user", false, onScriptUser},
    Keyword<GlobalDraft>{"enable_script_security", false, onScriptSecurity},
    Keyword<GlobalDraft>{"notify_fifo", false, onNotifyFifo},
    Keyword<GlobalDraft>{"notify_fifo_script", false, onNotifyFifoScript},
    Keyword<GlobalDraft>{"vrrp_notify_fifo", false, onNotifyFifo},
    Keyword<GlobalDraft>{"vrrp_notify_fifo_script", false, onNotifyFifoScript},
    Keyword<GlobalDraft>{"vrrp_startup_delay", false, onStartupDelay},
    Keyword<GlobalDraft>{"vrrp_notify_priority_changes", false, onNotifyPriorityChanges},
    Keyword<GlobalDraft>{"vrrp_notify_timeout", false, onNotifyTimeout},
    Keyword<GlobalDraft>{"vrrp_netlink_monitor_rcv_bufs", false, onNetlinkMonitorRcvBufs},
    Keyword<GlobalDraft>{"vmac_prefix", false, onVmacPrefix},
    Keyword<GlobalDraft>{"vrrp_netlink_monitor_rcv_bufs_force", false,
                         onNetlinkMonitorRcvBufsForce},
};

/// keepalived 2.2.7 global_defs keywords (plus a few later ones, ref §1.12)
/// that vipd does not implement. Out-of-scope ones (LVS, BFD, SMTP, SNMP,
/// D-Bus, process tuning) get the generic message.
constexpr std::array kIgnoredGlobal = {
    IgnoredKeyword{"default_interface", kNotSupportedYet},
    IgnoredKeyword{"dynamic_interfaces", kNotSupportedYet},
    IgnoredKeyword{"fifo_write_vrrp_states_on_reload", kNotSupportedYet},
    IgnoredKeyword{"vrrp_garp_extra_if", kNotSupportedYet},
    IgnoredKeyword{"vrrp_vmac_garp_intvl", kNotSupportedYet},
    IgnoredKeyword{"log_unknown_vrids", kNotSupportedYet},
    IgnoredKeyword{"vmac_addr_prefix", kNotSupportedYet},
    IgnoredKeyword{"nftables", kNotSupportedYet},
    IgnoredKeyword{"nftables_priority", kNotSupportedYet},
    IgnoredKeyword{"nftables_ifindex", kNotSupportedYet},
    IgnoredKeyword{"nftables_counters", kNotSupportedYet},
    IgnoredKeyword{"vrrp_iptables", kNotSupportedYet},
    IgnoredKeyword{"vrrp_ipsets", kNotSupportedYet},
    IgnoredKeyword{"disable_local_igmp", kNotSupportedYet},
    IgnoredKeyword{"startup_script", kNotSupportedYet},
    IgnoredKeyword{"startup_script_timeout", kNotSupportedYet},
    IgnoredKeyword{"shutdown_script", kNotSupportedYet},
    IgnoredKeyword{"shutdown_script_timeout", kNotSupportedYet},
    IgnoredKeyword{"include_check", kNotSupportedYet},
    IgnoredKeyword{"vrrp_owner_ignore_adverts", kNotSupportedYet},
    IgnoredKeyword{"vrrp_delay_after_boot", kNotSupportedYet},
    IgnoredKeyword{"notification_email"},
    IgnoredKeyword{"notification_email_from"},
    IgnoredKeyword{"smtp_server"},
    IgnoredKeyword{"smtp_helo_name"},
    IgnoredKeyword{"smtp_connect_timeout"},
    IgnoredKeyword{"smtp_alert"},
    IgnoredKeyword{"smtp_alert_vrrp"},
    IgnoredKeyword{"smtp_alert_checker"},
    IgnoredKeyword{"no_email_faults"},
    IgnoredKeyword{"no_checker_emails"},
    IgnoredKeyword{"checker_log_all_failures"},
    IgnoredKeyword{"enable_snmp_vrrp"},
    IgnoredKeyword{"enable_snmp_keepalived"},
    IgnoredKeyword{"enable_snmp_checker"},
    IgnoredKeyword{"enable_snmp_rfc"},
    IgnoredKeyword{"enable_snmp_rfcv2"},
    IgnoredKeyword{"enable_snmp_rfcv3"},
    IgnoredKeyword{"enable_traps"},
    IgnoredKeyword{"snmp_socket"},
    IgnoredKeyword{"enable_dbus"},
    IgnoredKeyword{"dbus_service_name"},
    IgnoredKeyword{"lvs_sync_daemon"},
    IgnoredKeyword{"lvs_timeouts"},
    IgnoredKeyword{"lvs_flush"},
    IgnoredKeyword{"lvs_flush_on_stop"},
    IgnoredKeyword{"lvs_notify_fifo"},
    IgnoredKeyword{"lvs_notify_fifo_script"},
    IgnoredKeyword{"lvs_netlink_cmd_rcv_bufs"},
    IgnoredKeyword{"lvs_netlink_cmd_rcv_bufs_force"},
    IgnoredKeyword{"lvs_netlink_monitor_rcv_bufs"},
    IgnoredKeyword{"lvs_netlink_monitor_rcv_bufs_force"},
    IgnoredKeyword{"rs_init_notifies"},
    IgnoredKeyword{"nftables_ipvs"},
    IgnoredKeyword{"nftables_ipvs_priority"},
    IgnoredKeyword{"nftables_ipvs_start_fwmark"},
    IgnoredKeyword{"checker_priority"},
    IgnoredKeyword{"checker_no_swap"},
    IgnoredKeyword{"checker_rt_priority"},
    IgnoredKeyword{"checker_cpu_affinity"},
    IgnoredKeyword{"checker_rlimit_rttime"},
    IgnoredKeyword{"checker_rlimit_rtime"},
    IgnoredKeyword{"checker_process_name"},
    IgnoredKeyword{"bfd_priority"},
    IgnoredKeyword{"bfd_no_swap"},
    IgnoredKeyword{"bfd_rt_priority"},
    IgnoredKeyword{"bfd_cpu_affinity"},
    IgnoredKeyword{"bfd_rlimit_rttime"},
    IgnoredKeyword{"bfd_rlimit_rtime"},
    IgnoredKeyword{"bfd_process_name"},
    IgnoredKeyword{"vrrp_no_swap"},
    IgnoredKeyword{"vrrp_rt_priority"},
    IgnoredKeyword{"vrrp_cpu_affinity"},
    IgnoredKeyword{"vrrp_rlimit_rttime"},
    IgnoredKeyword{"vrrp_rlimit_rtime"},
    IgnoredKeyword{"vrrp_process_name"},
    IgnoredKeyword{"vrrp_netlink_cmd_rcv_bufs"},
    IgnoredKeyword{"vrrp_netlink_cmd_rcv_bufs_force"},
    IgnoredKeyword{"vrrp_rx_bufs_policy"},
    IgnoredKeyword{"vrrp_rx_bufs_multiplier"},
    IgnoredKeyword{"process_monitor_rcv_bufs"},
    IgnoredKeyword{"process_monitor_rcv_bufs_force"},
    IgnoredKeyword{"max_auto_priority"},
    IgnoredKeyword{"min_auto_priority_delay"},
    IgnoredKeyword{"process_names"},
    IgnoredKeyword{"process_name"},
    IgnoredKeyword{"linkbeat_use_polling"},
    IgnoredKeyword{"reload_check_config"},
    IgnoredKeyword{"reload_time_file"},
    IgnoredKeyword{"reload_repeat"},
    IgnoredKeyword{"reload_file"},
    IgnoredKeyword{"config_save_dir"},
    IgnoredKeyword{"tmp_config_directory"},
    IgnoredKeyword{"data_use_instance"},
    IgnoredKeyword{"umask"},
    IgnoredKeyword{"random_seed"},
    IgnoredKeyword{"json_version"},
    IgnoredKeyword{"child_wait_time"},
};

}  // namespace

std::span<const Keyword<GlobalDraft>> globalDefsKeywords() { return kGlobalKeywords; }
std::span<const IgnoredKeyword> ignoredGlobalDefsKeywords() { return kIgnoredGlobal; }

}  // namespace vipd::config::detail
