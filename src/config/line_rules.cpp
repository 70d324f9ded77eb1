// keepalived's character-level rules: comments, word splitting, braces, and
// the quote-and-escape splitter used for script commands.

#include <cctype>
#include <string>
#include <string_view>

#include "chars.h"
#include "preprocessor.h"
#include "vipd/config/lexer.h"

namespace vipd::config {

namespace {

using detail::isBlank;

constexpr std::string_view kWhiteSpace = " \t\f\n\r\v";

bool isOctal(char c) { return c >= '0' && c <= '7'; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct Word {
  std::string text;
  std::size_t offset = 0;
};

struct SplitError {
  std::size_t offset = 0;
  std::string message;
};

/// Decodes the escape whose backslash is at s[at - 1]; advances `at`.
char decodeEscape(std::string_view s, std::size_t& at) {
  const char c = s[at];
  if (c == 'x' && at + 1 < s.size() && hexValue(s[at + 1]) >= 0) {
    unsigned value = 0;
    for (++at; at < s.size() && hexValue(s[at]) >= 0; ++at) {
      value = ((value << 4) | static_cast<unsigned>(hexValue(s[at]))) & 0xffU;
    }
    return static_cast<char>(value);
  }
  if (c == 'c' && at + 1 < s.size()) {
    const char control = static_cast<char>(s[at + 1] & 0x1f);
    at += 2;
    return control;
  }
  if (isOctal(c)) {
    unsigned value = 0;
    for (int digits = 0; digits < 3 && at < s.size() && isOctal(s[at]); ++digits, ++at) {
      value = ((value << 3) | static_cast<unsigned>(s[at] - '0')) & 0xffU;
    }
    return static_cast<char>(value);
  }
  ++at;
  switch (c) {
    case 'a':
      return '\a';
    case 'b':
      return '\b';
    case 'E':
      return '\x1b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    default:
      return c;  // \\, \", \' and any other character
  }
}

/// [SRC lib/parser.c:alloc_strvec_quoted_escaped]
bool splitWords(std::string_view s, std::vector<Word>& words, SplitError& error) {
  std::size_t at = 0;
  while (true) {
    at = s.find_first_not_of(kWhiteSpace, at);
    if (at == std::string_view::npos) return true;
    Word word{{}, at};
    char quote = 0;
    std::size_t quoteAt = 0;
    while (at < s.size()) {
      const std::string_view stops = quote == '"'    ? std::string_view("\"\\")
                                     : quote == '\'' ? std::string_view("'\\")
                                                     : std::string_view(" \t\f\n\r\v'\"\\");
      const std::size_t stop = s.find_first_of(stops, at);
      if (stop == std::string_view::npos) {
        if (quote) {
          error = {quoteAt, std::string("missing terminating ") + quote + " quote"};
          return false;
        }
        word.text.append(s.substr(at));
        at = s.size();
        break;
      }
      word.text.append(s.substr(at, stop - at));
      at = stop;
      if (s[at] == '\\') {
        if (++at == s.size()) {
          error = {at - 1, "'\\' at the end of the line escapes nothing"};
          return false;
        }
        word.text.push_back(decodeEscape(s, at));
        continue;
      }
      if (quote) {  // the closing quote
        quote = 0;
        ++at;
        continue;
      }
      if (s[at] == '"' || s[at] == '\'') {
        quote = s[at];
        quoteAt = at++;
        continue;
      }
      break;  // white space ends the word
    }
    words.push_back(std::move(word));
  }
}

Line sliceLine(const Line& line, std::size_t from, std::size_t to) {
  Line out;
  out.text = line.text.substr(from, to - from);
  out.columns.assign(line.columns.begin() + static_cast<std::ptrdiff_t>(from),
                     line.columns.begin() + static_cast<std::ptrdiff_t>(to));
  out.where = line.locationAt(from);
  return out;
}

void trimTrailingBlanks(Line& line) {
  while (!line.text.empty() && isBlank(line.text.back())) {
    line.text.pop_back();
    line.columns.pop_back();
  }
}

}  // namespace

SourceLocation Line::locationAt(std::size_t offset) const {
  SourceLocation at = where;
  if (!columns.empty()) at.column = columns[std::min(offset, columns.size() - 1)];
  return at;
}

std::optional<std::vector<Token>> splitQuotedEscaped(const Line& line, std::size_t offset,
                                                     Diagnostics& diagnostics) {
  std::vector<Word> words;
  SplitError error;
  const std::string_view text =
      std::string_view(line.text).substr(std::min(offset, line.text.size()));
  if (!splitWords(text, words, error)) {
    diagnostics.error(line.locationAt(offset + error.offset), error.message);
    return std::nullopt;
  }
  std::vector<Token> tokens;
  for (Word& word : words) {
    tokens.push_back(
        Token{TokenKind::Word, std::move(word.text), line.locationAt(offset + word.offset), false});
  }
  return tokens;
}

std::optional<std::vector<std::string>> splitQuotedEscaped(std::string_view text) {
  std::vector<Word> words;
  SplitError error;
  if (!splitWords(text, words, error)) return std::nullopt;
  std::vector<std::string> out;
  for (Word& word : words) out.push_back(std::move(word.text));
  return out;
}

namespace detail {

Line makePhysicalLine(std::string_view raw, const std::string& file, std::uint32_t lineNumber) {
  Line line;
  line.text.assign(raw);
  line.columns.resize(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) line.columns[i] = static_cast<std::uint32_t>(i + 1);
  line.where = SourceLocation{file, lineNumber, 1};
  return line;
}

bool decomment(Line& line, bool keepTrailingBackslash) {
  const std::string& in = line.text;
  Line out;
  out.where = line.where;
  bool quote = false;
  bool comment = false;
  bool continuation = false;
  auto emit = [&](std::size_t at) {
    if (comment) return;
    out.text.push_back(in[at]);
    out.columns.push_back(line.columns[at]);
  };
  std::size_t at = in.find_first_not_of(" \t");
  for (; at < in.size(); ++at) {
    const char c = in[at];
    if (c == '"') {
      if (!comment) quote = !quote;
      emit(at);
    } else if (c == '\\') {
      if (at + 1 == in.size()) {
        continuation = true;
        break;
      }
      if (quote || (in[at + 1] != '#' && in[at + 1] != '!')) emit(at);
      emit(++at);
    } else if (!quote && (c == '#' || c == '!')) {
      comment = true;
    } else {
      emit(at);
    }
  }
  trimTrailingBlanks(out);
  if (continuation && keepTrailingBackslash) {
    out.text.push_back('\\');
    out.columns.push_back(line.columns[at]);
  }
  if (!out.columns.empty()) out.where.column = out.columns.front();
  line = std::move(out);
  return continuation;
}

void tokenize(Line& line, Diagnostics& diagnostics) {
  const std::string& text = line.text;
  line.tokens.clear();
  std::size_t at = 0;
  while ((at = text.find_first_not_of(kWhiteSpace, at)) != std::string::npos) {
    Token token;
    token.where = line.locationAt(at);
    if (text[at] == '"') {
      const std::size_t close = text.find('"', at + 1);
      if (close == std::string::npos) {
        diagnostics.error(token.where, "unterminated quote");
        return;
      }
      token.text = text.substr(at + 1, close - at - 1);
      token.quoted = true;
      at = close + 1;
    } else {
      std::size_t end = text.find_first_of(" \t\f\n\r\v\"", at);
      if (end == std::string::npos) end = text.size();
      token.text = text.substr(at, end - at);
      at = end;
      if (token.text == "{") token.kind = TokenKind::OpenBrace;
      if (token.text == "}") token.kind = TokenKind::CloseBrace;
    }
    line.tokens.push_back(std::move(token));
  }
}

std::optional<Line> splitAtBrace(Line& line) {
  const std::string& text = line.text;
  if (text.empty()) return std::nullopt;
  std::size_t brace = 0;
  if (text[0] != '{' && text[0] != '}') {
    std::size_t at = 0;
    while (true) {
      at = text.find_first_of("{}\"", at);
      if (at == std::string::npos) return std::nullopt;
      if (text[at] != '"') break;
      at = text.find('"', at + 1);  // skip a quoted part
      if (at == std::string::npos) return std::nullopt;
      ++at;
    }
    brace = at;
  }
  std::size_t restFrom = brace;
  std::size_t keepTo = brace;
  if (brace == 0) {
    restFrom = text.find_first_not_of(" \t", 1);
    keepTo = 1;
    if (restFrom == std::string::npos) return std::nullopt;
  }
  Line rest = sliceLine(line, restFrom, text.size());
  trimTrailingBlanks(rest);
  line = sliceLine(line, 0, keepTo);
  trimTrailingBlanks(line);
  return rest;
}

}  // namespace detail
}  // namespace vipd::config
