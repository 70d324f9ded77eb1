#pragma once
// Reads tests/data/golden/NAME.hex (keepalived 2.2.7 captures; format in the
// README there): '#' lines are comments, the rest are hex byte pairs.

#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef VIPD_GOLDEN_DIR
#error "VIPD_GOLDEN_DIR must name tests/data/golden"
#endif

namespace vipd::testing {

/// The whole IP packet of golden vector `name`; throws if unreadable.
inline std::vector<std::uint8_t> readGolden(const std::string& name) {
  const std::string path = std::string(VIPD_GOLDEN_DIR) + "/" + name + ".hex";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<std::uint8_t> bytes;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      if (word.size() != 2 || !std::isxdigit(static_cast<unsigned char>(word[0])) ||
          !std::isxdigit(static_cast<unsigned char>(word[1]))) {
        throw std::runtime_error("bad byte '" + word + "' in " + path);
      }
      bytes.push_back(static_cast<std::uint8_t>(std::stoul(word, nullptr, 16)));
    }
  }
  return bytes;
}

}  // namespace vipd::testing
