#include "vipd/track/process_match.h"

#include <algorithm>

namespace vipd::track {

namespace {

/// The configured parameters as the kernel lays them out: each NUL-terminated.
std::string joinedParameters(const config::TrackProcess& tracker) {
  std::string joined;
  for (const std::string& parameter : tracker.parameters) {
    joined += parameter;
    joined += '\0';
  }
  return joined;
}

// [SRC core/track_process.c:check_params]
bool parametersMatch(const config::TrackProcess& tracker, std::string_view actual) {
  const std::string wanted = joinedParameters(tracker);
  if (tracker.paramMatch == config::ParamMatch::Exact) return actual == wanted;
  if (actual.size() < wanted.size()) return false;
  if (wanted.empty()) return true;
  if (tracker.paramMatch == config::ParamMatch::Partial) {
    return actual.substr(0, wanted.size()) == wanted;
  }
  // Initial: all but the last parameter's NUL, so it may continue.
  return actual.substr(0, wanted.size() - 1) ==
         std::string_view(wanted).substr(0, wanted.size() - 1);
}

}  // namespace

bool matchesProcess(const config::TrackProcess& tracker, const ProcessIdentity& process) {
  if (!tracker.fullCommand) return process.comm == tracker.process;
  const std::string_view cmdline = process.cmdline;
  const std::size_t end = cmdline.find('\0');
  const std::string_view argv0 = cmdline.substr(0, end);
  if (argv0 != tracker.process) return false;
  if (tracker.paramMatch == config::ParamMatch::None) return true;
  const std::string_view parameters =
      end == std::string_view::npos ? std::string_view() : cmdline.substr(end + 1);
  return parametersMatch(tracker, parameters);
}

bool needsCmdline(const std::vector<config::TrackProcess>& trackers) {
  return std::any_of(trackers.begin(), trackers.end(),
                     [](const config::TrackProcess& t) { return t.fullCommand; });
}

// keepalived's vrrp_max_process_name_len is the longest "process\0param\0..."
// [SRC vrrp_parser.c:vrrp_tprocess_process_handler].
std::size_t cmdlineReadLimit(const std::vector<config::TrackProcess>& trackers) {
  std::size_t longest = 0;
  for (const config::TrackProcess& t : trackers) {
    longest = std::max(longest, t.process.size() + 1 + joinedParameters(t).size());
  }
  return longest + 2;
}

std::optional<ProcStat> parseProcStat(std::string_view text) {
  const std::size_t open = text.find('(');
  const std::size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open ||
      close + 2 >= text.size() || text[close + 1] != ' ') {
    return std::nullopt;
  }
  return ProcStat{std::string(text.substr(open + 1, close - open - 1)), text[close + 2]};
}

std::string commFromFile(std::string_view content) {
  if (!content.empty() && content.back() == '\n') content.remove_suffix(1);
  return std::string(content);
}

}  // namespace vipd::track
