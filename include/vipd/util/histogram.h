#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

namespace vipd::util {

/// A cumulative histogram with fixed upper bounds, as Prometheus exposes
/// one: counts[i] is the number of observations <= bounds[i]; count and sum
/// cover every observation (the +Inf bucket is `count`).
template <std::size_t N>
struct Histogram {
  std::array<double, N> bounds{};
  std::array<std::uint64_t, N> counts{};
  std::uint64_t count = 0;
  double sum = 0;

  void observe(double value) {
    for (std::size_t i = 0; i < N; ++i) {
      if (value <= bounds[i]) ++counts[i];
    }
    ++count;
    sum += value;
  }
};

/// Failover durations in seconds: VRRP's floor is a few centiseconds
/// (advert_int 0.01 s × 3 + skew), keepalived's default pair about 3.6 s.
using FailoverHistogram = Histogram<12>;
inline FailoverHistogram makeFailoverHistogram() {
  FailoverHistogram h;
  h.bounds = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 10};
  return h;
}

}  // namespace vipd::util
