#include "vipd/daemon/logging.h"

#include <spdlog/sinks/stdout_sinks.h>

namespace vipd::daemon {

void setupLogging(spdlog::level::level_enum level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  // The journal adds its own timestamp, but the lab and tests read stderr
  // directly, so keep a precise one: failover timing is what we sell.
  sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %n: %v");
  for (const char* name : kLoggerNames) {
    spdlog::drop(name);
    auto log = std::make_shared<spdlog::logger>(name, sink);
    log->set_level(level);
    spdlog::register_logger(log);
  }
  spdlog::set_default_logger(spdlog::get("vipd"));
}

std::shared_ptr<spdlog::logger> logger(const std::string& area) {
  auto log = spdlog::get(area);
  return log ? log : spdlog::default_logger();
}

}  // namespace vipd::daemon
