#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace vipd::ctl {

/// The daemon cannot be reached or answered nonsense.
class ClientError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Sends one request to the control socket at `path` and returns the
/// daemon's answer ({"ok": …}). Throws ClientError naming the path and
/// the reason (no daemon, permission, timeout, malformed answer).
nlohmann::json request(const std::string& path, const nlohmann::json& body,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace vipd::ctl
