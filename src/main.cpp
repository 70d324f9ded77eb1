// vipd: parses options, builds objects, runs the loop; nothing else.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "vipd/config/dump.h"
#include "vipd/config/parser.h"
#include "vipd/daemon/capabilities.h"
#include "vipd/daemon/cleanup_command.h"
#include "vipd/daemon/control_commands.h"
#include "vipd/daemon/control_server.h"
#include "vipd/daemon/daemon.h"
#include "vipd/daemon/event_loop.h"
#include "vipd/daemon/host_check.h"
#include "vipd/daemon/keepalived_dump.h"
#include "vipd/daemon/logging.h"
#include "vipd/daemon/metrics.h"
#include "vipd/daemon/options.h"
#include "vipd/daemon/privileges.h"
#include "vipd/daemon/service_manager.h"
#include "vipd/daemon/signal_functions.h"
#include "vipd/exec/script_security.h"
#include "vipd/net/address_manager_netlink.h"
#include "vipd/notify/script_audit.h"
#include "vipd/util/atomic_file.h"

namespace {

using vipd::daemon::Options;
using vipd::daemon::SignalFunction;

// Exit codes follow keepalived's where it has one (reference §3.3).
constexpr int kExitFatal = 1;
constexpr int kExitUsage = 2;
constexpr int kExitConfigTestErrors = 4;
constexpr int kExitNoConfig = 6;
// -t: the daemon would start, but without scripts that cannot run (not
// found, not executable, unknown user or group); keepalived's -t gives 5 for
// these too (its "errors, but it will run").
constexpr int kExitScriptsUnavailable = 5;
// -t: the daemon would start, but script security (enable_script_security)
// refuses scripts; the status for this alone, whatever else is refused.
// keepalived's 6 is its SECURITY VIOLATION (reference §3.3).
constexpr int kExitScriptsInsecure = 6;
// --signum with a name keepalived does not know either (its exit status).
constexpr int kExitUnknownSignalFunction = 1;

vipd::config::ParseOptions parseOptions(const Options& opts) {
  vipd::config::ParseOptions po;
  po.strict = opts.strictConfig;
  po.explainDefaults = opts.action == Options::Action::ConfigTest;
  po.configId = opts.configId.empty() ? vipd::config::defaultConfigId() : opts.configId;
  return po;
}

std::optional<vipd::config::Config> loadConfig(const Options& opts) {
  auto result = vipd::config::parseFile(opts.configFile, parseOptions(opts));
  for (const auto& d : result.diagnostics) std::cerr << vipd::config::format(d) << '\n';
  return std::move(result.config);
}

// `-t` resolves the scripts as the daemon would, on this host: what it
// would refuse is an error, what it would warn about a warning.
int auditScripts(const vipd::config::Config& config, const std::string& file) {
  vipd::exec::SystemFileLookup files;
  vipd::exec::SystemAccountLookup accounts;
  vipd::notify::ScriptResolver resolver(vipd::notify::ScriptPolicy::fromGlobals(config.global),
                                        files, accounts);
  // The findings are printed below, in the config test's own format.
  spdlog::set_level(spdlog::level::off);
  int refused = 0;
  int insecure = 0;
  for (const auto& f : vipd::notify::auditScripts(config, resolver)) {
    std::cerr << file << ": " << (f.refused ? "error" : "warning") << ": " << f.script << ": "
              << f.message << '\n';
    refused += f.refused ? 1 : 0;
    insecure += f.kind == vipd::notify::RefusalKind::Security ? 1 : 0;
  }
  if (refused == 0) return 0;
  std::cerr << file << ": " << refused << " script(s) would not run";
  if (insecure > 0) std::cerr << ", " << insecure << " of them refused by script security";
  std::cerr << '\n';
  return insecure > 0 ? kExitScriptsInsecure : kExitScriptsUnavailable;
}

// `-t` asks this host too (daemon/host_check.h): a unicast peer that is one
// of its addresses is an error; an interface or advert source not there now
// is a warning, since vipd waits for it. Returns the number of errors.
std::size_t checkHost(const vipd::config::Config& config) {
  spdlog::set_level(spdlog::level::off);  // the findings are printed below
  try {
    vipd::net::NetlinkAddressManager host;
    std::size_t errors = 0;
    for (const auto& d : vipd::daemon::checkHost(config, host)) {
      std::cerr << vipd::config::format(d) << '\n';
      errors += d.severity == vipd::config::Severity::Error ? 1 : 0;
    }
    return errors;
  } catch (const std::exception& e) {
    std::cerr << "vipd: warning: cannot check this host's interfaces and addresses: " << e.what()
              << '\n';
    return 0;
  }
}

// What the daemon needs once started with `config`, on this host.
vipd::daemon::CapabilityNeeds capabilityNeeds(const Options& opts,
                                              const vipd::config::Config& config) {
  vipd::exec::SystemFileLookup files;
  vipd::exec::SystemAccountLookup accounts;
  return vipd::daemon::neededCapabilities(
      config, {opts.configFile, opts.metricsFile, opts.stateFile}, accounts, files);
}

// A reload that needs a capability given up at start would half work
// (scripts failing to switch user, files unreadable): refused instead.
std::string capabilityRefusal(const Options& opts, const vipd::config::Config& next,
                              const vipd::daemon::Privileges& privileges) {
  const auto lost = privileges.lost(capabilityNeeds(opts, next));
  if (lost.empty()) return {};
  std::string why;
  for (const auto& [capability, reason] : lost) {
    why += fmt::format("{}{} ({})", why.empty() ? "" : ", ", vipd::daemon::toString(capability),
                       reason);
  }
  return fmt::format(
      "reload refused: it needs {}, dropped at start; restart vipd to apply it; keeping the "
      "running configuration",
      why);
}

// SIGHUP: a config with any error changes nothing (issue: reload never
// disturbs the running config); its diagnostics go to the log instead.
// Answers vipctl reload with what happened: applied, or kept (and why).
nlohmann::json reloadConfig(const Options& opts, vipd::daemon::Daemon& daemon,
                            const vipd::daemon::Privileges& privileges) {
  auto log = vipd::daemon::logger("vipd");
  log->info("reloading {}", opts.configFile);
  auto result = vipd::config::parseFile(opts.configFile, parseOptions(opts));
  auto diagnostics = nlohmann::json::array();
  for (const auto& d : result.diagnostics) {
    diagnostics.push_back(vipd::config::format(d));
    if (d.severity == vipd::config::Severity::Error) {
      log->error("{}", vipd::config::format(d));
    } else {
      log->warn("{}", vipd::config::format(d));
    }
  }
  bool applied = false;
  std::string message;
  if (!result.ok()) {
    message = fmt::format("reload failed: {} error(s) in {}; keeping the running configuration",
                          result.errorCount(), opts.configFile);
    log->error("{}", message);
  } else if (message = capabilityRefusal(opts, *result.config, privileges); !message.empty()) {
    log->error("{}", message);
  } else if (!daemon.reload(std::move(*result.config))) {
    message = "reload failed (see the log); keeping the running configuration";
  } else {
    applied = true;
    message = "configuration reloaded from " + opts.configFile;
  }
  return {{"applied", applied}, {"message", message}, {"diagnostics", diagnostics}};
}

// systemd hears of the reload (RELOADING=1), and READY=1 after it, whether it
// applied or kept the running configuration.
nlohmann::json reloadConfig(const Options& opts, vipd::daemon::Daemon& daemon,
                            const vipd::daemon::Privileges& privileges,
                            vipd::daemon::ServiceManager& service) {
  service.reloading();
  auto outcome = reloadConfig(opts, daemon, privileges);
  service.ready();
  return outcome;
}

std::unique_ptr<vipd::daemon::ControlServer> openControlSocket(
    const Options& opts, vipd::daemon::EventLoop& loop, vipd::daemon::ControlHandlers handlers) {
  if (opts.controlSocket.empty()) return nullptr;
  return std::make_unique<vipd::daemon::ControlServer>(
      loop, opts.controlSocket,
      [handlers = std::move(handlers)](std::string_view request, uid_t uid) {
        return vipd::daemon::answerControlText(request, uid, handlers);
      },
      vipd::daemon::logger("vipd"));
}

void writePidFile(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::ofstream f(path, std::ios::trunc);
  f << getpid() << '\n';
  if (!f) vipd::daemon::logger("vipd")->warn("cannot write pid file {}", path);
}

// The signals the loop takes through its signalfd: stop, reload and
// keepalived's dump functions.
sigset_t handledSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, sig);
  for (auto f : {SignalFunction::Data, SignalFunction::Stats, SignalFunction::StatsClear,
                 SignalFunction::Json}) {
    sigaddset(&set, vipd::daemon::signalNumber(f));
  }
  return set;
}

