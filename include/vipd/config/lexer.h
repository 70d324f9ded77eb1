#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/config/diagnostic.h"

namespace vipd::config {

enum class TokenKind : std::uint8_t { Word, OpenBrace, CloseBrace };

/// One word of a logical line. Quotes are removed from `text`; `quoted` tells
/// that the word was written between double quotes (so `"{"` is a Word).
struct Token {
  TokenKind kind = TokenKind::Word;
  std::string text;
  SourceLocation where;
  bool quoted = false;
};

/// One logical line after preprocessing, which is the unit keepalived's
/// keyword handlers see: comments removed, `@id` conditions applied, `$NAME`
/// parameters substituted, and every `{` and `}` outside double quotes split
/// onto a line of its own (so a brace line holds exactly one token).
struct Line {
  std::vector<Token> tokens;
  /// The preprocessed text the tokens were cut from. Script commands are
  /// re-split from it with keepalived's quote-and-escape rules
  /// (splitQuotedEscaped).
  std::string text;
  /// Column of every byte of `text` in `where.file`/`where.line`; bytes that
  /// came from a parameter substitution carry the column of its `$`.
  std::vector<std::uint32_t> columns;
  /// File and line (column of the first byte).
  SourceLocation where;

  bool isOpenBrace() const { return tokens.size() == 1 && tokens[0].kind == TokenKind::OpenBrace; }
  bool isCloseBrace() const {
    return tokens.size() == 1 && tokens[0].kind == TokenKind::CloseBrace;
  }
  /// The location of byte `offset` of `text` (clamped to the text).
  SourceLocation locationAt(std::size_t offset) const;
};

/// A config id vipd always has besides its own: `@vipd LINE` is kept by vipd
/// and (unless run as `-i vipd` or on a host named vipd) dropped by keepalived;
/// `@^vipd LINE` the other way round. vipd.conf(5) "Conditional lines".
inline constexpr std::string_view kVipdConfigId = "vipd";

struct LexOptions {
  /// keepalived's config id (-i), matched by `@id` / `@^id` lines and returned
  /// by `${_INSTANCE}`. keepalived defaults it to the host name up to the first
  /// dot; see defaultConfigId(). `@vipd` lines match too (kVipdConfigId).
  std::string configId;
  /// Seed for `${_RANDOM}`; unset means a non-deterministic seed.
  std::optional<std::uint32_t> randomSeed;
  /// Maximum include nesting; deeper includes are an error.
  unsigned maxIncludeDepth = 32;
};

/// Reads `path` and everything it includes into logical lines.
///
/// Implements keepalived's reader (lib/parser.c read_line, decomment,
/// replace_param, check_include, read_conf_file): `#`/`!` comments outside
/// double quotes, `\#`/`\!` escapes, `include` with glob(3) and csh braces
/// relative to the including file, `$NAME=value` (also multi-line with a
/// trailing `\`) and `$NAME`/`${NAME}` expansion, `@id`/`@^id` lines, and
/// brace splitting. Problems are reported to `diagnostics`; lexing goes on
/// after them wherever that makes sense.
std::vector<Line> lexFile(const std::string& path, const LexOptions& options,
                          Diagnostics& diagnostics);

/// Like lexFile() for in-memory text named `fileName` (used in diagnostics;
/// relative includes resolve against its directory).
std::vector<Line> lexString(std::string_view text, const std::string& fileName,
                            const LexOptions& options, Diagnostics& diagnostics);

/// Splits `line.text` from byte `offset` into words with keepalived's rules for
/// script commands (alloc_strvec_quoted_escaped): `"…"` and `'…'` quote,
/// quotes may join word parts (`a"b c"d` is one word), and backslash escapes
/// `\a \b \E \f \n \r \t \v \nnn \xHH.. \cC`, any other `\C` being C.
/// Returns nullopt after reporting an unterminated quote or a trailing `\`.
std::optional<std::vector<Token>> splitQuotedEscaped(const Line& line, std::size_t offset,
                                                     Diagnostics& diagnostics);

/// The same rules applied to a plain string (e.g. a command already split
/// out of a line, to obtain its argv). Returns nullopt on a syntax error.
std::optional<std::vector<std::string>> splitQuotedEscaped(std::string_view text);

}  // namespace vipd::config
