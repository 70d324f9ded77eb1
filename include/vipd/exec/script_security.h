#pragma once

#include <sys/types.h>

#include <boost/outcome/result.hpp>
#include <optional>
#include <string>
#include <system_error>

namespace vipd::exec {

/// A value or a std::error_code; the terminate policy as vipd::proto::Result
/// (reading .value() of a failure is a bug and aborts).
template <class T>
using ExecResult =
    boost::outcome_v2::result<T, std::error_code, boost::outcome_v2::policy::terminate>;

/// The part of stat(2) the checks read.
struct FileInfo {
  uid_t uid = 0;
  gid_t gid = 0;
  mode_t mode = 0;  ///< type and permission bits, as st_mode
};

/// The filesystem as the checks see it; tests pass an in-memory fake,
/// the daemon SystemFileLookup (lstat, realpath).
class FileLookup {
 public:
  virtual ~FileLookup() = default;
  /// lstat(2) of an absolute path; an error_code (ENOENT, EACCES, ...) if it fails.
  virtual ExecResult<FileInfo> lstat(const std::string& path) const = 0;
  /// realpath(3): absolute, no symlinks, no "." or ".." components.
  virtual ExecResult<std::string> realPath(const std::string& path) const = 0;
};

enum class ScriptVerdict {
  Secure,         ///< may run (security was checked if it runs as root)
  Insecure,       ///< would run as root and a path component is writable by non-root
  NotExecutable,  ///< exists but the user cannot execute it, or not a regular file
  NotFound,       ///< a component is missing or cannot be resolved
};

/// The decision and the reason, for the log line keepalived lacks ("which
/// component, why").
struct ScriptCheck {
  ScriptVerdict verdict = ScriptVerdict::Secure;
  std::string resolved;   ///< realpath of the script when it could be resolved
  std::string component;  ///< the offending path component, if any
  /// What is wrong with it, with its mode in octal: "group-writable (mode
  /// 0775, group 1000)", "owned by uid 1000, not root (mode 0755)", ...
  std::string reason;
  bool runsAsRoot = false;  ///< the security walk applied
  /// Why the walk applied, when it did: "would run as root", "would run with
  /// group root", "is setuid root", "is setgid to group root".
  std::string privilege;
};

/// For an Insecure verdict, the whole story in one phrase: "'/opt/chk' is
/// group-writable (mode 0775, group 1000) and the script would run as root".
/// keepalived says only "Unsafe permissions found" [GH#901, GH#742].
std::string describeInsecurity(const ScriptCheck& check);

/// Decides whether `path` (absolute) may run as uid:gid, following keepalived
/// 2.2.7 lib/notify.c check_script_secure/check_security (reference §2.4):
///  - the script is resolved with realpath; failure: NotFound;
///  - every directory on the way needs search permission and the file execute
///    permission for uid:gid (from the mode bits; ACLs and supplementary groups
///    are not considered); root needs one x bit on the file: NotExecutable;
///  - the script runs as root when uid or gid is 0, or it is setuid root or
///    setgid to group 0. Then each component from "/" down is insecure if it is
///    owned by a non-root user, or (unless it is a directory with the sticky
///    bit) group-writable with a non-root group or world-writable: Insecure.
/// Whether Insecure disables the script is the caller's policy
/// (enable_script_security); NotFound and NotExecutable always do.
ScriptCheck checkScript(const std::string& path, uid_t uid, gid_t gid, const FileLookup& fs);

/// Resolves a bare program name (no '/') through kScriptPath once at load, as
/// keepalived does with a warning. Paths with a '/' are returned as given.
/// Returns the first candidate that is a regular file with an x bit, or ENOENT.
ExecResult<std::string> resolveProgram(const std::string& name, const FileLookup& fs);

/// A user and group from the config (`script_user U [G]`, `user U [G]`, or
/// `CMD U [G]` on a notify line).
struct UserSpec {
  std::string user;
  std::optional<std::string> group;  ///< unset: the user's primary group
};

struct Account {
  uid_t uid = 0;
  gid_t primaryGid = 0;
};

/// Account lookups; tests pass a fake, the daemon SystemAccountLookup
/// (getpwnam_r, getgrnam_r). A missing name is a value of nullopt, a failed
/// lookup (EIO, ...) an error.
class AccountLookup {
 public:
  virtual ~AccountLookup() = default;
  virtual ExecResult<std::optional<Account>> user(const std::string& name) const = 0;
  virtual ExecResult<std::optional<gid_t>> group(const std::string& name) const = 0;
};

/// The default script user when none is configured; keepalived's is
/// keepalived_script.
inline constexpr const char* kDefaultScriptUser = "vipd_script";

struct ScriptIdentity {
  uid_t uid = 0;
  gid_t gid = 0;
  /// No user configured and kDefaultScriptUser does not exist: root, and the
  /// caller logs a warning (keepalived runs scripts as itself then).
  bool rootFallback = false;
};

enum class ScriptUserErrc {
  UnknownUser = 1,  ///< the configured user does not exist
  UnknownGroup,     ///< the configured group does not exist
  NoDefaultUser,    ///< enable_script_security, nothing configured, no vipd_script:
                    ///< keepalived drops the scripts, no fallback to root
};

/// The category of ScriptUserErrc, named "vipd.exec.script_user".
const std::error_category& scriptUserCategory();
inline std::error_code make_error_code(ScriptUserErrc e) {
  return {static_cast<int>(e), scriptUserCategory()};
}

/// Picks the uid:gid a script runs as. `configured` is the per-script user if
/// the script has one, else global script_user, else nullopt (keepalived
/// lib/notify.c get_default_script_user). Lookup failures are passed through.
ExecResult<ScriptIdentity> resolveScriptUser(const std::optional<UserSpec>& configured,
                                             bool enableScriptSecurity,
                                             const AccountLookup& accounts);

/// FileLookup on the real filesystem.
class SystemFileLookup final : public FileLookup {
 public:
  ExecResult<FileInfo> lstat(const std::string& path) const override;
  ExecResult<std::string> realPath(const std::string& path) const override;
};

/// AccountLookup on the system's user database (NSS).
class SystemAccountLookup final : public AccountLookup {
 public:
  ExecResult<std::optional<Account>> user(const std::string& name) const override;
  ExecResult<std::optional<gid_t>> group(const std::string& name) const override;
};

}  // namespace vipd::exec

template <>
struct std::is_error_code_enum<vipd::exec::ScriptUserErrc> : std::true_type {};
