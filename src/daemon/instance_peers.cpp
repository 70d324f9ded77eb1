// Instance: what it does with adverts it drops (counted, logged at a bounded rate, and for a
// configuration mismatch the incompatible-peer condition); see instance.h.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "vipd/daemon/instance.h"

namespace vipd::daemon {

namespace {

// A peer silent this long has stopped: four of its advert intervals (its Master_Down_Interval
// with margin), and at least one drop-log period. The floor matters: a keepalived master
// restarts its advert timer on every packet it receives, rejected ones included, so next to
// our adverts it sends irregularly (gaps of seconds at advert_int 0.2 in the lab); a short
// hold would flap the condition and its log lines.
Scheduler::Clock::duration holdFor(core::Centiseconds theirs, core::Centiseconds ours) {
  const auto longest = std::max(theirs, ours);
  return std::max<Scheduler::Clock::duration>(4 * longest, kDropLogInterval);
}

}  // namespace

void Instance::countDrop(proto::DropReason reason, const util::IpAddress& from,
                         std::optional<std::string> difference, core::Centiseconds theirInterval) {
  const auto i = static_cast<std::size_t>(reason);
  if (i >= kDropReasonCount) return;
  ++stats_.drops[i];
  const auto now = deps_.scheduler.now();
  if (!difference) {
    const auto suppressed = dropLog_.admit(i, now);
    if (!suppressed) return;
    log_->warn("({}) dropped advert from {}: {} ({} more since the last report)", settings_.name,
               from.toString(), proto::toString(reason), *suppressed);
    return;
  }
  const auto vrid = router_.config().vrid;
  const auto report = incompatible_.dropped(
      from, reason, *difference, holdFor(theirInterval, router_.config().advertInterval), now);
  armIncompatibleExpiry();
  if (!report.log) return;
  if (report.first) {
    log_->warn(
        "({}) incompatible peer {} VRID {}: {}; its adverts are dropped, so both of us "
        "may be master",
        settings_.name, from.toString(), vrid, *difference);
  } else {
    log_->warn("({}) incompatible peer {} VRID {}: {} ({} adverts dropped since the last report)",
               settings_.name, from.toString(), vrid, *difference, report.sinceLastLine);
  }
}

// A form learned this long ago no longer counts: the peer has stopped or been replaced.
Scheduler::Clock::time_point Instance::checksumMemoryStart() const {
  return deps_.scheduler.now() -
         holdFor(router_.masterAdverInterval(), router_.config().advertInterval);
}

std::optional<proto::ChecksumForm> Instance::checksumFormFor(
    const util::IpAddress& destination) const {
  if (router_.config().version != core::Version::V3 || !destination.isV4()) return std::nullopt;
  return transmitForm(settings_.checksum, settings_.unicast, destination, peerChecksums_,
                      checksumMemoryStart());
}

void Instance::learnChecksumForm(const util::IpAddress& from, proto::ChecksumForm form) {
  const auto now = deps_.scheduler.now();
  if (!peerChecksums_.heard(from, form, now)) return;
  // The table is bounded, so many rotating sources each look new: at most one line a second.
  const auto unlogged = checksumLog_.admit(0, now);
  if (!unlogged) return;
  const auto answer = checksumFormFor(settings_.unicast ? from : settings_.destinations.front());
  log_->info(
      "({}) peer {} uses checksum form {}{}{}", settings_.name, from.toString(),
      proto::toString(form),
      answer ? fmt::format("; ours to it: {}", proto::toString(*answer)) : std::string(),
      *unlogged ? fmt::format(" ({} other peers' forms not logged)", *unlogged) : std::string());
}

void Instance::peerAgreed(const util::IpAddress& from) {
  if (incompatible_.entries().empty()) return;
  for (const auto& gone : incompatible_.agreed(from)) {
    log_->info(
        "({}) peer {} VRID {} is compatible now: its adverts are accepted ({} dropped "
        "before)",
        settings_.name, from.toString(), router_.config().vrid, gone.adverts);
  }
}

void Instance::armIncompatibleExpiry() {
  const auto next = incompatible_.nextExpiry();
  if (!next) return;
  // Expiries only move later as adverts keep coming: an armed timer that is not later than the
  // next one fires in time and rearms itself for the rest.
  if (incompatibleTimer_ && incompatibleDeadline_ <= *next) return;
  if (incompatibleTimer_) deps_.scheduler.cancelTimer(*incompatibleTimer_);
  incompatibleDeadline_ = *next;
  incompatibleTimer_ = deps_.scheduler.armTimer(*next, [this] { onIncompatibleExpiry(); });
}

void Instance::onIncompatibleExpiry() {
  incompatibleTimer_.reset();
  for (const auto& gone : incompatible_.expire(deps_.scheduler.now())) {
    log_->info("({}) incompatible peer {} VRID {} no longer heard ({} adverts dropped)",
               settings_.name, gone.peer.toString(), router_.config().vrid, gone.adverts);
  }
  armIncompatibleExpiry();
}

}  // namespace vipd::daemon
