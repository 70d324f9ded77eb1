#include "preprocessor.h"

#include <cctype>
#include <charconv>
#include <string>
#include <utility>

#include "chars.h"

namespace vipd::config::detail {

namespace {

/// keepalived's MAXBUF is far smaller; this only stops runaway expansion.
constexpr std::size_t kMaxLineLength = 64 * 1024;
/// Substitutions per logical line, and re-scans after them.
constexpr int kMaxSubstitutions = 1000;
/// Logical lines one physical line may expand into.
constexpr std::size_t kMaxLinesPerPhysicalLine = 10000;
/// Bytes of parameter values one physical line may pull in. The limits
/// above alone still allowed 10000 pending lines of 64 KiB each (with their
/// column maps, gigabytes): the config fuzzer ran out of memory on a
/// parameter that nests itself through several multi-line ones. A template
/// of a whole instance is under a KiB; 4 MiB is far beyond any real file.
constexpr std::size_t kMaxExpansionBytes = 4 * 1024 * 1024;

bool isNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// A line produced by a multi-line parameter: it is reported at the `$`.
Line expansionLine(std::string text, const SourceLocation& at) {
  Line line;
  line.columns.assign(text.size(), at.column);
  line.text = std::move(text);
  line.where = at;
  return line;
}

std::vector<std::string> splitLines(const std::string& value) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  while (true) {
    const std::size_t end = value.find('\n', from);
    parts.push_back(value.substr(from, end == std::string::npos ? end : end - from));
    if (end == std::string::npos) return parts;
    from = end + 1;
  }
}

}  // namespace

Preprocessor::Preprocessor(const LexOptions& options, Diagnostics& diagnostics)
    : options_(options),
      diagnostics_(diagnostics),
      random_(options.randomSeed ? *options.randomSeed : std::random_device{}()) {
  // [SRC lib/parser.c:set_std_definitions]
  definitions_["_PWD"].builtin = Definition::Builtin::Pwd;
  definitions_["_INSTANCE"].builtin = Definition::Builtin::Instance;
  definitions_["_RANDOM"].builtin = Definition::Builtin::Random;
  definitions_["_HASH"].value = "#";
  definitions_["_BANG"].value = "!";
}

void Preprocessor::endDefinition() {
  // An empty multi-line definition becomes an ordinary (empty) one.
  if (collecting_ != nullptr && collecting_->value.empty()) collecting_->multiline = false;
  collecting_ = nullptr;
}

void Preprocessor::process(Line line, bool continuation, std::vector<Line>& out) {
  // Lines still to process, in order: brace residues and the further lines
  // of multi-line parameters go to the front, as keepalived's line_residue
  // and multiline stack do.
  std::deque<Line> pending;
  expansionBytes_ = 0;
  processOne(std::move(line), continuation, pending, out);
  // Over the byte budget the rest of this line's expansion is dropped: one
  // error, not one per pending line.
  for (std::size_t produced = 0; !pending.empty() && expansionBytes_ <= kMaxExpansionBytes;
       ++produced) {
    if (produced == kMaxLinesPerPhysicalLine) {
      diagnostics_.error(pending.front().where,
                         "parameter expansion produces too many lines "
                         "(a multi-line parameter that uses itself?)");
      return;
    }
    Line next = std::move(pending.front());
    pending.pop_front();
    processOne(std::move(next), false, pending, out);
  }
}

void Preprocessor::processOne(Line line, bool continuation, std::deque<Line>& pending,
                              std::vector<Line>& out) {
  if (collecting_ != nullptr) {
    addDefinitionLine(line, continuation);
    return;
  }
  if (line.text.empty() || !expand(line, continuation, pending) || line.text.empty()) return;
  if (continuation) {
    diagnostics_.error(line.locationAt(line.text.size() - 1),
                       "a '\\' at the end of a line only continues a multi-line "
                       "$NAME= definition");
  }
  warnUndefinedBraces(line);
  if (std::optional<Line> rest = splitAtBrace(line)) pending.push_front(std::move(*rest));
  tokenize(line, diagnostics_);
  if (!line.tokens.empty()) out.push_back(std::move(line));
}

// [SRC lib/parser.c:read_line, the "recheck" loop]
bool Preprocessor::expand(Line& line, bool continuation, std::deque<Line>& pending) {
  for (int round = 0; round < kMaxSubstitutions; ++round) {
    if (!line.text.empty() && line.text[0] == '@' && !applyCondition(line)) return false;
    if (!line.text.empty() && line.text[0] == '$' && define(line, continuation)) return false;
    if (line.text.starts_with("~SEQ") || line.text.starts_with("~LST")) {
      diagnostics_.error(line.where, "'" + line.text.substr(0, 4) +
                                         "' loops are not supported by vipd; write the lines out");
      return false;
    }
    if (line.text.empty() || line.text[0] == '~' || line.text.find('$') == std::string::npos) {
      return true;
    }
    switch (substitute(line, pending)) {
      case Substituted::Failed:
        return false;
      case Substituted::Nothing:
        return true;
      case Substituted::Changed:
        break;
    }
    // keepalived decomments the substituted line again (a value may hold '#').
    decomment(line, true);
    if (line.text.empty() || (line.text[0] != '@' && line.text.find('$') == std::string::npos)) {
      return true;
    }
  }
  diagnostics_.error(line.where, "parameter substitution does not terminate");
  return false;
}

