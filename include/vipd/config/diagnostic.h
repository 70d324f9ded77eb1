#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vipd::config {

/// Where a token or diagnostic comes from. Lines and columns are 1-based; a
/// column counts bytes (a tab is one column), like gcc. Line 0 means "the file
/// as a whole" (e.g. it cannot be opened).
struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

/// "file:line:column", "file:line" or "file", whichever parts are known.
std::string toString(const SourceLocation& where);

/// Note: an explanation asked for with ParseOptions::explainDefaults; never
/// an error, even when strict.
enum class Severity : std::uint8_t { Warning, Error, Note };

/// Why a diagnostic was emitted, for callers (and ParseOptions::strict) that
/// treat some classes differently.
enum class DiagnosticCode : std::uint8_t {
  General,
  /// A keyword keepalived does not know either (keepalived logs and skips it).
  UnknownKeyword,
  /// A keepalived keyword or block that vipd recognises but does not implement.
  Unsupported,
};

struct Diagnostic {
  Severity severity = Severity::Error;
  DiagnosticCode code = DiagnosticCode::General;
  SourceLocation where;
  std::string message;
};

/// "vipd.conf:12:18: error: virtual_router_id expects an integer 1..255, got '300'"
/// (severities print as "error", "warning" and "note").
std::string format(const Diagnostic& diagnostic);

/// Collects diagnostics in emission order.
///
/// With `strict`, UnknownKeyword and Unsupported diagnostics are emitted as
/// errors instead of warnings (the message is unchanged). Notes are kept only
/// with `explain`.
class Diagnostics {
 public:
  explicit Diagnostics(bool strict = false, bool explain = false)
      : strict_(strict), explain_(explain) {}

  void error(const SourceLocation& where, std::string message);
  void warning(const SourceLocation& where, std::string message);
  /// A keyword nobody knows: a warning, or an error when strict.
  void unknownKeyword(const SourceLocation& where, std::string message);
  /// A keepalived feature vipd ignores: a warning, or an error when strict.
  void unsupported(const SourceLocation& where, std::string message);
  /// Explains a default that surprises keepalived users; dropped unless explaining.
  void note(const SourceLocation& where, std::string message);
  bool explaining() const { return explain_; }

  const std::vector<Diagnostic>& all() const { return items_; }
  std::vector<Diagnostic> release() { return std::move(items_); }
  std::size_t errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ > 0; }

 private:
  void add(Severity severity, DiagnosticCode code, const SourceLocation& where,
           std::string message);

  bool strict_;
  bool explain_;
  std::size_t errors_ = 0;
  std::vector<Diagnostic> items_;
};

}  // namespace vipd::config
