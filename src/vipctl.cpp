// vipctl: asks the running vipd through its control socket; nothing else.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "vipd/ctl/client.h"
#include "vipd/ctl/format.h"

namespace {

namespace po = boost::program_options;
using nlohmann::json;

constexpr int kExitRefused = 1;  // vipd answered with an error
constexpr int kExitUsage = 2;
constexpr int kExitUnreachable = 3;

constexpr const char* kUsage =
    "Usage: vipctl [OPTION]... COMMAND [ARG]...\n"
    "Query and control a running vipd.\n\n"
    "Commands:\n"
    "  status                     instances, states, masters, VIPs, last transitions\n"
    "  stats                      counters per instance and the last takeover's timing\n"
    "  clear-stats                zero the counters\n"
    "  reload                     re-read the configuration (as SIGHUP); errors keep it running\n"
    "  maintenance on|off [NAME]  drain: hand mastership over and stay BACKUP (all instances,\n"
    "                             or NAME and its sync group); off ends it\n"
    "  log-level LEVEL            trace, debug, info, warn, error, critical, off\n"
    "  metrics                    Prometheus text format, as the metrics file\n";

struct Invocation {
  std::string socket = "/run/vipd/vipd.sock";
  bool json = false;
  std::vector<std::string> words;
};

class Usage : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::optional<Invocation> parse(int argc, char** argv, std::string& help) {
  Invocation inv;
  po::options_description desc("Options");
  // clang-format off
  desc.add_options()
    ("socket,s", po::value(&inv.socket)->value_name("PATH"),
       "vipd's control socket (default /run/vipd/vipd.sock)")
    ("json,j", "print vipd's answer as JSON, for scripts")
    ("version,v", "print the version and exit")
    ("help,h", "print this help and exit");
  // clang-format on
  po::options_description all;
  all.add(desc).add_options()("words", po::value(&inv.words));
  po::positional_options_description positional;
  positional.add("words", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw Usage(e.what());
  }
  std::ostringstream text;
  text << kUsage << '\n' << desc;
  help = text.str();
  if (vm.count("help")) return std::nullopt;
  if (vm.count("version")) {
    std::cout << "vipctl " << VIPD_VERSION_STRING << '\n';
    std::exit(0);
  }
  inv.json = vm.count("json") > 0;
  if (inv.words.empty()) throw Usage("no command given");
  return inv;
}

bool onOff(const std::string& word) {
  if (word == "on") return true;
  if (word == "off") return false;
  throw Usage("maintenance takes 'on' or 'off', not '" + word + "'");
}

json requestFor(const std::vector<std::string>& w) {
  const std::string& command = w[0];
  auto arity = [&](std::size_t min, std::size_t max) {
    if (w.size() - 1 < min || w.size() - 1 > max) {
      throw Usage("wrong number of arguments for '" + command + "'");
    }
  };
  if (command == "status" || command == "stats" || command == "clear-stats" ||
      command == "reload" || command == "metrics") {
    arity(0, 0);
    return {{"command", command}};
  }
  if (command == "maintenance") {
    arity(1, 2);
    json r = {{"command", command}, {"on", onOff(w[1])}};
    if (w.size() == 3) r["instance"] = w[2];
    return r;
  }
  if (command == "log-level") {
    arity(1, 1);
    return {{"command", command}, {"level", w[1]}};
  }
  throw Usage("unknown command '" + command + "'");
}

// Human output per command; the answer's own words where there is no table.
void print(const std::string& command, const json& answer) {
  if (command == "status") {
    std::cout << vipd::ctl::formatStatus(answer);
  } else if (command == "stats") {
    std::cout << vipd::ctl::formatStats(answer);
  } else if (command == "metrics") {
    std::cout << answer.value("metrics", "");
  } else if (answer.contains("message")) {
    std::cout << answer["message"].get<std::string>() << '\n';
  }
  // The configuration's diagnostics (reload), as vipd -t prints them.
  for (const auto& line : answer.value("diagnostics", json::array())) {
    if (line.is_string()) std::cerr << line.get<std::string>() << '\n';
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string help;
  std::optional<Invocation> inv;
  json body;
  try {
    inv = parse(argc, argv, help);
    if (!inv) {
      std::cout << help;
      return 0;
    }
    body = requestFor(inv->words);
  } catch (const Usage& e) {
    std::cerr << "vipctl: " << e.what() << "\nTry 'vipctl --help' for more information.\n";
    return kExitUsage;
  }
  json answer;
  try {
    answer = vipd::ctl::request(inv->socket, body);
  } catch (const vipd::ctl::ClientError& e) {
    std::cerr << "vipctl: " << e.what() << '\n';
    return kExitUnreachable;
  }
  if (!answer.value("ok", false)) {
    if (inv->json) std::cout << answer.dump(2) << '\n';
    std::cerr << "vipctl: " << answer.value("error", "vipd refused the request") << '\n';
    return kExitRefused;
  }
  if (inv->json) {
    std::cout << answer.dump(2) << '\n';
  } else {
    print(inv->words[0], answer);
  }
  // A reload that kept the running configuration failed, for scripts too.
  return answer.value("applied", true) ? 0 : kExitRefused;
}
