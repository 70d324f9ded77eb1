#include "agents.h"

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

namespace vipd::lab {

std::string vipctlBinary() { return VIPCTL_BINARY_PATH; }

std::string vipdBinary() {
  if (const char* env = std::getenv("VIPD_BINARY")) return env;
  return VIPD_BINARY_PATH;
}

namespace {
std::string writeConfig(Lab& lab, const std::string& name, const std::string& text) {
  auto path = lab.dir() / (name + ".conf");
  std::ofstream(path) << text;
  return path.string();
}
}  // namespace

std::string controlSocketOf(const Lab& lab, const std::string& name) {
  return (lab.dir() / (name + ".sock")).string();
}

Child startVipd(Lab& lab, const Host& host, const std::string& configText, const std::string& name,
                const std::vector<std::string>& extraArgs) {
  return startVipdUnder({}, lab, host, configText, name, extraArgs);
}

Child startVipdUnder(const std::vector<std::string>& launcher, Lab& lab, const Host& host,
                     const std::string& configText, const std::string& name,
                     const std::vector<std::string>& extraArgs) {
  auto conf = writeConfig(lab, name, configText);
  auto pid = (lab.dir() / (name + ".pid")).string();
  std::vector<std::string> argv = launcher;
  argv.insert(argv.end(), {vipdBinary(), "-n", "-l", "-f", conf, "--pid-file", pid,
                           "--control-socket", controlSocketOf(lab, name)});
  argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
  return lab.spawn(host, argv, name);
}

Child startKeepalived(Lab& lab, const Host& host, const std::string& configText,
                      const std::string& name) {
  auto conf = writeConfig(lab, name, configText);
  auto dir = lab.dir();
  return lab.spawn(
      host,
      // --no-syslog: with no syslog daemon here, glibc's LOG_CONS fallback
      // writes every line to the serial console and stalls the machine.
      {"keepalived", "-n", "-l", "-D", "--no-syslog", "--vrrp", "-f", conf, "-p",
       (dir / (name + ".pid")).string(), "-r", (dir / (name + "-vrrp.pid")).string(), "-i", name},
      name);
}

void reloadWith(Lab& lab, const Child& child, const std::string& configText) {
  writeConfig(lab, child.name, configText);
  lab.signal(child, SIGHUP);
}

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::string readLog(const Child& child) {
  std::ifstream f(child.log);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace vipd::lab
