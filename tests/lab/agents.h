#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "lab.h"

namespace vipd::lab {

/// Path of the vipd binary under test (set by CMake).
std::string vipdBinary();
/// Path of the vipctl binary built with it.
std::string vipctlBinary();

/// Writes `configText` to the lab directory and starts vipd in the host's
/// namespace in the foreground, logging to the console (the child's log file).
/// The control socket startVipd() gives the vipd it names `name`.
std::string controlSocketOf(const Lab& lab, const std::string& name);

Child startVipd(Lab& lab, const Host& host, const std::string& configText, const std::string& name,
                const std::vector<std::string>& extraArgs = {});

/// startVipd() run through `launcher` (a program and its arguments that
/// exec the rest, such as setpriv), so the vipd starts with what the
/// launcher set up: the vipd's command line follows the launcher's.
Child startVipdUnder(const std::vector<std::string>& launcher, Lab& lab, const Host& host,
                     const std::string& configText, const std::string& name,
                     const std::vector<std::string>& extraArgs = {});

/// The same with keepalived 2.2 (the reference peer), VRRP only, with its
/// pid files in the lab directory so nothing touches /run.
Child startKeepalived(Lab& lab, const Host& host, const std::string& configText,
                      const std::string& name);

/// Rewrites the configuration file of an agent started above (by its
/// name) and sends it SIGHUP.
void reloadWith(Lab& lab, const Child& child, const std::string& configText);

/// Polls `condition` every 5 ms until it holds or `timeout` passes.
/// Lab orchestration only: unit tests never wait on the clock.
bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

/// The whole log of a child so far.
std::string readLog(const Child& child);

}  // namespace vipd::lab
