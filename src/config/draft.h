#pragma once

// Internal to the config area: what the keyword handlers record, before
// defaults and cross-field rules turn it into the model (complete.cpp).

#include <chrono>
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
  std::optional<bool> strictMode;
  bool dontTrackPrimary = false;
  NotifyScripts notify;
  std::vector<TrackedObject> trackInterfaces;
  std::vector<TrackedObject> trackScripts;
  std::vector<TrackedObject> trackFiles;
};

/// Everything the parser found in the configuration.
struct Document {
  GlobalDraft global;
  std::vector<InstanceDraft> instances;
  /// Names of `vrrp_script` and `track_file` blocks (which vipd skips), so that
  /// track_script / track_file entries can be checked against them.
  std::set<std::string, std::less<>> scriptNames;
  std::set<std::string, std::less<>> trackFileNames;
};

std::span<const Keyword<GlobalDraft>> globalDefsKeywords();
std::span<const IgnoredKeyword> ignoredGlobalDefsKeywords();
std::span<const Keyword<InstanceDraft>> instanceKeywords();
std::span<const IgnoredKeyword> ignoredInstanceKeywords();
std::span<const IgnoredKeyword> ignoredRootKeywords();

/// A line of virtual_ipaddress(_excluded) [SRC vrrp_ipaddress.c:alloc_ipaddress].
std::optional<VirtualAddress> parseVirtualAddress(const Line& line, Diagnostics& diagnostics);
/// A line of unicast_peer: `IP [min_ttl N] [max_ttl N]`.
std::optional<UnicastPeer> parseUnicastPeer(const Line& line, Diagnostics& diagnostics);
/// A line of track_interface/track_script/track_file:
/// `NAME [weight N [reverse|noreverse|no_reverse]]`.
std::optional<TrackedObject> parseTracked(const Line& line, std::int32_t minWeight,
                                          std::int32_t maxWeight, std::string_view block,
                                          Diagnostics& diagnostics);
/// `notify* CMD [USER [GROUP]]`, re-split with the script quoting rules.
std::optional<NotifyScript> parseNotifyScript(const Line& line, Diagnostics& diagnostics);

/// Applies keepalived's defaults and derivations and the cross-field checks.
/// Returns the model unless an error was reported (now or before).
std::optional<Config> complete(const Document& document, Diagnostics& diagnostics);

}  // namespace vipd::config::detail
