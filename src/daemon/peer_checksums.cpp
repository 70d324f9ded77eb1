// Checksum forms per peer and the form we answer in; see peer_checksums.h.
#include "vipd/daemon/peer_checksums.h"

#include <algorithm>

namespace vipd::daemon {

using proto::ChecksumForm;

bool PeerChecksums::heard(const util::IpAddress& peer, ChecksumForm form, Clock::time_point now) {
  auto it =
      std::find_if(peers_.begin(), peers_.end(), [&](const Peer& p) { return p.address == peer; });
  if (it != peers_.end()) {
    const bool changed = it->form != form;
    it->form = form;
    ++it->adverts;
    it->lastHeard = now;
    return changed;
  }
  if (peers_.size() >= maxPeers_) {
    peers_.erase(std::min_element(peers_.begin(), peers_.end(), [](const Peer& a, const Peer& b) {
      return a.lastHeard < b.lastHeard;
    }));
  }
  peers_.push_back(Peer{peer, form, 1, now});
  return true;
}

std::optional<ChecksumForm> PeerChecksums::formOf(const util::IpAddress& peer,
                                                  Clock::time_point notBefore) const {
  for (const auto& p : peers_) {
    if (p.address == peer && p.lastHeard >= notBefore) return p.form;
  }
  return std::nullopt;
}

std::optional<ChecksumForm> PeerChecksums::commonForm(Clock::time_point notBefore) const {
  std::optional<ChecksumForm> common;
  for (const auto& p : peers_) {
    if (p.lastHeard < notBefore) continue;
    if (common && *common != p.form) return std::nullopt;
    common = p.form;
  }
  return common;
}

ChecksumForm transmitForm(const TransmitChecksum& policy, bool unicast,
                          const util::IpAddress& destination, const PeerChecksums& peers,
                          PeerChecksums::Clock::time_point notBefore) {
  using config::OldUnicastChecksum;
  if (unicast && policy.oldUnicast == OldUnicastChecksum::Always) {
    return ChecksumForm::Ipv4PseudoHeaderMulticastDst;
  }
  const auto learned = unicast ? peers.formOf(destination, notBefore) : peers.commonForm(notBefore);
  if (learned && policy.followPeers) return *learned;
  // keepalived switches its own transmit form once a unicast peer is seen using the old one
  // (vrrp.c:vrrp_check_packet, "Setting unicast VRRPv3 checksum to old version").
  if (learned == ChecksumForm::Ipv4PseudoHeaderMulticastDst && unicast &&
      policy.oldUnicast == OldUnicastChecksum::Auto) {
    return *learned;
  }
  return policy.base;
}

}  // namespace vipd::daemon
