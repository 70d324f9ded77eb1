#pragma once

// Internal to the config area: walking logical lines as keyword statements
// and blocks, with one keyword table per block.

#include <algorithm>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "vipd/config/diagnostic.h"
#include "vipd/config/keywords.h"
#include "vipd/config/lexer.h"

namespace vipd::config::detail {

class LineCursor {
 public:
  explicit LineCursor(const std::vector<Line>& lines) : lines_(lines) {}
  bool atEnd() const { return next_ >= lines_.size(); }
  const Line& peek() const { return lines_[next_]; }
  const Line& next() { return lines_[next_++]; }

 private:
  const std::vector<Line>& lines_;
  std::size_t next_ = 0;
};

struct ParseContext {
  LineCursor& lines;
  Diagnostics& diagnostics;
};

/// One keyword of a block: its name, whether a `{ }` block follows it, and
/// what to do with the statement. Block handlers run after the `{` has been
/// consumed and must consume the block up to its `}`.
template <typename Target>
struct Keyword {
  std::string_view name;
  bool opensBlock = false;
  void (*handle)(Target&, const Line&, ParseContext&) = nullptr;
};

/// Appends the names of `table` as keywords of `block` (supportedKeywords()).
template <typename Target>
void appendKeywords(std::vector<SupportedKeyword>& out, std::string_view block,
                    std::span<const Keyword<Target>> table) {
  for (const Keyword<Target>& keyword : table) out.push_back({block, keyword.name});
}

/// A keepalived keyword that vipd recognises but does not implement: it is
/// reported (as Unsupported) and skipped, with its block if it has one.
/// `why`, if set, replaces the generic "not supported by vipd, ignored".
struct IgnoredKeyword {
  std::string_view name;
  std::string_view why = {};
};

/// The `why` of a keepalived keyword that vipd means to implement.
inline constexpr std::string_view kNotSupportedYet = "not supported by vipd yet, ignored";

/// Consumes the `{` that must follow `keywordLine` (which may carry at most
/// `maxArgs` words after the keyword). Reports and returns false if missing.
bool openBlock(ParseContext& context, const Line& keywordLine, std::size_t maxArgs = 0);
/// For `KEYWORD NAME {` root blocks: consumes the `{` and returns the NAME
/// token, or reports, skips the block and returns nullptr.
const Token* openNamedBlock(ParseContext& context, const Line& keywordLine);
/// Consumes lines up to the `}` matching an already consumed `{`.
void skipToBlockEnd(ParseContext& context, const Line& opener);
/// After a keyword line that is being ignored: skips its block, if one follows.
void skipStatement(ParseContext& context);
/// Calls `onLine` for every line of the block opened by `opener` (whose `{`
/// is consumed) up to its `}`. Nested blocks are reported and skipped.
void forEachBlockLine(ParseContext& context, const Line& opener,
                      const std::function<void(const Line&)>& onLine);
/// Warns (Unsupported) and skips if `line` is in `ignored`; returns whether it was.
bool skipIgnored(ParseContext& context, const Line& line, std::span<const IgnoredKeyword> ignored);
/// Warns (UnknownKeyword) and skips the statement.
void skipUnknown(ParseContext& context, const Line& line, std::string_view blockName);
/// Reports a `{` where a keyword was expected, and skips its block.
void skipStrayBlock(ParseContext& context, const Line& line);
/// Reports a block that the end of the input left open.
void reportUnclosed(ParseContext& context, const Line& opener);

/// Parses the statements of a block whose `{` has been consumed, up to its
/// `}`, dispatching each keyword through `keywords`.
template <typename Target>
void parseBlock(ParseContext& context, const Line& opener,
                std::span<const Keyword<Target>> keywords, std::span<const IgnoredKeyword> ignored,
                std::string_view blockName, Target& target) {
  while (true) {
    if (context.lines.atEnd()) {
      reportUnclosed(context, opener);
      return;
    }
    const Line& line = context.lines.next();
    if (line.isCloseBrace()) return;
    if (line.isOpenBrace()) {
      skipStrayBlock(context, line);
      continue;
    }
    const std::string& name = line.tokens[0].text;
    const auto keyword = std::find_if(keywords.begin(), keywords.end(),
                                      [&](const Keyword<Target>& k) { return k.name == name; });
    if (keyword != keywords.end()) {
      if (!keyword->opensBlock || openBlock(context, line)) keyword->handle(target, line, context);
      continue;
    }
    if (!skipIgnored(context, line, ignored)) skipUnknown(context, line, blockName);
  }
}

}  // namespace vipd::config::detail
