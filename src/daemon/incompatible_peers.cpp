// Peers we drop for a configuration mismatch; see incompatible_peers.h.
#include "vipd/daemon/incompatible_peers.h"

#include <algorithm>

namespace vipd::daemon {

IncompatiblePeers::IncompatiblePeers(Clock::duration logInterval, std::size_t maxEntries)
    : logInterval_(logInterval), maxEntries_(maxEntries) {}

IncompatiblePeers::Report IncompatiblePeers::dropped(const util::IpAddress& peer,
                                                     proto::DropReason reason,
                                                     std::string difference, Clock::duration hold,
                                                     Clock::time_point now) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.peer == peer && e.reason == reason; });
  if (it == entries_.end()) {
    if (entries_.size() >= maxEntries_) {
      ++overflow_;
      return {};
    }
    entries_.push_back(Entry{peer, reason, std::move(difference), 1, now, now, hold});
    tracked_.push_back(Tracked{now, 0});
    return {true, true, 1};
  }
  auto& tracked = tracked_[static_cast<std::size_t>(it - entries_.begin())];
  ++it->adverts;
  it->lastHeard = now;
  it->hold = hold;
  ++tracked.unreported;
  // A changed difference (the peer reloaded into another mismatch) is news: logged without
  // waiting for the interval, but at most once a second, or a sender varying every packet
  // would get a line per packet.
  const bool changed = it->difference != difference;
  if (changed) it->difference = std::move(difference);
  const auto gap =
      changed ? std::min<Clock::duration>(kChangedLineGap, logInterval_) : logInterval_;
  if (now - tracked.lastLine < gap) return {};
  Report report{true, false, tracked.unreported};
  tracked.lastLine = now;
  tracked.unreported = 0;
  return report;
}

std::vector<IncompatiblePeers::Entry> IncompatiblePeers::agreed(const util::IpAddress& peer) {
  std::vector<Entry> gone;
  for (std::size_t i = entries_.size(); i-- > 0;) {
    if (entries_[i].peer != peer) continue;
    gone.push_back(std::move(entries_[i]));
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(i));
    tracked_.erase(tracked_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  return gone;
}

std::vector<IncompatiblePeers::Entry> IncompatiblePeers::expire(Clock::time_point now) {
  std::vector<Entry> gone;
  for (std::size_t i = entries_.size(); i-- > 0;) {
    if (now - entries_[i].lastHeard < entries_[i].hold) continue;
    gone.push_back(std::move(entries_[i]));
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(i));
    tracked_.erase(tracked_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  return gone;
}

std::optional<IncompatiblePeers::Clock::time_point> IncompatiblePeers::nextExpiry() const {
  std::optional<Clock::time_point> next;
  for (const auto& e : entries_) {
    const auto at = e.lastHeard + e.hold;
    if (!next || at < *next) next = at;
  }
  return next;
}

std::size_t IncompatiblePeers::peerCount() const {
  std::vector<util::IpAddress> peers;
  for (const auto& e : entries_) {
    if (std::find(peers.begin(), peers.end(), e.peer) == peers.end()) peers.push_back(e.peer);
  }
  return peers.size();
}

}  // namespace vipd::daemon
