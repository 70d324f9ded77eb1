// bench/checks: CPU cost of health checks in one vipd: N instances, each
// tracking its own check every second, against a small HTTP server the bench
// runs itself in the lab host's namespace. Three runs of the same instances:
//   native   a vipd_check HTTP_GET per instance (nothing forked),
//   curl     a vrrp_script `curl -fsS -o /dev/null URL` per instance,
//   none     no check at all (the VRRP baseline both include).
// For each, after a warm-up, the CPU vipd used over the window: its own (the
// sum of its threads' /proc/PID/task/TID/schedstat run time, in ns, plus
// utime+stime from /proc/PID/stat for comparison) and its reaped children's
// (cutime+cstime from /proc/PID/stat: the curl processes). Run through
// bench/checks (root); not part of CI.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agents.h"
#include "lab.h"
#include "netns.h"

namespace {

namespace po = boost::program_options;
using namespace vipd::lab;
using Clock = std::chrono::steady_clock;

constexpr const char* kHostAddress = "192.0.2.1";
constexpr std::uint16_t kPort = 8080;

/// A blocking HTTP/1.0 server on one thread: reads a request, answers 200
/// with a short body, closes. Counts the requests.
class HealthServer {
 public:
  explicit HealthServer(const vipd::testing::NetNs& ns) {
    const vipd::testing::EnterNetNs inside(ns);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(kPort);
    ::inet_pton(AF_INET, kHostAddress, &sa.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
        ::listen(fd_, SOMAXCONN) != 0) {
      throw std::runtime_error(std::string("health server: ") + std::strerror(errno));
    }
    thread_ = std::thread([this] { serve(); });
  }
  ~HealthServer() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(fd_);
  }
  std::uint64_t requests() const { return requests_; }

 private:
  void serve() {
    static constexpr std::string_view kResponse =
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n";
    while (!stopping_) {
      const int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      std::string request;
      char buffer[2048];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(conn, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }
      if (request.find("\r\n\r\n") != std::string::npos) {
        (void)!::send(conn, kResponse.data(), kResponse.size(), MSG_NOSIGNAL);
        ++requests_;
      }
      ::close(conn);
    }
  }

  int fd_ = -1;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> requests_{0};
};

enum class Mode { Native, Curl, None };

const char* name(Mode m) {
  switch (m) {
    case Mode::Native:
      return "native";
    case Mode::Curl:
      return "curl";
    case Mode::None:
      return "none";
  }
  return "?";
}

std::string url() {
  return std::string("http://") + kHostAddress + ":" + std::to_string(kPort) + "/health";
}

std::string check(Mode mode, int i) {
  const std::string n = "chk_" + std::to_string(i);
  if (mode == Mode::Native) {
    return "vipd_check " + n +
           " {\n    HTTP_GET {\n        url {\n            path /health\n            "
           "status_code 200\n        }\n        connect_ip " +
           kHostAddress + "\n        connect_port " + std::to_string(kPort) +
           "\n        connect_timeout 1\n        retry 0\n    }\n    interval 1\n    timeout "
           "2\n}\n";
  }
  return "vrrp_script " + n + " {\n    script \"/usr/bin/curl -fsS -o /dev/null " + url() +
         "\"\n    interval 1\n    timeout 2\n}\n";
}

std::string config(Mode mode, int instances) {
  std::string text = "global_defs {\n    vrrp_version 2\n}\n";
  for (int i = 0; i < instances; ++i) {
    if (mode != Mode::None) text += check(mode, i);
    text += "vrrp_instance VI_" + std::to_string(i) +
            " {\n    interface eth0\n    virtual_router_id " + std::to_string(i + 1) +
            "\n    priority 100\n    advert_int 1\n    virtual_ipaddress {\n        192.0.2." +
            std::to_string(100 + i) + "/24\n    }\n";
    if (mode != Mode::None)
      text += "    track_script {\n        chk_" + std::to_string(i) + "\n    }\n";
    text += "}\n";
  }
  return text;
}

/// CPU counters of one process at one instant.
struct Cpu {
  std::uint64_t runNs = 0;       ///< sum of its threads' schedstat run time
  std::uint64_t selfTicks = 0;   ///< utime + stime
  std::uint64_t childTicks = 0;  ///< cutime + cstime (reaped children)
};