// A dump is a few kB written to a local directory: done in the loop,
// without fsync (util::writeFileAtomically).
void writeDump(const Options& opts, const char* file, const std::string& text) {
  const std::string path = opts.dumpDir + "/" + file;
  auto log = vipd::daemon::logger("vipd");
  if (auto error = vipd::util::writeFileAtomically(path, text, 0600)) {
    log->warn("cannot write {}: {}", path, error.message());
  } else {
    log->info("wrote {}", path);
  }
}

// keepalived's DATA, STATS, STATS_CLEAR and JSON signals (keepalived(8)),
// answered with the same dumps under vipd's names.
void answerDumpSignals(const Options& opts, vipd::daemon::EventLoop& loop,
                       vipd::daemon::Daemon& daemon) {
  using namespace vipd::daemon;
  auto stats = [&opts, &daemon] {
    writeDump(opts, kStatsDumpFile, keepalivedStatsText(daemon.instances()));
  };
  loop.onSignal(signalNumber(SignalFunction::Data), [&opts, &daemon, &loop] {
    writeDump(opts, kDataDumpFile,
              keepalivedDataText(daemon.instances(), loop.now(), systemInterfaceName));
  });
  loop.onSignal(signalNumber(SignalFunction::Stats), stats);
  // As keepalived: the counters as they were, then zeroed.
  loop.onSignal(signalNumber(SignalFunction::StatsClear), [stats, &daemon] {
    stats();
    daemon.clearStats();
  });
  loop.onSignal(signalNumber(SignalFunction::Json), [&opts, &daemon] {
    writeDump(opts, kJsonDumpFile,
              keepalivedJson(daemon.instances(), systemInterfaceName).dump() + "\n");
  });
}

