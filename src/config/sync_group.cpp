// vrrp_sync_group NAME { ... } [K5 §VRRP synchronization group(s);
// SRC vrrp_parser.c:vrrp_sync_group_handler, vrrp_sync.c:vrrp_sync_set_group]

#include <array>
#include <map>

#include "draft.h"
#include "values.h"

namespace vipd::config::detail {

namespace {

using G = SyncGroupDraft;

// [SRC vrrp_parser.c:vrrp_group_handler]: a second member list is ignored.
void onGroup(G& g, const Line& line, ParseContext& c) {
  if (g.groupBlock) {
    c.diagnostics.warning(line.tokens[0].where,
                          "'group' was already given at " + toString(*g.groupBlock) + "; ignored");
    skipToBlockEnd(c, line);
    return;
  }
  g.groupBlock = line.tokens[0].where;
  forEachBlockLine(c, line, [&](const Line& entry) {
    for (const Token& member : entry.tokens) {
      g.group.members.push_back(member.text);
      g.memberWhere.push_back(member.where);
    }
  });
}

// [SRC vrrp_parser.c:vrrp_gnotify_*_handler]
void onNotify(G& g, const Line& line, ParseContext& c) {
  parseNotifyLine(line, g.group.notify, c.diagnostics);
}

void onNotifyPriorityChanges(G& g, const Line& line, ParseContext& c) {
  if (auto value = readOptionalBool(c, line)) g.group.notify.priorityChanges = value;
}

void onNotifyTimeout(G& g, const Line& line, ParseContext& c) {
  if (auto value = parseNotifyTimeout(c, line)) g.group.notify.timeout = value;
}

void onTracking(G& g, const Line& line, ParseContext& c) {
  const std::string& keyword = line.tokens[0].text;
  auto& list = keyword == "track_interface" ? g.group.trackInterfaces
               : keyword == "track_file"    ? g.group.trackFiles
               : keyword == "track_process" ? g.group.trackProcesses
                                            : g.group.trackScripts;
  parseTrackingBlock(c, line, list);
}

void onTrackingWeight(G& g, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  if (line.tokens[0].text == "global_tracking") {
    c.diagnostics.warning(line.tokens[0].where,
                          "'global_tracking' is deprecated; use 'sync_group_tracking_weight', "
                          "or track_interface/track_script/track_file on the sync group");
  }
  g.group.trackingWeight = true;
}

constexpr std::array kSyncGroupKeywords = {
    Keyword<G>{"group", true, onGroup},
    Keyword<G>{"notify_master", false, onNotify},
    Keyword<G>{"notify_backup", false, onNotify},
    Keyword<G>{"notify_fault", false, onNotify},
    Keyword<G>{"notify_stop", false, onNotify},
    Keyword<G>{"notify", false, onNotify},
    Keyword<G>{"notify_priority_changes", false, onNotifyPriorityChanges},
    Keyword<G>{"notify_timeout", false, onNotifyTimeout},
    Keyword<G>{"track_interface", true, onTracking},
    Keyword<G>{"track_script", true, onTracking},
    Keyword<G>{"track_file", true, onTracking},
    Keyword<G>{"track_process", true, onTracking},
    Keyword<G>{"global_tracking", false, onTrackingWeight},
    Keyword<G>{"sync_group_tracking_weight", false, onTrackingWeight},
};

constexpr std::array kIgnoredSyncGroup = {
    IgnoredKeyword{"smtp_alert"},
    IgnoredKeyword{"track_bfd"},
};

struct Membership {
  std::string group;
  SourceLocation where;
};

/// Keeps the members that exist and are in no other group
/// [SRC vrrp_sync.c:vrrp_sync_set_group].
void checkMembers(const Document& document, const SyncGroupDraft& draft, SyncGroup& group,
                  std::map<std::string, Membership, std::less<>>& memberOf,
                  Diagnostics& diagnostics) {
  const std::string subject = "vrrp_sync_group " + draft.group.name;
  for (std::size_t i = 0; i < draft.group.members.size(); ++i) {
    const std::string& name = draft.group.members[i];
    const SourceLocation& where = draft.memberWhere[i];
    const auto existing = memberOf.find(name);
    if (findByName(document.instances, name) == nullptr) {
      diagnostics.error(where, subject + " member " + name + " names no vrrp_instance");
    } else if (existing != memberOf.end() && existing->second.group == draft.group.name) {
      diagnostics.warning(where, subject + " lists " + name + " twice; ignored");
    } else if (existing != memberOf.end()) {
      diagnostics.error(where,
                        subject + " lists " + name + ", which is already in vrrp_sync_group " +
                            existing->second.group + " at " + toString(existing->second.where) +
                            "; an instance can be in one sync group only");
    } else {
      memberOf.emplace(name, Membership{draft.group.name, where});
      group.members.push_back(name);
    }
  }
}

// keepalived's man page asks for weight 0 on the members' track_process
// entries, but keepalived 2.2.7 does not force it as it does for the other
// trackers [SRC vrrp.c:vrrp_complete_instance]: their weights still move the
// member's priority. vipd does the same, and says so.
void warnWeightedProcesses(const Document& document, const SyncGroup& group,
                           Diagnostics& diagnostics) {
  if (group.trackingWeight) return;
  for (const std::string& member : group.members) {
    const InstanceDraft* instance = findByName(document.instances, member);
    if (instance == nullptr) continue;
    for (const TrackedObject& t : instance->trackProcesses) {
      const TrackProcess* process = findByName(document.trackProcesses, t.name);
      if (process == nullptr || t.weight.value_or(process->weight) == 0) continue;
      diagnostics.warning(t.where, "vrrp_instance " + member + " is in vrrp_sync_group " +
                                       group.name + " but its track_process " + t.name +
                                       " has a weight: keepalived applies it anyway (the other "
                                       "trackers' weights count as 0), and so does vipd; set "
                                       "weight 0 or sync_group_tracking_weight");
    }
  }
}

}  // namespace

void listSyncGroupKeywords(std::vector<SupportedKeyword>& out) {
  appendKeywords<G>(out, "vrrp_sync_group", kSyncGroupKeywords);
}

void parseSyncGroup(ParseContext& context, const Line& line, Document& document) {
  const Token* name = openNamedBlock(context, line);
  if (name == nullptr) return;
  for (const SyncGroupDraft& other : document.syncGroups) {
    if (other.group.name != name->text) continue;
    context.diagnostics.error(
        name->where,
        "vrrp_sync_group " + name->text + " is already defined at " + toString(other.group.where));
    skipToBlockEnd(context, line);
    return;
  }
  SyncGroupDraft& draft = document.syncGroups.emplace_back();
  draft.group.name = name->text;
  draft.group.where = line.tokens[0].where;
  parseBlock<G>(context, line, kSyncGroupKeywords, kIgnoredSyncGroup, "vrrp_sync_group", draft);
}

// IPv4 and IPv6 members may be mixed (keepalived ≥ 2.0 allows it).
std::vector<SyncGroup> completeSyncGroups(const Document& document, Diagnostics& diagnostics) {
  std::vector<SyncGroup> groups;
  std::map<std::string, Membership, std::less<>> memberOf;
  for (const SyncGroupDraft& draft : document.syncGroups) {
    SyncGroup group = draft.group;
    const std::string subject = "vrrp_sync_group " + group.name;
    group.members.clear();
    checkMembers(document, draft, group, memberOf, diagnostics);
    group.trackScripts =
        resolveTracked(group.trackScripts, TrackKind::Script, document, subject, diagnostics);
    group.trackFiles =
        resolveTracked(group.trackFiles, TrackKind::File, document, subject, diagnostics);
    group.trackProcesses =
        resolveTracked(group.trackProcesses, TrackKind::Process, document, subject, diagnostics);
    if (group.members.empty()) {
      // Members that do not exist were errors already.
      if (draft.group.members.empty()) {
        diagnostics.warning(group.where, subject + " has no members; ignored");
      }
      continue;
    }
    if (group.members.size() == 1) {
      diagnostics.warning(group.where, subject + " has only one member (" + group.members[0] +
                                           "); this probably isn't what you want");
    }
    warnWeightedProcesses(document, group, diagnostics);
    if (diagnostics.explaining()) explainSyncGroup(group, diagnostics);
    groups.push_back(std::move(group));
  }
  return groups;
}

}  // namespace vipd::config::detail
