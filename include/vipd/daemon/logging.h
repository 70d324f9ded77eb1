#pragma once

#include <spdlog/spdlog.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace vipd::daemon {

/// The loggers, one per area, all writing to the same sinks.
/// Messages are a fixed text plus key=value fields (STYLE.md point 9).
inline constexpr const char* kLoggerNames[] = {"vipd", "vrrp", "netlink", "exec", "config"};

/// Where the daemon logs: the console (stderr), syslog, or both.
struct LogTargets {
  bool console = false;
  /// The syslog facility; nullopt: no syslog.
  std::optional<int> syslogFacility;

  friend bool operator==(const LogTargets&, const LogTargets&) = default;
};

/// Sets up every area logger. Records are queued and written by spdlog's
/// background thread, so a slow reader (a stalled journal or terminal) can
/// never block the event loop; if the queue fills, the oldest records are
/// dropped rather than waiting. Syslog is opened without LOG_CONS: with no
/// syslog daemon that option writes to the console, which stalls the machine.
/// Call after any fork(). `onWriterStart` runs first on the writer thread
/// (the daemon drops that thread's capabilities there: it needs none).
void setupLogging(spdlog::level::level_enum level, const LogTargets& targets,
                  std::function<void()> onWriterStart = {});

/// Changes every area logger's level at runtime (`vipctl log-level`).
void setLogLevel(spdlog::level::level_enum level);

/// Lines lost since setupLogging() because the queue was full (0 before).
std::uint64_t logLinesOverwritten();

/// Writes out queued records and stops the logging thread (before exit).
void shutdownLogging();

/// The logger of one area ("vrrp", "netlink", ...); setupLogging() first.
std::shared_ptr<spdlog::logger> logger(const std::string& area);

}  // namespace vipd::daemon
