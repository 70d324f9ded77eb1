// Control protocol: request → handler → answer; see control_commands.h.
#include "vipd/daemon/control_commands.h"

#include <array>

namespace vipd::daemon {

namespace {

using nlohmann::json;

struct Command {
  std::string_view name;
  bool changes;  ///< Needs root.
  json (*run)(const json& request, const ControlHandlers& handlers);
};

json error(std::string message) { return {{"ok", false}, {"error", std::move(message)}}; }

json merged(json result) {
  json out = {{"ok", true}};
  if (result.is_object()) out.update(result);
  return out;
}

std::optional<std::string> optionalString(const json& request, const char* key) {
  auto it = request.find(key);
  if (it == request.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw ControlError(std::string("'") + key + "' must be a string");
  return it->get<std::string>();
}

json maintenance(const json& request, const ControlHandlers& handlers) {
  auto on = request.find("on");
  if (on == request.end() || !on->is_boolean()) {
    throw ControlError("maintenance needs \"on\": true or false");
  }
  return handlers.maintenance(on->get<bool>(), optionalString(request, "instance"));
}

json logLevel(const json& request, const ControlHandlers& handlers) {
  const auto name = optionalString(request, "level");
  if (!name) throw ControlError("log-level needs \"level\"");
  const auto level = spdlog::level::from_str(*name);
  if (level == spdlog::level::off && *name != "off") {
    throw ControlError("unknown log level '" + *name +
                       "': expected trace, debug, info, warn, error, critical or off");
  }
  return handlers.setLogLevel(level);
}

constexpr std::array kCommands = {
    Command{"status", false, [](const json&, const ControlHandlers& h) { return h.status(); }},
    Command{"stats", false, [](const json&, const ControlHandlers& h) { return h.stats(); }},
    Command{"metrics", false,
            [](const json&, const ControlHandlers& h) {
              return json{{"metrics", h.metrics()}};
            }},
    Command{"clear-stats", true,
            [](const json&, const ControlHandlers& h) { return h.clearStats(); }},
    Command{"reload", true, [](const json&, const ControlHandlers& h) { return h.reload(); }},
    Command{"maintenance", true, maintenance},
    Command{"log-level", true, logLevel},
};

const Command* find(std::string_view name) {
  for (const auto& c : kCommands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

json answerControl(std::string_view request, uid_t peerUid, const ControlHandlers& handlers) {
  const json parsed = json::parse(request, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return error("request is not a JSON object");
  }
  auto name = parsed.find("command");
  if (name == parsed.end() || !name->is_string()) return error("request has no \"command\"");
  const Command* command = find(name->get<std::string>());
  if (command == nullptr) return error("unknown command '" + name->get<std::string>() + "'");
  if (command->changes && peerUid != 0) {
    return error("'" + std::string(command->name) + "' needs root");
  }
  try {
    return merged(command->run(parsed, handlers));
  } catch (const ControlError& e) {
    return error(e.what());
  } catch (const std::exception& e) {
    // A bug in a handler (or one left unset) must not leave the event loop
    // and stop the daemon on a request: answer it like a refusal.
    return error("'" + std::string(command->name) + "' failed: " + e.what());
  }
}

std::string answerControlText(std::string_view request, uid_t peerUid,
                              const ControlHandlers& handlers) {
  // Names, interfaces and diagnostics are the configuration's bytes, which
  // nothing requires to be UTF-8; a strict dump() would throw out of the loop.
  return answerControl(request, peerUid, handlers)
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vipd::daemon
