#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/config/diagnostic.h"
#include "vipd/config/model.h"

namespace vipd::config {

struct ParseOptions {
  /// Turn warnings about unknown keywords and unsupported keepalived features
  /// into errors (DiagnosticCode::UnknownKeyword / Unsupported).
  bool strict = false;
  /// keepalived's config id for `@id` lines and `${_INSTANCE}`
  /// (keepalived -i); see defaultConfigId().
  std::string configId;
  /// Seed for `${_RANDOM}`; unset means non-deterministic.
  std::optional<std::uint32_t> randomSeed;
  /// Maximum include nesting.
  unsigned maxIncludeDepth = 32;
  /// Add a Severity::Note for each default that surprises keepalived users
  /// (reference §7 item 2), e.g. for `vipd -t`.
  bool explainDefaults = false;
};

struct ParseResult {
  /// Set if and only if there is no error diagnostic.
  std::optional<Config> config;
  /// Warnings and errors in the order they were found (lexing first).
  std::vector<Diagnostic> diagnostics;

  bool ok() const { return config.has_value(); }
  std::size_t errorCount() const;
};

/// Parses a keepalived.conf (and its includes) into a validated Config.
/// Never throws on bad input: every problem is a diagnostic naming
/// file:line:column. Collects as many diagnostics as it can.
ParseResult parseFile(const std::string& path, const ParseOptions& options);

/// The same for in-memory text; `fileName` names it in diagnostics and
/// anchors relative includes.
ParseResult parseString(std::string_view text, const std::string& fileName,
                        const ParseOptions& options);

/// keepalived's default config id: the node name from uname(2) up to the
/// first dot ("lb1" on lb1.example.net).
std::string defaultConfigId();

/// Thrown by loadConfig(); what() holds every diagnostic, one per line.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// parseFile() for start-up and reload code: returns the config, or throws
/// ConfigError if there is any error. Warnings are passed to `warnings`
/// when given.
Config loadConfig(const std::string& path, const ParseOptions& options,
                  std::vector<Diagnostic>* warnings = nullptr);

}  // namespace vipd::config
