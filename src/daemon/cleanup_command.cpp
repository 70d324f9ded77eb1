// `vipd --cleanup`; see cleanup_command.h.
#include "vipd/daemon/cleanup_command.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <fstream>

#include "vipd/daemon/control_server.h"
#include "vipd/daemon/logging.h"
#include "vipd/net/address_manager_netlink.h"
#include "vipd/net/route_manager.h"

namespace vipd::daemon {

namespace {

// A pid file outlives a SIGKILL: the pid counts only while a vipd has it.
std::optional<pid_t> livePid(const std::string& pidFile) {
  pid_t pid = 0;
  if (!(std::ifstream(pidFile) >> pid) || pid <= 0 || pid == ::getpid()) return std::nullopt;
  std::string command;
  std::ifstream("/proc/" + std::to_string(pid) + "/comm") >> command;
  return command == "vipd" ? std::optional<pid_t>(pid) : std::nullopt;
}

}  // namespace

CrashCleanup cleanUpAfterCrash(const std::vector<InstalledItem>& recorded,
                               const config::Config* config, const CleanupDeps& deps,
                               LedgerStore& store) {
  auto fromFile = removeLeftovers(recorded, deps, "state file");
  CrashCleanup out{fromFile.removed, std::move(fromFile.failed)};
  if (config != nullptr) {
    auto configured = removeLeftovers(configuredItems(*config, deps.addresses), deps,
                                      "configuration", [&](const InstalledItem& item) {
                                        // Tried already, and said so.
                                        for (const auto& f : out.failed) {
                                          if (sameItem(f, item)) return true;
                                        }
                                        return false;
                                      });
    out.removed += configured.removed;
    for (auto& item : configured.failed) out.failed.push_back(std::move(item));
  }
  if (out.failed.empty()) {
    store.discard();
  } else {
    store.save(ledgerText(out.failed));
  }
  return out;
}

std::optional<std::string> runningVipd(const Options& options) {
  if (!options.controlSocket.empty() && controlSocketAnswers(options.controlSocket)) {
    return "a vipd answers on " + options.controlSocket;
  }
  if (auto pid = livePid(options.pidFile)) {
    return "vipd " + std::to_string(*pid) + " of " + options.pidFile + " is running";
  }
  return std::nullopt;
}

int runCleanupCommand(const Options& options, const config::Config* config) {
  auto log = logger("vipd");
  if (auto running = runningVipd(options)) {
    log->error("cleanup refused: {}; stop it first (it removes what it installed itself)",
               *running);
    return 1;
  }
  StateFile file(options.stateFile);
  auto recorded = file.load();
  // An unreadable file is left as it is, for the operator to look at.
  StateFile untouched("");
  if (!recorded) {
    log->warn("{}; it is left as it is, only the configuration is used", recorded.error());
  }
  CrashCleanup done;
  try {
    net::NetlinkAddressManager addresses;
    net::NetlinkRouteManager routes;
    net::NetlinkVmacKernel vmacs;
    const CleanupDeps deps{addresses, routes, vmacs, *log};
    done = cleanUpAfterCrash(recorded ? recorded.value() : std::vector<InstalledItem>{}, config,
                             deps, recorded ? static_cast<LedgerStore&>(file) : untouched);
  } catch (const std::exception& e) {
    log->error("cleanup: {}", e.what());
    return 1;
  }
  if (!done.failed.empty()) {
    log->error("cleanup: removed {}, {} could not be removed{}", done.removed, done.failed.size(),
               recorded && !options.stateFile.empty() ? " (kept in " + options.stateFile + ")"
                                                      : std::string());
    return 1;
  }
  if (!recorded || config == nullptr) {
    log->error("cleanup: removed {}, but {} could not be read: something may be left", done.removed,
               recorded ? "the configuration" : options.stateFile);
    return 1;
  }
  log->info("cleanup: removed {}; nothing vipd installed is left", done.removed);
  return 0;
}

}  // namespace vipd::daemon
