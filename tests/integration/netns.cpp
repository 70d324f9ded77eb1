#include "netns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace vipd::testing {

bool canCreateNamespaces() { return geteuid() == 0; }

std::string shell(const std::string& command) {
  // stderr joins stdout so a failure carries its reason.
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  std::string out;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("command failed (status " + std::to_string(status) + "): " + command +
                             "\n" + out);
  }
  return out;
}

namespace {
std::atomic<int> nextId{0};
}

NetNs::NetNs(const std::string& tag)
    : name_("vipdt-" + std::to_string(getpid()) + "-" + std::to_string(nextId++) + "-" + tag) {
  shell("ip netns add " + name_);
  exec("ip link set lo up");
}

NetNs::~NetNs() {
  // Deleting the namespace removes its interfaces (and the veth peers).
  std::string cmd = "ip netns del " + name_ + " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "warning: could not delete namespace %s\n", name_.c_str());
  }
}

std::string NetNs::exec(const std::string& command) const {
  std::string quoted;
  for (char c : command) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return shell("ip netns exec " + name_ + " sh -c '" + quoted + "'");
}

void linkVeth(const NetNs& a, const std::string& ifA, const NetNs& b, const std::string& ifB) {
  shell("ip link add " + ifA + " netns " + a.name() + " type veth peer name " + ifB + " netns " +
        b.name());
  a.exec("ip link set dev " + ifA + " up");
  b.exec("ip link set dev " + ifB + " up");
}

EnterNetNs::EnterNetNs(const NetNs& ns) {
  original_ = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (original_ < 0) throw std::runtime_error("open own netns: " + std::string(strerror(errno)));
  std::string path = "/run/netns/" + ns.name();
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    close(original_);
    throw std::runtime_error("open " + path + ": " + strerror(errno));
  }
  int rc = setns(fd, CLONE_NEWNET);
  int err = errno;
  close(fd);
  if (rc != 0) {
    close(original_);
    throw std::runtime_error("setns " + path + ": " + strerror(err));
  }
}

EnterNetNs::~EnterNetNs() {
  if (setns(original_, CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "fatal: cannot return to the original namespace\n");
    std::abort();
  }
  close(original_);
}

}  // namespace vipd::testing
