#pragma once

#include <optional>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "vipd/config/model.h"
#include "vipd/exec/command.h"
#include "vipd/exec/script_security.h"

namespace vipd::daemon {

/// Builds the command of a configured script once, at load, as keepalived
/// checks its scripts (reference §2.4): argv[0] resolved through PATH if
/// bare, the user from the script, else script_user, else vipd_script, else
/// root (with a warning); a missing or non-executable program is refused,
/// and so is an insecure one under enable_script_security. Every refusal
/// and warning is logged with the reason. nullopt: the script never runs.
std::optional<exec::Command> resolveScriptCommand(const std::string& name,
                                                  const std::vector<std::string>& argv,
                                                  const std::optional<config::RunAs>& user,
                                                  const config::GlobalDefs& global,
                                                  const exec::FileLookup& files,
                                                  const exec::AccountLookup& accounts,
                                                  spdlog::logger& log);

}  // namespace vipd::daemon
