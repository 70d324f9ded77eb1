#include "vipd/notify/script_audit.h"

#include <algorithm>
#include <set>

namespace vipd::notify {

namespace {

void record(std::vector<ScriptFinding>& out, const std::string& name, const Resolution& r) {
  for (const auto& warning : r.warnings) out.push_back({name, warning, false});
  if (!r.command) out.push_back({name, r.refusal, true});
}

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

void auditNotify(std::vector<ScriptFinding>& out, ScriptResolver& resolver,
                 const std::string& owner, const config::NotifyScripts& n) {
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
    const std::string name = std::string(keyword) + " " + owner;
    record(out, name, resolver.resolve(name, **script));
  }
}

void auditFifo(std::vector<ScriptFinding>& out, ScriptResolver& resolver, const char* keyword,
               const std::optional<config::NotifyFifo>& fifo) {
  if (!fifo || fifo->readerArgv.empty()) return;
  const std::string name = std::string(keyword) + "_script";
  record(out, name, resolver.resolve(name, fifo->readerArgv, fifo->readerUser));
}

}  // namespace

std::vector<ScriptFinding> auditScripts(const config::Config& config, ScriptResolver& resolver) {
  std::vector<ScriptFinding> out;
  const auto tracked = trackedScripts(config);
  for (const auto& script : config.scripts) {
    // A script without a command runs nothing (a native check, say).
    if (script.argv.empty() || !tracked.contains(script.name)) continue;
    const std::string name = "vrrp_script " + script.name;
    record(out, name, resolver.resolve(name, script.argv, script.user));
  }
  for (const auto& in : config.instances) auditNotify(out, resolver, in.name, in.notify);
  for (const auto& group : config.syncGroups) auditNotify(out, resolver, group.name, group.notify);
  auditFifo(out, resolver, "notify_fifo", config.global.notifyFifo);
  auditFifo(out, resolver, "vrrp_notify_fifo", config.global.vrrpNotifyFifo);
  return out;
}

}  // namespace vipd::notify
