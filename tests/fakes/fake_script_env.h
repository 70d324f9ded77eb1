#pragma once

#include <sys/stat.h>

#include <map>
#include <string>

#include "vipd/exec/script_security.h"

namespace vipd::fakes {

/// An in-memory filesystem for exec::checkScript: paths map to owner and mode;
/// symlinks map a path to its (absolute, resolved) target. Starts with a root
/// directory "/" owned by root, mode 0755.
class FakeFileLookup final : public exec::FileLookup {
 public:
  FakeFileLookup() { dir("/"); }

  FakeFileLookup& dir(const std::string& path, mode_t perms = 0755, uid_t uid = 0, gid_t gid = 0) {
    files_[path] = exec::FileInfo{uid, gid, static_cast<mode_t>(S_IFDIR | perms)};
    return *this;
  }
  FakeFileLookup& file(const std::string& path, mode_t perms = 0755, uid_t uid = 0, gid_t gid = 0) {
    files_[path] = exec::FileInfo{uid, gid, static_cast<mode_t>(S_IFREG | perms)};
    return *this;
  }
  /// Any other file type (a FIFO, a device) given by its full st_mode.
  FakeFileLookup& node(const std::string& path, mode_t mode, uid_t uid = 0, gid_t gid = 0) {
    files_[path] = exec::FileInfo{uid, gid, mode};
    return *this;
  }
  FakeFileLookup& symlink(const std::string& path, const std::string& target) {
    links_[path] = target;
    return *this;
  }

  exec::ExecResult<exec::FileInfo> lstat(const std::string& path) const override {
    if (auto it = files_.find(path); it != files_.end()) return it->second;
    return std::make_error_code(std::errc::no_such_file_or_directory);
  }

  exec::ExecResult<std::string> realPath(const std::string& path) const override {
    if (auto it = links_.find(path); it != links_.end()) return realPath(it->second);
    if (files_.count(path) > 0) return path;
    return std::make_error_code(std::errc::no_such_file_or_directory);
  }

 private:
  std::map<std::string, exec::FileInfo> files_;
  std::map<std::string, std::string> links_;
};

/// Users and groups for exec::resolveScriptUser; `failing()` makes every
/// lookup fail with EIO, as a broken NSS backend would.
class FakeAccountLookup final : public exec::AccountLookup {
 public:
  FakeAccountLookup& user(const std::string& name, uid_t uid, gid_t primaryGid) {
    users_[name] = exec::Account{uid, primaryGid};
    return *this;
  }
  FakeAccountLookup& group(const std::string& name, gid_t gid) {
    groups_[name] = gid;
    return *this;
  }
  FakeAccountLookup& failing() {
    failing_ = true;
    return *this;
  }

  exec::ExecResult<std::optional<exec::Account>> user(const std::string& name) const override {
    if (failing_) return std::make_error_code(std::errc::io_error);
    if (auto it = users_.find(name); it != users_.end()) return std::optional{it->second};
    return std::optional<exec::Account>{};
  }
  exec::ExecResult<std::optional<gid_t>> group(const std::string& name) const override {
    if (failing_) return std::make_error_code(std::errc::io_error);
    if (auto it = groups_.find(name); it != groups_.end()) return std::optional{it->second};
    return std::optional<gid_t>{};
  }

 private:
  std::map<std::string, exec::Account> users_;
  std::map<std::string, gid_t> groups_;
  bool failing_ = false;
};

}  // namespace vipd::fakes
