#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include <spdlog/common.h>

namespace vipd::daemon {

/// What the command line asked for; filled by parseOptions().
struct Options {
  /// DumpConfig: print the effective configuration (vipd only; keepalived has
  /// no such option, so it has no short letter).
  enum class Action { Run, ConfigTest, DumpConfig, Help, Version };

  Action action = Action::Run;
  std::string configFile = "/etc/vipd/vipd.conf";
  bool foreground = false;
  bool logConsole = false;
  spdlog::level::level_enum logLevel = spdlog::level::info;
  std::string pidFile = "/run/vipd/vipd.pid";
  /// keepalived's -i: selects `@id` lines; empty = the host name's first label.
  std::string configId;
  /// Unknown and unsupported keywords are errors, not warnings.
  bool strictConfig = false;
  /// The control socket vipctl talks to; empty: none.
  std::string controlSocket = "/run/vipd/vipd.sock";
  /// node_exporter textfile-collector file; empty: no metrics file.
  std::string metricsFile;
  std::chrono::milliseconds metricsInterval{15000};
  /// The text printed for --help (usage plus option descriptions).
  std::string helpText;
};

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
