// Status and stats documents for the control socket; see status.h.
#include "vipd/daemon/status.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace vipd::daemon {

namespace {

using std::chrono::duration;

double seconds(Scheduler::Clock::duration d) { return duration<double>(d).count(); }
double seconds(core::Centiseconds cs) { return static_cast<double>(cs.count()) / 100.0; }

// The master this instance hears: itself as MASTER; as BACKUP the sender of
// the last advert if it is recent (within Master_Down_Interval) and did not
// resign. null: nobody (a Backup about to take over, INIT, FAULT).
nlohmann::json masterOf(const Instance& instance, Scheduler::Clock::time_point now) {
  const auto& router = instance.router();
  if (router.state() == core::State::Master) return router.config().primaryAddress.toString();
  if (router.state() != core::State::Backup) return nullptr;
  const auto& heard = instance.lastAdvert();
  if (!heard || heard->priority == 0 || now - heard->at > router.masterDownInterval()) {
    return nullptr;
  }
  return heard->source.toString();
}

// {"reason": count} for every reason, zero or not: scripts see the same keys each time.
nlohmann::json dropsByReasonJson(const DropCounts& drops) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < drops.size(); ++i) {
    out[std::string(proto::toString(proto::kAllDropReasons[i]))] = drops[i];
  }
  return out;
}

nlohmann::json transitionJson(const TransitionRecord& t) {
  return {{"from", core::toString(t.from)},
          {"to", core::toString(t.to)},
          {"cause", core::toString(t.cause)},
          {"priority", t.priority},
          {"at", rfc3339(t.wallTime)}};
}

nlohmann::json vipList(const InstanceSettings& settings) {
  auto vips = nlohmann::json::array();
  for (const auto& a : settings.addresses) {
    vips.push_back(fmt::format("{}/{}", a.address.toString(), a.prefixLength));
  }
  return vips;
}

nlohmann::json takeoverJson(const TakeoverTiming& t) {
  auto us = [](std::chrono::microseconds d) { return static_cast<double>(d.count()) / 1e6; };
  return {{"since_last_advert_s", t.detection ? nlohmann::json(us(*t.detection)) : nullptr},
          {"timer_late_s", us(t.timerLateness)},
          {"vips_added_s", us(t.vipsInstalled)},
          {"first_announcement_s", us(t.firstAnnouncement)}};
}

nlohmann::json histogramJson(const util::FailoverHistogram& h) {
  auto buckets = nlohmann::json::array();
  for (std::size_t i = 0; i < h.bounds.size(); ++i) {
    buckets.push_back({{"le", h.bounds[i]}, {"count", h.counts[i]}});
  }
  return {{"buckets", buckets}, {"count", h.count}, {"sum", h.sum}};
}

// Peers on our VRID whose adverts are dropped for a configuration mismatch: while this list is
// not empty, two masters are likely.
nlohmann::json incompatibleJson(const IncompatiblePeers& peers, Scheduler::Clock::time_point now) {
  auto list = nlohmann::json::array();
  for (const auto& e : peers.entries()) {
    list.push_back({{"peer", e.peer.toString()},
                    {"reason", std::string(proto::toString(e.reason))},
                    {"difference", e.difference},
                    {"adverts_dropped", e.adverts},
                    {"for_s", seconds(now - e.since)},
                    {"last_heard_s", seconds(now - e.lastHeard)}});
  }
  return list;
}

// The routers heard with valid adverts and the checksum form each uses (VRRPv3/IPv4 has three
// in the wild), the most recent first.
nlohmann::json peersJson(const PeerChecksums& peers, Scheduler::Clock::time_point now) {
  auto sorted = peers.peers();
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.lastHeard > b.lastHeard; });
  auto list = nlohmann::json::array();
  for (const auto& p : sorted) {
    list.push_back({{"peer", p.address.toString()},
                    {"checksum_form", std::string(proto::toString(p.form))},
                    {"adverts_received", p.adverts},
                    {"last_heard_s", seconds(now - p.lastHeard)}});
  }
  return list;
}

