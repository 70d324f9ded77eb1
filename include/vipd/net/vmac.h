#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "vipd/net/address_manager_error.h"
#include "vipd/net/link_layer_socket.h"
#include "vipd/util/ip_address.h"

/// The virtual router MAC of RFC 5798 §7.3 as keepalived 2.2.7 provides it
/// with `use_vmac`: a macvlan on the instance's interface that carries the
/// VMAC and the VIPs (keepalived vrrp_vmac.c:netlink_link_add_vmac,
/// vrrp_if_config.c:set_interface_parameters).
namespace vipd::net {

/// 00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6 (RFC 5798 §7.3).
MacAddress virtualRouterMac(std::uint8_t vrid, util::Family family);

/// What one VMAC should be.
struct VmacSpec {
  /// The macvlan's name (`use_vmac NAME`, default vrrp.VRID).
  std::string name;
  /// The instance's interface, which the macvlan sits on.
  std::string baseName;
  int baseIfindex = 0;
  MacAddress mac{};
  util::Family family = util::Family::V4;
  /// IPv6 runs on the macvlan: an IPv6 instance, or an IPv4 one with IPv6
  /// eVIPs. Otherwise keepalived turns IPv6 off on it (link_set_ipv6).
  bool ipv6 = false;
};

/// A link that already has the VMAC's name.
struct ExistingLink {
  int ifindex = 0;
  bool macvlan = false;
  /// IFLA_LINK: the interface a macvlan sits on.
  int lowerIfindex = 0;
  MacAddress mac{};
  bool privateMode = false;
};

/// What acquiring a VMAC has to do about the link of its name.
enum class VmacStep : std::uint8_t {
  Create,   ///< Nothing has the name.
  Reuse,    ///< Our macvlan, left by an earlier run (a crash): keep it.
  Replace,  ///< A macvlan that is not ours as configured now: delete, create.
  Refuse,   ///< Not a macvlan (a real interface): never touched.
};

/// keepalived netlink_link_add_vmac: a macvlan of that name on the same
/// interface with the same MAC is reused; another macvlan is deleted first
/// ("Removing old VMAC interface ... due to conflicting interface or MAC").
/// vipd also replaces one that is not in private mode.
VmacStep planVmac(const std::optional<ExistingLink>& existing, const VmacSpec& spec);

/// One per-interface sysctl, /proc/sys/net/{ipv4,ipv6}/conf/INTERFACE/NAME.
struct Sysctl {
  util::Family family = util::Family::V4;
  std::string interface;
  std::string name;
  int value = 0;

  friend bool operator==(const Sysctl&, const Sysctl&) = default;
};

/// "/proc/sys/net/ipv4/conf/vrrp.51/arp_ignore".
std::string sysctlPath(const Sysctl& sysctl);

/// What keepalived sets on the macvlan of an IPv4 instance: arp_ignore=1
/// (answer ARP only for its own addresses), accept_local=1 (hear the other
/// router's adverts with a local source), rp_filter=0 (receive while it has
/// no address), promote_secondaries=1 (seen from keepalived 2.2.7 in the
/// lab); plus disable_ipv6=1 unless `spec.ipv6`. IPv6 instances get
/// none: their link-local handling is addrgenmode (see VmacKernel).
std::vector<Sysctl> vmacSysctls(const VmacSpec& spec);

/// rp_filter=0 on a VMAC works only with net.ipv4.conf.all.rp_filter=0 (the
/// kernel uses the larger of the two). keepalived (vrrp_if_config.c
/// clear_rp_filter) therefore, when all.rp_filter is not 0, raises
/// default.rp_filter and every interface's rp_filter below it to its value,
/// then sets all.rp_filter=0: no interface filters differently, and the
/// VMACs can have 0. VmacManager does the same for its first IPv4 VMAC and
/// undoes it (where nobody changed the values since) after its last.
///
/// What keepalived sets on the interface under an IPv4 instance's macvlan:
/// arp_ignore=1 and arp_filter=1, so that it does not answer ARP for the
/// VIPs with its own MAC. Restored when its last VMAC goes.
std::vector<Sysctl> baseSysctls(const VmacSpec& spec);

/// The kernel side of VMACs; NetlinkVmacKernel is the real one, tests pass
/// a fake. Every call is synchronous.
class VmacKernel {
 public:
  virtual ~VmacKernel() = default;
  /// The link called `name`, nullopt when there is none.
  virtual NetlinkResult<std::optional<ExistingLink>> find(const std::string& name) = 0;
  /// Creates the macvlan (mode private, down); returns its ifindex.
  virtual NetlinkResult<int> create(const VmacSpec& spec) = 0;
  /// Deletes a link. A link that is gone already is success.
  virtual std::error_code remove(int ifindex) = 0;
  /// IPv6 addrgenmode none: no link-local address from the VMAC, which both
  /// routers would share (RFC 5798 §7.4; keepalived IN6_ADDR_GEN_MODE_NONE).
  virtual std::error_code disableAddressGeneration(int ifindex) = 0;
  virtual std::error_code setUp(int ifindex) = 0;
  virtual NetlinkResult<int> readSysctl(const Sysctl& sysctl) = 0;
  virtual std::error_code writeSysctl(const Sysctl& sysctl) = 0;
  /// The interfaces with IPv4 settings (not "all" and "default").
  virtual NetlinkResult<std::vector<std::string>> ipv4Interfaces() = 0;
};

/// VmacKernel through libnl-route-3 (rtnl_link_macvlan_*, rtnl_link_add,
/// rtnl_link_change, rtnl_link_delete) and /proc/sys for the sysctls.
///
/// NOTE: owns one NETLINK_ROUTE socket of the namespace of the constructing
/// thread; not thread-safe, not copyable.
class NetlinkVmacKernel final : public VmacKernel {
 public:
  /// Throws std::system_error when the socket cannot be opened (start-up).
  NetlinkVmacKernel();
  ~NetlinkVmacKernel() override;
  NetlinkVmacKernel(const NetlinkVmacKernel&) = delete;
  NetlinkVmacKernel& operator=(const NetlinkVmacKernel&) = delete;

