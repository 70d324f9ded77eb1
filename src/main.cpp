// vipd: parses options, builds objects, runs the loop; nothing else.
#include <cstdio>
#include <iostream>

#include "vipd/daemon/logging.h"
#include "vipd/daemon/options.h"

int main(int argc, char** argv) {
  using vipd::daemon::Options;
  Options opts;
  try {
    opts = vipd::daemon::parseOptions({argv, static_cast<std::size_t>(argc)});
  } catch (const vipd::daemon::UsageError& e) {
    std::cerr << "vipd: " << e.what() << "\nTry 'vipd --help' for more information.\n";
    return 2;
  }

  switch (opts.action) {
    case Options::Action::Help:
      std::cout << opts.helpText;
      return 0;
    case Options::Action::Version:
      std::cout << vipd::daemon::versionText() << '\n';
      return 0;
    case Options::Action::ConfigTest:
    case Options::Action::Run:
      break;
  }

  vipd::daemon::setupLogging(opts.logLevel);
  vipd::daemon::logger("vipd")->error(
      "not yet implemented: {} (this build has the VRRP codec and state machine only)",
      opts.action == Options::Action::ConfigTest ? "config test" : "running the daemon");
  return 1;
}
