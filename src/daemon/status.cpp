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
      {"in_state_s", nullptr},
      {"last_transition", nullptr},
  };
  if (const auto& last = instance.lastTransition()) {
    out["in_state_s"] = seconds(now - last->at);
    out["last_transition"] = transitionJson(*last);
  }
  return out;
}

nlohmann::json instanceStats(const Instance& instance) {
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
      {"transitions", transitions},
      {"became_master", s.becameMaster},
      {"released_master", s.releasedMaster},
      {"announcements_sent", s.announcementsSent},
      {"address_errors", s.addressErrors},
      {"addresses_restored", s.addressesRestored},
      {"route_errors", s.routeErrors},
      {"last_takeover", s.lastTakeover ? takeoverJson(*s.lastTakeover) : nullptr},
      {"failover_seconds", histogramJson(s.failoverSeconds)},
  };
}

nlohmann::json statusDocument(const std::vector<std::unique_ptr<Instance>>& instances,
                              Scheduler::Clock::time_point now) {
  auto list = nlohmann::json::array();
  for (const auto& instance : instances) list.push_back(instanceStatus(*instance, now));
  return {{"instances", list}};
}

nlohmann::json statsDocument(const std::vector<std::unique_ptr<Instance>>& instances,
                             const DaemonCounters& daemon) {
  auto list = nlohmann::json::array();
  for (const auto& instance : instances) list.push_back(instanceStats(*instance));
  return {{"instances", list},
          {"unattributed_drops", dropsByReasonJson(daemon.unattributedDrops)},
          {"log_lines_overwritten", daemon.logLinesOverwritten},
          {"state_file_errors", daemon.stateFileErrors}};
}

}  // namespace vipd::daemon
