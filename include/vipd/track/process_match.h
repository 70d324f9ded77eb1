#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/config/model.h"

namespace vipd::track {

/// What /proc says about one process, as a vrrp_track_process compares it.
struct ProcessIdentity {
  /// /proc/PID/comm without its newline: the kernel's 15-byte task name.
  std::string comm;
  /// /proc/PID/cmdline as read: each argument NUL-terminated, possibly cut
  /// at cmdlineReadLimit(). Empty when not read (no tracker needs it) or
  /// for a kernel thread.
  std::string cmdline;

  friend bool operator==(const ProcessIdentity&, const ProcessIdentity&) = default;
};

/// keepalived's match of one process [SRC core/track_process.c:check_process,
/// check_params]: an exact string comparison (no pattern), of `process`
/// with the comm, or with argv[0] of the command line when fullCommand. A
/// comm is at most 15 bytes, so a longer name only matches with
/// full_command (keepalived does not switch by itself either). Parameters,
/// when param_match applies, are compared as the NUL-separated bytes after
/// argv[0]:
/// - Exact: exactly the configured ones (none, when none are configured);
/// - Partial: the configured ones, then anything;
/// - Initial: like Partial, but the last configured one may be the start
///   of a longer argument.
bool matchesProcess(const config::TrackProcess& tracker, const ProcessIdentity& process);

/// True when some tracker compares command lines, so /proc/PID/cmdline must
/// be read (keepalived avoids it otherwise: it may have to swap the process
/// in).
bool needsCmdline(const std::vector<config::TrackProcess>& trackers);

/// How many bytes of /proc/PID/cmdline decide every match: the longest
/// configured command line (its NULs included) plus 2, as keepalived reads
/// [SRC core/track_process.c:check_process]. A longer command line read that
/// far already differs from every configured one.
std::size_t cmdlineReadLimit(const std::vector<config::TrackProcess>& trackers);

/// The fields of /proc/PID/stat a scan needs.
struct ProcStat {
  std::string comm;
  /// 'R', 'S', 'Z' (zombie) ...
  char state = '?';

  friend bool operator==(const ProcStat&, const ProcStat&) = default;
};

/// Parses "PID (COMM) STATE ...". The comm may itself hold ") ", so it ends
/// at the last ')'. nullopt if the text is malformed.
std::optional<ProcStat> parseProcStat(std::string_view text);

/// /proc/PID/comm's content without the trailing newline.
std::string commFromFile(std::string_view content);

}  // namespace vipd::track
