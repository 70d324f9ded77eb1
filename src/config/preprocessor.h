#pragma once

// Internal to the config area: keepalived's line preprocessor.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/config/diagnostic.h"
#include "vipd/config/lexer.h"

namespace vipd::config::detail {

/// Strips leading blanks, a `#`/`!` comment (outside double quotes) and
/// trailing blanks, and turns `\#`/`\!` outside quotes into `#`/`!`
/// [SRC lib/parser.c:decomment]. A final unescaped `\` is removed and reported
/// as a continuation (and kept in the text if `keepTrailingBackslash`, as
/// keepalived does when it decomments a line again after substitution).
/// Unterminated quotes are left for tokenize() to report.
bool decomment(Line& line, bool keepTrailingBackslash = false);

/// Builds a Line (no tokens yet) for physical line `lineNumber` of `file`.
Line makePhysicalLine(std::string_view raw, const std::string& file, std::uint32_t lineNumber);

/// Cuts `line.text` into Words / braces with keepalived's keyword rules
/// [SRC lib/parser.c:alloc_strvec_r]: blanks separate words, `"…"` quotes a
/// word (no escapes), a `"` inside a word ends it.
void tokenize(Line& line, Diagnostics& diagnostics);

/// If `line` holds a `{` or `}` outside double quotes that is not alone, cuts
/// the line before it (or just after it, when it comes first) and returns the
/// rest [SRC lib/parser.c:read_line, "Search for BOB[0] or EOB[0]"].
std::optional<Line> splitAtBrace(Line& line);

/// keepalived's `$NAME=value` parameters, `@id` conditions and `${NAME}`
/// substitution, applied to decommented lines in file order. Definitions are
/// global across included files, as in keepalived.
class Preprocessor {
 public:
  Preprocessor(const LexOptions& options, Diagnostics& diagnostics);

  /// Directory returned by `${_PWD}` (the current file's directory).
  void setCurrentDirectory(std::string directory) { currentDirectory_ = std::move(directory); }
  /// True while the lines of a multi-line `$NAME= \` definition are read.
  bool collecting() const { return collecting_ != nullptr; }
  /// An empty physical line (and the end of a file) ends a multi-line
  /// definition.
  void endDefinition();

  /// Processes one decommented physical line (`continuation`: it ended in an
  /// unescaped `\`). Appends the resulting tokenized logical lines to `out`.
  void process(Line line, bool continuation, std::vector<Line>& out);

 private:
  struct Definition {
    enum class Builtin : std::uint8_t { None, Pwd, Instance, Random };
    std::string value;  // lines separated by '\n' when multiline
    bool multiline = false;
    Builtin builtin = Builtin::None;
  };
  struct Match {
    Definition* definition = nullptr;
    std::size_t length = 0;  // of "$NAME" or "${NAME params}"
    std::string params;
  };
  enum class Substituted : std::uint8_t { Nothing, Changed, Failed };

  void processOne(Line line, bool continuation, std::deque<Line>& pending, std::vector<Line>& out);
  bool expand(Line& line, bool continuation, std::deque<Line>& pending);
  bool applyCondition(Line& line);
  bool define(const Line& line, bool continuation);
  void addDefinitionLine(const Line& line, bool continuation);
  Substituted substitute(Line& line, std::deque<Line>& pending);
  std::optional<Match> findDefinition(const std::string& text, std::size_t start);
  std::string valueOf(const Match& match, const SourceLocation& where);
  void warnUndefinedBraces(const Line& line);

  const LexOptions& options_;
  Diagnostics& diagnostics_;
  std::map<std::string, Definition, std::less<>> definitions_;
  /// Bytes substituted since the current physical line began (process()).
  std::size_t expansionBytes_ = 0;
  Definition* collecting_ = nullptr;
  std::string currentDirectory_;
  std::mt19937 random_;
  /// Locations already warned about (a brace residue is processed again).
  std::set<std::string> warned_;
};

}  // namespace vipd::config::detail