int run(const Options& opts, vipd::config::Config config) {
  if (!opts.foreground && daemon(0, 0) != 0) {
    std::cerr << "vipd: cannot detach: " << strerror(errno) << '\n';
    return kExitFatal;
  }
  // The loop takes these signals through a signalfd. Block them before any
  // thread exists (the logging thread), or the kernel may deliver one there.
  const sigset_t handled = handledSignals();
  sigprocmask(SIG_BLOCK, &handled, nullptr);
  // Before any thread or script exists: none of them inherits capabilities.
  const int inheritanceError = vipd::daemon::Privileges::stopInheritance();
  // Logging starts after the fork: its writer thread would not survive it.
  vipd::daemon::setupLogging(opts.logLevel, vipd::daemon::logTargets(opts),
                             vipd::daemon::dropThreadCapabilities);
  auto log = vipd::daemon::logger("vipd");
  if (inheritanceError != 0) {
    log->warn("capabilities: cannot empty the inheritable and ambient sets: {}",
              strerror(inheritanceError));
  }
  // Timers decide failover: the default 50 us slack would be spent on every
  // Master_Down expiry.
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  int status = 0;
  try {
    // Judged before start, on the config as loaded; applied once started.
    const auto needs = capabilityNeeds(opts, config);
    vipd::daemon::Privileges privileges;
    vipd::daemon::EventLoop loop;
    vipd::daemon::Daemon daemon(std::move(config), loop, opts.stateFile);
    vipd::daemon::ServiceManager service(
        loop, vipd::daemon::systemdNotify(),
        [&daemon] {
          std::vector<vipd::core::State> states;
          for (const auto& instance : daemon.instances()) states.push_back(instance->state());
          return states;
        },
        vipd::daemon::systemdWatchdog());
    bool stopping = false;
    auto stop = [&] {
      if (stopping) return;  // a second SIGTERM while scripts finish changes nothing
      stopping = true;
      service.stopping();
      log->info("stopping");
      daemon.stop([&] { loop.stop(); });
    };
    loop.onSignal(SIGTERM, stop);
    loop.onSignal(SIGINT, stop);
    loop.onSignal(SIGHUP, [&] { reloadConfig(opts, daemon, privileges, service); });
    answerDumpSignals(opts, loop, daemon);
    signal(SIGPIPE, SIG_IGN);
    // Before start: a socket another vipd answers on stops us before we
    // touch any address.
    auto control = openControlSocket(opts, loop, vipd::daemon::controlHandlers(daemon, loop, [&] {
                                       return reloadConfig(opts, daemon, privileges, service);
                                     }));
    daemon.start();
    std::unique_ptr<vipd::daemon::MetricsFile> metrics;
    if (!opts.metricsFile.empty()) {
      metrics = std::make_unique<vipd::daemon::MetricsFile>(
          loop, opts.metricsFile, opts.metricsInterval,
          [&daemon] {
            return vipd::daemon::prometheusText(daemon.instances(), daemon.counters(),
                                                daemon.pendingInstances());
          },
          vipd::daemon::logger("vipd"));
    }
    writePidFile(opts.pidFile);
    // Sockets, netlink, the control socket, FIFOs and files are open now.
    privileges.dropTo(needs, *log);
    log->info("vipd {} started with {} instance(s), {} pending", VIPD_VERSION_STRING,
              daemon.instances().size(), daemon.pendingInstances().size());
    service.ready();
    loop.run();
    log->info("stopped");
  } catch (const std::exception& e) {
    log->critical("{}", e.what());
    status = kExitFatal;
  }
  std::filesystem::remove(opts.pidFile);
  vipd::daemon::shutdownLogging();
  return status;
}

