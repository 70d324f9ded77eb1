#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "vipd/daemon/logging.h"

namespace vipd::daemon {

/// What the command line asked for; filled by parseOptions().
struct Options {
  /// DumpConfig: print the effective configuration (vipd only; keepalived has
  /// no such option, so it has no short letter).
  /// Signum: print the number of keepalived's signal function `signalName`.
  /// Cleanup: remove what a killed vipd left behind (the state file's
  /// records and the configured addresses, routes, rules and VMACs), then exit.
  enum class Action { Run, ConfigTest, DumpConfig, Help, Version, Signum, Cleanup };

  Action action = Action::Run;
  std::string configFile = "/etc/vipd/vipd.conf";
  bool foreground = false;
  bool logConsole = false;
  /// -S: log to syslog with this facility (LOG_LOCAL0..7, LOG_USER or
  /// LOG_DAEMON), even in the foreground. nullopt: not given.
  std::optional<int> syslogFacility;
  spdlog::level::level_enum logLevel = spdlog::level::info;
  std::string pidFile = "/run/vipd/vipd.pid";
  /// What vipd has installed, for the cleanup after a crash (InstallLedger);
  /// stateFileFor(pidFile) unless --state-file; empty: none.
  std::string stateFile = "/run/vipd/vipd.state";
  /// keepalived's -i: selects `@id` lines; empty = the host name's first label.
  std::string configId;
  /// Unknown and unsupported keywords are errors, not warnings.
  bool strictConfig = false;
  /// The control socket vipctl talks to; empty: none.
  std::string controlSocket = "/run/vipd/vipd.sock";
  /// node_exporter textfile-collector file; empty: no metrics file.
  std::string metricsFile;
  std::chrono::milliseconds metricsInterval{15000};
  /// Where the keepalived-style dumps (vipd.data, vipd.stats, vipd.json) go.
  std::string dumpDir = "/tmp";
  /// --signum's argument (checked by the caller, which prints the number).
  std::string signalName;
  /// The text printed for --help (usage plus option descriptions).
  std::string helpText;
};

/// As keepalived: -l logs to the console, -S to syslog with its facility,
/// both if both are given, and a detached daemon always logs to syslog
/// (LOG_DAEMON unless -S). Unlike keepalived, the foreground (-n, as under
/// systemd, whose journal reads stderr) logs to the console only, unless -S
/// asks for syslog.
LogTargets logTargets(const Options& options);

/// keepalived's -S values: 0-7 (LOG_LOCAL0..7), local0-local7, user, daemon.
/// nullopt for anything else.
std::optional<int> parseLogFacility(const std::string& text);

/// The state file that goes with a pid file: its path with ".state" for
/// ".pid" (or added), so /run/vipd/vipd.pid gives /run/vipd/vipd.state and
/// two vipd with their own pid files never share one.
std::string stateFileFor(const std::string& pidFile);

/// A command line that cannot be run: unknown option, bad value.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses argv (argv[0] included) with Boost.Program_options.
/// @throws UsageError with a one-line reason on any invalid input.
Options parseOptions(std::span<const char* const> argv);

/// "vipd 0.1.0" plus the protocols it speaks.
std::string versionText();

}  // namespace vipd::daemon
