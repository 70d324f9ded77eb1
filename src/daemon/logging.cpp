#include "vipd/daemon/logging.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <syslog.h>

#include <vector>

namespace vipd::daemon {

namespace {
// Lines queued for the writer thread. spdlog allocates every slot up front
// (about 400 bytes each): 2048 slots hold the burst of a mass failover of
// hundreds of instances (a few lines each) in 0.8 MiB; 8192 cost 3.3 MiB
// of resident memory, more than everything else vipd keeps for 510
// instances (bench/scale). When full, the oldest line is overwritten.
constexpr std::size_t kQueueSize = 2048;
}  // namespace

void setupLogging(spdlog::level::level_enum level, const LogTargets& targets,
                  std::function<void()> onWriterStart) {
  spdlog::drop_all();
  if (!onWriterStart) onWriterStart = [] {};
  spdlog::init_thread_pool(kQueueSize, 1, std::move(onWriterStart));
  std::vector<spdlog::sink_ptr> sinks;
  if (targets.console) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    // Precise timestamps: failover timing is what the logs are read for.
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%f %l %n: %v");
    sinks.push_back(sink);
  }
  if (targets.syslogFacility) {
    // No LOG_CONS (see the header).
    auto sink = std::make_shared<spdlog::sinks::syslog_sink_mt>("vipd", LOG_PID | LOG_NDELAY,
                                                                *targets.syslogFacility, true);
    sink->set_pattern("%n: %v");
    sinks.push_back(sink);
  }
  for (const char* name : kLoggerNames) {
    auto log = std::make_shared<spdlog::async_logger>(
        name, sinks.begin(), sinks.end(), spdlog::thread_pool(),
        spdlog::async_overflow_policy::overrun_oldest);
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

std::uint64_t logLinesOverwritten() {
  const auto pool = spdlog::thread_pool();
  return pool ? pool->overrun_counter() : 0;
}

void shutdownLogging() { spdlog::shutdown(); }

std::shared_ptr<spdlog::logger> logger(const std::string& area) {
  auto log = spdlog::get(area);
  return log ? log : spdlog::default_logger();
}

}  // namespace vipd::daemon
