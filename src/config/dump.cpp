// Canonical keepalived.conf output of a Config. Every rule here exists so that
// parse(dump(model)) == model; the lexer rules it relies on are in
// line_rules.cpp and preprocessor.cpp.

#include "vipd/config/dump.h"

#include <array>
#include <string_view>
#include <vector>

#include "route_syntax.h"
#include "values.h"

namespace vipd::config {

namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;

/// A word for a line that is only tokenized (not re-split like a script).
/// Inside double quotes the tokenizer takes every byte up to the next `"`
/// literally, and comments, brace splitting and `\` line continuation do not
/// apply; a word starting with `$`, `@`, `~` or `include` would be read as a
/// preprocessor line if it began one. A `"` cannot occur: the tokenizer never
/// produces one inside a word.
std::string word(std::string_view text) {
  const bool plain = !text.empty() && text.find_first_of(" \t\f\n\r\v#!{}\\\"") == text.npos &&
                     std::string_view("$@~").find(text.front()) == text.npos &&
                     !text.starts_with("include");
  if (plain) return std::string(text);
  return "\"" + std::string(text) + "\"";
}

/// A word of a notify line, which is re-split with splitQuotedEscaped: always
/// double-quoted; `"` and `\` (and control bytes, which would end or break the
/// line) are written as 3-digit octal escapes, which are exactly 3 digits so a
/// following digit is never absorbed. `$` is escaped where it could start a
/// keepalived parameter (`$_HASH`, `${...}`), since substitution applies
/// inside quotes too.
std::string scriptWord(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool parameter =
        byte == '$' && i + 1 < text.size() && (text[i + 1] == '_' || text[i + 1] == '{');
    if (byte == '"' || byte == '\\' || byte < 0x20 || byte == 0x7f || parameter) {
      out += '\\';
      out += static_cast<char>('0' + ((byte >> 6) & 7));
      out += static_cast<char>('0' + ((byte >> 3) & 7));
      out += static_cast<char>('0' + (byte & 7));
    } else {
      out += static_cast<char>(byte);
    }
  }
  return out + "\"";
}

