#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace vipd::notify {

/// Notifies are VRRP events, so they log on the "vrrp" area logger (set up by
/// daemon::setupLogging), or the default one in tests and tools.
inline std::shared_ptr<spdlog::logger> notifyLog() {
  auto log = spdlog::get("vrrp");
  return log ? log : spdlog::default_logger();
}

}  // namespace vipd::notify
