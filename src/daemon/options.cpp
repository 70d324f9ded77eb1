#include "vipd/daemon/options.h"

#include <syslog.h>

#include <boost/program_options.hpp>
#include <sstream>
#include <string_view>

namespace vipd::daemon {

namespace po = boost::program_options;

namespace {

spdlog::level::level_enum parseLevel(const std::string& name) {
  auto level = spdlog::level::from_str(name);
  // from_str maps unknown names to "off"; only accept "off" when asked for.
  if (level == spdlog::level::off && name != "off") {
    throw UsageError("invalid --log-level '" + name +
                     "': expected trace, debug, info, warn, error, critical or off");
  }
  return level;
}

constexpr int kLocalFacilities[] = {LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
                                    LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7};

}  // namespace

std::optional<int> parseLogFacility(const std::string& text) {
  if (text == "user") return LOG_USER;
  if (text == "daemon") return LOG_DAEMON;
  const std::string digit = text.rfind("local", 0) == 0 ? text.substr(5) : text;
  if (digit.size() == 1 && digit[0] >= '0' && digit[0] <= '7') {
    return kLocalFacilities[digit[0] - '0'];
  }
  return std::nullopt;
}

std::string stateFileFor(const std::string& pidFile) {
  constexpr std::string_view kPid = ".pid";
  const bool endsInPid = pidFile.size() > kPid.size() &&
                         pidFile.compare(pidFile.size() - kPid.size(), kPid.size(), kPid) == 0;
  return (endsInPid ? pidFile.substr(0, pidFile.size() - kPid.size()) : pidFile) + ".state";
}

LogTargets logTargets(const Options& options) {
  LogTargets targets;
  targets.console = options.logConsole || (options.foreground && !options.syslogFacility);
  targets.syslogFacility = options.syslogFacility;
  if (!options.foreground && !targets.syslogFacility) targets.syslogFacility = LOG_DAEMON;
  return targets;
}

Options parseOptions(std::span<const char* const> argv) {
  Options opts;
  std::string level = "info";
  std::string facility;
  double metricsInterval = 15;
  po::options_description desc(
      "Usage: vipd [OPTION]...\nVRRP virtual-IP failover agent.\n\nOptions");
  // clang-format off
  desc.add_options()
    ("config,f", po::value(&opts.configFile)->value_name("FILE"),
       "configuration file (default /etc/vipd/vipd.conf)")
    ("config-test,t", "check the configuration file and exit")
    ("dump-config", "print the effective configuration (defaults filled in) in "
       "keepalived.conf syntax and exit")
    ("foreground,n", "stay in the foreground")
    ("dont-fork", "the same, under keepalived's name")
    ("log-console,l", "log to the console (stderr)")
    ("log-facility,S", po::value(&facility)->value_name("FACILITY"),
       "log to syslog with this facility: 0-7 or local0-local7 (LOG_LOCAL0..7), user, "
       "daemon (the default when detached)")
    ("log-level", po::value(&level)->value_name("LEVEL"),
       "trace, debug, info (default), warn, error, critical, off")
    ("pid-file,p", po::value(&opts.pidFile)->value_name("FILE"),
       "PID file (default /run/vipd/vipd.pid)")
    ("state-file", po::value(&opts.stateFile)->value_name("PATH"),
       "where vipd records what it installs, to remove it after a crash (default: the "
       "pid file's path with .state for .pid, /run/vipd/vipd.state; 'none': no file)")
    ("cleanup", "remove what a killed vipd left behind (what the state file records, and "
       "the configured addresses, routes, rules and VMACs found present) and exit")
    ("control-socket", po::value(&opts.controlSocket)->value_name("PATH"),
       "vipctl's control socket (default /run/vipd/vipd.sock; 'none': no socket)")
    ("metrics-file", po::value(&opts.metricsFile)->value_name("PATH"),
       "write Prometheus metrics to PATH for node_exporter's textfile collector "
       "(default: none)")
    ("metrics-interval", po::value(&metricsInterval)->value_name("SECONDS"),
       "how often the metrics file is rewritten (default 15)")
    ("dump-dir", po::value(&opts.dumpDir)->value_name("DIR"),
       "where the DATA, STATS and JSON signals write vipd.data, vipd.stats and vipd.json "
       "(default /tmp)")
    ("signum", po::value(&opts.signalName)->value_name("NAME"),
       "print the number of the signal for STOP, RELOAD, DATA, STATS, STATS_CLEAR or JSON "
       "and exit")
    ("config-id,i", po::value(&opts.configId)->value_name("ID"),
       "select `@ID` configuration lines (default: host name up to the first dot; "
       "`@vipd` lines are always selected)")
    ("strict", "treat unknown or unsupported keywords as errors")
    ("vrrp,P", "accepted for keepalived compatibility (vipd only does VRRP)")
    ("log-detail,D", "accepted for keepalived compatibility (vipd always logs details)")
    ("version,v", "print the version and exit")
    ("help,h", "print this help and exit");
  // clang-format on

  po::variables_map vm;
  try {
    po::store(
        po::command_line_parser(static_cast<int>(argv.size()), argv.data()).options(desc).run(),
        vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }

  opts.logLevel = parseLevel(level);
  if (vm.count("log-facility")) {
    opts.syslogFacility = parseLogFacility(facility);
    if (!opts.syslogFacility) {
      throw UsageError("invalid --log-facility '" + facility +
                       "': expected 0-7, local0-local7, user or daemon");
    }
  }
  if (opts.dumpDir.empty()) throw UsageError("--dump-dir needs a directory");
  if (opts.controlSocket == "none") opts.controlSocket.clear();
  if (vm.count("state-file") == 0) opts.stateFile = stateFileFor(opts.pidFile);
  if (opts.stateFile == "none") opts.stateFile.clear();
  if (!(metricsInterval >= 0.1 && metricsInterval <= 3600)) {
    throw UsageError("invalid --metrics-interval: expected 0.1 to 3600 seconds");
  }
  opts.metricsInterval = std::chrono::milliseconds(static_cast<long>(metricsInterval * 1000));
  opts.foreground = vm.count("foreground") > 0 || vm.count("dont-fork") > 0;
  opts.logConsole = vm.count("log-console") > 0;
  opts.strictConfig = vm.count("strict") > 0;
  std::ostringstream help;
  help << desc;
  opts.helpText = help.str();

  if (vm.count("help")) {
    opts.action = Options::Action::Help;
  } else if (vm.count("version")) {
    opts.action = Options::Action::Version;
  } else if (vm.count("signum")) {
    opts.action = Options::Action::Signum;
  } else if (vm.count("config-test")) {
    opts.action = Options::Action::ConfigTest;
  } else if (vm.count("dump-config")) {
    opts.action = Options::Action::DumpConfig;
  } else if (vm.count("cleanup")) {
    opts.action = Options::Action::Cleanup;
  }
  return opts;
}

std::string versionText() {
  return std::string("vipd ") + VIPD_VERSION +
         "\nVRRP v2 (RFC 3768) and v3 (RFC 5798/9568), IPv4 and IPv6";
}

}  // namespace vipd::daemon
