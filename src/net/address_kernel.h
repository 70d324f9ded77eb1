#pragma once

// Kernel flag and lifetime conventions for InterfaceAddress, shared by the
// libnl-based AddressManager (queries) and the libmnl-based monitor parser, so
// both report an address the same way. Internal to vipd_net.

#include <linux/if_addr.h>

#include <cstdint>

#include "vipd/net/address_manager_types.h"

namespace vipd::net::detail {

/// Fills the reported flag fields of `address` from IFA_F_* `flags` (the
/// 32-bit IFA_FLAGS attribute when present, else ifa_flags).
inline void applyKernelFlags(InterfaceAddress& address, std::uint32_t flags) {
  address.noDad = (flags & IFA_F_NODAD) != 0;
  address.noPrefixRoute = (flags & IFA_F_NOPREFIXROUTE) != 0;
  address.secondary = (flags & IFA_F_SECONDARY) != 0;
  address.tentative = (flags & IFA_F_TENTATIVE) != 0;
}

/// The IFA_F_* flags add() requests for `address`.
inline std::uint32_t requestFlags(const InterfaceAddress& address) {
  std::uint32_t flags = 0;
  if (address.address.isV6() && address.noDad) flags |= IFA_F_NODAD;
  if (address.noPrefixRoute) flags |= IFA_F_NOPREFIXROUTE;
  return flags;
}

}  // namespace vipd::net::detail
