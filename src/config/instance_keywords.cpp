// vrrp_instance NAME { ... } [K5 §VRRP instance(s); SRC vrrp_parser.c:init_vrrp_keywords]

#include <array>
#include <cctype>
#include <limits>

#include "draft.h"
#include "values.h"

namespace vipd::config::detail {

namespace {

using std::chrono::microseconds;
using std::chrono::seconds;
using D = InstanceDraft;

std::optional<Located<std::uint8_t>> byteArg(ParseContext& context, const Line& line,
                                             std::uint64_t min, std::uint64_t max) {
  const auto value = readUnsignedArg(context, line, min, max);
  if (!value) return std::nullopt;
  return Located<std::uint8_t>{static_cast<std::uint8_t>(*value), line.tokens[1].where};
}

std::optional<Located<microseconds>> secondsArg(ParseContext& context, const Line& line,
                                                microseconds min, microseconds max) {
  const Token* token = singleArg(context, line);
  if (token == nullptr) return std::nullopt;
  const auto value = readSeconds(*token, min, max, line.tokens[0].text, context.diagnostics);
  if (!value) return std::nullopt;
  return Located<microseconds>{*value, token->where};
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// [SRC vrrp_parser.c:vrrp_state_handler]: case-sensitive; a BACKUP after a
// MASTER is ignored.
void onState(D& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  if (token->text == "MASTER") {
    d.state = Located<InitialState>{InitialState::Master, token->where};
  } else if (token->text == "BACKUP") {
    if (d.state && d.state->value == InitialState::Master) {
      c.diagnostics.warning(token->where, "state was already set to MASTER; BACKUP ignored");
    } else {
      d.state = Located<InitialState>{InitialState::Backup, token->where};
    }
  } else {
    std::string message = "state expects MASTER or BACKUP, got '" + token->text + "'";
    if (equalsIgnoringCase(token->text, "MASTER") || equalsIgnoringCase(token->text, "BACKUP")) {
      message += " (it is case-sensitive; keepalived would silently use BACKUP)";
    }
    c.diagnostics.error(token->where, message);
  }
}

void onInterface(D& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  if (auto name = readInterfaceName(*token, "interface", c.diagnostics)) {
    d.interface = Located<std::string>{*name, token->where};
  }
}

void onVirtualRouterId(D& d, const Line& line, ParseContext& c) {
  if (auto value = byteArg(c, line, 1, 255)) d.virtualRouterId = value;
}

void onPriority(D& d, const Line& line, ParseContext& c) {
  if (auto value = byteArg(c, line, 1, 255)) d.priority = value;
}

// The range is the parser's [SRC vrrp_parser.c:vrrp_adv_handler]; the
// version-specific limits and rounding come later (complete.cpp).
void onAdvertInt(D& d, const Line& line, ParseContext& c) {
  if (auto value = secondsArg(c, line, microseconds(10'000), seconds(255))) {
    d.advertInterval = value;
  }
}

// [SRC vrrp_parser.c:vrrp_version_handler]: a second, different version is ignored.
void onVersion(D& d, const Line& line, ParseContext& c) {
  const auto value = byteArg(c, line, 2, 3);
  if (!value) return;
  if (d.version && d.version->value != value->value) {
    c.diagnostics.warning(value->where, "version was already set to " +
                                            std::to_string(d.version->value) + " at " +
                                            toString(d.version->where) + "; ignored");
    return;
  }
  d.version = value;
}

void onNopreempt(D& d, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  d.nopreempt = Located<bool>{line.tokens[0].text == "nopreempt", line.tokens[0].where};
}

void onPreemptDelay(D& d, const Line& line, ParseContext& c) {
  if (auto value = secondsArg(c, line, microseconds(0), seconds(1000))) d.preemptDelay = value;
}

void onAccept(D& d, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  d.accept = line.tokens[0].text == "accept";
}

void onAuthType(D& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  if (token->text == "PASS" || token->text == "AH") {
    d.authType =
        Located<AuthType>{token->text == "AH" ? AuthType::Ah : AuthType::Pass, token->where};
  } else {
    c.diagnostics.error(token->where, "auth_type expects PASS or AH, got '" + token->text + "'");
  }
}

// [SRC vrrp_parser.c:vrrp_auth_pass_handler]: 8 bytes of auth data.
void onAuthPass(D& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  std::string password = token->text;
  if (password.size() > 8) {
    c.diagnostics.warning(token->where,
                          "auth_pass is longer than 8 bytes; only the first 8 are used");
    password.resize(8);
  }
  d.authPass = Located<std::string>{password, token->where};
}

constexpr std::array kAuthenticationKeywords = {
    Keyword<D>{"auth_type", false, onAuthType},
    Keyword<D>{"auth_pass", false, onAuthPass},
};

void onAuthentication(D& d, const Line& line, ParseContext& c) {
  parseBlock<D>(c, line, kAuthenticationKeywords, {}, "authentication", d);
}

void onAddresses(D& d, const Line& line, ParseContext& c) {
  auto& list =
      line.tokens[0].text == "virtual_ipaddress" ? d.virtualAddresses : d.excludedAddresses;
  forEachBlockLine(c, line, [&](const Line& entry) {
    if (auto address = parseVirtualAddress(entry, c.diagnostics)) list.push_back(*address);
  });
}

void onSourceAddress(D& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  if (auto address = readAddress(*token, line.tokens[0].text, c.diagnostics)) {
    d.sourceAddress = Located<util::IpAddress>{*address, token->where};
  }
}

void onUnicastPeers(D& d, const Line& line, ParseContext& c) {
  std::size_t entries = 0;
  forEachBlockLine(c, line, [&](const Line& entry) {
    ++entries;
    if (auto peer = parseUnicastPeer(entry, c.diagnostics)) d.unicastPeers.push_back(*peer);
  });
  // keepalived only warns and runs the instance with multicast, which the
  // peers (unicast, often where multicast does not pass) never hear: two
  // masters (reference §5 item 8). Deliberately stricter.
  if (entries == 0) {
    c.diagnostics.error(line.tokens[0].where,
                        "unicast_peer block is empty: list the other routers (keepalived would "
                        "silently use multicast instead), or remove the block for multicast");
  }
}

void onUnicastTtl(D& d, const Line& line, ParseContext& c) {
  if (auto value = byteArg(c, line, 0, 255)) d.unicastTtl = value;
}

void onCheckUnicastSrc(D& d, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  d.checkUnicastSrc = true;
}

// [SRC vrrp_parser.c:vrrp_garp_*_handler]
void onGarpSeconds(D& d, const Line& line, ParseContext& c) {
  const std::string& keyword = line.tokens[0].text;
  const bool delay = keyword != "garp_master_refresh";
  const auto value = readUnsignedArg(
      c, line, 0, delay ? kMaxGarpSeconds : std::numeric_limits<std::uint32_t>::max());
  if (!value) return;
  const seconds s(*value);
  if (keyword == "garp_master_delay") d.garpMasterDelay = s;
  if (keyword == "garp_master_refresh") d.garpMasterRefresh = s;
  if (keyword == "garp_lower_prio_delay") d.garpLowerPrioDelay = s;
}

void onGarpRepeat(D& d, const Line& line, ParseContext& c) {
  const std::string& keyword = line.tokens[0].text;
  const bool lowerPrio = keyword == "garp_lower_prio_repeat";
  auto value = readUnsignedArg(c, line, 0,
                               lowerPrio ? std::numeric_limits<std::int32_t>::max()
                                         : std::numeric_limits<std::uint32_t>::max());
  if (!value) return;
  if (*value == 0 && !lowerPrio) {
    c.diagnostics.warning(line.tokens[1].where,
                          "'" + keyword + "' must be greater than 0; using 1");
    value = 1;
  }
  const auto count = static_cast<std::uint32_t>(*value);
  if (keyword == "garp_master_repeat") d.garpMasterRepeat = count;
  if (keyword == "garp_master_refresh_repeat") d.garpMasterRefreshRepeat = count;
  if (lowerPrio) d.garpLowerPrioRepeat = count;
}

void onDownTimerAdverts(D& d, const Line& line, ParseContext& c) {
  if (auto value = byteArg(c, line, 1, 100)) d.downTimerAdverts = value->value;
}

/// `keyword [BOOL]` flags that default to their global counterpart.
void onFlag(D& d, const Line& line, ParseContext& c) {
  const auto value = readOptionalBool(c, line);
  if (!value) return;
  const std::string& keyword = line.tokens[0].text;
  if (keyword == "lower_prio_no_advert") d.lowerPrioNoAdvert = value;
  if (keyword == "higher_prio_send_advert") d.higherPrioSendAdvert = value;
  if (keyword == "skip_check_adv_addr") d.skipCheckAdvAddr = value;
  if (keyword == "v3_checksum_as_v2") d.v3ChecksumAsV2 = value;
  if (keyword == "v3_checksum_follow_peers") d.v3ChecksumFollowPeers = value;
  if (keyword == "strict_mode") d.strictMode = value;
}

// [SRC vrrp_parser.c:vrrp_unicast_chksum_handler]: `old_unicast_checksum [never]`.
void onOldUnicastChecksum(D& d, const Line& line, ParseContext& c) {
  if (!checkArgs(c, line, 0, 1)) return;
  if (line.tokens.size() == 1) {
    d.oldUnicastChecksum = OldUnicastChecksum::Always;
  } else if (line.tokens[1].text == "never") {
    d.oldUnicastChecksum = OldUnicastChecksum::Never;
  } else {
    c.diagnostics.error(
        line.tokens[1].where,
        "old_unicast_checksum expects 'never' or nothing, got '" + line.tokens[1].text + "'");
  }
}

void onDontTrackPrimary(D& d, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  d.dontTrackPrimary = true;
}

// [SRC vrrp_parser.c:vrrp_vmac_handler]: `use_vmac [NAME]`. A word with
// ':' is a MAC address in later keepalived versions; vipd keeps the RFC's.
void onUseVmac(D& d, const Line& line, ParseContext& c) {
  if (!checkArgs(c, line, 0, 1)) return;
  d.useVmac = line.tokens[0].where;
  if (line.tokens.size() < 2) return;
  const Token& token = line.tokens[1];
  if (token.text.find(':') != std::string::npos) {
    c.diagnostics.error(token.where,
                        "use_vmac expects an interface name; a MAC address other "
                        "than 00:00:5e:00:01:VRID is not supported, got '" +
                            token.text + "'");
    return;
  }
  if (auto name = readInterfaceName(token, "use_vmac", c.diagnostics)) {
    d.vmacName = Located<std::string>{*name, token.where};
  }
}

void onVmacXmitBase(D& d, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  d.vmacXmitBase = line.tokens[0].where;
}

// [SRC vrrp_parser.c:vrrp_notify_*_handler]
void onNotify(D& d, const Line& line, ParseContext& c) {
  parseNotifyLine(line, d.notify, c.diagnostics);
}

// `notify_deleted` alone only switches FAULT to DELETED; with a command it
// also runs it [K5 §VRRP instance(s)].
void onNotifyDeleted(D& d, const Line& line, ParseContext& c) {
  d.notify.notifyDeleted = true;
  if (line.tokens.size() > 1) parseNotifyLine(line, d.notify, c.diagnostics);
}

void onNotifyPriorityChanges(D& d, const Line& line, ParseContext& c) {
  if (auto value = readOptionalBool(c, line)) d.notify.priorityChanges = value;
}

void onNotifyTimeout(D& d, const Line& line, ParseContext& c) {
  if (auto value = parseNotifyTimeout(c, line)) d.notify.timeout = value;
}

void onTracking(D& d, const Line& line, ParseContext& c) {
  const std::string& keyword = line.tokens[0].text;
  auto& list = keyword == "track_interface" ? d.trackInterfaces
               : keyword == "track_file"    ? d.trackFiles
               : keyword == "track_process" ? d.trackProcesses
                                            : d.trackScripts;
  parseTrackingBlock(c, line, list);
}

void onVirtualRoutes(D& d, const Line& line, ParseContext& c) {
  parseRouteBlock(c, line, d.virtualRoutes);
}

void onVirtualRules(D& d, const Line& line, ParseContext& c) {
  parseRuleBlock(c, line, d.virtualRules);
}

/// `debug LEVEL`: keepalived checks 0..4 and does nothing with it.
void onDebug(D&, const Line& line, ParseContext& c) {
  if (checkArgs(c, line, 0, 1) && line.tokens.size() > 1) {
    readUnsigned(line.tokens[1], 0, 4, "debug", c.diagnostics);
  }
}

constexpr std::array kInstanceKeywords = {
    Keyword<D>{"state", false, onState},
    Keyword<D>{"interface", false, onInterface},
    Keyword<D>{"virtual_router_id", false, onVirtualRouterId},
    Keyword<D>{"priority", false, onPriority},
    Keyword<D>{"advert_int", false, onAdvertInt},
    Keyword<D>{"version", false, onVersion},
    Keyword<D>{"nopreempt", false, onNopreempt},
    Keyword<D>{"preempt", false, onNopreempt},
    Keyword<D>{"preempt_delay", false, onPreemptDelay},
    Keyword<D>{"accept", false, onAccept},
    Keyword<D>{"no_accept", false, onAccept},
    Keyword<D>{"authentication", true, onAuthentication},
    Keyword<D>{"virtual_ipaddress", true, onAddresses},
    Keyword<D>{"virtual_ipaddress_excluded", true, onAddresses},
    Keyword<D>{"unicast_src_ip", false, onSourceAddress},
    Keyword<D>{"mcast_src_ip", false, onSourceAddress},
    Keyword<D>{"unicast_peer", true, onUnicastPeers},
    Keyword<D>{"unicast_ttl", false, onUnicastTtl},
    Keyword<D>{"check_unicast_src", false, onCheckUnicastSrc},
    Keyword<D>{"garp_master_delay", false, onGarpSeconds},
    Keyword<D>{"garp_master_repeat", false, onGarpRepeat},
    Keyword<D>{"garp_master_refresh", false, onGarpSeconds},
    Keyword<D>{"garp_master_refresh_repeat", false, onGarpRepeat},
    Keyword<D>{"garp_lower_prio_delay", false, onGarpSeconds},
    Keyword<D>{"garp_lower_prio_repeat", false, onGarpRepeat},
    Keyword<D>{"down_timer_adverts", false, onDownTimerAdverts},
    Keyword<D>{"lower_prio_no_advert", false, onFlag},
    Keyword<D>{"higher_prio_send_advert", false, onFlag},
    Keyword<D>{"skip_check_adv_addr", false, onFlag},
    Keyword<D>{"v3_checksum_as_v2", false, onFlag},
    Keyword<D>{"v3_checksum_follow_peers", false, onFlag},
    Keyword<D>{"old_unicast_checksum", false, onOldUnicastChecksum},
    Keyword<D>{"strict_mode", false, onFlag},
    Keyword<D>{"dont_track_primary", false, onDontTrackPrimary},
    Keyword<D>{"use_vmac", false, onUseVmac},
    Keyword<D>{"vmac_xmit_base", false, onVmacXmitBase},
    Keyword<D>{"notify_master", false, onNotify},
    Keyword<D>{"notify_backup", false, onNotify},
    Keyword<D>{"notify_fault", false, onNotify},
    Keyword<D>{"notify_stop", false, onNotify},
    Keyword<D>{"notify", false, onNotify},
    Keyword<D>{"notify_master_rx_lower_pri", false, onNotify},
    Keyword<D>{"notify_deleted", false, onNotifyDeleted},
    Keyword<D>{"notify_priority_changes", false, onNotifyPriorityChanges},
    Keyword<D>{"notify_timeout", false, onNotifyTimeout},
    Keyword<D>{"track_interface", true, onTracking},
    Keyword<D>{"track_script", true, onTracking},
    Keyword<D>{"track_file", true, onTracking},
    Keyword<D>{"track_process", true, onTracking},
    Keyword<D>{"virtual_routes", true, onVirtualRoutes},
    Keyword<D>{"virtual_rules", true, onVirtualRules},
    Keyword<D>{"debug", false, onDebug},
};

constexpr std::array kIgnoredInstance = {
    IgnoredKeyword{"use_vmac_addr", kNotSupportedYet},
    IgnoredKeyword{"use_ipvlan", kNotSupportedYet},
    IgnoredKeyword{"vrf", kNotSupportedYet},
    IgnoredKeyword{"track_src_ip", kNotSupportedYet},
    IgnoredKeyword{"mcast_dst_ip", kNotSupportedYet},
    IgnoredKeyword{"unicast_fault_no_peer", kNotSupportedYet},
    IgnoredKeyword{"garp_extra_if", kNotSupportedYet},
    IgnoredKeyword{"vmac_garp_intvl", kNotSupportedYet},
    IgnoredKeyword{"promote_secondaries", kNotSupportedYet},
    IgnoredKeyword{"kernel_rx_buf_size", kNotSupportedYet},
    IgnoredKeyword{"no_virtual_ipaddress", kNotSupportedYet},
    IgnoredKeyword{"timer_expired_backup", kNotSupportedYet},
    IgnoredKeyword{"native_ipv6", "deprecated and ignored: the addresses decide the family"},
    IgnoredKeyword{"linkbeat_use_polling", "deprecated and ignored"},
    IgnoredKeyword{"track_bfd"},
    IgnoredKeyword{"smtp_alert"},
    IgnoredKeyword{"lvs_sync_daemon_interface"},
};

}  // namespace

std::span<const Keyword<InstanceDraft>> instanceKeywords() { return kInstanceKeywords; }
std::span<const IgnoredKeyword> ignoredInstanceKeywords() { return kIgnoredInstance; }

void listInstanceKeywords(std::vector<SupportedKeyword>& out) {
  appendKeywords<D>(out, "vrrp_instance", kInstanceKeywords);
  appendKeywords<D>(out, "vrrp_instance authentication", kAuthenticationKeywords);
}

}  // namespace vipd::config::detail
