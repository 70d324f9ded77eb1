#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace vipd::daemon {

/// The loggers, one per area, all writing to the same sinks.
/// Messages are a fixed text plus key=value fields (STYLE.md point 9).
inline constexpr const char* kLoggerNames[] = {"vipd", "vrrp", "netlink", "exec", "config"};

/// Sets up every area logger. Logs go to stderr, which systemd's journal
/// collects; never to syslog(3), whose LOG_CONS fallback can stall the
/// machine on a slow console when no syslog daemon runs.
void setupLogging(spdlog::level::level_enum level);

/// The logger of one area ("vrrp", "netlink", ...); setupLogging() first.
std::shared_ptr<spdlog::logger> logger(const std::string& area);

}  // namespace vipd::daemon
