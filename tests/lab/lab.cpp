#include "lab.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace vipd::lab {

Lab::Lab(const std::string& tag) : tag_(tag) {
  switch_ = std::make_unique<testing::NetNs>(tag + "-sw");
  switch_->exec("ip link add br0 type bridge && ip link set br0 up");
  // A bridge forwards only after its ports pass STP learning; keep STP off
  // (the default) and make forwarding immediate.
  switch_->exec("ip link set br0 type bridge forward_delay 0");
  char templ[] = "/tmp/vipd-lab-XXXXXX";
  if (!mkdtemp(templ)) throw std::runtime_error("mkdtemp failed");
  dir_ = templ;
}

Lab::~Lab() {
  for (auto& child : children_) {
    if (child.pid > 0) stop(child, std::chrono::seconds(2));
  }
  hosts_.clear();  // deleting a host namespace removes its veth pair
  switch_.reset();
  std::error_code ec;
  if (!std::getenv("VIPD_LAB_KEEP_LOGS")) std::filesystem::remove_all(dir_, ec);
}

Host& Lab::addHost(const std::string& name, const std::vector<std::string>& cidrs) {
  auto host = std::make_unique<Host>();
  host->name = name;
  host->ns = std::make_unique<testing::NetNs>(tag_ + "-" + name);
  host->addresses = cidrs;
  // DAD off before the interface exists: a link-local address made while
  // DAD runs stays tentative for ~1.5 s, and VRRPv3 IPv6 adverts cannot be
  // sent from it.
  host->ns->exec("sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0");
  testing::linkVeth(*host->ns, host->ifname, *switch_, name);
  switch_->exec("ip link set dev " + name + " master br0");
  const auto linkLocalReady = [&] {
    return host->ns->exec("ip -6 -o addr show dev " + host->ifname + " scope link -tentative")
               .find("fe80") != std::string::npos;
  };
  for (int i = 0; i < 1000 && !linkLocalReady(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (const auto& cidr : cidrs) {
    bool v6 = cidr.find(':') != std::string::npos;
    host->ns->exec(std::string("ip ") + (v6 ? "-6 " : "") + "addr add " + cidr + " dev " +
                   host->ifname + (v6 ? " nodad" : ""));
  }
  hosts_.push_back(std::move(host));
  return *hosts_.back();
}

Host& Lab::host(const std::string& name) {
  for (auto& h : hosts_) {
    if (h->name == name) return *h;
  }
  throw std::out_of_range("no lab host " + name);
}

Child Lab::spawn(const Host& host, const std::vector<std::string>& argv, const std::string& name) {
  Child child;
  child.name = name;
  child.log = dir_ / (name + ".log");
  std::string nsPath = "/run/netns/" + host.ns->name();
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // Child: enter the host's namespace, log to the file, exec. Only
    // async-signal-safe calls from here on.
    int nsFd = open(nsPath.c_str(), O_RDONLY | O_CLOEXEC);
    int logFd = open(child.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (nsFd < 0 || logFd < 0 || setns(nsFd, CLONE_NEWNET) != 0) _exit(126);
    dup2(logFd, STDOUT_FILENO);
    dup2(logFd, STDERR_FILENO);
    setpgid(0, 0);  // its own process group: ^C on the lab does not reach it twice
    execvp(args[0], args.data());
    _exit(127);
  }
  child.pid = pid;
  children_.push_back(child);
  return child;
}

void Lab::signal(const Child& child, int signo) {
  if (child.pid > 0) ::kill(child.pid, signo);
}

bool Lab::waitExit(Child& child, std::chrono::milliseconds timeout, int* status) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int st = 0;
    pid_t r = waitpid(child.pid, &st, WNOHANG);
    if (r == child.pid) {
      if (status) *status = st;
      for (auto& c : children_) {
        if (c.pid == child.pid) c.pid = -1;
      }
      child.pid = -1;
      return true;
    }
    if (r < 0 || std::chrono::steady_clock::now() >= deadline) return false;
    // Polling a child's exit: there is no descriptor to wait on without
    // pidfd plumbing, and this is lab orchestration, not a unit test.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void Lab::stop(Child& child, std::chrono::milliseconds grace) {
  if (child.pid <= 0) return;
  ::kill(child.pid, SIGCONT);  // a SIGSTOPped child cannot act on SIGTERM
  ::kill(child.pid, SIGTERM);
  if (waitExit(child, grace)) return;
  ::kill(child.pid, SIGKILL);
  waitExit(child, std::chrono::seconds(5));
}

void Lab::setLink(const Host& host, bool up) {
  host.ns->exec("ip link set dev " + host.ifname + (up ? " up" : " down"));
}

bool Lab::hasAddress(const Host& host, const std::string& address) const {
  auto out = host.ns->exec("ip -o addr show dev " + host.ifname);
  return out.find(" " + address + "/") != std::string::npos;
}

}  // namespace vipd::lab
