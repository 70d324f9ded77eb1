// track_interface / track_script / track_file blocks of instances and sync
// groups, and their references to the vrrp_script / track_file definitions.

#include "draft.h"

namespace vipd::config::detail {

// Weight ranges of the references: track_file -254..254
// [SRC trackers/track_file.c:vrrp_alloc_track_file], the others -253..253
// [SRC vrrp_data.c:alloc_vrrp_track_if, alloc_vrrp_track_script].
void parseTrackingBlock(ParseContext& context, const Line& opener,
                        std::vector<TrackedObject>& list) {
  const Token& keyword = opener.tokens[0];
  const bool file = keyword.text == "track_file";
  forEachBlockLine(context, opener, [&](const Line& entry) {
    if (auto tracked = parseTracked(entry, file ? -254 : -253, file ? 254 : 253, keyword.text,
                                    context.diagnostics)) {
      list.push_back(*tracked);
    }
  });
}

// keepalived logs "track script/file X not found, ignoring" and goes on.
std::vector<TrackedObject> resolveTracked(const std::vector<TrackedObject>& entries, TrackKind kind,
                                          const Document& document, const std::string& subject,
                                          Diagnostics& diagnostics) {
  std::vector<TrackedObject> kept;
  for (const TrackedObject& t : entries) {
    if (kind == TrackKind::Script && findByName(document.scripts, t.name) == nullptr) {
      diagnostics.warning(t.where, subject + " track_script " + t.name +
                                       " names no vrrp_script or vipd_check; ignored");
    } else if (kind == TrackKind::File && findByName(document.trackFiles, t.name) == nullptr) {
      diagnostics.warning(t.where, subject + " track_file " + t.name +
                                       " names no track_file block; ignored");
    } else {
      kept.push_back(t);
    }
  }
  return kept;
}

}  // namespace vipd::config::detail
