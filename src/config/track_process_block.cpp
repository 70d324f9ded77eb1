// vrrp_track_process NAME { ... } [K5 §VRRP track processes;
// SRC vrrp_parser.c:vrrp_tprocess_*_handler, vrrp_data.c:alloc_vrrp_process].
// keepalived checks quorum against quorum_max as each line is read, so the
// order of the two lines matters, as it does here.

#include <array>

#include "draft.h"
#include "values.h"

namespace vipd::config::detail {

namespace {

using std::chrono::microseconds;
using std::chrono::seconds;

constexpr std::uint64_t kMaxQuorum = 65535;
/// TASK_COMM_LEN - 1: the longest name /proc/PID/comm holds.
constexpr std::size_t kCommLength = 15;

struct ProcessDraft {
  TrackProcess process;
  std::optional<SourceLocation> processLine;
  std::optional<SourceLocation> weightLine;
};

// [SRC vrrp_tprocess_process_handler]: the first `process` wins; parameters
// imply full_command and, unless param_match said otherwise, an exact match.
void onProcess(ProcessDraft& d, const Line& line, ParseContext& c) {
  if (!checkArgs(c, line, 1, line.tokens.size())) return;
  if (d.processLine) {
    c.diagnostics.warning(line.tokens[1].where, "'process' was already given at " +
                                                    toString(*d.processLine) + "; ignored");
    return;
  }
  d.processLine = line.tokens[1].where;
  d.process.process = line.tokens[1].text;
  for (std::size_t at = 2; at < line.tokens.size(); ++at) {
    d.process.parameters.push_back(line.tokens[at].text);
  }
  if (!d.process.parameters.empty()) {
    if (d.process.paramMatch == ParamMatch::None) d.process.paramMatch = ParamMatch::Exact;
    d.process.fullCommand = true;
  }
}

// [SRC vrrp_tprocess_match_handler]: every form implies full_command.
void onParamMatch(ProcessDraft& d, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 1);
  ParamMatch match = ParamMatch::Exact;
  if (line.tokens.size() > 1) {
    const Token& kind = line.tokens[1];
    if (kind.text == "initial") {
      match = ParamMatch::Initial;
    } else if (kind.text == "partial") {
      match = ParamMatch::Partial;
    } else {
      c.diagnostics.error(kind.where,
                          "param_match expects initial or partial (or nothing, for an "
                          "exact match), got '" +
                              kind.text + "'");
      return;
    }
  }
  d.process.paramMatch = match;
  d.process.fullCommand = true;
}

// [SRC vrrp_tprocess_weight_handler]: a non-zero weight cannot be replaced.
void onWeight(ProcessDraft& d, const Line& line, ParseContext& c) {
  if (d.process.weight != 0) {
    c.diagnostics.warning(line.tokens[0].where,
                          "'weight' was already given at " + toString(*d.weightLine) + "; ignored");
    return;
  }
  if (readWeight(c, line, "vrrp_track_process weight", 254, d.process.weight, d.process.reverse)) {
    d.weightLine = line.tokens[0].where;
  }
}

// [SRC vrrp_tprocess_quorum_handler]
void onQuorum(ProcessDraft& d, const Line& line, ParseContext& c) {
  const auto value = readUnsignedArg(c, line, 1, kMaxQuorum);
  if (!value) return;
  if (*value > d.process.quorumMax) {
    c.diagnostics.error(line.tokens[1].where,
                        "quorum " + line.tokens[1].text + " is greater than quorum_max " +
                            std::to_string(d.process.quorumMax) + " (given before it)");
    return;
  }
  d.process.quorum = static_cast<std::uint32_t>(*value);
}

// [SRC vrrp_tprocess_quorum_max_handler]: 0 means "must not run" and sets
// quorum to 0; it is refused after an explicit quorum above 1.
void onQuorumMax(ProcessDraft& d, const Line& line, ParseContext& c) {
  const auto value = readUnsignedArg(c, line, 0, kMaxQuorum);
  if (!value) return;
  const auto max = static_cast<std::uint32_t>(*value);
  if ((max != 0 || d.process.quorum > 1) && max < d.process.quorum) {
    c.diagnostics.error(line.tokens[1].where,
                        "quorum_max " + line.tokens[1].text + " is less than quorum " +
                            std::to_string(d.process.quorum) + " (given before it)");
    return;
  }
  d.process.quorumMax = max;
  if (max == 0) {
    d.process.quorum = 0;
  } else if (d.process.quorum == 0) {
    d.process.quorum = 1;
  }
}

// [SRC vrrp_tprocess_delay_general]: 0.000001..3600 s; `delay` sets both.
void onDelay(ProcessDraft& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  const auto value =
      readSeconds(*token, microseconds(1), seconds(3600), line.tokens[0].text, c.diagnostics);
  if (!value) return;
  const std::string& keyword = line.tokens[0].text;
  if (keyword != "fork_delay") d.process.terminateDelay = *value;
  if (keyword != "terminate_delay") d.process.forkDelay = *value;
}

void onFullCommand(ProcessDraft& d, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  d.process.fullCommand = true;
}

constexpr std::array kProcessKeywords = {
    Keyword<ProcessDraft>{"process", false, onProcess},
    Keyword<ProcessDraft>{"param_match", false, onParamMatch},
    Keyword<ProcessDraft>{"weight", false, onWeight},
    Keyword<ProcessDraft>{"quorum", false, onQuorum},
    Keyword<ProcessDraft>{"quorum_max", false, onQuorumMax},
    Keyword<ProcessDraft>{"delay", false, onDelay},
    Keyword<ProcessDraft>{"fork_delay", false, onDelay},
    Keyword<ProcessDraft>{"terminate_delay", false, onDelay},
    Keyword<ProcessDraft>{"full_command", false, onFullCommand},
};

}  // namespace

void listTrackProcessKeywords(std::vector<SupportedKeyword>& out) {
  appendKeywords<ProcessDraft>(out, "vrrp_track_process", kProcessKeywords);
}

// [SRC vrrp_tprocess_end_handler]: a block without `process` is dropped.
void parseTrackProcess(ParseContext& context, const Line& line, Document& document) {
  const Token* name = openNamedBlock(context, line);
  if (name == nullptr) return;
  const Token& keyword = line.tokens[0];
  if (alreadyDefined(context, document.trackProcesses, keyword, *name, line)) return;
  ProcessDraft draft;
  draft.process.name = name->text;
  draft.process.where = keyword.where;
  parseBlock<ProcessDraft>(context, line, kProcessKeywords, {}, keyword.text, draft);
  // keepalived logs "process name not specified" and starts anyway.
  if (!draft.processLine) {
    context.diagnostics.warning(keyword.where, keyword.text + " " + name->text +
                                                   " has no 'process'; removed, as keepalived "
                                                   "does");
    return;
  }
  // keepalived compares such a name with the comm anyway, silently.
  if (!draft.process.fullCommand && draft.process.process.size() > kCommLength) {
    context.diagnostics.warning(*draft.processLine,
                                "process " + draft.process.process + " is longer than the " +
                                    std::to_string(kCommLength) +
                                    " bytes of a process name (/proc/PID/comm), so it never "
                                    "matches without full_command");
  }
  document.trackProcesses.push_back(std::move(draft.process));
}

}  // namespace vipd::config::detail
