#include "vipd/net/vmac.h"

#include "netlink_log.h"
#include "vipd/net/garp.h"

namespace vipd::net {

MacAddress virtualRouterMac(std::uint8_t vrid, util::Family family) {
  const std::uint8_t kind = family == util::Family::V4 ? 0x01 : 0x02;
  return {0x00, 0x00, 0x5e, 0x00, kind, vrid};
}

VmacStep planVmac(const std::optional<ExistingLink>& existing, const VmacSpec& spec) {
  if (!existing) return VmacStep::Create;
  if (!existing->macvlan) return VmacStep::Refuse;
  const bool ours = existing->lowerIfindex == spec.baseIfindex && existing->mac == spec.mac &&
                    existing->privateMode;
  return ours ? VmacStep::Reuse : VmacStep::Replace;
}

std::string sysctlPath(const Sysctl& sysctl) {
  return std::string("/proc/sys/net/") + (sysctl.family == util::Family::V4 ? "ipv4" : "ipv6") +
         "/conf/" + sysctl.interface + "/" + sysctl.name;
}

std::vector<Sysctl> vmacSysctls(const VmacSpec& spec) {
  std::vector<Sysctl> out;
  if (spec.family == util::Family::V4) {
    const auto v4 = [&](const char* name, int value) {
      out.push_back({util::Family::V4, spec.name, name, value});
    };
    v4("arp_ignore", 1);
    v4("accept_local", 1);
    v4("rp_filter", 0);
    v4("promote_secondaries", 1);
  }
  if (!spec.ipv6) out.push_back({util::Family::V6, spec.name, "disable_ipv6", 1});
  return out;
}

std::vector<Sysctl> baseSysctls(const VmacSpec& spec) {
  if (spec.family != util::Family::V4) return {};
  return {{util::Family::V4, spec.baseName, "arp_ignore", 1},
          {util::Family::V4, spec.baseName, "arp_filter", 1}};
}

NetlinkResult<int> VmacManager::acquire(const VmacSpec& spec) {
  if (auto it = owned_.find(spec.name); it != owned_.end()) {
    const VmacSpec& held = it->second.spec;
    if (held.baseIfindex == spec.baseIfindex && held.mac == spec.mac &&
        held.family == spec.family && held.ipv6 == spec.ipv6) {
      return it->second.ifindex;
    }
    release(spec.name);  // a reload changed it
  }
  auto existing = kernel_.find(spec.name);
  if (!existing) return existing.error();
  const VmacStep step = planVmac(existing.value(), spec);
  if (step == VmacStep::Refuse) {
    netlinkLog()->error(
        "vmac refused name={} reason=\"an interface of that name exists and is "
        "not a macvlan\"",
        spec.name);
    return std::error_code(EEXIST, std::system_category());
  }
  // Recorded before the kernel has it: a crash in between leaves a record
  // of something absent, never a macvlan nobody knows of.
  if (recorder_ != nullptr) recorder_->owning(spec);
  int ifindex = 0;
  switch (step) {
    case VmacStep::Refuse:
      break;  // handled above
    case VmacStep::Reuse:
      ifindex = existing.value()->ifindex;
      netlinkLog()->info("vmac reused name={} ifindex={} base={} reason=\"left by an earlier run\"",
                         spec.name, ifindex, spec.baseName);
      break;
    case VmacStep::Replace:
      netlinkLog()->info("vmac replaced name={} base={} reason=\"other interface, MAC or mode\"",
                         spec.name, spec.baseName);
      if (auto error = kernel_.remove(existing.value()->ifindex)) return notMade(spec, error);
      [[fallthrough]];
    case VmacStep::Create: {
      auto created = kernel_.create(spec);
      if (!created) return notMade(spec, created.error());
      ifindex = created.value();
      netlinkLog()->info("vmac created name={} ifindex={} base={} mac={}", spec.name, ifindex,
                         spec.baseName, toString(spec.mac));
      break;
    }
  }
  owned_[spec.name] = Owned{spec, ifindex};
  if (auto error = configure(spec, ifindex)) {
    release(spec.name);
    return error;
  }
  return ifindex;
}

std::error_code VmacManager::notMade(const VmacSpec& spec, std::error_code error) {
  if (recorder_ != nullptr) recorder_->released(spec, 0);
  return error;
}

// Order as keepalived: sysctls and addrgenmode first, then up, so the
// macvlan never runs with the kernel's defaults.
std::error_code VmacManager::configure(const VmacSpec& spec, int ifindex) {
  if (spec.family == util::Family::V4) {
    owned_[spec.name].countsIpv4 = true;
    ++ipv4Vmacs_;
    if (auto error = clearRpFilter()) return error;
  }
  for (const Sysctl& s : vmacSysctls(spec)) {
    if (auto error = kernel_.writeSysctl(s)) return error;
  }
  owned_[spec.name].holdsBase = !baseSysctls(spec).empty();
  if (auto error = holdBase(spec)) return error;
  if (spec.ipv6) {
    if (auto error = kernel_.disableAddressGeneration(ifindex)) return error;
  }
  return kernel_.setUp(ifindex);
}

std::error_code VmacManager::holdBase(const VmacSpec& spec) {
  const auto wanted = baseSysctls(spec);
  if (wanted.empty()) return {};
  Base& base = bases_[spec.baseName];
  if (base.users++ > 0) return {};
  for (const Sysctl& s : wanted) {
    auto before = kernel_.readSysctl(s);
    if (!before) return before.error();
    Sysctl saved = s;
    saved.value = before.value();
    base.saved.push_back(saved);
    if (before.value() == s.value) continue;
    if (auto error = change(s, before.value())) return error;
    netlinkLog()->info("sysctl set path={} value={} was={}", sysctlPath(s), s.value, saved.value);
  }
  return {};
}

void VmacManager::dropBase(const VmacSpec& spec) {
  auto it = bases_.find(spec.baseName);
  if (it == bases_.end() || --it->second.users > 0) return;
  for (const Sysctl& s : it->second.saved) {
    if (auto error = kernel_.writeSysctl(s)) {
      netlinkLog()->warn("sysctl restore failed path={} value={} error=\"{}\"", sysctlPath(s),
                         s.value, error.message());
    } else {
      restored(s);
    }
  }
  bases_.erase(it);
}

void VmacManager::release(const std::string& nameRef) {
  // A copy: `nameRef` may be the key of the entry erased below (releaseAll).
  const std::string name = nameRef;
  auto it = owned_.find(name);
  if (it == owned_.end()) return;
  const Owned owned = it->second;
  owned_.erase(it);
  if (auto error = kernel_.remove(owned.ifindex)) {
    netlinkLog()->warn("vmac remove failed name={} error=\"{}\"", name, error.message());
  } else {
    netlinkLog()->info("vmac removed name={} ifindex={}", name, owned.ifindex);
    if (recorder_ != nullptr) recorder_->released(owned.spec, owned.ifindex);
  }
  if (owned.holdsBase) dropBase(owned.spec);
  if (owned.countsIpv4 && --ipv4Vmacs_ == 0) restoreRpFilter();
}

std::error_code VmacManager::clearRpFilter() {
  if (rpFilter_) return {};
  const Sysctl all{util::Family::V4, "all", "rp_filter", 0};
  auto value = kernel_.readSysctl(all);
  if (!value) return value.error();
  if (value.value() == 0) return {};
  RpFilter state{value.value(), {}};
  auto names = kernel_.ipv4Interfaces();
  if (!names) return names.error();
  std::vector<std::string> targets{"default"};
  targets.insert(targets.end(), names.value().begin(), names.value().end());
  for (const auto& name : targets) {
    Sysctl s{util::Family::V4, name, "rp_filter", state.all};
    auto before = kernel_.readSysctl(s);
    if (!before || before.value() >= state.all) continue;
    if (auto error = change(s, before.value())) return error;
    state.raised.push_back({util::Family::V4, name, "rp_filter", before.value()});
  }
  if (auto error = change(all, state.all)) return error;
  netlinkLog()->info(
      "sysctl set path={} value=0 was={} raised={} reason=\"rp_filter=0 on the "
      "VMACs (as keepalived)\"",
      sysctlPath(all), state.all, state.raised.size());
  rpFilter_ = std::move(state);
  return {};
}

// Only what still has the value we set: someone else's later change stays.
void VmacManager::restoreRpFilter() {
  if (!rpFilter_) return;
  const RpFilter state = std::move(*rpFilter_);
  rpFilter_.reset();
  Sysctl all{util::Family::V4, "all", "rp_filter", state.all};
  if (auto now = kernel_.readSysctl(all); now && now.value() == 0) kernel_.writeSysctl(all);
  // Put back or someone else's now: no longer ours either way.
  restored(all);
  for (const Sysctl& s : state.raised) {
    auto now = kernel_.readSysctl(s);  // fails for an interface gone meanwhile
    if (now && now.value() == state.all) kernel_.writeSysctl(s);
    restored(s);
  }
}

std::error_code VmacManager::change(const Sysctl& setting, int before) {
  if (recorder_ != nullptr) recorder_->changing(setting, before);
  auto error = kernel_.writeSysctl(setting);
  if (error) restored(setting);  // unchanged
  return error;
}

void VmacManager::restored(const Sysctl& setting) {
  if (recorder_ != nullptr) recorder_->restored(setting);
}

void VmacManager::releaseUnused(const std::set<std::string>& used) {
  std::vector<std::string> unused;
  for (const auto& [name, owned] : owned_) {
    if (!used.contains(name)) unused.push_back(name);
  }
  for (const auto& name : unused) release(name);
}

void VmacManager::releaseAll() {
  while (!owned_.empty()) release(owned_.begin()->first);
}

}  // namespace vipd::net
