#include "exec_log.h"

#include <signal.h>
#include <string.h>

#include <chrono>
#include <cstring>

namespace vipd::exec {

namespace {

std::string signalName(int signo) {
  const char* abbrev = sigabbrev_np(signo);
  return abbrev ? std::string("SIG") + abbrev : std::to_string(signo);
}

/// Escapes control bytes as \xNN; printable text and UTF-8 pass unchanged.
std::string escaped(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char c : line) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::shared_ptr<spdlog::logger> execLog() {
  auto log = spdlog::get("exec");
  return log ? log : spdlog::default_logger();
}

LineCallback logOutputLine(const std::string& name) {
  return [name](std::string_view line) {
    execLog()->info("script output name={} line=\"{}\"", name, escaped(line));
  };
}

std::string describe(const Outcome& outcome) {
  switch (outcome.kind) {
    case OutcomeKind::Exited:
      return "exited code=" + std::to_string(outcome.exitCode);
    case OutcomeKind::Signaled:
      return "killed signal=" + signalName(outcome.signal);
    case OutcomeKind::TimedOut:
      return outcome.signal != 0 ? "timed out, killed signal=" + signalName(outcome.signal)
                                 : "timed out";
    case OutcomeKind::SpawnFailed:
      return "spawn failed step=" + outcome.failedStep + " error=" + std::strerror(outcome.error);
  }
  return "unknown outcome";
}

void logFinished(const std::string& name, pid_t pid, const Outcome& outcome) {
  auto level = outcome.succeeded()                     ? spdlog::level::debug
               : outcome.kind == OutcomeKind::TimedOut ? spdlog::level::warn
                                                       : spdlog::level::info;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(outcome.runtime).count();
  execLog()->log(level,
                 "script finished name={} pid={} result=\"{}\" runtime_ms={} lines={} "
                 "bytes_dropped={}",
                 name, pid, describe(outcome), ms, outcome.output.lines,
                 outcome.output.bytesDropped);
}

}  // namespace vipd::exec
