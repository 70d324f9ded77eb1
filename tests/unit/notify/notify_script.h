#pragma once

// A notify command as the notify tests write it.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vipd/config/model.h"

namespace vipd::notify::testing {

/// What the parser makes of `notify_* "WORD..." [USER [GROUP]]` when the words
/// need no quoting: `command` is the words joined by blanks.
inline config::NotifyScript script(std::vector<std::string> argv,
                                   std::optional<std::string> user = std::nullopt,
                                   std::optional<std::string> group = std::nullopt) {
  config::NotifyScript s;
  for (const auto& word : argv) s.command += (s.command.empty() ? "" : " ") + word;
  s.argv = std::move(argv);
  s.user = std::move(user);
  s.group = std::move(group);
  return s;
}

}  // namespace vipd::notify::testing