bool Preprocessor::applyCondition(Line& line) {
  const bool reverse = line.text.size() > 1 && line.text[1] == '^';
  const std::size_t idFrom = reverse ? 2 : 1;
  const std::size_t blank = line.text.find_first_of(" \t", idFrom);
  if (blank == std::string::npos) return false;  // "@id" with nothing after it
  const std::string_view id = std::string_view(line.text).substr(idFrom, blank - idFrom);
  // vipd also answers to kVipdConfigId, so one file can hold lines for vipd
  // only (`@vipd`) or for keepalived only (`@^vipd`) and still use per-host ids.
  const bool match = id == options_.configId || id == kVipdConfigId;
  if (match == reverse) return false;
  std::size_t rest = line.text.find_first_not_of(" \t", blank);
  if (rest == std::string::npos) rest = line.text.size();
  line.text.erase(0, rest);
  line.columns.erase(line.columns.begin(),
                     line.columns.begin() + static_cast<std::ptrdiff_t>(rest));
  if (!line.columns.empty()) line.where.column = line.columns.front();
  return true;
}

// [SRC lib/parser.c:check_definition]: "$NAME=value", no blank before '='.
bool Preprocessor::define(const Line& line, bool continuation) {
  const std::string& text = line.text;
  if (text.size() < 2 || !isNameStart(text[1])) return false;
  std::size_t equals = 2;
  for (; equals < text.size() && text[equals] != '='; ++equals) {
    if (!isNameChar(text[equals])) return false;
  }
  if (equals == text.size()) return false;
  const std::string name = text.substr(1, equals - 1);
  if (name[0] == '_') {
    diagnostics_.warning(line.where,
                         "parameter names starting with '_' are reserved for "
                         "keepalived's predefined parameters");
  }
  const std::size_t valueFrom = text.find_first_not_of(" \t", equals + 1);
  Definition& definition = definitions_[name];
  definition = Definition{};
  if (valueFrom != std::string::npos) definition.value = text.substr(valueFrom);
  definition.multiline = continuation;
  if (continuation) {
    if (!definition.value.empty()) definition.value += '\n';
    collecting_ = &definition;
  }
  return true;
}

void Preprocessor::addDefinitionLine(const Line& line, bool continuation) {
  // Continued lines are joined with '\n'; blank continued lines are dropped.
  if (!line.text.empty()) {
    collecting_->value += line.text;
    if (continuation) collecting_->value += '\n';
  }
  if (!continuation) endDefinition();
}

// [SRC lib/parser.c:replace_param]. The scan does not advance past a
// replacement, so values are expanded recursively at use time.
Preprocessor::Substituted Preprocessor::substitute(Line& line, std::deque<Line>& pending) {
  bool changed = false;
  int count = 0;
  std::size_t at = 0;
  while ((at = line.text.find('$', at)) != std::string::npos && at + 1 < line.text.size()) {
    const std::optional<Match> match = findDefinition(line.text, at + 1);
    if (!match) {
      ++at;
      continue;
    }
    const SourceLocation where = line.locationAt(at);
    if (++count > kMaxSubstitutions) {
      diagnostics_.error(where,
                         "parameter substitution does not terminate "
                         "(a parameter that uses itself?)");
      return Substituted::Failed;
    }
    changed = true;
    const std::string value = valueOf(*match, where);
    expansionBytes_ += value.size();
    if (expansionBytes_ > kMaxExpansionBytes) {
      diagnostics_.error(where, "parameter expansion of this line exceeds " +
                                    std::to_string(kMaxExpansionBytes / (1024 * 1024)) +
                                    " MiB (a parameter that uses itself?)");
      return Substituted::Failed;
    }
    std::string replacement = value;
    if (match->definition->multiline) {
      std::vector<std::string> parts = splitLines(value);
      replacement = parts[0];
      for (std::size_t i = parts.size(); i-- > 1;) {
        pending.push_front(expansionLine(std::move(parts[i]), where));
      }
    }
    const auto first = line.columns.begin() + static_cast<std::ptrdiff_t>(at);
    line.columns.erase(first, first + static_cast<std::ptrdiff_t>(match->length));
    line.columns.insert(line.columns.begin() + static_cast<std::ptrdiff_t>(at), replacement.size(),
                        where.column);
    line.text.replace(at, match->length, replacement);
    if (line.text.size() > kMaxLineLength) {
      diagnostics_.error(where, "line longer than " + std::to_string(kMaxLineLength) +
                                    " bytes after parameter substitution");
      return Substituted::Failed;
    }
    const std::size_t nonBlank = value.find_first_not_of(" \t");
    if (nonBlank != std::string::npos && value[nonBlank] == '~') break;
  }
  return changed ? Substituted::Changed : Substituted::Nothing;
}

