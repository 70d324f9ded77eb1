#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "netns.h"

namespace vipd::lab {

/// One host of the lab: a namespace with one interface ("eth0") plugged
/// into the lab's switch.
struct Host {
  std::string name;
  std::unique_ptr<testing::NetNs> ns;
  std::string ifname = "eth0";
  std::vector<std::string> addresses;  // CIDR strings as configured
};

/// A process the lab started in a host's namespace.
struct Child {
  pid_t pid = -1;
  std::string name;
  std::filesystem::path log;
};

/// A virtual segment: a bridge in a "switch" namespace and hosts joined to it
/// by veth pairs, with documentation addresses only. Everything the lab
/// creates (namespaces, processes, its temporary directory) is removed on
/// destruction; processes are ended by the PID the lab recorded, never by name.
///
/// NOTE: single-threaded; names are unique per process and instance, so
/// several labs may run on one machine at once.
class Lab {
 public:
  explicit Lab(const std::string& tag);
  ~Lab();
  Lab(const Lab&) = delete;
  Lab& operator=(const Lab&) = delete;

  /// Adds a host with the given addresses ("192.0.2.1/24", "2001:db8::1/64").
  /// IPv6 duplicate address detection is off so addresses are usable at once.
  Host& addHost(const std::string& name, const std::vector<std::string>& cidrs);
  Host& host(const std::string& name);

  /// Starts argv in the host's namespace, stdout and stderr to a log file in dir().
  Child spawn(const Host& host, const std::vector<std::string>& argv, const std::string& name);
  /// Sends a signal to a child the lab started.
  void signal(const Child& child, int signo);
  /// Waits for a child to exit; true (and its wait status) if it did in time.
  bool waitExit(Child& child, std::chrono::milliseconds timeout, int* status = nullptr);
  /// SIGTERM, then SIGKILL after `grace`; reaps it.
  void stop(Child& child, std::chrono::milliseconds grace = std::chrono::seconds(5));

  /// Carrier on the host's side of its link (ip link set dev eth0 up/down).
  void setLink(const Host& host, bool up);
  /// True when `address` (no prefix) is configured on the host's interface.
  bool hasAddress(const Host& host, const std::string& address) const;

  const std::filesystem::path& dir() const { return dir_; }
  const testing::NetNs& switchNs() const { return *switch_; }

 private:
  std::string tag_;
  std::unique_ptr<testing::NetNs> switch_;
  std::vector<std::unique_ptr<Host>> hosts_;
  std::vector<Child> children_;
  std::filesystem::path dir_;
};

}  // namespace vipd::lab
