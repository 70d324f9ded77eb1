#include "parse_context.h"

#include <algorithm>
#include <string>

namespace vipd::config::detail {

namespace {

std::string blockTitle(const Line& opener) {
  std::string title = opener.tokens[0].text;
  if (opener.tokens.size() > 1) title += " " + opener.tokens[1].text;
  return title;
}

}  // namespace

bool openBlock(ParseContext& context, const Line& keywordLine, std::size_t maxArgs) {
  const std::string& keyword = keywordLine.tokens[0].text;
  if (keywordLine.tokens.size() > maxArgs + 1) {
    const Token& extra = keywordLine.tokens[maxArgs + 1];
    context.diagnostics.error(extra.where,
                              "unexpected '" + extra.text + "' after '" + keyword + "'");
  }
  if (context.lines.atEnd() || !context.lines.peek().isOpenBrace()) {
    context.diagnostics.error(keywordLine.tokens[0].where, "expected '{' after '" + keyword + "'");
    return false;
  }
  context.lines.next();
  return true;
}

const Token* openNamedBlock(ParseContext& context, const Line& keywordLine) {
  if (keywordLine.tokens.size() < 2) {
    context.diagnostics.error(keywordLine.tokens[0].where,
                              keywordLine.tokens[0].text + " needs a name");
    skipStatement(context);
    return nullptr;
  }
  return openBlock(context, keywordLine, 1) ? &keywordLine.tokens[1] : nullptr;
}

void skipToBlockEnd(ParseContext& context, const Line& opener) {
  for (int depth = 1; depth > 0;) {
    if (context.lines.atEnd()) {
      reportUnclosed(context, opener);
      return;
    }
    const Line& line = context.lines.next();
    if (line.isOpenBrace()) ++depth;
    if (line.isCloseBrace()) --depth;
  }
}

void skipStatement(ParseContext& context) {
  if (context.lines.atEnd() || !context.lines.peek().isOpenBrace()) return;
  const Line& brace = context.lines.next();
  skipToBlockEnd(context, brace);
}

void forEachBlockLine(ParseContext& context, const Line& opener,
                      const std::function<void(const Line&)>& onLine) {
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
    onLine(line);
  }
}

bool skipIgnored(ParseContext& context, const Line& line, std::span<const IgnoredKeyword> ignored) {
  const Token& keyword = line.tokens[0];
  const auto found = std::find_if(ignored.begin(), ignored.end(),
                                  [&](const IgnoredKeyword& k) { return k.name == keyword.text; });
  if (found == ignored.end()) return false;
  const std::string why =
      found->why.empty() ? std::string("not supported by vipd, ignored") : std::string(found->why);
  context.diagnostics.unsupported(keyword.where, "'" + keyword.text + "' is " + why);
  skipStatement(context);
  return true;
}

void skipUnknown(ParseContext& context, const Line& line, std::string_view blockName) {
  const Token& keyword = line.tokens[0];
  context.diagnostics.unknownKeyword(
      keyword.where, "unknown keyword '" + keyword.text + "' in " + std::string(blockName));
  skipStatement(context);
}

void skipStrayBlock(ParseContext& context, const Line& line) {
  context.diagnostics.error(line.where, "unexpected '{' (no keyword opens a block here)");
  skipToBlockEnd(context, line);
}

void reportUnclosed(ParseContext& context, const Line& opener) {
  context.diagnostics.error(opener.where,
                            "'" + blockTitle(opener) + "' is not closed: missing '}'");
}

}  // namespace vipd::config::detail
