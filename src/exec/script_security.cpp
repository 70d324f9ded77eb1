#include "vipd/exec/script_security.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <string_view>
#include <vector>

#include "vipd/exec/command.h"

namespace vipd::exec {

namespace {

constexpr mode_t kAnyExec = S_IXUSR | S_IXGRP | S_IXOTH;

/// "/", "/usr", "/usr/bin", "/usr/bin/x" for "/usr/bin/x" (already a realpath).
std::vector<std::string> prefixes(const std::string& path) {
  std::vector<std::string> out{"/"};
  for (std::size_t pos = path.find('/', 1);; pos = path.find('/', pos + 1)) {
    std::string prefix = path.substr(0, pos);
    if (prefix.size() > 1) out.push_back(std::move(prefix));
    if (pos == std::string::npos) break;
  }
  return out;
}

/// Search (directory) or execute (file) permission from the mode bits, as
/// access(X_OK) decides it for a process with exactly uid and gid.
bool mayExecute(const FileInfo& f, uid_t uid, gid_t gid) {
  // Root may search any directory, and execute a file with any x bit.
  if (uid == 0) return S_ISDIR(f.mode) || (f.mode & kAnyExec) != 0;
  if (f.uid == uid) return (f.mode & S_IXUSR) != 0;
  if (f.gid == gid) return (f.mode & S_IXGRP) != 0;
  return (f.mode & S_IXOTH) != 0;
}

/// "mode 0775": the permission bits as chmod(1) takes them.
std::string modeOf(const FileInfo& f) { return fmt::format("mode {:04o}", f.mode & 07777); }

/// keepalived check_security's test for one component; empty when safe.
std::string insecureReason(const FileInfo& f) {
  if (f.uid != 0) return fmt::format("owned by uid {}, not root ({})", f.uid, modeOf(f));
  // A sticky directory (like /tmp) lets nobody replace another user's file.
  if (S_ISDIR(f.mode) && (f.mode & S_ISVTX) != 0) return {};
  if (f.gid != 0 && (f.mode & S_IWGRP) != 0) {
    return fmt::format("group-writable ({}, group {})", modeOf(f), f.gid);
  }
  if ((f.mode & S_IWOTH) != 0) {
    return fmt::format("world-writable{} ({})", S_ISDIR(f.mode) ? " without the sticky bit" : "",
                       modeOf(f));
  }
  return {};
}

/// Why the script counts as root's (keepalived check_script_secure); empty
/// when it does not.
std::string rootPrivilege(const FileInfo& file, uid_t uid, gid_t gid) {
  if (uid == 0) return "would run as root";
  if (gid == 0) return "would run with group root";
  if ((file.mode & S_ISUID) != 0 && file.uid == 0) return "is setuid root";
  if ((file.mode & S_ISGID) != 0 && file.gid == 0) return "is setgid to group root";
  return {};
}

ScriptCheck fail(ScriptCheck check, ScriptVerdict verdict, std::string component,
                 std::string reason) {
  check.verdict = verdict;
  check.component = std::move(component);
  check.reason = std::move(reason);
  return check;
}

}  // namespace

ScriptCheck checkScript(const std::string& path, uid_t uid, gid_t gid, const FileLookup& fs) {
  ScriptCheck check;
  auto real = fs.realPath(path);
  if (!real) return fail(check, ScriptVerdict::NotFound, path, real.error().message());
  check.resolved = real.value();
  auto components = prefixes(check.resolved);
  std::vector<FileInfo> infos;
  for (std::size_t i = 0; i < components.size(); ++i) {
    const auto& component = components[i];
    bool last = i + 1 == components.size();
    auto info = fs.lstat(component);
    if (!info) return fail(check, ScriptVerdict::NotFound, component, info.error().message());
    const FileInfo& f = info.value();
    if (!last && !S_ISDIR(f.mode)) {
      return fail(check, ScriptVerdict::NotFound, component, "not a directory");
    }
    if (last && !S_ISREG(f.mode)) {
      return fail(check, ScriptVerdict::NotExecutable, component, "not a regular file");
    }
    if (!mayExecute(f, uid, gid)) {
      return fail(check, ScriptVerdict::NotExecutable, component,
                  "no " + std::string(last ? "execute" : "search") + " permission for uid:gid " +
                      std::to_string(uid) + ":" + std::to_string(gid));
    }
    infos.push_back(f);
  }
  check.privilege = rootPrivilege(infos.back(), uid, gid);
  check.runsAsRoot = !check.privilege.empty();
  if (!check.runsAsRoot) return check;
  for (std::size_t i = 0; i < components.size(); ++i) {
    auto reason = insecureReason(infos[i]);
    if (!reason.empty()) return fail(check, ScriptVerdict::Insecure, components[i], reason);
  }
  return check;
}

std::string describeInsecurity(const ScriptCheck& check) {
  return fmt::format("'{}' is {} and the script {}", check.component, check.reason,
                     check.privilege);
}

ExecResult<std::string> resolveProgram(const std::string& name, const FileLookup& fs) {
  if (name.find('/') != std::string::npos) return name;
  if (name.empty()) return std::make_error_code(std::errc::no_such_file_or_directory);
  std::string_view dirs = kScriptPath;
  while (!dirs.empty()) {
    auto colon = dirs.find(':');
    std::string candidate = std::string(dirs.substr(0, colon)) + "/" + name;
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    // Follow symlinks (merged /usr, alternatives): judge what exec would run.
    auto real = fs.realPath(candidate);
    if (!real) continue;
    auto info = fs.lstat(real.value());
    if (info && S_ISREG(info.value().mode) && (info.value().mode & kAnyExec) != 0) {
      return candidate;
    }
  }
  return std::make_error_code(std::errc::no_such_file_or_directory);
}

namespace {

class ScriptUserCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vipd.exec.script_user"; }
  std::string message(int value) const override {
    switch (static_cast<ScriptUserErrc>(value)) {
      case ScriptUserErrc::UnknownUser:
        return "no such user";
      case ScriptUserErrc::UnknownGroup:
        return "no such group";
      case ScriptUserErrc::NoDefaultUser:
        return std::string(
                   "enable_script_security is set, no script_user is configured and "
                   "the default user ") +
               kDefaultScriptUser + " does not exist";
    }
    return "unknown script user error";
  }
};

ExecResult<ScriptIdentity> configuredIdentity(const UserSpec& spec, const AccountLookup& accounts) {
  auto user = accounts.user(spec.user);
  if (!user) return user.error();
  if (!user.value()) return ScriptUserErrc::UnknownUser;
  ScriptIdentity id{user.value()->uid, user.value()->primaryGid, false};
  if (!spec.group) return id;
  auto group = accounts.group(*spec.group);
  if (!group) return group.error();
  if (!group.value()) return ScriptUserErrc::UnknownGroup;
  id.gid = *group.value();
  return id;
}

}  // namespace

const std::error_category& scriptUserCategory() {
  static const ScriptUserCategory category;
  return category;
}

ExecResult<ScriptIdentity> resolveScriptUser(const std::optional<UserSpec>& configured,
                                             bool enableScriptSecurity,
                                             const AccountLookup& accounts) {
  if (configured) return configuredIdentity(*configured, accounts);
  auto fallback = accounts.user(kDefaultScriptUser);
  if (!fallback) return fallback.error();
  if (fallback.value())
    return ScriptIdentity{fallback.value()->uid, fallback.value()->primaryGid, false};
  // keepalived drops the scripts rather than run them as root here [GH#2184].
  if (enableScriptSecurity) return ScriptUserErrc::NoDefaultUser;
  return ScriptIdentity{0, 0, true};
}

}  // namespace vipd::exec
