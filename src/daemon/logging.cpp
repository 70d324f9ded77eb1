#include "vipd/daemon/logging.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <syslog.h>

namespace vipd::daemon {

namespace {
constexpr std::size_t kQueueSize = 8192;
}

void setupLogging(spdlog::level::level_enum level, LogTarget target,
                  std::function<void()> onWriterStart) {
  spdlog::drop_all();
  if (!onWriterStart) onWriterStart = [] {};
  spdlog::init_thread_pool(kQueueSize, 1, std::move(onWriterStart));
  spdlog::sink_ptr sink;
  if (target == LogTarget::Stderr) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    // Precise timestamps: failover timing is what the logs are read for.
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%f %l %n: %v");
  } else {
    sink = std::make_shared<spdlog::sinks::syslog_sink_mt>("vipd", LOG_PID | LOG_NDELAY, LOG_DAEMON,
                                                           true);
    sink->set_pattern("%n: %v");
  }
  for (const char* name : kLoggerNames) {
    auto log = std::make_shared<spdlog::async_logger>(
        name, sink, spdlog::thread_pool(), spdlog::async_overflow_policy::overrun_oldest);
    log->set_level(level);
    spdlog::register_logger(log);
  }
  spdlog::set_default_logger(spdlog::get("vipd"));
}

void setLogLevel(spdlog::level::level_enum level) {
  for (const char* name : kLoggerNames) {
    if (auto log = spdlog::get(name)) log->set_level(level);
  }
  logger("vipd")->warn("log level set to {}", spdlog::level::to_string_view(level));
}

void shutdownLogging() { spdlog::shutdown(); }

std::shared_ptr<spdlog::logger> logger(const std::string& area) {
  auto log = spdlog::get(area);
  return log ? log : spdlog::default_logger();
}

}  // namespace vipd::daemon
