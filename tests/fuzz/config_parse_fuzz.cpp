// libFuzzer target for the keepalived.conf lexer, preprocessor and parser.
//
// Property: any input yields either a model or at least one error, never a
// crash, hang or sanitizer report; every diagnostic names a location.
// Includes are resolved relative to a directory that does not exist, so the
// fuzzer cannot make the parser read the host's files through relative paths.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vipd/config/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  vipd::config::ParseOptions options;
  options.configId = "fuzz";
  options.randomSeed = 1;
  options.maxIncludeDepth = 4;
  auto result = vipd::config::parseString(text, "/nonexistent-vipd-fuzz/vipd.conf", options);
  if (!result.ok() && result.errorCount() == 0) std::abort();
  for (const auto& d : result.diagnostics) {
    if (d.where.file.empty()) std::abort();
  }
  return 0;
}
