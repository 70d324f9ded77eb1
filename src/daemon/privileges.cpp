// libcap-ng calls behind Privileges; see privileges.h.
#include "vipd/daemon/privileges.h"

#include <cap-ng.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace vipd::daemon {

namespace {

constexpr Capability kAll[] = {
    Capability::NetAdmin, Capability::NetRaw,        Capability::SetUid,     Capability::SetGid,
    Capability::Kill,     Capability::DacReadSearch, Capability::DacOverride};

unsigned int numberOf(Capability capability) {
  switch (capability) {
    case Capability::NetAdmin:
      return CAP_NET_ADMIN;
    case Capability::NetRaw:
      return CAP_NET_RAW;
    case Capability::SetUid:
      return CAP_SETUID;
    case Capability::SetGid:
      return CAP_SETGID;
    case Capability::Kill:
      return CAP_KILL;
    case Capability::DacReadSearch:
      return CAP_DAC_READ_SEARCH;
    case Capability::DacOverride:
      return CAP_DAC_OVERRIDE;
  }
  return CAP_LAST_CAP + 1;
}

/// Those of the policy's capabilities in the thread's permitted set.
std::set<Capability> permitted() {
  std::set<Capability> held;
  for (auto c : kAll) {
    if (capng_have_capability(CAPNG_PERMITTED, numberOf(c)) == 1) held.insert(c);
  }
  return held;
}

/// capng_apply of the effective, permitted and inheritable sets, then of the
/// ambient set; 0 or an errno value.
int applyCapsAndAmbient() {
  if (capng_apply(CAPNG_SELECT_CAPS) != 0) return errno != 0 ? errno : EPERM;
  if (capng_apply(CAPNG_SELECT_AMBIENT) != 0) return errno != 0 ? errno : EPERM;
  return 0;
}

std::string reasons(const CapabilityNeeds& needs) {
  std::string out;
  for (const auto& [capability, reason] : needs) {
    if (!out.empty()) out += ", ";
    out += std::string(toString(capability)) + " (" + reason + ")";
  }
  return out.empty() ? "none" : out;
}

CapabilityNeeds only(const CapabilityNeeds& needs, const std::set<Capability>& which, bool inside) {
  CapabilityNeeds out;
  for (const auto& [capability, reason] : needs) {
    if (which.contains(capability) == inside) out.emplace(capability, reason);
  }
  return out;
}

}  // namespace

int Privileges::stopInheritance() {
  errno = 0;
  if (capng_get_caps_process() != 0) return errno != 0 ? errno : EPERM;
  for (unsigned int c = 0; c <= CAP_LAST_CAP; ++c) {
    capng_update(CAPNG_DROP, CAPNG_INHERITABLE, c);  // fails only for caps the kernel lacks
  }
  capng_clear(CAPNG_SELECT_AMBIENT);
  return applyCapsAndAmbient();
}

void Privileges::dropTo(const CapabilityNeeds& needs, spdlog::logger& log) {
  errno = 0;
  if (capng_get_caps_process() != 0) {
    log.warn("capabilities: cannot read them ({}); keeping all", std::strerror(errno));
    return;
  }
  heldAtStart_ = permitted();
  std::set<Capability> keep;
  for (const auto& [capability, reason] : needs) {
    if (heldAtStart_.contains(capability)) keep.insert(capability);
  }
  capng_clear(CAPNG_SELECT_CAPS);
  capng_clear(CAPNG_SELECT_AMBIENT);
  const auto sets = static_cast<capng_type_t>(CAPNG_EFFECTIVE | CAPNG_PERMITTED);
  for (auto c : keep) capng_update(CAPNG_ADD, sets, numberOf(c));
  if (int error = applyCapsAndAmbient()) {
    log.warn("capabilities: cannot drop them ({}); carrying on with all it holds",
             std::strerror(error));
    heldAtStart_.clear();
    return;
  }
  kept_ = keep;
  if (heldAtStart_.empty()) {
    // Not started as root, nor given any of these: nothing worth keeping.
    log.info("capabilities: none of those vipd uses is held (uid {}); all dropped", ::geteuid());
    return;
  }
  log.info("capabilities: keeping {}; all others dropped (uid {}, bounding set unchanged)",
           reasons(only(needs, keep, true)), ::geteuid());
  const auto missing = only(needs, keep, false);
  if (!missing.empty()) {
    log.warn("capabilities: not held, so not kept: {}; what needs them will fail",
             reasons(missing));
  }
}

CapabilityNeeds Privileges::lost(const CapabilityNeeds& next) const {
  return lostCapabilities(next, kept_, heldAtStart_);
}

void dropThreadCapabilities() {
  if (capng_get_caps_process() != 0) return;
  capng_clear(CAPNG_SELECT_CAPS);
  capng_clear(CAPNG_SELECT_AMBIENT);
  applyCapsAndAmbient();
}

}  // namespace vipd::daemon
