#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "vipd/config/model.h"
#include "vipd/exec/script_security.h"

namespace vipd::daemon {

/// The capabilities (capabilities(7)) the running daemon may still need once
/// its sockets, netlink and files are open. Everything else is dropped.
enum class Capability {
  NetAdmin,       ///< VIPs over netlink, the netlink monitor, the process connector
  NetRaw,         ///< VRRP raw sockets, ARP/NA packet sockets, SO_BINDTODEVICE
  SetUid,         ///< forked children switch to a script's user
  SetGid,         ///< ... and to its group (setgroups, setgid)
  Kill,           ///< signals to scripts that run as another user (timeouts, stop)
  DacReadSearch,  ///< a file root can read (or a directory search) only by override
  DacOverride,    ///< a file or directory root can write or execute only by override
};

/// "CAP_NET_ADMIN", as capabilities(7) names it.
std::string_view toString(Capability capability);

/// The capabilities needed, each with the first reason found (for the log
/// and for a refused reload).
using CapabilityNeeds = std::map<Capability, std::string>;

/// The files named on the command line that the daemon reads or writes after
/// start.
struct DaemonFiles {
  std::string configFile;   ///< read again on every reload
  std::string metricsFile;  ///< --metrics-file, rewritten periodically; empty: none
  std::string stateFile;    ///< --state-file, rewritten as VIPs come and go; empty: none
};

/// What the daemon needs after start to run `config`, as root (uid 0, gid 0)
/// with no capability beyond these:
///  - always CAP_NET_ADMIN and CAP_NET_RAW: a reload opens new sockets and
///    every transition changes addresses;
///  - CAP_SETUID, CAP_SETGID and CAP_KILL when a script (vrrp_script, notify,
///    FIFO reader) runs as a user other than root, CAP_SETGID alone when it
///    runs as root with another group; the user comes from the script, else
///    script_user, else vipd_script if it exists, as the resolver decides;
///  - CAP_DAC_READ_SEARCH or CAP_DAC_OVERRIDE when a file vipd touches after
///    start is reachable for root only by overriding the permission bits
///    (owner root: the owner bits; group root: the group bits; else the
///    others'; ACLs are not read): a tracked file or the config read, the
///    metrics and state files' directories written, a root script read and
///    executed.
/// A file that does not exist yet is judged by its directory.
/// NOTE: pure apart from the lookups (tests pass fakes).
CapabilityNeeds neededCapabilities(const config::Config& config, const DaemonFiles& files,
                                   const exec::AccountLookup& accounts, const exec::FileLookup& fs);

/// The needs of a reloaded configuration that the daemon dropped at start:
/// held then and not kept. A capability it never held is not listed (without
/// it the daemon behaves as before the drop existed, and fails where it did).
CapabilityNeeds lostCapabilities(const CapabilityNeeds& next, const std::set<Capability>& kept,
                                 const std::set<Capability>& heldAtStart);

/// "CAP_NET_ADMIN CAP_NET_RAW".
std::string describe(const std::set<Capability>& capabilities);

}  // namespace vipd::daemon
