#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/net/address_manager.h"

namespace spdlog {
class logger;
}

namespace vipd::daemon {

/// The interface of a static address without `dev`: keepalived's
/// default_interface default (vipd does not read default_interface yet).
inline constexpr std::string_view kDefaultStaticInterface = "eth0";

/// The global `static_ipaddress` entries: added when the daemon starts, kept
/// whatever the instances do, removed when it stops, as keepalived does
/// [SRC vrrp_daemon.c: start_vrrp adds vrrp_data->static_addresses,
/// vrrp_terminate_phase1 deletes them; clear_diff_saddresses on reload].
///
/// A failure (no such interface, the kernel refuses) is logged with the
/// kernel's reason and does not stop the daemon; the other addresses are
/// still applied. An address the kernel already had is adopted and removed
/// at stop like the others, as keepalived's delete does.
///
/// NOTE: single-threaded, on the loop's thread; holds the address manager by
/// reference (it must outlive this object).
class StaticAddresses {
 public:
  StaticAddresses(net::AddressManager& addresses, std::shared_ptr<spdlog::logger> log);

  /// Makes the kernel carry `wanted`: adds each entry and removes what an
  /// earlier apply() added that `wanted` no longer lists (reload).
  void apply(const std::vector<config::VirtualAddress>& wanted);
  /// Removes every address apply() installed.
  void removeAll();

  /// What apply() installed and removeAll() would remove.
  const std::vector<net::InterfaceAddress>& installed() const { return installed_; }

 private:
  /// The kernel address of an entry; nullopt (logged) if its interface is missing.
  std::optional<net::InterfaceAddress> resolve(const config::VirtualAddress& entry);
  void remove(const net::InterfaceAddress& address);

  net::AddressManager& addresses_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<net::InterfaceAddress> installed_;
};

}  // namespace vipd::daemon
