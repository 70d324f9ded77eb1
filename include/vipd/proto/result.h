#pragma once

#include <boost/outcome/result.hpp>

#include "vipd/proto/drop_reason.h"

namespace vipd::proto {

/// Result type of the codec: a value or a typed error, never an exception.
///
/// Boost.Outcome's `result` with the `terminate` policy: reading `.value()` of a failed result
/// (or `.error()` of a successful one) is a bug and aborts. Callers test `has_value()` first.
/// Chosen over `std::expected` because clang 14 (the fuzz build) cannot use libstdc++'s.
template <class T, class E = DropReason>
using Result = boost::outcome_v2::result<T, E, boost::outcome_v2::policy::terminate>;

/// Returns a successful `Result<void, E>`.
inline auto success() { return boost::outcome_v2::success(); }

}  // namespace vipd::proto