nlohmann::json checksumFormsJson(const InstanceStats& s) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < s.checksumForms.size(); ++i) {
    out[std::string(proto::toString(proto::kAllChecksumForms[i]))] = s.checksumForms[i];
  }
  return out;
}

nlohmann::json runtimeJson(const std::optional<std::chrono::steady_clock::duration>& runtime) {
  return runtime ? nlohmann::json(duration<double>(*runtime).count()) : nlohmann::json(nullptr);
}

// An array even when empty: scripts see the same shape each time.
template <class T, class F>
nlohmann::json listJson(const std::vector<T>& items, F toJson) {
  auto out = nlohmann::json::array();
  for (const auto& item : items) out.push_back(toJson(item));
  return out;
}

// Whether this router preempts, any preempt delay still running, and why it did or did not
// take over from the master it hears (preemption.h).
nlohmann::json preemptJson(const Instance& instance, Scheduler::Clock::time_point now) {
  const PreemptionStatus p = preemptionStatus(instance.router(), instance.declinedPreemption(),
                                              instance.preemptedWhy(), now);
  return {{"mode", p.mode},
          {"delay_remaining_s",
           p.delayRemainingSeconds ? nlohmann::json(*p.delayRemainingSeconds) : nullptr},
          {"why", p.why ? nlohmann::json(*p.why) : nullptr}};
}

}  // namespace

std::string rfc3339(std::chrono::system_clock::time_point at) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(at);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at - secs).count();
  // fmt 9 formats a system_clock time_point in local time: go through gmtime.
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(secs)), ms);
}

nlohmann::json instanceStatus(const Instance& instance, Scheduler::Clock::time_point now) {
  const auto& settings = instance.settings();
  const auto& router = instance.router();
  nlohmann::json out = {
      {"name", settings.name},
      {"interface", settings.interface.name},
      {"vrid", router.config().vrid},
      {"family", router.config().primaryAddress.isV4() ? "inet" : "inet6"},
      {"version", router.config().version == core::Version::V2 ? 2 : 3},
      {"state", core::toString(router.state())},
      {"priority", router.priority()},
      {"base_priority", router.config().priority},
      {"master", masterOf(instance, now)},
      {"advert_interval_s", seconds(router.config().advertInterval)},
      {"master_advert_interval_s", seconds(router.masterAdverInterval())},
      {"vips", vipList(settings)},
      {"vips_present", instance.vipsInstalled()},
      {"maintenance", instance.inMaintenance()},
      {"faulted", router.faulted()},
      {"incompatible_peers", incompatibleJson(instance.incompatiblePeers(), now)},
      {"preempt", preemptJson(instance, now)},
      {"in_state_s", nullptr},
      {"last_transition", nullptr},
      {"waiting_for", nullptr},
  };
  if (const auto& last = instance.lastTransition()) {
    out["in_state_s"] = seconds(now - last->at);
    out["last_transition"] = transitionJson(*last);
  }
  return out;
}

nlohmann::json pendingStatus(const PendingView& p, Scheduler::Clock::time_point now) {
  return {
      {"name", p.name},
      {"interface", p.interface},
      {"vrid", p.vrid},
      {"family", p.family == util::Family::V4 ? "inet" : "inet6"},
      {"version", p.version},
      {"state", "PENDING"},
      {"priority", p.priority},
      {"base_priority", p.priority},
      {"master", nullptr},
      {"advert_interval_s", seconds(core::Centiseconds{p.advertInterval.count()})},
      {"master_advert_interval_s", nullptr},
      {"vips", p.vips},
      {"vips_present", false},
      {"maintenance", p.maintenance},
      {"faulted", false},
      {"incompatible_peers", nlohmann::json::array()},
      {"preempt", nullptr},  // not running: nothing decided yet
      {"in_state_s", seconds(now - p.since)},
      {"last_transition", nullptr},
      {"waiting_for", p.waitingFor},
  };
}

