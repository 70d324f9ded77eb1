#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <system_error>

namespace vipd::util {

/// Replaces `path` with `content` so that a reader sees either the old file
/// or the whole new one: the text goes to a fresh temporary file in the same
/// directory (created with O_EXCL under a random name, so a symlink planted
/// in a shared directory such as /tmp is never followed), gets `mode`, and is
/// renamed over `path`. A symlink at `path` itself is replaced, not followed.
/// No fsync: the files this writes are snapshots for a reader, rewritten on
/// demand, and the caller's loop must not wait for the disk.
/// Returns the first error (the temporary file is removed then).
std::error_code writeFileAtomically(const std::string& path, std::string_view content, mode_t mode);

}  // namespace vipd::util
