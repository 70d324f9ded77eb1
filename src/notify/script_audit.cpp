#include "vipd/notify/script_audit.h"

#include <algorithm>
#include <set>

namespace vipd::notify {

namespace {

// The daemon runs a vrrp_script only if something tracks it.
std::set<std::string> trackedScripts(const config::Config& config) {
  std::set<std::string> names;
  for (const auto& in : config.instances) {
    for (const auto& t : in.trackScripts) names.insert(t.name);
  }
  for (const auto& group : config.syncGroups) {
    for (const auto& t : group.trackScripts) names.insert(t.name);
  }
  return names;
}

void addNotify(std::vector<ConfiguredScript>& out, const std::string& owner,
               const config::NotifyScripts& n) {
  const std::pair<const char*, const std::optional<config::NotifyScript>*> scripts[] = {
      {"notify_master", &n.master},
      {"notify_backup", &n.backup},
      {"notify_fault", &n.fault},
      {"notify_stop", &n.stop},
      {"notify", &n.generic},
      {"notify_deleted", &n.deleted},
      {"notify_master_rx_lower_pri", &n.masterRxLowerPri}};
  for (const auto& [keyword, script] : scripts) {
    if (!*script) continue;
    std::optional<config::RunAs> user;
    if ((*script)->user) user = config::RunAs{*(*script)->user, (*script)->group};
    out.push_back({std::string(keyword) + " " + owner, (*script)->argv, std::move(user)});
  }
}

void addFifoReader(std::vector<ConfiguredScript>& out, const char* keyword,
                   const std::optional<config::NotifyFifo>& fifo) {
  if (!fifo || fifo->readerArgv.empty()) return;
  out.push_back({std::string(keyword) + "_script", fifo->readerArgv, fifo->readerUser});
}

}  // namespace

std::vector<ConfiguredScript> configuredScripts(const config::Config& config) {
  std::vector<ConfiguredScript> out;
  const auto tracked = trackedScripts(config);
  for (const auto& script : config.scripts) {
    // A script without a command runs nothing (a native check, say).
    if (script.argv.empty() || !tracked.contains(script.name)) continue;
    out.push_back({"vrrp_script " + script.name, script.argv, script.user});
  }
  for (const auto& in : config.instances) addNotify(out, in.name, in.notify);
  for (const auto& group : config.syncGroups) addNotify(out, group.name, group.notify);
  addFifoReader(out, "notify_fifo", config.global.notifyFifo);
  addFifoReader(out, "vrrp_notify_fifo", config.global.vrrpNotifyFifo);
  return out;
}

std::vector<ScriptFinding> auditScripts(const config::Config& config, ScriptResolver& resolver) {
  std::vector<ScriptFinding> out;
  for (const auto& script : configuredScripts(config)) {
    const auto r = resolver.resolve(script.name, script.argv, script.user);
    for (const auto& warning : r.warnings) {
      out.push_back({script.name, warning, false, RefusalKind::None});
    }
    if (!r.command) out.push_back({script.name, r.refusal, true, r.refusalKind});
  }
  return out;
}

}  // namespace vipd::notify
