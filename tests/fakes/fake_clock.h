#pragma once

#include "vipd/core/types.h"

namespace vipd::fakes {

/// A monotonic clock moved only by the test. Starts at the epoch so expected
/// time points read as plain offsets ("3600 ms after start").
class FakeClock {
 public:
  core::TimePoint now() const { return now_; }
  void advance(core::Duration by) { now_ += by; }
  /// Moves forward to `to`; never backwards (monotonic).
  void advanceTo(core::TimePoint to) {
    if (to > now_) now_ = to;
  }
  static constexpr core::TimePoint epoch() { return core::TimePoint{}; }

 private:
  core::TimePoint now_{};
};

}  // namespace vipd::fakes
