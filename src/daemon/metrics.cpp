// Prometheus text format and the textfile-collector writer; see metrics.h.
#include "vipd/daemon/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "vipd/core/transition_table.h"

namespace vipd::daemon {

namespace {

constexpr core::State kStates[] = {core::State::Initialize, core::State::Backup,
                                   core::State::Master, core::State::Fault};

// Label values escape backslash, double quote and newline (exposition format).
std::string escaped(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string labelsOf(const Instance& instance) {
  const auto& s = instance.settings();
  return fmt::format(R"(vrrp_instance="{}",interface="{}",vrid="{}",family="{}")", escaped(s.name),
                     escaped(s.interface.name), s.router.vrid,
                     s.router.primaryAddress.isV4() ? "inet" : "inet6");
}

// Where a transition with this cause leads: every row with it has the same
// destination (the table is the one place that says so).
core::State destinationOf(core::Cause cause) {
  for (const auto& row : core::transitionTable()) {
    if (row.cause == cause) return row.next;
  }
  return core::State::Initialize;
}

class Writer {
 public:
  /// Starts a metric family: HELP and TYPE once, before its samples.
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  void sample(std::string_view name, const std::string& labels, double value) {
    if (labels.empty()) {
      out_ += fmt::format("{} {}\n", name, value);
    } else {
      out_ += fmt::format("{}{{{}}} {}\n", name, labels, value);
    }
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

using Instances = std::vector<std::unique_ptr<Instance>>;

// An alert on vipd_incompatible_peers > 0 catches the silent split brain of a configuration
// mismatch; the per-peer gauge says who and why.
void incompatibleFamilies(Writer& w, const Instances& instances) {
  w.family("vipd_incompatible_peers", "gauge",
           "Peers on this VRID whose adverts are dropped for a configuration mismatch.");
  for (const auto& i : instances) {
    w.sample("vipd_incompatible_peers", labelsOf(*i),
             static_cast<double>(i->incompatiblePeers().peerCount()));
  }
  // Only while there is one: a family without samples is not well formed.
  const bool any = std::any_of(instances.begin(), instances.end(), [](const auto& i) {
    return !i->incompatiblePeers().entries().empty();
  });
  if (!any) return;
  w.family("vipd_incompatible_peer_adverts", "gauge",
           "Adverts dropped from an incompatible peer since it became incompatible, by reason.");
  for (const auto& i : instances) {
    for (const auto& e : i->incompatiblePeers().entries()) {
      w.sample("vipd_incompatible_peer_adverts",
               labelsOf(*i) + fmt::format(R"(,peer="{}",reason="{}")", e.peer.toString(),
                                          proto::toString(e.reason)),
               static_cast<double>(e.adverts));
    }
  }
}

void stateFamilies(Writer& w, const Instances& instances) {
  w.family("vipd_instance_state", "gauge", "1 for the instance's current VRRP state, else 0.");
  for (const auto& i : instances) {
    for (auto state : kStates) {
      w.sample("vipd_instance_state",
               labelsOf(*i) + fmt::format(R"(,state="{}")", core::toString(state)),
               i->state() == state ? 1 : 0);
    }
  }
  w.family("vipd_instance_priority", "gauge", "Effective priority (base adjusted by tracking).");
  for (const auto& i : instances)
    w.sample("vipd_instance_priority", labelsOf(*i), i->router().priority());
  w.family("vipd_instance_base_priority", "gauge", "Configured priority.");
  for (const auto& i : instances) {
    w.sample("vipd_instance_base_priority", labelsOf(*i), i->router().config().priority);
  }
  w.family("vipd_instance_maintenance", "gauge", "1 while drained by vipctl maintenance.");
  for (const auto& i : instances) {
    w.sample("vipd_instance_maintenance", labelsOf(*i), i->inMaintenance() ? 1 : 0);
  }
  w.family("vipd_instance_vips_present", "gauge", "1 while this instance has its VIPs added.");
  for (const auto& i : instances) {
    w.sample("vipd_instance_vips_present", labelsOf(*i), i->vipsInstalled() ? 1 : 0);
  }
  incompatibleFamilies(w, instances);
}

void counter(Writer& w, const Instances& instances, std::string_view name, std::string_view help,
             std::uint64_t InstanceStats::*field) {
  w.family(name, "counter", help);
  for (const auto& i : instances) {
    w.sample(name, labelsOf(*i), static_cast<double>(i->stats().*field));
  }
}

void counterFamilies(Writer& w, const Instances& instances) {
  counter(w, instances, "vipd_adverts_sent_total", "Adverts sent.", &InstanceStats::advertsSent);
  counter(w, instances, "vipd_advert_send_errors_total", "Adverts the kernel refused to send.",
          &InstanceStats::advertSendErrors);
  counter(w, instances, "vipd_adverts_received_total", "Valid adverts received.",
          &InstanceStats::advertsReceived);
  counter(w, instances, "vipd_priority_zero_received_total",
          "Adverts with priority 0 (a master resigning).", &InstanceStats::priorityZeroReceived);
  counter(w, instances, "vipd_announcements_sent_total", "Gratuitous ARP / NA bursts sent.",
          &InstanceStats::announcementsSent);
  counter(w, instances, "vipd_address_errors_total", "VIPs the kernel refused to add or remove.",
          &InstanceStats::addressErrors);
  counter(w, instances, "vipd_route_errors_total",
          "virtual_routes / virtual_rules lines the kernel refused to add or remove.",
          &InstanceStats::routeErrors);
  counter(w, instances, "vipd_vips_restored_total",
          "VIPs removed by someone else while master and added back.",
          &InstanceStats::addressesRestored);
  counter(w, instances, "vipd_lower_priority_answers_total",
          "Adverts of a lower-priority master (a healed partition) answered with an advert "
          "and/or announcements.",
          &InstanceStats::lowerPriorityAnswers);
  w.family("vipd_adverts_dropped_total", "counter", "Packets dropped, by reason.");
  for (const auto& i : instances) {
    for (std::size_t r = 0; r < kDropReasonCount; ++r) {
      w.sample(
          "vipd_adverts_dropped_total",
          labelsOf(*i) + fmt::format(R"(,reason="{}")", proto::toString(proto::kAllDropReasons[r])),
          static_cast<double>(i->stats().drops[r]));
    }
  }
  w.family("vipd_transitions_total", "counter", "State transitions, by destination and cause.");
  for (const auto& i : instances) {
    for (std::size_t c = 0; c < kCauseCount; ++c) {
      const auto cause = static_cast<core::Cause>(c);
      w.sample(
          "vipd_transitions_total",
          labelsOf(*i) + fmt::format(R"(,to="{}",cause="{}")", core::toString(destinationOf(cause)),
                                     core::toString(cause)),
          static_cast<double>(i->stats().transitions[c]));
    }
  }
}

void histogramFamily(Writer& w, const Instances& instances) {
  constexpr std::string_view name = "vipd_failover_duration_seconds";
  w.family(name, "histogram",
           "Takeovers: last advert heard from the old master to the first announcement sent.");
  for (const auto& i : instances) {
    const auto& h = i->stats().failoverSeconds;
    const std::string labels = labelsOf(*i);
    for (std::size_t b = 0; b < h.bounds.size(); ++b) {
      w.sample(fmt::format("{}_bucket", name), labels + fmt::format(R"(,le="{}")", h.bounds[b]),
               static_cast<double>(h.counts[b]));
    }
    w.sample(fmt::format("{}_bucket", name), labels + R"(,le="+Inf")",
             static_cast<double>(h.count));
    w.sample(fmt::format("{}_sum", name), labels, h.sum);
    w.sample(fmt::format("{}_count", name), labels, static_cast<double>(h.count));
  }
}

void unattributedDropsFamily(Writer& w, const DropCounts& drops) {
  constexpr std::string_view name = "vipd_unattributed_drops_total";
  w.family(name, "counter",
           "Packets no instance owns, by reason: decode failures on a socket shared by several "
           "instances, adverts for a VRID no instance runs (vrid_mismatch).");
  for (std::size_t r = 0; r < drops.size(); ++r) {
    w.sample(name, fmt::format(R"(reason="{}")", proto::toString(proto::kAllDropReasons[r])),
             static_cast<double>(drops[r]));
  }
}

void pendingFamily(Writer& w, const Instances& instances, const std::vector<PendingView>& pending) {
  constexpr std::string_view name = "vipd_instance_pending";
  w.family(name, "gauge",
           "1 while the instance waits for its interface or address (not started, not FAULT).");
  for (const auto& i : instances) w.sample(name, labelsOf(*i) + R"(,waiting_for="")", 0);
  for (const auto& p : pending) {
    w.sample(name,
             fmt::format(R"(vrrp_instance="{}",interface="{}",vrid="{}",family="{}",)"
                         R"(waiting_for="{}")",
                         escaped(p.name), escaped(p.interface), p.vrid,
                         p.family == util::Family::V4 ? "inet" : "inet6", escaped(p.waitingFor)),
             1);
  }
}

void logLinesFamily(Writer& w, std::uint64_t overwritten) {
  constexpr std::string_view name = "vipd_log_lines_overwritten_total";
  w.family(name, "counter",
           "Log lines lost: the log writer fell behind and the queue overwrote its oldest line.");
  w.sample(name, "", static_cast<double>(overwritten));
}

std::string scriptLabels(const ScriptReport& script) {
  return fmt::format(R"(script="{}",kind="{}")", escaped(script.name), script.kind);
}

void scriptCounter(Writer& w, const std::vector<ScriptReport>& scripts, std::string_view name,
                   std::string_view help, std::uint64_t ScriptStats::*field) {
  w.family(name, "counter", help);
  for (const auto& script : scripts) {
    w.sample(name, scriptLabels(script), static_cast<double>(script.stats.*field));
  }
}

// A script still going at its next interval is not started again (late);
// one killed at its timeout is a failure too.
void scriptFamilies(Writer& w, const std::vector<ScriptReport>& scripts) {
  scriptCounter(w, scripts, "vipd_script_runs_total", "vrrp_script / vipd_check runs started.",
                &ScriptStats::runs);
  scriptCounter(w, scripts, "vipd_script_failures_total",
                "Runs that failed (non-zero exit, signal, failed probe, timeout).",
                &ScriptStats::failures);
  scriptCounter(w, scripts, "vipd_script_timeouts_total", "Runs killed at their timeout.",
                &ScriptStats::timeouts);
  scriptCounter(w, scripts, "vipd_script_late_total",
                "Intervals at which the previous run was still going (no second run started).",
                &ScriptStats::late);
  constexpr std::string_view runtime = "vipd_script_last_runtime_seconds";
  w.family(runtime, "gauge", "How long the last finished run took.");
  for (const auto& script : scripts) {
    if (!script.stats.lastRuntime) continue;
    w.sample(runtime, scriptLabels(script),
             std::chrono::duration<double>(*script.stats.lastRuntime).count());
  }
  constexpr std::string_view good = "vipd_script_good";
  w.family(good, "gauge", "1 while the script's status is GOOD, 0 while INIT or BAD.");
  for (const auto& script : scripts) {
    w.sample(good, scriptLabels(script), script.status == "GOOD" ? 1 : 0);
  }
}

std::string notifyLabels(const NotifyReport& notify) {
  return fmt::format(R"(type="{}",name="{}")", notify.type, escaped(notify.name));
}

void notifyCounter(Writer& w, const std::vector<NotifyReport>& notifies, std::string_view name,
                   std::string_view help, std::uint64_t notify::NotifyStats::*field) {
  w.family(name, "counter", help);
  for (const auto& n : notifies) {
    w.sample(name, notifyLabels(n), static_cast<double>(n.stats.*field));
  }
}

void notifyFamilies(Writer& w, const std::vector<NotifyReport>& notifies) {
  notifyCounter(w, notifies, "vipd_notify_runs_total",
                "Notify scripts of an instance or sync group that ended.",
                &notify::NotifyStats::runs);
  notifyCounter(w, notifies, "vipd_notify_failures_total",
                "Notify scripts that did not exit 0 (timeouts included).",
                &notify::NotifyStats::failures);
  notifyCounter(w, notifies, "vipd_notify_timeouts_total",
                "Notify scripts killed at their notify_timeout.", &notify::NotifyStats::timeouts);
}

void refusedFamily(Writer& w, const std::vector<RefusedScriptReport>& refused) {
  constexpr std::string_view name = "vipd_script_refused";
  w.family(name, "gauge",
           "1 for each configured script that does not run (kind: security or unavailable).");
  for (const auto& r : refused) {
    w.sample(name,
             fmt::format(R"(script="{}",kind="{}")", escaped(r.script.script),
                         notify::toString(r.script.kind)),
             1);
  }
}

void stateFileFamily(Writer& w, std::uint64_t errors) {
  constexpr std::string_view name = "vipd_state_file_errors_total";
  w.family(name, "counter",
           "Failed writes of the state file: what vipd installed meanwhile may be left behind "
           "if it is killed.");
  w.sample(name, "", static_cast<double>(errors));
}

}  // namespace

std::string prometheusText(const std::vector<std::unique_ptr<Instance>>& instances,
                           const DaemonCounters& daemon, const std::vector<PendingView>& pending) {
  Writer w;
  stateFamilies(w, instances);
  pendingFamily(w, instances, pending);
  counterFamilies(w, instances);
  histogramFamily(w, instances);
  unattributedDropsFamily(w, daemon.unattributedDrops);
  logLinesFamily(w, daemon.logLinesOverwritten);
  scriptFamilies(w, daemon.scripts);
  notifyFamilies(w, daemon.notifies);
  refusedFamily(w, daemon.refusedScripts);
  stateFileFamily(w, daemon.stateFileErrors);
  return w.take();
}

MetricsFile::MetricsFile(Scheduler& scheduler, std::string path, std::chrono::milliseconds interval,
                         std::function<std::string()> render, std::shared_ptr<spdlog::logger> log)
    : scheduler_(scheduler),
      path_(std::move(path)),
      interval_(interval),
      render_(std::move(render)),
      log_(std::move(log)) {
  write();
  schedule();
}

MetricsFile::~MetricsFile() {
  scheduler_.cancelTimer(timer_);
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

void MetricsFile::schedule() {
  timer_ = scheduler_.armTimer(scheduler_.now() + interval_, [this] {
    write();
    schedule();
  });
}

bool MetricsFile::write() {
  const std::string tmp = path_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << render_();
    out.close();
    if (out && std::rename(tmp.c_str(), path_.c_str()) == 0) {
      if (failing_) log_->info("metrics file {} written again", path_);
      failing_ = false;
      return true;
    }
  }
  if (!failing_) log_->warn("cannot write metrics file {}: {}", path_, std::strerror(errno));
  failing_ = true;
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  return false;
}

}  // namespace vipd::daemon