  NetlinkResult<std::optional<ExistingLink>> find(const std::string& name) override;
  NetlinkResult<int> create(const VmacSpec& spec) override;
  std::error_code remove(int ifindex) override;
  std::error_code disableAddressGeneration(int ifindex) override;
  std::error_code setUp(int ifindex) override;
  NetlinkResult<int> readSysctl(const Sysctl& sysctl) override;
  std::error_code writeSysctl(const Sysctl& sysctl) override;
  NetlinkResult<std::vector<std::string>> ipv4Interfaces() override;

 private:
  struct Socket;
  std::unique_ptr<Socket> socket_;
};

/// Hears of every macvlan VmacManager takes on and of every one it deleted,
/// and of the sysctls it changes and puts back, so that the daemon can keep
/// a record that survives a crash (daemon::InstallLedger).
class VmacRecorder {
 public:
  virtual ~VmacRecorder() = default;
  /// Before the manager creates, replaces or adopts the macvlan `spec`.
  virtual void owning(const VmacSpec& spec) = 0;
  /// The macvlan is gone (deleted, or never made: its creation failed);
  /// `ifindex`: the one it had (0 if none), whose addresses went with it.
  virtual void released(const VmacSpec& spec, int ifindex) = 0;
  /// Before the manager writes `setting` over the value `before`: the
  /// sysctls of the interface under a VMAC and the rp_filter ones (not the
  /// macvlan's own, which go with it).
  virtual void changing(const Sysctl& setting, int before) = 0;
  /// The sysctl of `setting`'s name is no longer the manager's to put back:
  /// it was (or the write failed, or someone else has changed it since).
  virtual void restored(const Sysctl& setting) = 0;
};

/// Owns the daemon's VMACs: creates (or adopts) each, sets the sysctls and
/// brings it up; on release deletes it and, when the last VMAC on an
/// interface goes, restores that interface's sysctls (keepalived counts them
/// the same way: reset_arp_config). Adopted leftovers are deleted on release
/// like created ones.
///
/// NOTE: holds the VmacKernel (and the recorder, if any) by reference;
/// event-loop thread only.
class VmacManager {
 public:
  explicit VmacManager(VmacKernel& kernel, VmacRecorder* recorder = nullptr)
      : kernel_(kernel), recorder_(recorder) {}
  ~VmacManager() { releaseAll(); }
  VmacManager(const VmacManager&) = delete;
  VmacManager& operator=(const VmacManager&) = delete;

  /// Makes `spec` exist, configured and up; returns the macvlan's ifindex.
  /// Fails (and leaves nothing it created) when the name belongs to an
  /// interface that is not a macvlan, or the kernel refuses a step.
  NetlinkResult<int> acquire(const VmacSpec& spec);
  /// Deletes the VMAC `name` (no-op when not acquired).
  void release(const std::string& name);
  /// Releases every VMAC whose name is not in `used`.
  void releaseUnused(const std::set<std::string>& used);
  void releaseAll();

 private:
  struct Owned {
    VmacSpec spec;
    int ifindex = 0;
    /// Counted in bases_ (IPv4 VMACs only).
    bool holdsBase = false;
    /// Counted in ipv4Vmacs_.
    bool countsIpv4 = false;
  };
  struct Base {
    int users = 0;
    /// The values before the first VMAC changed them.
    std::vector<Sysctl> saved;
  };

  /// What clearRpFilter() changed, to undo when the last IPv4 VMAC goes.
  struct RpFilter {
    int all = 0;
    /// The values before: default's (if raised) and each raised interface's.
    std::vector<Sysctl> raised;
  };

  /// Acquiring `spec` failed before a macvlan existed: tells the recorder, returns `error`.
  std::error_code notMade(const VmacSpec& spec, std::error_code error);
  std::error_code configure(const VmacSpec& spec, int ifindex);
  std::error_code clearRpFilter();
  /// Writes `setting` over `before`, telling the recorder first.
  std::error_code change(const Sysctl& setting, int before);
  void restored(const Sysctl& setting);
  void restoreRpFilter();
  std::error_code holdBase(const VmacSpec& spec);
  void dropBase(const VmacSpec& spec);

  VmacKernel& kernel_;
  VmacRecorder* recorder_;
  std::map<std::string, Owned> owned_;
  std::map<std::string, Base> bases_;
  std::optional<RpFilter> rpFilter_;
  int ipv4Vmacs_ = 0;
};

}  // namespace vipd::net
