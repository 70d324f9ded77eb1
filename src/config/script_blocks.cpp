// vrrp_script NAME { ... }, vipd's vipd_check NAME { ... } and track_file
// NAME { ... } [K5 §VRRP script(s), §Track files; SRC
// vrrp_parser.c:vrrp_vscript_*_handler, trackers/track_file.c]

#include <array>
#include <cctype>
#include <limits>

#include "draft.h"
#include "values.h"

namespace vipd::config::detail {

namespace {

using std::chrono::seconds;

/// keepalived keeps script times as µs in an unsigned.
constexpr std::uint64_t kMaxScriptSeconds = std::numeric_limits<std::uint32_t>::max() / 1'000'000;
constexpr std::uint64_t kIntMax = std::numeric_limits<std::int32_t>::max();

/// A vrrp_script or a vipd_check, which share their timing and weight keywords.
struct ScriptDraft {
  VrrpScript script;
  std::optional<SourceLocation> command;
  bool timeoutGiven = false;
  bool isCheck = false;
  /// Where the vipd_check's TCP_CHECK or HTTP_GET block starts.
  std::optional<SourceLocation> probe;
};

/// `interval` / `timeout`: whole seconds; 0 is accepted for pre-2.0.7 configs
/// and means 1 (not in a vipd_check, which has no old configs to accept).
std::optional<seconds> scriptSeconds(ParseContext& c, const Line& line, bool isCheck) {
  auto value = readUnsignedArg(c, line, isCheck ? 1 : 0, kMaxScriptSeconds);
  if (!value) return std::nullopt;
  if (*value == 0) {
    c.diagnostics.warning(line.tokens[1].where,
                          "'" + line.tokens[0].text + "' must be greater than 0; using 1");
    value = 1;
  }
  return seconds(*value);
}

void onScript(ScriptDraft& d, const Line& line, ParseContext& c) {
  auto command = parseCommand(line, c.diagnostics);
  if (!command) return;
  if (d.command) {
    c.diagnostics.warning(line.tokens[0].where, "'script' was already given at " +
                                                    toString(*d.command) + "; the last one is used");
  }
  d.command = command->where;
  d.script.argv = std::move(command->argv);
}

void onInterval(ScriptDraft& d, const Line& line, ParseContext& c) {
  if (auto value = scriptSeconds(c, line, d.isCheck)) d.script.interval = *value;
}

void onTimeout(ScriptDraft& d, const Line& line, ParseContext& c) {
  if (auto value = scriptSeconds(c, line, d.isCheck)) {
    d.script.timeout = *value;
    d.timeoutGiven = true;
  }
}

void onScriptWeight(ScriptDraft& d, const Line& line, ParseContext& c) {
  readWeight(c, line, d.isCheck ? "vipd_check weight" : "vrrp_script weight", 253, d.script.weight,
             d.script.reverse);
}

void onRiseFall(ScriptDraft& d, const Line& line, ParseContext& c) {
  const auto value = readUnsignedArg(c, line, 1, kIntMax);
  if (!value) return;
  (line.tokens[0].text == "rise" ? d.script.rise : d.script.fall) =
      static_cast<std::uint32_t>(*value);
}

void onUser(ScriptDraft& d, const Line& line, ParseContext& c) {
  if (!checkArgs(c, line, 1, 2)) return;
  d.script.user = RunAs{line.tokens[1].text, std::nullopt};
  if (line.tokens.size() > 2) d.script.user->group = line.tokens[2].text;
}

void onInitFail(ScriptDraft& d, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  d.script.initFail = true;
}

constexpr std::array kScriptKeywords = {
    Keyword<ScriptDraft>{"script", false, onScript},
    Keyword<ScriptDraft>{"interval", false, onInterval},
    Keyword<ScriptDraft>{"timeout", false, onTimeout},
    Keyword<ScriptDraft>{"weight", false, onScriptWeight},
    Keyword<ScriptDraft>{"rise", false, onRiseFall},
    Keyword<ScriptDraft>{"fall", false, onRiseFall},
    Keyword<ScriptDraft>{"user", false, onUser},
    Keyword<ScriptDraft>{"init_fail", false, onInitFail},
};

void onProbe(ScriptDraft& d, const Line& line, ParseContext& c) {
  const Token& keyword = line.tokens[0];
  if (d.probe) {
    c.diagnostics.error(
        keyword.where,
        "a vipd_check has one TCP_CHECK or HTTP_GET; the first is at " + toString(*d.probe));
    skipToBlockEnd(c, line);
    return;
  }
  d.probe = keyword.where;
  d.script.native =
      parseProbeBlock(c, line, keyword.text == "HTTP_GET" ? ProbeKind::Http : ProbeKind::Tcp);
}

constexpr std::array kCheckKeywords = {
    Keyword<ScriptDraft>{"TCP_CHECK", true, onProbe},
    Keyword<ScriptDraft>{"HTTP_GET", true, onProbe},
    Keyword<ScriptDraft>{"interval", false, onInterval},
    Keyword<ScriptDraft>{"timeout", false, onTimeout},
    Keyword<ScriptDraft>{"weight", false, onScriptWeight},
    Keyword<ScriptDraft>{"rise", false, onRiseFall},
    Keyword<ScriptDraft>{"fall", false, onRiseFall},
    Keyword<ScriptDraft>{"init_fail", false, onInitFail},
};

constexpr std::array kIgnoredCheckKeywords = {
    IgnoredKeyword{"script",
                   "not used in a vipd_check, which runs no command (use a "
                   "vrrp_script for one), ignored"},
    IgnoredKeyword{"user", "not used in a vipd_check, which runs no command, ignored"},
    IgnoredKeyword{"SSL_GET", "not supported by vipd_check (TCP_CHECK and HTTP_GET are), ignored"},
    IgnoredKeyword{"SMTP_CHECK",
                   "not supported by vipd_check (TCP_CHECK and HTTP_GET are), ignored"},
    IgnoredKeyword{"DNS_CHECK",
                   "not supported by vipd_check (TCP_CHECK and HTTP_GET are), ignored"},
    IgnoredKeyword{"UDP_CHECK",
                   "not supported by vipd_check (TCP_CHECK and HTTP_GET are), ignored"},
    IgnoredKeyword{"PING_CHECK",
                   "not supported by vipd_check (TCP_CHECK and HTTP_GET are), ignored"},
    IgnoredKeyword{"MISC_CHECK", "not supported by vipd_check (use a vrrp_script), ignored"},
};

struct FileDraft {
  TrackFile file;
  std::optional<SourceLocation> path;
};

// [SRC track_file.c:track_file_file_handler]: the first file wins.
void onFile(FileDraft& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  if (d.path) {
    c.diagnostics.warning(token->where,
                          "'file' was already given at " + toString(*d.path) + "; ignored");
    return;
  }
  d.path = token->where;
  d.file.path = token->text;
}

void onFileWeight(FileDraft& d, const Line& line, ParseContext& c) {
  readWeight(c, line, "track_file weight", 254, d.file.weight, d.file.reverse);
}

// [SRC track_file.c:track_file_init_handler]
void onInitFile(FileDraft& d, const Line& line, ParseContext& c) {
  TrackFileInit init;
  for (std::size_t at = 1; at < line.tokens.size(); ++at) {
    const Token& word = line.tokens[at];
    if (word.text == "overwrite") {
      init.overwrite = true;
    } else if (!word.text.empty() && (std::isdigit(static_cast<unsigned char>(word.text[0])) ||
                                      word.text[0] == '-')) {
      const auto value = readInteger(word, std::numeric_limits<std::int32_t>::min(),
                                     std::numeric_limits<std::int32_t>::max(), "init_file",
                                     c.diagnostics);
      if (!value) return;
      if (*value < -254 || *value > 254) {
        c.diagnostics.warning(word.where, "init_file value " + word.text +
                                              " is outside the useful range -254..254");
      }
      init.value = static_cast<std::int32_t>(*value);
    } else {
      c.diagnostics.error(word.where, "unknown init_file option '" + word.text +
                                          "' (expected a value or overwrite)");
      return;
    }
  }
  d.file.init = init;
}

constexpr std::array kFileKeywords = {
    Keyword<FileDraft>{"file", false, onFile},
    Keyword<FileDraft>{"weight", false, onFileWeight},
    Keyword<FileDraft>{"init_file", false, onInitFile},
};

}  // namespace

void listScriptBlockKeywords(std::vector<SupportedKeyword>& out) {
  appendKeywords<ScriptDraft>(out, "vrrp_script", kScriptKeywords);
  appendKeywords<ScriptDraft>(out, "vipd_check", kCheckKeywords);
  appendKeywords<FileDraft>(out, "track_file", kFileKeywords);
}

/// `weight N [reverse]` of a vrrp_script or track_file definition.
bool readWeight(ParseContext& c, const Line& line, std::string_view what, std::int64_t limit,
                std::int32_t& weight, bool& reverse) {
  if (!checkArgs(c, line, 1, 2)) return false;
  const auto value = readInteger(line.tokens[1], -limit, limit, what, c.diagnostics);
  if (!value) return false;
  if (line.tokens.size() > 2 && line.tokens[2].text != "reverse") {
    c.diagnostics.error(line.tokens[2].where,
                        "unexpected '" + line.tokens[2].text + "' after weight (expected reverse)");
    return false;
  }
  weight = static_cast<std::int32_t>(*value);
  reverse = line.tokens.size() > 2;
  return true;
}

namespace {

/// vrrp_script and vipd_check names are one namespace: track_script names either.
bool scriptNameTaken(ParseContext& c, const Document& document, const Token& keyword,
                     const Token& name, const Line& line) {
  const VrrpScript* other = findByName(document.scripts, name.text);
  if (other == nullptr) return false;
  const std::string otherKind = other->native ? "vipd_check" : "vrrp_script";
  if (otherKind == keyword.text) return alreadyDefined(c, document.scripts, keyword, name, line);
  c.diagnostics.error(name.where, keyword.text + " " + name.text + ": the name is taken by the " +
                                      otherKind + " at " + toString(other->where) +
                                      " (track_script names both kinds, so names must differ)");
  skipToBlockEnd(c, line);
  return true;
}

}  // namespace

// [SRC vrrp_parser.c:vrrp_vscript_end_handler]: a script without a command is removed.
void parseVrrpScript(ParseContext& context, const Line& line, Document& document) {
  const Token* name = openNamedBlock(context, line);
  if (name == nullptr) return;
  const Token& keyword = line.tokens[0];
  if (scriptNameTaken(context, document, keyword, *name, line)) return;
  ScriptDraft draft;
  draft.script.name = name->text;
  draft.script.where = keyword.where;
  parseBlock<ScriptDraft>(context, line, kScriptKeywords, {}, "vrrp_script", draft);
  // keepalived logs "No script set ... - removing" and starts anyway.
  if (!draft.command) {
    context.diagnostics.warning(keyword.where, "vrrp_script " + name->text +
                                                   " has no 'script'; removed, as keepalived does");
    return;
  }
  // VRRP_SCRIPT_DT is 0, which the scheduler reads as "the interval".
  if (!draft.timeoutGiven) draft.script.timeout = draft.script.interval;
  document.scripts.push_back(std::move(draft.script));
}

// vipd's extension: a TCP_CHECK or HTTP_GET probe run like a vrrp_script.
void parseVipdCheck(ParseContext& context, const Line& line, Document& document) {
  const Token* name = openNamedBlock(context, line);
  if (name == nullptr) return;
  const Token& keyword = line.tokens[0];
  if (scriptNameTaken(context, document, keyword, *name, line)) return;
  const std::size_t errorsBefore = context.diagnostics.errorCount();
  ScriptDraft draft;
  draft.isCheck = true;
  draft.script.name = name->text;
  draft.script.where = keyword.where;
  parseBlock<ScriptDraft>(context, line, kCheckKeywords, kIgnoredCheckKeywords, "vipd_check",
                          draft);
  if (!draft.probe) {
    context.diagnostics.error(keyword.where,
                              "vipd_check " + name->text + " needs a TCP_CHECK or HTTP_GET block");
  }
  if (context.diagnostics.errorCount() != errorsBefore || !draft.script.native) return;
  if (!draft.timeoutGiven) draft.script.timeout = draft.script.interval;
  document.scripts.push_back(std::move(draft.script));
}

// [SRC track_file.c:track_file_end_handler]: a track file without a file is dropped.
void parseTrackFile(ParseContext& context, const Line& line, Document& document) {
  const Token& keyword = line.tokens[0];
  if (keyword.text == "vrrp_track_file") {
    context.diagnostics.warning(keyword.where,
                                "'vrrp_track_file' is deprecated; use 'track_file'");
  }
  const Token* name = openNamedBlock(context, line);
  if (name == nullptr) return;
  if (alreadyDefined(context, document.trackFiles, keyword, *name, line)) return;
  FileDraft draft;
  draft.file.name = name->text;
  draft.file.where = keyword.where;
  parseBlock<FileDraft>(context, line, kFileKeywords, {}, keyword.text, draft);
  // keepalived logs "No file set for track_file ... - removing" and starts anyway.
  if (!draft.path) {
    context.diagnostics.warning(keyword.where, keyword.text + " " + name->text +
                                                   " has no 'file'; removed, as keepalived does");
    return;
  }
  document.trackFiles.push_back(std::move(draft.file));
}

}  // namespace vipd::config::detail
