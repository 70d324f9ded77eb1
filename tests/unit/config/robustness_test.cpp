// Fuzz-ish sweep: random bytes, truncations and mutations of valid
// configurations never crash and always give a model or at least one error.
// Seeded and deterministic; each test stops after its case count or ~1 s.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <random>

#include "config_test_data.h"
#include "config_test_support.h"

namespace vipd::config {
namespace {

using testing::kDataDir;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The one property: a model exactly when there is no error.
void expectConsistent(const ParseResult& result, const std::string& input) {
  const bool hasError = result.errorCount() > 0;
  EXPECT_NE(result.ok(), hasError) << "input: " << ::testing::PrintToString(input);
  for (const Diagnostic& d : result.diagnostics) {
    EXPECT_FALSE(d.message.empty());
    EXPECT_FALSE(d.where.file.empty());
  }
}

/// Runs `cases` inputs from `make`, stopping early once the time budget is used.
template <typename Make>
void sweep(int cases, Make make) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(900);
  ParseOptions o = testing::options();
  for (int i = 0; i < cases && std::chrono::steady_clock::now() < deadline; ++i) {
    const std::string input = make(i);
    expectConsistent(parseString(input, kDataDir + "/fuzz.conf", o), input);
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(ConfigRobustnessTest, RandomBytesNeverCrash) {
  std::mt19937 random(20240601);
  // Bias towards the characters the lexer cares about.
  const std::string alphabet = "{}\"'#!\\$@~ \t\n\r{}$\\ab_01.:/-=";
  sweep(3000, [&](int) {
    std::string input(std::uniform_int_distribution<std::size_t>(0, 400)(random), '\0');
    for (char& c : input) {
      const auto pick = std::uniform_int_distribution<int>(0, 3)(random);
      c = pick == 0 ? static_cast<char>(std::uniform_int_distribution<int>(0, 255)(random))
                    : alphabet[std::uniform_int_distribution<std::size_t>(
                          0, alphabet.size() - 1)(random)];
    }
    return input;
  });
}

TEST(ConfigRobustnessTest, EveryTruncationOfTheExamplesGivesAModelOrAnError) {
  const std::string v2 = readFile(kDataDir + "/two_host_v2.conf");
  const std::string v3 = readFile(kDataDir + "/two_host_v3.conf");
  const std::string both = v2 + v3;
  ASSERT_GT(both.size(), 1000u);
  sweep(static_cast<int>(both.size()), [&](int i) {
    const std::string& text = static_cast<std::size_t>(i) < v2.size() ? v2 : v3;
    const std::size_t cut = static_cast<std::size_t>(i) % text.size();
    return text.substr(0, cut);
  });
}

TEST(ConfigRobustnessTest, MutationsOfTheExamplesGiveAModelOrAnError) {
  const std::string base =
      readFile(kDataDir + "/two_host_v3.conf") + readFile(kDataDir + "/two_host_v2.conf");
  std::mt19937 random(4242);
  sweep(2000, [&](int) {
    std::string text = base;
    const int edits = std::uniform_int_distribution<int>(1, 8)(random);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(random);
      const char byte = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(random));
      switch (std::uniform_int_distribution<int>(0, 3)(random)) {
        case 0:
          text[at] = byte;
          break;
        case 1:
          text.insert(at, 1, byte);
          break;
        case 2:
          text.erase(at, 1);
          break;
        default:
          text.insert(at, std::string("{}$\"\\#@")
                              .substr(std::uniform_int_distribution<std::size_t>(0, 6)(random), 1));
      }
    }
    return text;
  });
}

}  // namespace
}  // namespace vipd::config
