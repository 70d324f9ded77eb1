#include "vipd/config/diagnostic.h"

#include <utility>

namespace vipd::config {

std::string toString(const SourceLocation& where) {
  std::string out = where.file;
  if (where.line > 0) {
    out += ':' + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
  }
  return out;
}

std::string format(const Diagnostic& diagnostic) {
  const char* severity = diagnostic.severity == Severity::Error     ? "error"
                         : diagnostic.severity == Severity::Warning ? "warning"
                                                                    : "note";
  return toString(diagnostic.where) + ": " + severity + ": " + diagnostic.message;
}

void Diagnostics::error(const SourceLocation& where, std::string message) {
  add(Severity::Error, DiagnosticCode::General, where, std::move(message));
}

void Diagnostics::warning(const SourceLocation& where, std::string message) {
  add(Severity::Warning, DiagnosticCode::General, where, std::move(message));
}

void Diagnostics::unknownKeyword(const SourceLocation& where, std::string message) {
  add(strict_ ? Severity::Error : Severity::Warning, DiagnosticCode::UnknownKeyword, where,
      std::move(message));
}

void Diagnostics::unsupported(const SourceLocation& where, std::string message) {
  add(strict_ ? Severity::Error : Severity::Warning, DiagnosticCode::Unsupported, where,
      std::move(message));
}

void Diagnostics::note(const SourceLocation& where, std::string message) {
  if (explain_) add(Severity::Note, DiagnosticCode::General, where, std::move(message));
}

void Diagnostics::add(Severity severity, DiagnosticCode code, const SourceLocation& where,
                      std::string message) {
  if (severity == Severity::Error) ++errors_;
  items_.push_back(Diagnostic{severity, code, where, std::move(message)});
}

}  // namespace vipd::config