// vipd --cleanup: logs each removal to the console (and syslog with -S).
// A configuration that cannot be used still leaves the state file's part.
int cleanup(const Options& opts, const std::optional<vipd::config::Config>& config) {
  auto targets = vipd::daemon::logTargets(opts);
  targets.console = true;
  vipd::daemon::setupLogging(opts.logLevel, targets);
  const int status = vipd::daemon::runCleanupCommand(opts, config ? &*config : nullptr);
  vipd::daemon::shutdownLogging();
  return status;
}

// keepalived --signum: the number on stdout, or "Unknown sigfunc" and 1.
int printSignalNumber(const std::string& name) {
  auto function = vipd::daemon::parseSignalFunction(name);
  if (!function) {
    std::cerr << "Unknown sigfunc " << name << '\n';
    return kExitUnknownSignalFunction;
  }
  std::cout << vipd::daemon::signalNumber(*function) << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options opts;
  try {
    opts = vipd::daemon::parseOptions({argv, static_cast<std::size_t>(argc)});
  } catch (const vipd::daemon::UsageError& e) {
    std::cerr << "vipd: " << e.what() << "\nTry 'vipd --help' for more information.\n";
    return kExitUsage;
  }

  switch (opts.action) {
    case Options::Action::Help:
      std::cout << opts.helpText;
      return 0;
    case Options::Action::Version:
      std::cout << vipd::daemon::versionText() << '\n';
      return 0;
    case Options::Action::Signum:
      return printSignalNumber(opts.signalName);
    case Options::Action::ConfigTest:
    case Options::Action::DumpConfig:
    case Options::Action::Cleanup:
    case Options::Action::Run:
      break;
  }
  // Unlike keepalived, a missing file is an error for -t too (reference §5 item 16).
  if (!std::filesystem::exists(opts.configFile)) {
    std::cerr << "vipd: configuration file " << opts.configFile << " does not exist\n";
    if (opts.action == Options::Action::Cleanup) return cleanup(opts, std::nullopt);
    return opts.action == Options::Action::Run ? kExitNoConfig : kExitConfigTestErrors;
  }
  auto config = loadConfig(opts);
  if (opts.action == Options::Action::Cleanup) return cleanup(opts, config);
  if (opts.action == Options::Action::ConfigTest) {
    if (!config) return kExitConfigTestErrors;
    const std::size_t hostErrors = checkHost(*config);
    const int scripts = auditScripts(*config, opts.configFile);
    return hostErrors > 0 ? kExitConfigTestErrors : scripts;
  }
  if (opts.action == Options::Action::DumpConfig) {
    if (!config) return kExitConfigTestErrors;  // like -t: the diagnostics say why
    std::cout << vipd::config::dumpConfig(*config);
    return 0;
  }
  if (!config) return kExitUsage;
  return run(opts, std::move(*config));
}