Cpu sample(pid_t pid) {
  Cpu cpu;
  const std::string proc = "/proc/" + std::to_string(pid);
  std::ifstream stat(proc + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the parenthesised comm: state is field 3; utime 14 .. cstime 17.
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  if (fields.size() < 15) throw std::runtime_error("cannot read " + proc + "/stat");
  cpu.selfTicks = std::stoull(fields[11]) + std::stoull(fields[12]);
  cpu.childTicks = std::stoull(fields[13]) + std::stoull(fields[14]);
  for (const auto& task : std::filesystem::directory_iterator(proc + "/task")) {
    std::ifstream schedstat(task.path() / "schedstat");
    std::uint64_t ns = 0;
    if (schedstat >> ns) cpu.runNs += ns;
  }
  return cpu;
}

struct Result {
  Mode mode;
  double seconds = 0;
  double selfMsPerS = 0;       ///< schedstat
  double selfTicksMsPerS = 0;  ///< utime+stime
  double childMsPerS = 0;      ///< cutime+cstime
  double checksPerS = 0;
  double totalMsPerS() const { return selfMsPerS + childMsPerS; }
};

Result measure(Mode mode, int instances, std::chrono::seconds warmup, std::chrono::seconds window) {
  Lab lab("chk");
  Host& host = lab.addHost("h1", {std::string(kHostAddress) + "/24"});
  HealthServer server(*host.ns);
  Child vipd = startVipd(lab, host, config(mode, instances), std::string("vipd-") + name(mode));
  std::this_thread::sleep_for(warmup);
  const double tick = 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
  const Cpu before = sample(vipd.pid);
  const auto requestsBefore = server.requests();
  const auto start = Clock::now();
  std::this_thread::sleep_for(window);
  const Cpu after = sample(vipd.pid);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const auto requests = server.requests() - requestsBefore;
  lab.stop(vipd);
  if (mode != Mode::None && requests == 0) {
    std::cerr << readLog(vipd) << "\nbench/checks: no check reached the server\n";
    throw std::runtime_error("no check ran");
  }
  Result r;
  r.mode = mode;
  r.seconds = seconds;
  r.selfMsPerS = static_cast<double>(after.runNs - before.runNs) / 1e6 / seconds;
  r.selfTicksMsPerS = static_cast<double>(after.selfTicks - before.selfTicks) * tick / seconds;
  r.childMsPerS = static_cast<double>(after.childTicks - before.childTicks) * tick / seconds;
  r.checksPerS = static_cast<double>(requests) / seconds;
  return r;
}

std::string fmt(double v, int decimals = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string machine() {
  utsname u{};
  ::uname(&u);
  std::string cpu = "unknown CPU";
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  return cpu + ", " + std::to_string(std::thread::hardware_concurrency()) + " CPUs, Linux " +
         u.release;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description desc(
      "bench/checks: CPU of one vipd whose instances each track a 1 s health check, native "
      "HTTP_GET against curl (root).\nOptions");
  desc.add_options()("help,h", "print this help")(
      "instances,n", po::value<int>()->default_value(50), "instances, one check each")(
      "seconds,s", po::value<int>()->default_value(20), "measurement window per run")(
      "warmup,w", po::value<int>()->default_value(4), "seconds before the window");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << e.what() << "\n" << desc;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc;
    return 0;
  }
  if (!vipd::testing::canCreateNamespaces()) {
    std::cerr << "bench/checks: needs root to create network namespaces\n";
    return 1;
  }
  const int instances = vm["instances"].as<int>();
  const auto window = std::chrono::seconds(vm["seconds"].as<int>());
  const auto warmup = std::chrono::seconds(vm["warmup"].as<int>());
  std::vector<Result> results;
  for (Mode mode : {Mode::Native, Mode::Curl, Mode::None}) {
    std::cerr << "bench/checks: " << name(mode) << " (" << instances << " instances, "
              << window.count() << " s)…\n";
    results.push_back(measure(mode, instances, warmup, window));
  }
  std::cout << "Machine: " << machine() << "\n"
            << instances << " instances, one check each every 1 s; " << window.count()
            << " s window after " << warmup.count() << " s warm-up.\n\n"
            << "| checks | checks/s seen | vipd ms CPU/s (schedstat) | vipd ms CPU/s (utime+stime) "
               "| children ms CPU/s | total ms CPU/s | ms CPU per check above baseline |\n"
               "|---|---|---|---|---|---|---|\n";
  const Result& native = results[0];
  const Result& curl = results[1];
  const Result& none = results[2];
  const auto perCheck = [&](const Result& r) {
    return r.checksPerS > 0 ? fmt((r.totalMsPerS() - none.totalMsPerS()) / r.checksPerS, 3)
                            : std::string("—");
  };
  for (const Result& r : results) {
    std::cout << "| " << name(r.mode) << " | " << fmt(r.checksPerS) << " | " << fmt(r.selfMsPerS, 2)
              << " | " << fmt(r.selfTicksMsPerS) << " | " << fmt(r.childMsPerS) << " | "
              << fmt(r.totalMsPerS(), 2) << " | " << perCheck(r) << " |\n";
  }
  std::cout << "\ncurl / native, total CPU: " << fmt(curl.totalMsPerS() / native.totalMsPerS())
            << "x; above the no-check baseline: "
            << fmt((curl.totalMsPerS() - none.totalMsPerS()) /
                   std::max(native.totalMsPerS() - none.totalMsPerS(), 1e-6))
            << "x; per check: "
            << fmt(((curl.totalMsPerS() - none.totalMsPerS()) / std::max(curl.checksPerS, 1e-6)) /
                   std::max((native.totalMsPerS() - none.totalMsPerS()) /
                                std::max(native.checksPerS, 1e-6),
                            1e-6))
            << "x\n";
  if (curl.checksPerS < 0.9 * instances) {
    std::cout << "\nThe curl run completed fewer checks than scheduled: the scripts could not keep "
                 "up (vipd counts those intervals as late).\n";
  }
  return 0;
}
