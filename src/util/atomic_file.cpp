// Whole-file replacement by rename; see atomic_file.h.
#include "vipd/util/atomic_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "vipd/util/unique_fd.h"

namespace vipd::util {

namespace {

std::error_code lastError() { return {errno, std::generic_category()}; }

std::error_code writeAll(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return lastError();
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

std::error_code fill(int fd, std::string_view content, mode_t mode) {
  if (::fchmod(fd, mode) != 0) return lastError();
  return writeAll(fd, content);
}

}  // namespace

std::error_code writeFileAtomically(const std::string& path, std::string_view content,
                                    mode_t mode) {
  std::string tmp = path + ".XXXXXX";
  // mkostemp: O_CREAT|O_EXCL, mode 0600 until fchmod.
  UniqueFd fd(::mkostemp(tmp.data(), O_CLOEXEC));
  if (!fd) return lastError();
  std::error_code error = fill(fd.get(), content, mode);
  const int closed = ::close(fd.get());
  (void)fd.release();
  if (!error && closed != 0) error = lastError();
  if (!error && std::rename(tmp.c_str(), path.c_str()) != 0) error = lastError();
  if (error) ::unlink(tmp.c_str());
  return error;
}

}  // namespace vipd::util
