// The real-system adapters of script_security.h: lstat/realpath and NSS.
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <vector>

#include "vipd/exec/script_security.h"

namespace vipd::exec {

namespace {

std::error_code lastError() { return {errno, std::generic_category()}; }

/// Buffer size for the *_r lookups; grows on ERANGE (large group lists).
std::size_t initialBufferSize(int name) {
  long hint = sysconf(name);
  return hint > 0 ? static_cast<std::size_t>(hint) : 16 * 1024;
}

constexpr std::size_t kMaxBuffer = 1024 * 1024;

}  // namespace

ExecResult<FileInfo> SystemFileLookup::lstat(const std::string& path) const {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return lastError();
  return FileInfo{st.st_uid, st.st_gid, st.st_mode};
}

ExecResult<std::string> SystemFileLookup::realPath(const std::string& path) const {
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
  if (!real) return lastError();
  return std::string(real.get());
}

ExecResult<std::optional<Account>> SystemAccountLookup::user(const std::string& name) const {
  std::vector<char> buffer(initialBufferSize(_SC_GETPW_R_SIZE_MAX));
  for (;;) {
    passwd entry{};
    passwd* found = nullptr;
    int rc = getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (rc == ERANGE && buffer.size() < kMaxBuffer) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    // getpwnam_r returns 0 and no entry for a missing name; some NSS modules
    // report that as ENOENT or ESRCH instead.
    if (rc == 0 || rc == ENOENT || rc == ESRCH) {
      if (!found) return std::optional<Account>{};
      return std::optional<Account>{Account{found->pw_uid, found->pw_gid}};
    }
    return std::error_code(rc, std::generic_category());
  }
}

ExecResult<std::optional<gid_t>> SystemAccountLookup::group(const std::string& name) const {
  std::vector<char> buffer(initialBufferSize(_SC_GETGR_R_SIZE_MAX));
  for (;;) {
    struct group entry {};
    struct group* found = nullptr;
    int rc = getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (rc == ERANGE && buffer.size() < kMaxBuffer) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (rc == 0 || rc == ENOENT || rc == ESRCH) {
      if (!found) return std::optional<gid_t>{};
      return std::optional<gid_t>{found->gr_gid};
    }
    return std::error_code(rc, std::generic_category());
  }
}

}  // namespace vipd::exec
