#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/util/unique_fd.h"

namespace vipd::daemon {

/// The `track_file` blocks: each file's integer value, read at start and
/// again whenever inotify says the file changed, was replaced (written
/// elsewhere and renamed over it, as careful writers do) or removed — never
/// polled. keepalived semantics (track::parseTrackFileValue): a missing file
/// reads as 0.
///
/// `init_file [VALUE] [overwrite]` writes VALUE (default 0) to a missing
/// file at start, or to an existing one with `overwrite`.
///
/// NOTE: single-threaded; the owner registers fd() with its loop and calls
/// onReadable().
class FileWatch {
 public:
  using OnValue = std::function<void(const std::string& trackFile, std::int32_t value)>;

  /// `atStart`: apply init_file (keepalived does it at start, not on reload).
  /// Throws std::system_error if inotify cannot be set up.
  FileWatch(const std::vector<config::TrackFile>& files, bool atStart, OnValue onValue);

  int fd() const { return inotify_.get(); }
  void onReadable();
  /// The value last read; 0 before the first read, as keepalived.
  std::int32_t value(const std::string& trackFile) const;

 private:
  struct Watched {
    config::TrackFile config;
    std::int32_t value = 0;
  };

  void initialise(const config::TrackFile& file);
  void watchDirectory(const std::string& directory);
  void reread(Watched& watched);

  util::UniqueFd inotify_;
  OnValue onValue_;
  std::vector<Watched> files_;
  /// inotify watch descriptor → directory.
  std::map<int, std::string> directories_;
};

}  // namespace vipd::daemon
