#pragma once

// Helpers shared by the config unit tests.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/config/lexer.h"
#include "vipd/config/parser.h"

namespace vipd::config::testing {

inline ParseOptions options(std::string configId = "lb1") {
  ParseOptions o;
  o.configId = std::move(configId);
  o.randomSeed = 7;
  return o;
}

/// Parses `text` as "vipd.conf".
inline ParseResult parse(std::string_view text, const ParseOptions& o = options()) {
  return parseString(text, "vipd.conf", o);
}

/// Every diagnostic, formatted ("vipd.conf:3:5: error: ...").
inline std::vector<std::string> messages(const ParseResult& result) {
  std::vector<std::string> out;
  for (const Diagnostic& d : result.diagnostics) out.push_back(format(d));
  return out;
}

inline std::vector<std::string> errors(const ParseResult& result) {
  std::vector<std::string> out;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity == Severity::Error) out.push_back(format(d));
  }
  return out;
}

inline std::vector<std::string> warnings(const ParseResult& result) {
  std::vector<std::string> out;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity == Severity::Warning) out.push_back(format(d));
  }
  return out;
}

/// Lexes `text` as "vipd.conf" and returns the words of each logical line.
inline std::vector<std::vector<std::string>> words(std::string_view text,
                                                   Diagnostics* diagnostics = nullptr,
                                                   std::string configId = "lb1") {
  Diagnostics local;
  LexOptions o;
  o.configId = std::move(configId);
  o.randomSeed = 7;
  std::vector<std::vector<std::string>> out;
  for (const Line& line : lexString(text, "vipd.conf", o, diagnostics ? *diagnostics : local)) {
    std::vector<std::string> row;
    for (const Token& token : line.tokens) row.push_back(token.text);
    out.push_back(row);
  }
  return out;
}

/// A minimal valid instance body, to which a test adds its keywords.
inline std::string instance(std::string_view extra, std::string_view name = "VI_1") {
  return "vrrp_instance " + std::string(name) +
         " {\n"
         "  interface eth0\n"
         "  virtual_router_id 51\n"
         "  virtual_ipaddress {\n"
         "    192.0.2.10/24\n"
         "  }\n" +
         std::string(extra) + "\n}\n";
}

/// Parses root blocks `text` followed by a minimal instance, which makes the
/// configuration complete.
inline ParseResult parseBlocks(const std::string& text) { return parse(text + instance("")); }

/// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "vipd-config-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  /// Writes `text` to `relative` (creating directories); returns the full path.
  std::string write(const std::string& relative, std::string_view text) const {
    const std::filesystem::path file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace vipd::config::testing
