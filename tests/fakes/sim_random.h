#pragma once

#include <cstdint>
#include <limits>
#include <random>

namespace vipd::fakes {

/// Seeded randomness that gives the same sequence with every compiler and
/// standard library: std::mt19937_64's output is fully specified, but the
/// std:: distributions are not, so the mappings below are written out.
class SimRandom {
 public:
  explicit SimRandom(std::uint64_t seed) : engine_(seed) {}

  /// Uniform in [0, bound), by rejection sampling (no modulo bias). bound > 0.
  std::uint64_t below(std::uint64_t bound) {
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = kMax - kMax % bound;  // a multiple of bound
    std::uint64_t x = engine_();
    while (x >= limit) x = engine_();
    return x % bound;
  }

  /// Uniform in [lo, hi], inclusive. lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(below(span));
  }

  /// True with probability perMille / 1000.
  bool chance(std::uint32_t perMille) { return below(1000) < perMille; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace vipd::fakes
