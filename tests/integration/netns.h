#pragma once

#include <string>

namespace vipd::testing {

/// True when the process may create network namespaces (root).
bool canCreateNamespaces();

/// Runs a shell command; returns its stdout. Throws std::runtime_error with
/// the command and its exit status when it fails.
std::string shell(const std::string& command);

/// A network namespace owned by the test: created with a unique name
/// ("vipdt-<pid>-<n>-<tag>") and deleted, with everything in it, on
/// destruction. Addresses used in tests must be documentation ranges.
class NetNs {
 public:
  explicit NetNs(const std::string& tag);
  ~NetNs();
  NetNs(const NetNs&) = delete;
  NetNs& operator=(const NetNs&) = delete;

  const std::string& name() const { return name_; }
  /// Runs `sh -c command` inside the namespace; returns stdout.
  std::string exec(const std::string& command) const;

 private:
  std::string name_;
};

/// Joins two namespaces with a veth pair named ifA (in a) and ifB (in b), both up.
void linkVeth(const NetNs& a, const std::string& ifA, const NetNs& b, const std::string& ifB);

/// Moves the calling thread into a namespace for its lifetime (setns), and
/// back on destruction. Sockets opened meanwhile belong to that namespace.
class EnterNetNs {
 public:
  explicit EnterNetNs(const NetNs& ns);
  ~EnterNetNs();
  EnterNetNs(const EnterNetNs&) = delete;
  EnterNetNs& operator=(const EnterNetNs&) = delete;

 private:
  int original_ = -1;
};

}  // namespace vipd::testing
