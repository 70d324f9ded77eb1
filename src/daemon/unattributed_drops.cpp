#include "vipd/daemon/unattributed_drops.h"

#include "vipd/daemon/instance.h"

namespace vipd::daemon {

UnattributedDrops::UnattributedDrops(const Scheduler& clock, std::shared_ptr<spdlog::logger> log)
    : clock_(clock), log_(std::move(log)), throttle_(kDropReasonCount, kDropLogInterval) {}

void UnattributedDrops::onDecodeDrop(proto::DropReason reason, const util::IpAddress& from,
                                     std::string_view interface) {
  add(reason);
  const auto suppressed = throttle_.admit(static_cast<std::size_t>(reason), clock_.now());
  if (!suppressed) return;
  log_->warn("dropped advert from {} on {}: {} ({} more since the last report)", from.toString(),
             interface, proto::toString(reason), *suppressed);
}

// Deliberately silent: see the class comment.
void UnattributedDrops::onUnknownVrid() { add(proto::DropReason::VridMismatch); }

std::uint64_t UnattributedDrops::count(proto::DropReason reason) const {
  const auto i = static_cast<std::size_t>(reason);
  return i < counts_.size() ? counts_[i] : 0;
}

void UnattributedDrops::add(proto::DropReason reason) {
  const auto i = static_cast<std::size_t>(reason);
  if (i < counts_.size()) ++counts_[i];
}

}  // namespace vipd::daemon
