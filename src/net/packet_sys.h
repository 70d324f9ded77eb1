#pragma once
// Private helpers shared by the packet sockets (vrrp_socket, garp,
// neighbor_advert): error construction and checked setsockopt.

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <memory>
#include <string>
#include <system_error>

namespace vipd::net::detail {

/// errno as a std::error_code (system category, so messages are strerror's).
inline std::error_code lastError() { return {errno, std::system_category()}; }

/// Throws std::system_error for a failed start-up call: "<what> <ifname>: <call>: <strerror>".
[[noreturn]] inline void throwSys(const char* what, const std::string& ifname,
                                  const std::string& call, int err) {
  throw std::system_error(err, std::system_category(),
                          std::string(what) + " " + ifname + ": " + call);
}

/// setsockopt() that throws (via throwSys) naming the option on failure.
template <class T>
void setOption(int fd, int level, int name, const T& value, const char* optionName,
               const char* what, const std::string& ifname) {
  if (::setsockopt(fd, level, name, &value, static_cast<socklen_t>(sizeof value)) != 0) {
    throwSys(what, ifname, std::string("setsockopt(") + optionName + ")", errno);
  }
}

/// SO_BINDTODEVICE by name, as keepalived does (vrrp_if.c:if_setsockopt_bindtodevice).
inline void bindToDevice(int fd, const char* what, const std::string& ifname) {
  if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname.c_str(),
                   static_cast<socklen_t>(ifname.size() + 1)) != 0) {
    throwSys(what, ifname, "setsockopt(SO_BINDTODEVICE)", errno);
  }
}

/// The "vrrp" area logger (STYLE.md point 9), or the default one before
/// logging is set up (unit and integration tests).
inline std::shared_ptr<spdlog::logger> vrrpLogger() {
  auto log = spdlog::get("vrrp");
  return log ? log : spdlog::default_logger();
}

}  // namespace vipd::net::detail
