// track_interface / track_script / track_file / track_process blocks of
// instances and sync groups, and their references to the vrrp_script /
// track_file / vrrp_track_process definitions.

#include "draft.h"

namespace vipd::config::detail {

// Weight ranges of the references: track_file and track_process -254..254
// [SRC trackers/track_file.c:vrrp_alloc_track_file, vrrp_track.c:alloc_track_process],
// the others -253..253 [SRC vrrp_data.c:alloc_vrrp_track_if, alloc_vrrp_track_script].
void parseTrackingBlock(ParseContext& context, const Line& opener,
                        std::vector<TrackedObject>& list) {
  const Token& keyword = opener.tokens[0];
  const bool wide = keyword.text == "track_file" || keyword.text == "track_process";
  forEachBlockLine(context, opener, [&](const Line& entry) {
    if (auto tracked = parseTracked(entry, wide ? -254 : -253, wide ? 254 : 253, keyword.text,
                                    context.diagnostics)) {
      list.push_back(*tracked);
    }
  });
}

// keepalived logs "track script/file/process X not found, ignoring" and goes on.
std::vector<TrackedObject> resolveTracked(const std::vector<TrackedObject>& entries, TrackKind kind,
                                          const Document& document, const std::string& subject,
                                          Diagnostics& diagnostics) {
  std::vector<TrackedObject> kept;
  for (const TrackedObject& t : entries) {
    if (kind == TrackKind::Script && findByName(document.scripts, t.name) == nullptr) {
      diagnostics.warning(t.where, subject + " track_script " + t.name +
                                       " names no vrrp_script or vipd_check; ignored");
    } else if (kind == TrackKind::File && findByName(document.trackFiles, t.name) == nullptr) {
      diagnostics.warning(
          t.where, subject + " track_file " + t.name + " names no track_file block; ignored");
    } else if (kind == TrackKind::Process &&
               findByName(document.trackProcesses, t.name) == nullptr) {
      diagnostics.warning(t.where, subject + " track_process " + t.name +
                                       " names no vrrp_track_process block; ignored");
    } else {
      kept.push_back(t);
    }
  }
  return kept;
}

// keepalived keeps a weighted track_process on an address owner, where it
// changes nothing [SRC vrrp_track.c:process_update_track_process_status];
// dropping it with a warning, as for the other trackers, has the same effect.
std::vector<TrackedObject> resolveOwnTrackedProcesses(const std::vector<TrackedObject>& entries,
                                                      bool owner, const Document& document,
                                                      const std::string& subject,
                                                      Diagnostics& diagnostics) {
  std::vector<TrackedObject> kept;
  for (const TrackedObject& t :
       resolveTracked(entries, TrackKind::Process, document, subject, diagnostics)) {
    if (owner && t.weight && *t.weight != 0) {
      diagnostics.warning(t.where, subject +
                                       " has priority 255, which trackers cannot change; "
                                       "weighted track_process " +
                                       t.name + " ignored");
    } else {
      kept.push_back(t);
    }
  }
  return kept;
}

}  // namespace vipd::config::detail
