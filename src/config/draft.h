#pragma once

// Internal to the config area: what the keyword handlers record, before
// defaults and cross-field rules turn it into the model (complete.cpp).

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "parse_context.h"
#include "vipd/config/model.h"

namespace vipd::config::detail {

/// A value plus where it was written, for later diagnostics.
template <typename T>
struct Located {
  T value;
  SourceLocation where;
};

struct GlobalDraft {
  GlobalDefs defs;
  /// Keywords given, for defaults that depend on others (vrrp_min_garp, the
  /// lower_prio values that default to the master values).
  std::set<std::string, std::less<>> seen;
  bool minGarp = false;
  std::optional<SourceLocation> vmacPrefix;
  /// `notify_fifo_script` / `vrrp_notify_fifo_script`, joined to their FIFO
  /// when global_defs is complete.
  std::optional<NotifyScript> fifoReader;
  std::optional<NotifyScript> vrrpFifoReader;
};

struct InstanceDraft {
  std::string name;
  SourceLocation where;
  std::optional<Located<InitialState>> state;
  std::optional<Located<std::string>> interface;
  std::optional<Located<std::uint8_t>> virtualRouterId;
  std::optional<Located<std::uint8_t>> priority;
  std::optional<Located<std::chrono::microseconds>> advertInterval;
  std::optional<Located<std::uint8_t>> version;
  /// The last of `nopreempt` (true) / `preempt` (false).
  std::optional<Located<bool>> nopreempt;
  std::optional<Located<std::chrono::microseconds>> preemptDelay;
  std::optional<bool> accept;
  std::optional<Located<AuthType>> authType;
  std::optional<Located<std::string>> authPass;
  std::vector<VirtualAddress> virtualAddresses;
  std::vector<VirtualAddress> excludedAddresses;
  std::optional<Located<util::IpAddress>> sourceAddress;
  std::vector<UnicastPeer> unicastPeers;
  std::optional<Located<std::uint8_t>> unicastTtl;
  bool checkUnicastSrc = false;
  std::optional<std::chrono::seconds> garpMasterDelay;
  std::optional<std::uint32_t> garpMasterRepeat;
  std::optional<std::chrono::seconds> garpMasterRefresh;
  std::optional<std::uint32_t> garpMasterRefreshRepeat;
  std::optional<std::chrono::seconds> garpLowerPrioDelay;
  std::optional<std::uint32_t> garpLowerPrioRepeat;
  std::optional<std::uint8_t> downTimerAdverts;
  std::optional<bool> lowerPrioNoAdvert;
  std::optional<bool> higherPrioSendAdvert;
  std::optional<bool> skipCheckAdvAddr;
  std::optional<bool> v3ChecksumAsV2;
  std::optional<bool> v3ChecksumFollowPeers;
  OldUnicastChecksum oldUnicastChecksum = OldUnicastChecksum::Auto;
  std::optional<bool> strictMode;
  bool dontTrackPrimary = false;
  /// `use_vmac` seen (where), and its NAME if given.
  std::optional<SourceLocation> useVmac;
  std::optional<Located<std::string>> vmacName;
  std::optional<SourceLocation> vmacXmitBase;
  NotifyScripts notify;
  std::vector<TrackedObject> trackInterfaces;
  std::vector<TrackedObject> trackScripts;
  std::vector<TrackedObject> trackFiles;
  std::vector<TrackedObject> trackProcesses;
  std::vector<VirtualRoute> virtualRoutes;
  std::vector<VirtualRule> virtualRules;
};

/// The first element of `list` called `name`, or nullptr.
template <typename T>
const T* findByName(const std::vector<T>& list, std::string_view name) {
  for (const T& item : list) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

struct SyncGroupDraft {
  SyncGroup group;
  /// Where each of group.members is written.
  std::vector<SourceLocation> memberWhere;
  std::optional<SourceLocation> groupBlock;
};

/// Everything the parser found in the configuration. Scripts, track files
/// and GARP groups are complete when parsed; sync groups still need their
/// members checked against the instances.
struct Document {
  GlobalDraft global;
  std::vector<InstanceDraft> instances;
  std::vector<VrrpScript> scripts;
  std::vector<TrackFile> trackFiles;
  std::vector<TrackProcess> trackProcesses;
  std::vector<SyncGroupDraft> syncGroups;
  std::vector<GarpGroup> garpGroups;
  std::vector<VirtualRoute> staticRoutes;
  std::vector<VirtualRule> staticRules;
};

/// What a track_interface / track_script / track_file / track_process entry
/// refers to.
enum class TrackKind : std::uint8_t { Interface, Script, File, Process };

std::span<const Keyword<GlobalDraft>> globalDefsKeywords();
std::span<const IgnoredKeyword> ignoredGlobalDefsKeywords();
std::span<const Keyword<InstanceDraft>> instanceKeywords();
std::span<const IgnoredKeyword> ignoredInstanceKeywords();
std::span<const IgnoredKeyword> ignoredRootKeywords();

/// The keyword tables of each file, appended with appendKeywords() for
/// supportedKeywords() [keywords.cpp]: the top level (parser.cpp),
/// vrrp_instance and its authentication block, vrrp_script / vipd_check /
/// track_file, the TCP_CHECK / HTTP_GET / url blocks of a vipd_check,
/// vrrp_track_process, vrrp_sync_group and garp_group.
void listRootKeywords(std::vector<SupportedKeyword>& out);
void listInstanceKeywords(std::vector<SupportedKeyword>& out);
void listScriptBlockKeywords(std::vector<SupportedKeyword>& out);
void listCheckBlockKeywords(std::vector<SupportedKeyword>& out);
void listTrackProcessKeywords(std::vector<SupportedKeyword>& out);
void listSyncGroupKeywords(std::vector<SupportedKeyword>& out);
void listGarpGroupKeywords(std::vector<SupportedKeyword>& out);

/// The block an address line is in: the options differ slightly.
enum class AddressBlock : std::uint8_t { Virtual, Static };

/// A line of virtual_ipaddress(_excluded) or static_ipaddress
/// [SRC vrrp_ipaddress.c:alloc_ipaddress].
std::optional<VirtualAddress> parseVirtualAddress(const Line& line, Diagnostics& diagnostics,
                                                  AddressBlock block = AddressBlock::Virtual);
/// A line of unicast_peer: `IP [min_ttl N] [max_ttl N]`.
std::optional<UnicastPeer> parseUnicastPeer(const Line& line, Diagnostics& diagnostics);
/// A line of track_interface/track_script/track_file:
/// `NAME [weight N [reverse|noreverse|no_reverse]]`.
std::optional<TrackedObject> parseTracked(const Line& line, std::int32_t minWeight,
                                          std::int32_t maxWeight, std::string_view block,
                                          Diagnostics& diagnostics);
/// `notify* CMD [USER [GROUP]]`, re-split with the script quoting rules.
std::optional<NotifyScript> parseNotifyScript(const Line& line, Diagnostics& diagnostics);
/// `notify_master|backup|fault|stop|notify CMD …` of an instance or sync
/// group into its slot of `scripts`.
void parseNotifyLine(const Line& line, NotifyScripts& scripts, Diagnostics& diagnostics);
/// `notify_timeout SECONDS` / `vrrp_notify_timeout SECONDS`: whole seconds,
/// 1..kMaxNotifyTimeout.
std::optional<std::chrono::seconds> parseNotifyTimeout(ParseContext& context, const Line& line);
/// `script CMD`: like a notify command without USER and GROUP.
std::optional<NotifyScript> parseCommand(const Line& line, Diagnostics& diagnostics);

/// A track_interface / track_script / track_file / track_process block of an
/// instance or a sync group, whose `{` is consumed.
void parseTrackingBlock(ParseContext& context, const Line& opener,
                        std::vector<TrackedObject>& list);
/// The entries that name an existing vrrp_script / track_file /
/// vrrp_track_process; the others are
/// reported (`subject`, e.g. "vrrp_instance VI_1", starts the message) and dropped.
std::vector<TrackedObject> resolveTracked(const std::vector<TrackedObject>& entries, TrackKind kind,
                                          const Document& document, const std::string& subject,
                                          Diagnostics& diagnostics);

/// An instance's track_process entries: resolveTracked(), then an address
/// owner (`owner`) drops the weighted ones with a warning.
std::vector<TrackedObject> resolveOwnTrackedProcesses(const std::vector<TrackedObject>& entries,
                                                      bool owner, const Document& document,
                                                      const std::string& subject,
                                                      Diagnostics& diagnostics);

/// Whether vipd parses and checks `keyword` but does not act on it yet
/// (garp_group, vrrp_startup_delay) [runtime_gaps.cpp].
bool isRuntimeGap(std::string_view keyword);
/// Warns (Unsupported) that `keyword` is parsed and checked but that vipd
/// does not act on it yet, and what follows: `consequence`, e.g. "the instance
/// ignores it" [runtime_gaps.cpp].
void reportNotRunYet(Diagnostics& diagnostics, const Token& keyword,
                     std::string_view consequence = "ignored");

/// `weight N [reverse]` of a vrrp_script, track_file or vrrp_track_process
/// definition, -limit..limit [script_blocks.cpp].
bool readWeight(ParseContext& c, const Line& line, std::string_view what, std::int64_t limit,
                std::int32_t& weight, bool& reverse);

/// Reports a second definition of `name` (the block is skipped); keepalived
/// would use the first.
template <typename T>
bool alreadyDefined(ParseContext& c, const std::vector<T>& list, const Token& keyword,
                    const Token& name, const Line& line) {
  const T* other = findByName(list, name.text);
  if (other == nullptr) return false;
  c.diagnostics.error(name.where, keyword.text + " " + name.text + " is already defined at " +
                                      toString(other->where));
  skipToBlockEnd(c, line);
  return true;
}

/// Root blocks: `vrrp_script`, `vipd_check`, `track_file` / `vrrp_track_file`
/// [script_blocks.cpp], `vrrp_track_process` [track_process_block.cpp],
/// `vrrp_sync_group` [sync_group.cpp], `garp_group` and
/// `interface_up_down_delays` [interface_blocks.cpp]. Called with the keyword line.
void parseVrrpScript(ParseContext& context, const Line& line, Document& document);
void parseVipdCheck(ParseContext& context, const Line& line, Document& document);
void parseTrackFile(ParseContext& context, const Line& line, Document& document);
void parseTrackProcess(ParseContext& context, const Line& line, Document& document);
void parseSyncGroup(ParseContext& context, const Line& line, Document& document);
void parseGarpGroup(ParseContext& context, const Line& line, Document& document);
void parseInterfaceDelays(ParseContext& context, const Line& line, Document& document);
/// `static_routes { ... }` / `static_rules { ... }` [route_blocks.cpp].
void parseStaticRoutes(ParseContext& context, const Line& line, Document& document);
void parseStaticRules(ParseContext& context, const Line& line, Document& document);
/// The lines of a routes / rules block whose `{` is consumed [route_blocks.cpp].
void parseRouteBlock(ParseContext& context, const Line& opener, std::vector<VirtualRoute>& out);
void parseRuleBlock(ParseContext& context, const Line& opener, std::vector<VirtualRule>& out);

/// The `TCP_CHECK { ... }` or `HTTP_GET { ... }` block of a vipd_check, whose
/// `{` is consumed [check_blocks.cpp]; nullopt after reporting an error.
std::optional<NativeProbe> parseProbeBlock(ParseContext& context, const Line& opener,
                                           ProbeKind kind);

/// global_defs keywords for scripts and notify FIFOs [global_scripts.cpp].
void onScriptUser(GlobalDraft& g, const Line& line, ParseContext& c);
void onScriptSecurity(GlobalDraft& g, const Line& line, ParseContext& c);
void onNotifyFifo(GlobalDraft& g, const Line& line, ParseContext& c);
void onNotifyFifoScript(GlobalDraft& g, const Line& line, ParseContext& c);
void onStartupDelay(GlobalDraft& g, const Line& line, ParseContext& c);
/// Joins the FIFO readers to their FIFOs.
void completeFifos(const GlobalDraft& draft, GlobalDefs& global, Diagnostics& diagnostics);

/// Sync groups whose members exist and are in no other group [sync_group.cpp].
std::vector<SyncGroup> completeSyncGroups(const Document& document, Diagnostics& diagnostics);

/// Notes on defaults that surprise keepalived users [explain.cpp]; only
/// called when diagnostics.explaining().
void explainInstance(const InstanceDraft& draft, const VrrpInstance& instance,
                     const GlobalDraft& global, Diagnostics& diagnostics);
void explainSyncGroup(const SyncGroup& group, Diagnostics& diagnostics);

/// Applies keepalived's defaults and derivations and the cross-field checks.
/// Returns the model unless an error was reported (now or before).
std::optional<Config> complete(const Document& document, Diagnostics& diagnostics);

}  // namespace vipd::config::detail
