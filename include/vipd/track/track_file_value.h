#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace vipd::track {

/// keepalived reads at most this many bytes of a track file (buf[128], one
/// kept for the NUL) [SRC trackers/track_file.c:process_track_file].
inline constexpr std::size_t kTrackFileReadLimit = 127;

/// The value keepalived takes from a track file's content
/// [SRC trackers/track_file.c:process_track_file, process_inotify]:
/// - the first 127 bytes are parsed like strtol(buf, NULL, 0): leading
///   whitespace, an optional sign, then decimal, 0x hex or 0 octal; parsing
///   stops at the first other character (trailing garbage is ignored, and no
///   digits at all gives 0);
/// - a missing or unreadable file (`content` nullopt), an empty file and a
///   deleted file all give 0. keepalived does not treat them as failures: with
///   weight 0 (not reversed) 0 means OK;
/// - a number outside int32 is logged and ignored by keepalived: nullopt here
///   means "keep the previous value".
std::optional<std::int32_t> parseTrackFileValue(std::optional<std::string_view> content);

}  // namespace vipd::track
