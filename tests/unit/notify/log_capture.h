#pragma once

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

namespace vipd::notify::testing {

/// Registers a "vrrp" logger writing into a string for the test's lifetime,
/// so tests can read the log lines the notify area writes.
class LogCapture {
 public:
  LogCapture() {
    spdlog::drop("vrrp");
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(stream_);
    sink->set_pattern("%l %v");
    logger_ = std::make_shared<spdlog::logger>("vrrp", sink);
    logger_->set_level(spdlog::level::debug);
    spdlog::register_logger(logger_);
  }
  ~LogCapture() { spdlog::drop("vrrp"); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string text() const { return stream_.str(); }

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace vipd::notify::testing
