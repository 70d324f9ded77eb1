#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vipd::exec {

/// The only environment a script gets. keepalived passes its own environment
/// through; vipd does not, so a script behaves the same under systemd, a shell
/// or a test runner, and no daemon secret leaks into it. Scripts that need more
/// set it themselves.
inline constexpr const char* kScriptPath = "/usr/sbin:/usr/bin:/sbin:/bin";

/// Called with each complete line a script writes to stdout or stderr (both go
/// to the same pipe, so their order is the order the script wrote them). The
/// newline is stripped; the view is valid only during the call.
using LineCallback = std::function<void(std::string_view line)>;

/// One script invocation, fixed at config load.
struct Command {
  /// Names the script in log lines ("vrrp_script chk_nginx", "notify_master VI_1").
  std::string name;
  /// argv[0] must be an absolute path (resolve bare names once at load with
  /// resolveProgram()); the runner does no PATH search. Must not be empty.
  std::vector<std::string> argv;
  /// Drop to this user and group before exec (setgroups to {gid} only, then
  /// setgid, then setuid, as keepalived). Unset, or both the daemon's own:
  /// keep the daemon's identity and groups (no set*id call, no capability).
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
  /// Zero: no time limit (notify scripts in keepalived). Otherwise the whole
  /// process group gets SIGTERM when it expires, and the run is TimedOut.
  std::chrono::milliseconds timeout{0};
  /// After the timeout's SIGTERM, SIGKILL the group this much later. Zero:
  /// SIGKILL at once (keepalived's notify_stop: SIGKILL after 1 s).
  std::chrono::milliseconds killGrace{std::chrono::seconds(1)};
  /// Receives the output lines; empty: the runner logs them on the "exec" logger.
  LineCallback onOutput;
};

/// What the output capture kept and what it threw away.
struct OutputStats {
  std::uint64_t lines = 0;      ///< lines passed on (including truncated ones)
  std::uint64_t bytesKept = 0;  ///< bytes passed on, newlines excluded
  /// Bytes not passed on: over the line or per-run cap (with their newlines
  /// once the per-run cap is reached), or left unread at exit. So the stream
  /// was bytesKept + (lines ending in a newline) + bytesDropped bytes long.
  std::uint64_t bytesDropped = 0;
  std::uint64_t linesTruncated = 0;  ///< lines cut at the line-length cap
};

/// How a run ended.
enum class OutcomeKind {
  Exited,       ///< the direct child exited; see exitCode
  Signaled,     ///< killed by `signal` (not by the runner's timeout)
  TimedOut,     ///< the timeout expired; the group was killed. Always a failure.
  SpawnFailed,  ///< never ran: `failedStep` failed with `error` (errno)
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::Exited;
  int exitCode = 0;        ///< Exited
  int signal = 0;          ///< Signaled, and TimedOut when the child died of a signal
  int error = 0;           ///< SpawnFailed: errno
  std::string failedStep;  ///< SpawnFailed: "fork", "execve", "setuid", ...
  std::chrono::steady_clock::duration runtime{};  ///< spawn to reap, steady clock
  OutputStats output;

  /// Exit status 0, the only success for a track script.
  bool succeeded() const { return kind == OutcomeKind::Exited && exitCode == 0; }
};

/// "exited code=1", "killed signal=SIGKILL", "timed out", "spawn failed step=execve
/// error=No such file or directory": the text for log lines.
std::string describe(const Outcome& outcome);

}  // namespace vipd::exec