// [SRC lib/parser.c:find_definition]: "$NAME" must be followed by a blank,
// ',', ')' or the end of the line; "${NAME}" by anything. Only _RANDOM takes
// parameters ("${_RANDOM 1 10}"). A multi-line parameter must end the line.
std::optional<Preprocessor::Match> Preprocessor::findDefinition(const std::string& text,
                                                                std::size_t start) {
  const bool braces = text[start] == '{';
  const std::size_t nameFrom = start + (braces ? 1 : 0);
  if (nameFrom >= text.size() || !isNameStart(text[nameFrom])) return std::nullopt;
  std::size_t nameEnd = nameFrom + 1;
  while (nameEnd < text.size() && isNameChar(text[nameEnd])) ++nameEnd;
  std::size_t end = nameEnd;
  std::string params;
  if (braces) {
    std::size_t paramsFrom = std::string::npos;
    std::size_t paramsTo = 0;
    for (; end < text.size() && (text[end] == ' ' || isDigit(text[end])); ++end) {
      if (text[end] == ' ') continue;
      if (paramsFrom == std::string::npos) paramsFrom = end;
      paramsTo = end + 1;
    }
    if (paramsFrom != std::string::npos && paramsTo != end) return std::nullopt;
    if (end >= text.size() || text[end] != '}') return std::nullopt;
    if (paramsFrom != std::string::npos) params = text.substr(paramsFrom, paramsTo - paramsFrom);
    ++end;
  } else if (nameEnd < text.size() &&
             std::string_view(" \t,)").find(text[nameEnd]) == std::string_view::npos) {
    return std::nullopt;
  }
  const auto found = definitions_.find(std::string_view(text).substr(nameFrom, nameEnd - nameFrom));
  if (found == definitions_.end()) return std::nullopt;
  Definition& definition = found->second;
  if (definition.multiline && end != text.size()) return std::nullopt;
  if (!params.empty() && definition.builtin != Definition::Builtin::Random) return std::nullopt;
  return Match{&definition, end - (start - 1), std::move(params)};
}

std::string Preprocessor::valueOf(const Match& match, const SourceLocation& where) {
  switch (match.definition->builtin) {
    case Definition::Builtin::None:
      return match.definition->value;
    case Definition::Builtin::Pwd:
      return currentDirectory_;
    case Definition::Builtin::Instance:
      return options_.configId;
    case Definition::Builtin::Random:
      break;
  }
  // ${_RANDOM [MIN [MAX]]}, default 0..32767 [SRC lib/parser.c:get_random]
  std::uint64_t bounds[2] = {0, 32767};
  std::size_t count = 0;
  const char* at = match.params.data();
  const char* end = at + match.params.size();
  while (at < end) {
    while (at < end && *at == ' ') ++at;
    if (at == end) break;
    std::uint64_t value = 0;
    const auto [next, error] = std::from_chars(at, end, value);
    if (error != std::errc{} || count == 2) {
      diagnostics_.warning(where, "${_RANDOM} takes at most two numbers MIN and MAX");
      break;
    }
    bounds[count++] = value;
    at = next;
  }
  if (bounds[0] > bounds[1]) {
    diagnostics_.warning(where, "${_RANDOM} MIN is greater than MAX; swapping them");
    std::swap(bounds[0], bounds[1]);
  }
  std::uniform_int_distribution<std::uint64_t> distribution(bounds[0], bounds[1]);
  return std::to_string(distribution(random_));
}

void Preprocessor::warnUndefinedBraces(const Line& line) {
  // Outside quotes, a "${NAME}" left as written is then read as a block.
  const std::string& text = line.text;
  bool quoted = false;
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (quoted || text[i] != '$' || text[i + 1] != '{' || !isNameStart(text[i + 2])) continue;
    std::size_t end = i + 3;
    while (end < text.size() && isNameChar(text[end])) ++end;
    const SourceLocation where = line.locationAt(i);
    if (end < text.size() && text[end] == '}' && warned_.insert(toString(where)).second) {
      diagnostics_.warning(where, "parameter '" + text.substr(i, end + 1 - i) +
                                      "' is not defined and is left as written");
    }
  }
}

}  // namespace vipd::config::detail
