#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace vipd::net {

/// The "netlink" area logger that vipd::daemon::setupLogging() registers, or
/// spdlog's default logger when it has not run (unit and integration tests).
/// vipd_net does not link vipd_daemon, so the registry is the meeting point.
inline std::shared_ptr<spdlog::logger> netlinkLog() {
  auto log = spdlog::get("netlink");
  return log ? log : spdlog::default_logger();
}

}  // namespace vipd::net