/// A word of a command kept only as argv (vrrp_script, notify_fifo_script),
/// for the second split the parser applies to the command: plain if that
/// split keeps it whole, else single-quoted, where only `'` and `\` need a
/// backslash. Single quotes stay readable once scriptWord wraps the command.
std::string argvWord(std::string_view text) {
  if (!text.empty() && text.find_first_of(" \t\f\n\r\v'\"\\") == text.npos) {
    return std::string(text);
  }
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

/// The command whose split gives back `argv`, as a script line word.
std::string commandWord(const std::vector<std::string>& argv) {
  std::string command;
  for (const std::string& arg : argv) {
    if (!command.empty()) command += ' ';
    command += argvWord(arg);
  }
  return scriptWord(command);
}

/// `USER [GROUP]` on a tokenized-only line.
std::string runAsWords(const RunAs& who) {
  return word(who.user) + (who.group ? " " + word(*who.group) : "");
}

std::string boolWord(bool value) { return value ? "true" : "false"; }

std::string seconds(microseconds value) { return detail::formatSeconds(value); }

template <typename Rep, typename Period>
std::string seconds(std::chrono::duration<Rep, Period> value) {
  return seconds(duration_cast<microseconds>(value));
}

std::string scopeWord(AddressScope scope) {
  switch (scope) {
    case AddressScope::Global:
      return "global";
    case AddressScope::Site:
      return "site";
    case AddressScope::Link:
      return "link";
    case AddressScope::Host:
      return "host";
    case AddressScope::Nowhere:
      return "nowhere";
  }
  return std::to_string(static_cast<unsigned>(scope));  // any other rt_scopes number
}

/// Builds the text: one statement per line, blocks indented by 4 spaces.
class Writer {
 public:
  void line(const std::string& text) {
    out_.append(4 * depth_, ' ');
    out_ += text;
    out_ += '\n';
  }
  void open(const std::string& text) {
    line(text + " {");
    ++depth_;
  }
  void close() {
    --depth_;
    line("}");
  }
  void blank() { out_ += '\n'; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  std::size_t depth_ = 0;
};

void dumpNotify(Writer& w, const std::string& keyword, const std::optional<NotifyScript>& script) {
  if (!script) return;
  std::string text = keyword + " " + scriptWord(script->command);
  if (script->user) text += " " + scriptWord(*script->user);
  if (script->group) text += " " + scriptWord(*script->group);
  w.line(text);
}

void dumpNotifyScripts(Writer& w, const NotifyScripts& n) {
  dumpNotify(w, "notify_master", n.master);
  dumpNotify(w, "notify_backup", n.backup);
  dumpNotify(w, "notify_fault", n.fault);
  dumpNotify(w, "notify_stop", n.stop);
  dumpNotify(w, "notify", n.generic);
  dumpNotify(w, "notify_master_rx_lower_pri", n.masterRxLowerPri);
  if (n.deleted) {
    dumpNotify(w, "notify_deleted", n.deleted);
  } else if (n.notifyDeleted) {
    w.line("notify_deleted");
  }
  if (n.priorityChanges) w.line("notify_priority_changes " + boolWord(*n.priorityChanges));
  if (n.timeout) w.line("notify_timeout " + std::to_string(n.timeout->count()));
}

/// `KEYWORD PATH [USER [GROUP]]` and its reader `KEYWORD_script CMD [USER [GROUP]]`.
void dumpFifo(Writer& w, const std::string& keyword, const std::optional<NotifyFifo>& fifo) {
  if (!fifo) return;
  w.line(keyword + " " + word(fifo->path) + (fifo->owner ? " " + runAsWords(*fifo->owner) : ""));
  if (fifo->readerArgv.empty()) return;
  std::string text = keyword + "_script " + commandWord(fifo->readerArgv);
  if (fifo->readerUser) {
    text += " " + scriptWord(fifo->readerUser->user);
    if (fifo->readerUser->group) text += " " + scriptWord(*fifo->readerUser->group);
  }
  w.line(text);
}

void dumpGlobalScripts(Writer& w, const GlobalDefs& g) {
  if (g.scriptUser) w.line("script_user " + runAsWords(*g.scriptUser));
  if (g.scriptSecurity) w.line("enable_script_security");  // takes no argument
  dumpFifo(w, "notify_fifo", g.notifyFifo);
  dumpFifo(w, "vrrp_notify_fifo", g.vrrpNotifyFifo);
  // Any vrrp_startup_delay warns that vipd does not delay yet, so the default
  // is left out rather than adding that warning.
  if (g.startupDelay != microseconds(0)) w.line("vrrp_startup_delay " + seconds(g.startupDelay));
}

void dumpGlobal(Writer& w, const GlobalDefs& g) {
  w.open("global_defs");
  if (g.routerId) w.line("router_id " + word(*g.routerId));  // unset: the host name
  w.line("vrrp_version " + std::to_string(g.vrrpVersion));
  w.line("vrrp_mcast_group4 " + g.mcastGroup4.toString());
  w.line("vrrp_mcast_group6 " + g.mcastGroup6.toString());
  w.line("vrrp_garp_master_delay " + std::to_string(g.garpMasterDelay.count()));
  w.line("vrrp_garp_master_repeat " + std::to_string(g.garpMasterRepeat));
  w.line("vrrp_garp_master_refresh " + std::to_string(g.garpMasterRefresh.count()));
  // A written repeat of 0 reads as 1; only vrrp_min_garp yields 0 (the other
  // values it would change are all written explicitly).
  if (g.garpMasterRefreshRepeat == 0) {
    w.line("vrrp_min_garp");
  } else {
    w.line("vrrp_garp_master_refresh_repeat " + std::to_string(g.garpMasterRefreshRepeat));
  }
  w.line("vrrp_garp_lower_prio_delay " + std::to_string(g.garpLowerPrioDelay.count()));
  w.line("vrrp_garp_lower_prio_repeat " + std::to_string(g.garpLowerPrioRepeat));
  w.line("vrrp_garp_interval " + seconds(g.garpInterval));
  w.line("vrrp_gna_interval " + seconds(g.gnaInterval));
  w.line("vrrp_down_timer_adverts " + std::to_string(g.downTimerAdverts));
  w.line("vrrp_lower_prio_no_advert " + boolWord(g.lowerPrioNoAdvert));
  w.line("vrrp_higher_prio_send_advert " + boolWord(g.higherPrioSendAdvert));
  w.line("vrrp_notify_priority_changes " + boolWord(g.notifyPriorityChanges));
  // vipd's own keyword: written only when set, so that the dump of a
  // keepalived configuration stays one keepalived reads.
  if (g.notifyTimeout != kDefaultNotifyTimeout) {
    w.line("vrrp_notify_timeout " + std::to_string(g.notifyTimeout.count()));
  }
  // These three take no argument in keepalived: present means on.
  if (g.skipCheckAdvAddr) w.line("vrrp_skip_check_adv_addr");
  if (g.checkUnicastSrc) w.line("vrrp_check_unicast_src");
  w.line("v3_checksum_as_v2 " + boolWord(g.v3ChecksumAsV2));
  w.line("v3_checksum_follow_peers " + boolWord(g.v3ChecksumFollowPeers));
  if (g.strict) w.line("vrrp_strict");
  w.line("vrrp_priority " + std::to_string(g.processNice));
  w.line("vmac_prefix " + word(g.vmacPrefix));
  // Only with a size: without one vipd's own default (forced) applies.
  if (g.netlinkMonitorRcvBufs) {
    w.line("vrrp_netlink_monitor_rcv_bufs " + std::to_string(*g.netlinkMonitorRcvBufs));
    w.line("vrrp_netlink_monitor_rcv_bufs_force " + boolWord(g.netlinkMonitorRcvBufsForce));
  }
  dumpGlobalScripts(w, g);
  w.close();
}

void dumpInterfaceDelays(Writer& w, const std::vector<InterfaceDelays>& list) {
  if (list.empty()) return;
  w.blank();
  w.open("interface_up_down_delays");
  for (const InterfaceDelays& d : list) {
    w.line(word(d.interface) + " " + seconds(d.down) + " " + seconds(d.up));
  }
  w.close();
}

/// A block of names, one a line (`group`, `interfaces`).
void dumpNames(Writer& w, const std::string& keyword, const std::vector<std::string>& names) {
  w.open(keyword);
  for (const std::string& name : names) w.line(word(name));
  w.close();
}

void dumpGarpGroup(Writer& w, const GarpGroup& g) {
  w.blank();
  w.open("garp_group");
  if (g.garpInterval) w.line("garp_interval " + seconds(*g.garpInterval));
  if (g.gnaInterval) w.line("gna_interval " + seconds(*g.gnaInterval));
  dumpNames(w, "interfaces", g.interfaces);
  w.close();
}

std::string weightWords(std::int32_t weight, bool reverse) {
  return std::to_string(weight) + (reverse ? " reverse" : "");
}

std::string statusWords(const std::vector<StatusRange>& codes) {
  std::string text;
  for (const StatusRange& r : codes) {
    text += " " + std::to_string(r.min);
    if (r.max != r.min) text += "-" + std::to_string(r.max);
  }
  return text;
}

void dumpUrl(Writer& w, const HttpUrl& url) {
  w.open("url");
  w.line("path " + word(url.path));
  w.line("status_code" + statusWords(url.statusCodes));
  if (url.digest) w.line("digest " + *url.digest);
  if (url.virtualHost) w.line("virtualhost " + word(*url.virtualHost));
  w.close();
}

void dumpProbe(Writer& w, const NativeProbe& p) {
  w.open(p.kind == ProbeKind::Http ? "HTTP_GET" : "TCP_CHECK");
  w.line("connect_ip " + p.connectIp.toString());
  w.line("connect_port " + std::to_string(p.connectPort));
  if (p.bindTo) w.line("bindto " + p.bindTo->toString());
  w.line("connect_timeout " + seconds(p.connectTimeout));
  w.line("retry " + std::to_string(p.retry));
  w.line("delay_before_retry " + seconds(p.delayBeforeRetry));
  if (p.virtualHost) w.line("virtualhost " + word(*p.virtualHost));
  for (const HttpUrl& url : p.urls) dumpUrl(w, url);
  w.close();
}

void dumpScript(Writer& w, const VrrpScript& s) {
  w.blank();
  if (s.native) {
    w.open("vipd_check " + word(s.name));
    dumpProbe(w, *s.native);
  } else {
    w.open("vrrp_script " + word(s.name));
    w.line("script " + commandWord(s.argv));
  }
  w.line("interval " + std::to_string(s.interval.count()));
  w.line("timeout " + std::to_string(s.timeout.count()));
  w.line("weight " + weightWords(s.weight, s.reverse));
  w.line("rise " + std::to_string(s.rise));
  w.line("fall " + std::to_string(s.fall));
  if (s.user) w.line("user " + runAsWords(*s.user));
  if (s.initFail) w.line("init_fail");  // takes no argument
  w.close();
}

void dumpTrackFile(Writer& w, const TrackFile& f) {
  w.blank();
  w.open("track_file " + word(f.name));
  w.line("file " + word(f.path));
  w.line("weight " + weightWords(f.weight, f.reverse));
  if (f.init) {
    w.line("init_file " + std::to_string(f.init->value) + (f.init->overwrite ? " overwrite" : ""));
  }
  w.close();
}

/// `quorum` before `quorum_max` is the order the parser checks them in; a
/// quorum_max of 0 sets quorum 0 itself (written, quorum 0 is refused).
void dumpTrackProcess(Writer& w, const TrackProcess& p) {
  w.blank();
  w.open("vrrp_track_process " + word(p.name));
  std::string process = "process " + word(p.process);
  for (const std::string& parameter : p.parameters) process += " " + word(parameter);
  w.line(process);
  switch (p.paramMatch) {
    case ParamMatch::None:
      break;
    case ParamMatch::Exact:
      w.line("param_match");  // no argument: exact
      break;
    case ParamMatch::Partial:
      w.line("param_match partial");
      break;
    case ParamMatch::Initial:
      w.line("param_match initial");
      break;
  }
  if (p.fullCommand) w.line("full_command");  // takes no argument
  w.line("weight " + weightWords(p.weight, p.reverse));
  if (p.quorum != 0) w.line("quorum " + std::to_string(p.quorum));
  if (p.quorumMax != TrackProcess::kUnlimited) {
    w.line("quorum_max " + std::to_string(p.quorumMax));
  }
  // 0 (unset) has no keyword: the parser refuses delays below 1 µs.
  if (p.forkDelay.count() != 0) w.line("fork_delay " + seconds(p.forkDelay));
  if (p.terminateDelay.count() != 0) w.line("terminate_delay " + seconds(p.terminateDelay));
  w.close();
}

std::string addressLine(const VirtualAddress& a) {
  std::string text = a.address.toString();
  // With peer the length is always the full one, and giving it is a warning.
  if (!a.peer) text += "/" + std::to_string(a.prefixLength);
  if (a.broadcast) text += " brd " + a.broadcast->toString();
  if (a.peer) text += " peer " + a.peer->toString();
  if (a.device) text += " dev " + word(*a.device);
  if (a.scope) text += " scope " + scopeWord(*a.scope);
  if (a.label) text += " label " + word(*a.label);
  const std::array<std::pair<bool, std::string_view>, 6> flags = {{
      {a.home, "home"},
      {a.noDad, "-nodad"},
      {a.manageTempAddr, "mngtmpaddr"},
      {a.noPrefixRoute, "noprefixroute"},
      {a.autoJoin, "autojoin"},
      {a.noTrack, "no_track"},
  }};
  for (const auto& [on, name] : flags) {
    if (on) text += " " + std::string(name);
  }
  if (a.preferredLifetime) {
    text += " preferred_lft " + (*a.preferredLifetime == VirtualAddress::kForever
                                     ? std::string("forever")
                                     : std::to_string(*a.preferredLifetime));
  }
  return text;
}

void dumpAddresses(Writer& w, const std::string& keyword,
                   const std::vector<VirtualAddress>& addresses) {
  if (addresses.empty()) return;
  w.open(keyword);
  for (const VirtualAddress& address : addresses) w.line(addressLine(address));
  w.close();
}

void dumpRoutes(Writer& w, const std::string& keyword, const std::vector<VirtualRoute>& routes) {
  if (routes.empty()) return;
  w.open(keyword);
  for (const VirtualRoute& route : routes) w.line(detail::routeText(route));
  w.close();
}

void dumpRules(Writer& w, const std::string& keyword, const std::vector<VirtualRule>& rules) {
  if (rules.empty()) return;
  w.open(keyword);
  for (const VirtualRule& rule : rules) w.line(detail::ruleText(rule));
  w.close();
}

void dumpTracked(Writer& w, const std::string& keyword, const std::vector<TrackedObject>& list) {
  if (list.empty()) return;
  w.open(keyword);
  for (const TrackedObject& tracked : list) {
    std::string text = word(tracked.name);
    if (tracked.weight) {
      text += " weight " + std::to_string(*tracked.weight);
      if (tracked.reverse) text += " reverse";
    }
    w.line(text);
  }
  w.close();
}

/// v2 adverts are whole seconds; v3 in centiseconds, written as 0.05 etc.
std::string advertInterval(const VrrpInstance& i) {
  if (i.version == 2) return std::to_string(i.advertInterval.count() / 100);
  return seconds(i.advertInterval);
}

void dumpElection(Writer& w, const VrrpInstance& i) {
  w.line(std::string("state ") + (i.initialState == InitialState::Master ? "MASTER" : "BACKUP"));
  if (i.interface) w.line("interface " + word(*i.interface));
  w.line("virtual_router_id " + std::to_string(i.virtualRouterId));
  w.line("priority " + std::to_string(i.priority));
  w.line("advert_int " + advertInterval(i));
  w.line("version " + std::to_string(i.version));
  w.line("strict_mode " + boolWord(i.strictMode));
  w.line(i.preempt ? "preempt" : "nopreempt");
  w.line("preempt_delay " + seconds(i.preemptDelay));
  w.line(i.accept ? "accept" : "no_accept");
  if (i.authentication) {
    w.open("authentication");
    w.line(std::string("auth_type ") + (i.authentication->type == AuthType::Ah ? "AH" : "PASS"));
    w.line("auth_pass " + word(i.authentication->password));
    w.close();
  }
}

void dumpTransport(Writer& w, const VrrpInstance& i) {
  if (i.sourceAddress) {
    w.line((i.isUnicast() ? "unicast_src_ip " : "mcast_src_ip ") + i.sourceAddress->toString());
  }
  if (i.isUnicast()) {
    w.open("unicast_peer");
    for (const UnicastPeer& peer : i.unicastPeers) {
      w.line(peer.address.toString() + " min_ttl " + std::to_string(peer.minTtl) + " max_ttl " +
             std::to_string(peer.maxTtl));
    }
    w.close();
    // Unset for IPv6 means the kernel's hop limit, which has no keyword.
    if (i.unicastTtl) w.line("unicast_ttl " + std::to_string(*i.unicastTtl));
  }
  if (i.checkUnicastSrc) w.line("check_unicast_src");  // takes no argument
  dumpAddresses(w, "virtual_ipaddress", i.virtualAddresses);
  dumpAddresses(w, "virtual_ipaddress_excluded", i.excludedAddresses);
  dumpRoutes(w, "virtual_routes", i.virtualRoutes);
  dumpRules(w, "virtual_rules", i.virtualRules);
}

void dumpAnnouncements(Writer& w, const VrrpInstance& i) {
  w.line("garp_master_delay " + std::to_string(i.garpMasterDelay.count()));
  w.line("garp_master_repeat " + std::to_string(i.garpMasterRepeat));
  w.line("garp_master_refresh " + std::to_string(i.garpMasterRefresh.count()));
  // 0 is only inherited from vrrp_min_garp (written 0 here it would read as 1).
  if (i.garpMasterRefreshRepeat != 0) {
    w.line("garp_master_refresh_repeat " + std::to_string(i.garpMasterRefreshRepeat));
  }
  w.line("garp_lower_prio_delay " + std::to_string(i.garpLowerPrioDelay.count()));
  w.line("garp_lower_prio_repeat " + std::to_string(i.garpLowerPrioRepeat));
  w.line("down_timer_adverts " + std::to_string(i.downTimerAdverts));
  w.line("lower_prio_no_advert " + boolWord(i.lowerPrioNoAdvert));
  w.line("higher_prio_send_advert " + boolWord(i.higherPrioSendAdvert));
  w.line("skip_check_adv_addr " + boolWord(i.skipCheckAdvAddr));
  w.line("v3_checksum_as_v2 " + boolWord(i.v3ChecksumAsV2));
  w.line("v3_checksum_follow_peers " + boolWord(i.v3ChecksumFollowPeers));
  if (i.oldUnicastChecksum == OldUnicastChecksum::Always) w.line("old_unicast_checksum");
  if (i.oldUnicastChecksum == OldUnicastChecksum::Never) w.line("old_unicast_checksum never");
}

void dumpInstance(Writer& w, const VrrpInstance& i) {
  w.blank();
  w.open("vrrp_instance " + word(i.name));
  dumpElection(w, i);
  dumpTransport(w, i);
  dumpAnnouncements(w, i);
  if (i.dontTrackPrimary) w.line("dont_track_primary");
  // The effective name, so a changed vmac_prefix cannot rename it.
  if (i.vmacInterface) w.line("use_vmac " + word(*i.vmacInterface));
  if (i.vmacXmitBase) w.line("vmac_xmit_base");  // takes no argument
  dumpTracked(w, "track_interface", i.trackInterfaces);
  dumpTracked(w, "track_script", i.trackScripts);
  dumpTracked(w, "track_file", i.trackFiles);
  dumpTracked(w, "track_process", i.trackProcesses);
  dumpNotifyScripts(w, i.notify);
  w.close();
}

void dumpSyncGroup(Writer& w, const SyncGroup& g) {
  w.blank();
  w.open("vrrp_sync_group " + word(g.name));
  dumpNames(w, "group", g.members);
  dumpTracked(w, "track_interface", g.trackInterfaces);
  dumpTracked(w, "track_script", g.trackScripts);
  dumpTracked(w, "track_file", g.trackFiles);
  dumpTracked(w, "track_process", g.trackProcesses);
  if (g.trackingWeight) w.line("sync_group_tracking_weight");  // takes no argument
  dumpNotifyScripts(w, g.notify);
  w.close();
}

}  // namespace

std::string dumpConfig(const Config& config) {
  Writer w;
  dumpGlobal(w, config.global);
  dumpInterfaceDelays(w, config.global.interfaceDelays);
  if (!config.global.staticAddresses.empty()) w.blank();
  dumpAddresses(w, "static_ipaddress", config.global.staticAddresses);
  for (const GarpGroup& group : config.garpGroups) dumpGarpGroup(w, group);
  if (!config.staticRoutes.empty() || !config.staticRules.empty()) w.blank();
  dumpRoutes(w, "static_routes", config.staticRoutes);
  dumpRules(w, "static_rules", config.staticRules);
  // Definitions before the blocks that refer to them, for the reader: the
  // parser resolves references only once everything is read.
  for (const VrrpScript& script : config.scripts) dumpScript(w, script);
  for (const TrackFile& file : config.trackFiles) dumpTrackFile(w, file);
  for (const TrackProcess& process : config.trackProcesses) dumpTrackProcess(w, process);
  for (const VrrpInstance& instance : config.instances) dumpInstance(w, instance);
  for (const SyncGroup& group : config.syncGroups) dumpSyncGroup(w, group);
  return w.take();
}

}  // namespace vipd::config
