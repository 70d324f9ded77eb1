#pragma once

#include <spdlog/spdlog.h>
#include <sys/types.h>

#include <memory>
#include <string>

#include "vipd/exec/command.h"

namespace vipd::exec {

/// The "exec" area logger (set up by daemon::setupLogging), or the default one
/// in tests and tools that set up nothing.
std::shared_ptr<spdlog::logger> execLog();

/// The default output sink: one info line per script output line, with
/// control characters escaped so a script cannot forge log lines.
LineCallback logOutputLine(const std::string& name);

/// One line per finished run: debug on success, info on failure, warn on
/// timeout; runtime and output counters included.
void logFinished(const std::string& name, pid_t pid, const Outcome& outcome);

}  // namespace vipd::exec
