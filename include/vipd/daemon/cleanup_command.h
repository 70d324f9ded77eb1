#pragma once

#include <optional>
#include <string>

#include "vipd/config/model.h"
#include "vipd/daemon/install_ledger.h"
#include "vipd/daemon/leftovers.h"
#include "vipd/daemon/options.h"

/// `vipd --cleanup`: what a killed vipd left behind is removed without
/// starting one (keepalived has no such command; reference §5 item 4).
namespace vipd::daemon {

/// What cleanUpAfterCrash() did.
struct CrashCleanup {
  std::size_t removed = 0;
  /// Still present: the kernel refused (each logged with its reason).
  std::vector<InstalledItem> failed;
};

/// The work of `vipd --cleanup` on injected managers: removes what
/// `recorded` lists (a state file that could be read), then what `config`
/// installs, when given (keepalived's start-up cleanup, for what no state
/// file recorded: a run without one, or keepalived's own leftovers). What
/// could not be removed stays in `store`; with nothing left, the store is
/// discarded.
CrashCleanup cleanUpAfterCrash(const std::vector<InstalledItem>& recorded,
                               const config::Config* config, const CleanupDeps& deps,
                               LedgerStore& store);

/// Why `vipd --cleanup` must not run now: a vipd answers on the control
/// socket, or the pid file names a live vipd. nullopt when none runs.
std::optional<std::string> runningVipd(const Options& options);

/// `vipd --cleanup` itself: refuses while a vipd runs with these files, else
/// cleans up through netlink (CleanupDeps on the kernel) and logs each step.
/// Returns the exit status: 0 when nothing is left, 1 when something could
/// not be removed, the state file could not be read, `config` is null (not
/// loadable: only the state file was used) or a vipd runs.
int runCleanupCommand(const Options& options, const config::Config* config);

}  // namespace vipd::daemon
