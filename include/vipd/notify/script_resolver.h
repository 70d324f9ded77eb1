#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/exec/command.h"
#include "vipd/exec/script_security.h"

namespace vipd::notify {

/// Why a script was refused. `vipd -t` tells the two apart by its exit
/// status (reference §5 item 7: keepalived's users cannot).
enum class RefusalKind {
  None,
  /// enable_script_security: a root script in a path non-root can write, or
  /// no script_user and no default user (keepalived would not fall back to root).
  Security,
  /// It cannot run at all: not found, not executable, unknown user or group.
  Unavailable,
};

/// A script that may run, or why it may not. The warnings and the refusal are
/// also logged by resolve(); they are returned so that `-t` and tests can show
/// them.
struct Resolution {
  /// Ready to run (argv[0] absolute and resolved, uid/gid set, no timeout:
  /// NotifyQueue sets it). Unset: refused.
  std::optional<exec::Command> command;
  /// Why it was refused, in keepalived's words plus the reason keepalived lacks.
  std::string refusal;
  RefusalKind refusalKind = RefusalKind::None;
  std::vector<std::string> warnings;
};

/// A configured script that will not run, as `vipctl status` lists it.
struct RefusedScript {
  /// As the daemon names it in its log: "vrrp_script chk", "notify_master VI_1".
  std::string script;
  std::string reason;
  RefusalKind kind = RefusalKind::Unavailable;

  friend bool operator==(const RefusedScript&, const RefusedScript&) = default;
};

/// "security" or "unavailable", for status documents.
const char* toString(RefusalKind kind);

/// The script security settings of global_defs that resolution needs.
struct ScriptPolicy {
  /// `script_user U [G]`: the user of scripts that name none.
  std::optional<config::RunAs> scriptUser;
  /// `enable_script_security`: refuse root scripts in unsafe paths.
  bool scriptSecurity = false;

  static ScriptPolicy fromGlobals(const config::GlobalDefs& globals) {
    return {globals.scriptUser, globals.scriptSecurity};
  }
};

/// Turns configured commands into ready exec::Commands once, at load (as
/// keepalived checks scripts only at load and reload [GH#2438]), following
/// keepalived lib/notify.c check_notify_script_secure (reference §2.4):
///  - the user is the script's own, else script_user, else vipd_script, else
///    root with a warning logged once per resolver (keepalived: keepalived_script);
///    with enable_script_security and no user at all, refused (no root fallback);
///  - argv[0] without a '/' is looked up in exec::kScriptPath, with keepalived's
///    "resolved by path search" warning; the program is made absolute with realpath;
///  - a missing or non-executable program is always refused; an insecure one
///    (exec::checkScript) is logged, and refused under enable_script_security.
///
/// NOTE: holds references to the lookups, which must outlive it. Not thread-safe.
class ScriptResolver {
 public:
  ScriptResolver(ScriptPolicy policy, const exec::FileLookup& files,
                 const exec::AccountLookup& accounts);

  /// `name` labels the script in log lines, e.g. "notify_master VI_1".
  Resolution resolve(const std::string& name, const config::NotifyScript& script);
  /// The same for any argv with an optional per-script user (FIFO readers).
  Resolution resolve(const std::string& name, const std::vector<std::string>& argv,
                     const std::optional<config::RunAs>& user);

  /// The uid:gid of a configured `USER [GROUP]` that is not a script's (the
  /// owner in `notify_fifo PATH USER [GROUP]`); nullopt, logged, if unknown.
  std::optional<exec::ScriptIdentity> identityOf(const std::string& what,
                                                 const config::RunAs& runAs);

 private:
  std::optional<exec::UserSpec> userFor(const std::optional<config::RunAs>& user) const;
  bool resolveIdentity(const std::string& name, const std::optional<config::RunAs>& user,
                       exec::ScriptIdentity& identity, Resolution& out);
  bool resolvePath(const std::string& name, const std::string& program, std::string& path,
                   Resolution& out);
  bool checkSecurity(const std::string& name, const std::string& path,
                     const exec::ScriptIdentity& identity, std::string& resolved, Resolution& out);
  void warn(Resolution& out, std::string message);
  void refuse(Resolution& out, RefusalKind kind, std::string message);

  ScriptPolicy policy_;
  const exec::FileLookup& files_;
  const exec::AccountLookup& accounts_;
  bool warnedRootFallback_ = false;
};

}  // namespace vipd::notify
