#include "vipd/daemon/script_command.h"

#include <spdlog/spdlog.h>

namespace vipd::daemon {

namespace {

std::optional<exec::UserSpec> userSpec(const std::optional<config::RunAs>& own,
                                       const config::GlobalDefs& global) {
  const auto& chosen = own ? own : global.scriptUser;
  if (!chosen) return std::nullopt;
  return exec::UserSpec{chosen->user, chosen->group};
}

std::string_view verdictText(exec::ScriptVerdict verdict) {
  switch (verdict) {
    case exec::ScriptVerdict::Secure:
      return "secure";
    case exec::ScriptVerdict::Insecure:
      return "unsafe permissions";
    case exec::ScriptVerdict::NotExecutable:
      return "not executable";
    case exec::ScriptVerdict::NotFound:
      return "not found";
  }
  return "?";
}

}  // namespace

std::optional<exec::Command> resolveScriptCommand(const std::string& name,
                                                  const std::vector<std::string>& argv,
                                                  const std::optional<config::RunAs>& user,
                                                  const config::GlobalDefs& global,
                                                  const exec::FileLookup& files,
                                                  const exec::AccountLookup& accounts,
                                                  spdlog::logger& log) {
  if (argv.empty()) return std::nullopt;
  auto program = exec::resolveProgram(argv.front(), files);
  if (!program) {
    log.error("{}: program {} not found; it will not run", name, argv.front());
    return std::nullopt;
  }
  if (program.value() != argv.front()) {
    log.warn("{}: {} found through PATH as {}; give the full path", name, argv.front(),
             program.value());
  }
  auto identity = exec::resolveScriptUser(userSpec(user, global), global.scriptSecurity, accounts);
  if (!identity) {
    log.error("{}: cannot choose the user to run it as ({}); it will not run", name,
              identity.error().message());
    return std::nullopt;
  }
  if (identity.value().rootFallback) {
    log.warn("{}: no script_user and no {} user: runs as root", name, exec::kDefaultScriptUser);
  }
  const auto check = exec::checkScript(program.value(), identity.value().uid,
                                       identity.value().gid, files);
  const bool refused = check.verdict == exec::ScriptVerdict::NotFound ||
                       check.verdict == exec::ScriptVerdict::NotExecutable ||
                       (check.verdict == exec::ScriptVerdict::Insecure && global.scriptSecurity);
  if (check.verdict != exec::ScriptVerdict::Secure) {
    const auto where = check.component.empty() ? program.value() : check.component;
    if (refused) {
      log.error("{}: {} ({}: {}); it will not run", name, verdictText(check.verdict), where,
                check.reason);
      return std::nullopt;
    }
    log.warn("{}: {} ({}: {}); it runs as root anyway because enable_script_security is off",
             name, verdictText(check.verdict), where, check.reason);
  }
  exec::Command command;
  command.name = name;
  command.argv = argv;
  command.argv.front() = program.value();
  command.uid = identity.value().uid;
  command.gid = identity.value().gid;
  return command;
}

}  // namespace vipd::daemon