nlohmann::json instanceStats(const Instance& instance, Scheduler::Clock::time_point now) {
  const InstanceStats& s = instance.stats();
  const nlohmann::json drops = dropsByReasonJson(s.drops);
  nlohmann::json transitions = nlohmann::json::object();
  for (std::size_t i = 0; i < s.transitions.size(); ++i) {
    transitions[std::string(core::toString(static_cast<core::Cause>(i)))] = s.transitions[i];
  }
  return {
      {"name", instance.settings().name},
      {"adverts_sent", s.advertsSent},
      {"advert_send_errors", s.advertSendErrors},
      {"adverts_received", s.advertsReceived},
      {"priority_zero_received", s.priorityZeroReceived},
      {"priority_zero_sent", s.priorityZeroSent},
      {"drops", drops},
      {"checksum_forms", checksumFormsJson(s)},
      {"peers", peersJson(instance.peerChecksums(), now)},
      {"transitions", transitions},
      {"became_master", s.becameMaster},
      {"released_master", s.releasedMaster},
      {"announcements_sent", s.announcementsSent},
      {"address_errors", s.addressErrors},
      {"addresses_restored", s.addressesRestored},
      {"lower_priority_answers", s.lowerPriorityAnswers},
      {"route_errors", s.routeErrors},
      {"last_takeover", s.lastTakeover ? takeoverJson(*s.lastTakeover) : nullptr},
      {"failover_seconds", histogramJson(s.failoverSeconds)},
  };
}

nlohmann::json scriptJson(const ScriptReport& script) {
  const ScriptStats& s = script.stats;
  return {{"name", script.name},
          {"kind", script.kind},
          {"status", script.status},
          {"runs", s.runs},
          {"failures", s.failures},
          {"timeouts", s.timeouts},
          {"retries", s.retries},
          {"late", s.late},
          {"last_runtime_s", runtimeJson(s.lastRuntime)}};
}

nlohmann::json notifyJson(const NotifyReport& notify) {
  const notify::NotifyStats& s = notify.stats;
  return {{"type", notify.type},    {"name", notify.name},
          {"runs", s.runs},         {"failures", s.failures},
          {"timeouts", s.timeouts}, {"last_runtime_s", runtimeJson(s.lastRuntime)}};
}

nlohmann::json refusedScriptJson(const RefusedScriptReport& refused) {
  return {{"script", refused.script.script},
          {"kind", notify::toString(refused.script.kind)},
          {"reason", refused.script.reason},
          {"tracked_by", refused.trackedBy}};
}

nlohmann::json statusDocument(const std::vector<std::unique_ptr<Instance>>& instances,
                              Scheduler::Clock::time_point now,
                              const std::vector<PendingView>& pending,
                              const std::vector<RefusedScriptReport>& refused) {
  auto list = nlohmann::json::array();
  for (const auto& instance : instances) list.push_back(instanceStatus(*instance, now));
  for (const auto& p : pending) list.push_back(pendingStatus(p, now));
  return {{"instances", list}, {"refused_scripts", listJson(refused, refusedScriptJson)}};
}

nlohmann::json statsDocument(const std::vector<std::unique_ptr<Instance>>& instances,
                             const DaemonCounters& daemon, Scheduler::Clock::time_point now) {
  auto list = nlohmann::json::array();
  for (const auto& instance : instances) list.push_back(instanceStats(*instance, now));
  return {{"instances", list},
          {"unattributed_drops", dropsByReasonJson(daemon.unattributedDrops)},
          {"log_lines_overwritten", daemon.logLinesOverwritten},
          {"state_file_errors", daemon.stateFileErrors},
          {"scripts", listJson(daemon.scripts, scriptJson)},
          {"notifies", listJson(daemon.notifies, notifyJson)},
          {"refused_scripts", listJson(daemon.refusedScripts, refusedScriptJson)}};
}

}  // namespace vipd::daemon
