#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/notify/script_resolver.h"

namespace vipd::notify {

/// What `vipd -t` says about one configured script: the daemon would run it
/// with warnings, or refuse it (and run the instance without it).
struct ScriptFinding {
  /// As the daemon names it in its log: "vrrp_script chk", "notify_master VI_1".
  std::string script;
  std::string message;
  bool refused = false;
  /// Why, when refused: script security, or a script that cannot run.
  RefusalKind kind = RefusalKind::None;
};

/// A script the daemon would run with a configuration, as configured (not
/// resolved): its log name, command and the user it names, if any.
struct ConfiguredScript {
  /// As the daemon names it in its log: "vrrp_script chk", "notify_master VI_1".
  std::string name;
  std::vector<std::string> argv;
  /// The script's own user; nullopt: global script_user, else the default.
  std::optional<config::RunAs> user;
};

/// Every script the daemon would run with `config`, in config order: the
/// tracked vrrp_scripts with a command, the instances' and sync groups'
/// notify scripts, the FIFO readers.
std::vector<ConfiguredScript> configuredScripts(const config::Config& config);

/// Resolves every script the daemon would run with `config` exactly as it
/// would (the tracked vrrp_scripts, the instances' and sync groups' notify
/// scripts, the FIFO readers) and returns the warnings and refusals, in
/// config order. keepalived's `-t` only says "SECURITY VIOLATION"; this names
/// each script and why (reference §5 item 7).
std::vector<ScriptFinding> auditScripts(const config::Config& config, ScriptResolver& resolver);

}  // namespace vipd::notify
