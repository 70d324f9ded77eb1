#include "vipd/notify/script_resolver.h"

#include <fmt/format.h>

#include "notify_log.h"

namespace vipd::notify {

const char* toString(RefusalKind kind) {
  switch (kind) {
    case RefusalKind::None:
      return "none";
    case RefusalKind::Security:
      return "security";
    case RefusalKind::Unavailable:
      return "unavailable";
  }
  return "unavailable";
}

ScriptResolver::ScriptResolver(ScriptPolicy policy, const exec::FileLookup& files,
                               const exec::AccountLookup& accounts)
    : policy_(std::move(policy)), files_(files), accounts_(accounts) {}

Resolution ScriptResolver::resolve(const std::string& name, const config::NotifyScript& script) {
  std::optional<config::RunAs> user;
  if (script.user) user = config::RunAs{*script.user, script.group};
  return resolve(name, script.argv, user);
}

Resolution ScriptResolver::resolve(const std::string& name, const std::vector<std::string>& argv,
                                   const std::optional<config::RunAs>& user) {
  Resolution out;
  if (argv.empty() || argv.front().empty()) {
    refuse(out, RefusalKind::Unavailable,
           fmt::format("Disabling {} since not found: empty command", name));
    return out;
  }
  exec::ScriptIdentity identity;
  std::string path;
  std::string resolved;
  if (!resolveIdentity(name, user, identity, out) || !resolvePath(name, argv[0], path, out) ||
      !checkSecurity(name, path, identity, resolved, out)) {
    return out;
  }
  exec::Command command;
  command.name = name;
  command.argv = argv;
  command.argv[0] = resolved.empty() ? path : resolved;
  command.uid = identity.uid;
  command.gid = identity.gid;
  out.command = std::move(command);
  return out;
}

std::optional<exec::UserSpec> ScriptResolver::userFor(
    const std::optional<config::RunAs>& user) const {
  const auto& chosen = user ? user : policy_.scriptUser;
  if (!chosen) return std::nullopt;
  return exec::UserSpec{chosen->user, chosen->group};
}

bool ScriptResolver::resolveIdentity(const std::string& name,
                                     const std::optional<config::RunAs>& user,
                                     exec::ScriptIdentity& identity, Resolution& out) {
  auto spec = userFor(user);
  auto result = exec::resolveScriptUser(spec, policy_.scriptSecurity, accounts_);
  if (!result) {
    if (result.error() == exec::ScriptUserErrc::NoDefaultUser) {
      // keepalived: "Unable to set default user keepalived_script" and the
      // scripts are dropped, never run as root [SRC lib/notify.c:get_default_script_user].
      refuse(out, RefusalKind::Security,
             fmt::format("Unable to set default user {} for script - disabling {} "
                         "(enable_script_security is set and no script_user is configured, "
                         "and it would not run as root)",
                         exec::kDefaultScriptUser, name));
    } else {
      refuse(out, RefusalKind::Unavailable,
             fmt::format("Disabling {}: user {}{}: {}", name,
                         spec ? spec->user : std::string(exec::kDefaultScriptUser),
                         spec && spec->group ? " group " + *spec->group : std::string(),
                         result.error().message()));
    }
    return false;
  }
  identity = result.value();
  if (identity.rootFallback && !warnedRootFallback_) {
    warnedRootFallback_ = true;  // once per load, as keepalived's set_default_script_user
    warn(out, fmt::format("WARNING - default user '{}' for script execution does not exist - "
                          "please create. Scripts run as root.",
                          exec::kDefaultScriptUser));
  }
  return true;
}

bool ScriptResolver::resolvePath(const std::string& name, const std::string& program,
                                 std::string& path, Resolution& out) {
  auto found = exec::resolveProgram(program, files_);
  if (!found) {
    refuse(out, RefusalKind::Unavailable,
           fmt::format("Cannot find script {} in path - disabling {}", program, name));
    return false;
  }
  path = found.value();
  if (program.find('/') == std::string::npos) {
    // [SRC lib/notify.c:find_path]: a PATH search works, but says so.
    warn(out, fmt::format("WARNING - script `{}` resolved by path search to `{}`. Please specify "
                          "full path.",
                          program, path));
  }
  return true;
}

bool ScriptResolver::checkSecurity(const std::string& name, const std::string& path,
                                   const exec::ScriptIdentity& identity, std::string& resolved,
                                   Resolution& out) {
  auto check = exec::checkScript(path, identity.uid, identity.gid, files_);
  resolved = check.resolved;
  switch (check.verdict) {
    case exec::ScriptVerdict::Secure:
      return true;
    case exec::ScriptVerdict::NotFound:
      refuse(out, RefusalKind::Unavailable,
             fmt::format("Disabling {} since not found: '{}'{}", name, path,
                         check.reason.empty() ? "" : " (" + check.reason + ")"));
      return false;
    case exec::ScriptVerdict::NotExecutable:
      refuse(out, RefusalKind::Unavailable,
             fmt::format("WARNING - script '{}' is not executable for uid:gid {}:{} - "
                         "disabling {}{}",
                         path, identity.uid, identity.gid, name,
                         check.reason.empty() ? "" : " (" + check.reason + ")"));
      return false;
    case exec::ScriptVerdict::Insecure:
      break;
  }
  auto unsafe = fmt::format("Unsafe permissions found for script '{}': {}", path,
                            exec::describeInsecurity(check));
  if (!policy_.scriptSecurity) {
    warn(out, unsafe + " (it runs: enable_script_security is not set)");
    return true;
  }
  refuse(out, RefusalKind::Security,
         fmt::format("{} - Disabling {} due to insecure (enable_script_security)", unsafe, name));
  return false;
}

std::optional<exec::ScriptIdentity> ScriptResolver::identityOf(const std::string& what,
                                                               const config::RunAs& runAs) {
  auto result = exec::resolveScriptUser(exec::UserSpec{runAs.user, runAs.group}, false, accounts_);
  if (result) return result.value();
  notifyLog()->error("{}: user {}{}: {}", what, runAs.user,
                     runAs.group ? " group " + *runAs.group : std::string(),
                     result.error().message());
  return std::nullopt;
}

void ScriptResolver::warn(Resolution& out, std::string message) {
  notifyLog()->warn("script warning: {}", message);
  out.warnings.push_back(std::move(message));
}

void ScriptResolver::refuse(Resolution& out, RefusalKind kind, std::string message) {
  notifyLog()->error("script refused: {}", message);
  out.refusal = std::move(message);
  out.refusalKind = kind;
}

}  // namespace vipd::notify
