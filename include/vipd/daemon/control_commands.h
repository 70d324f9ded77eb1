#pragma once

#include <spdlog/common.h>
#include <sys/types.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vipd::daemon {

/// A request the daemon cannot carry out (unknown instance, bad level…);
/// its message goes back to vipctl as the error.
class ControlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What the control socket can ask of the daemon; the daemon supplies each.
/// Results are JSON objects merged into the answer.
struct ControlHandlers {
  std::function<nlohmann::json()> status;
  std::function<nlohmann::json()> stats;
  std::function<nlohmann::json()> clearStats;
  std::function<nlohmann::json()> reload;
  /// `instance` empty: every instance. Throws ControlError.
  std::function<nlohmann::json(bool on, const std::optional<std::string>& instance)> maintenance;
  std::function<nlohmann::json(spdlog::level::level_enum level)> setLogLevel;
  /// Prometheus text exposition format.
  std::function<std::string()> metrics;
};

/// The control protocol, one request per connection: the client sends one
/// JSON object ({"command": "status"}, {"command": "maintenance", "on":
/// true, "instance": "VI_1"}, {"command": "log-level", "level": "debug"})
/// and reads one JSON object back: {"ok": true, …result} or {"ok": false,
/// "error": "why"}. Commands that change anything (reload, maintenance,
/// log-level, clear-stats) are refused unless `peerUid` is root; reading
/// (status, stats, metrics) is allowed to whoever can open the socket.
/// Never throws: malformed requests get an error answer, and so does a
/// handler's exception (ControlError's message verbatim, others prefixed
/// with the command).
nlohmann::json answerControl(std::string_view request, uid_t peerUid,
                             const ControlHandlers& handlers);

/// answerControl() as the text the control socket sends. Bytes that are not
/// UTF-8 (an instance name from a Latin-1 configuration file) become U+FFFD
/// instead of making the serialisation throw. Never throws either.
std::string answerControlText(std::string_view request, uid_t peerUid,
                              const ControlHandlers& handlers);

class Daemon;
class Scheduler;

/// The control socket's commands, served by `daemon` (status, stats,
/// maintenance, clear-stats, metrics, log-level) and by `reload`, which
/// re-reads the configuration and says what happened.
ControlHandlers controlHandlers(Daemon& daemon, Scheduler& clock,
                                std::function<nlohmann::json()> reload);

}  // namespace vipd::daemon
