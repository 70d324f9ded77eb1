#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vipd/net/address_manager_error.h"
#include "vipd/net/address_manager_types.h"
#include "vipd/net/link_info.h"
#include "vipd/util/ip_address.h"

namespace vipd::net {

/// How a successful add() went.
enum class AddOutcome : std::uint8_t {
  Added,           ///< The kernel did not have the address; now it does.
  AlreadyPresent,  ///< It was there already (EEXIST) and is adopted as is.
};

/// How a successful remove() went.
enum class RemoveOutcome : std::uint8_t {
  Removed,    ///< The kernel had the address and deleted it.
  WasAbsent,  ///< It was not there (EADDRNOTAVAIL), or the interface is gone.
};

/// Adds, removes and queries interface addresses and links: the side effects
/// that move a virtual IP (STYLE.md points 3 and 7). The daemon holds one by
/// reference; NetlinkAddressManager talks to the kernel, and
/// tests/fakes/fake_address_manager.h keeps "kernel" state in memory.
///
/// Every operation is one function that returns success or a std::error_code
/// (see NetlinkResult for the categories). add() and remove() are idempotent,
/// so the daemon can apply "the VIPs should be there / gone" without first
/// asking what is there.
///
/// NOTE: implementations are not thread-safe; use one from the event-loop
/// thread. Calls are synchronous (a netlink request and its ack).
class AddressManager {
 public:
  virtual ~AddressManager() = default;

  /// Adds `address` (validated with validateForAdd() first). An address the
  /// kernel already has (sameAddress()) is success with AlreadyPresent; its
  /// attributes are left as they are, as keepalived leaves them (it ignores
  /// EEXIST on RTM_NEWADDR: keepalived_netlink.c netlink_parse_info).
  /// Fails with ENODEV when the interface does not exist.
  virtual NetlinkResult<AddOutcome> add(const InterfaceAddress& address) = 0;

  /// Removes the address that sameAddress() matches. An address that is not
  /// there, or whose interface is gone, is success with WasAbsent (keepalived
  /// also treats EADDRNOTAVAIL on RTM_DELADDR as success). Only identity
  /// fields are used. NOTE: removing a primary IPv4 address also removes its
  /// secondaries unless the interface has promote_secondaries set.
  virtual NetlinkResult<RemoveOutcome> remove(const InterfaceAddress& address) = 0;

  /// Whether the kernel has an address that sameAddress() matches.
  virtual NetlinkResult<bool> contains(const InterfaceAddress& address) = 0;

  /// The link named `name`; fails with std::errc::no_such_device (ENODEV)
  /// when there is none.
  virtual NetlinkResult<LinkInfo> linkByName(const std::string& name) = 0;

  /// The link with index `ifindex`; fails with ENODEV when there is none.
  virtual NetlinkResult<LinkInfo> linkByIndex(int ifindex) = 0;

  /// Every address of `family` on `ifindex`, in the kernel's order (for
  /// IPv4 the primary address comes before its secondaries). An interface
  /// without addresses, or that does not exist, gives an empty list. Used to
  /// pick VRRP's source address: the first IPv4 address that is not
  /// `secondary`, or the IPv6 link-local one that is not `tentative`. Also
  /// serves as the re-read after NetlinkMonitor reports ResyncNeeded.
  virtual NetlinkResult<std::vector<InterfaceAddress>> addressesOf(int ifindex,
                                                                   util::Family family) = 0;

  /// Every address of `family` on every interface of the host (one dump),
  /// in the kernel's order. Answers "is this address one of ours?" for the
  /// host checks (an advert source must be local, a unicast peer must not).
  virtual NetlinkResult<std::vector<InterfaceAddress>> hostAddresses(util::Family family) = 0;
};

}  // namespace vipd::net
