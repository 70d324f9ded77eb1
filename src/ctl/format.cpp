// vipctl's human output; see format.h. Scripts use --json instead.
#include "vipd/ctl/format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace vipd::ctl {

namespace {

using nlohmann::json;
using Row = std::vector<std::string>;

std::string text(const json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return "-";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

// True only for a boolean true: another version's null or string is "no".
bool flag(const json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_boolean() && it->get<bool>();
}

std::string interval(const json& status) {
  auto it = status.find("advert_interval_s");
  if (it == status.end() || !it->is_number()) return "-";
  return fmt::format("{:g}s", it->get<double>());
}

std::string state(const json& status) {
  std::string s = text(status, "state");
  if (flag(status, "maintenance")) s += " (maint)";
  return s;
}

std::string vips(const json& status) {
  auto it = status.find("vips");
  if (it == status.end() || !it->is_array() || it->empty()) return "-";
  std::string out;
  for (const auto& v : *it) {
    if (!out.empty()) out += ",";
    out += v.is_string() ? v.get<std::string>() : v.dump();
  }
  return out + (flag(status, "vips_present") ? " (present)" : " (absent)");
}

std::string lastTransition(const json& status) {
  // A pending instance has no transition yet: what it waits for instead.
  if (auto waiting = status.find("waiting_for"); waiting != status.end() && waiting->is_string()) {
    return "waiting for " + waiting->get<std::string>();
  }
  auto it = status.find("last_transition");
  if (it == status.end() || !it->is_object()) return "-";
  return fmt::format("{}->{} {} at {}", text(*it, "from"), text(*it, "to"), text(*it, "cause"),
                     text(*it, "at"));
}

std::string inState(const json& status) {
  auto it = status.find("in_state_s");
  if (it == status.end() || !it->is_number()) return "-";
  return formatDuration(it->get<double>());
}

std::string table(const std::vector<Row>& rows) {
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], width[i]);
    }
    out += line + "\n";
  }
  return out;
}

// "name 3, other 1" for the non-zero counters of doc[key], or "none".
std::string nonZero(const json& doc, const char* key) {
  std::string out;
  if (auto counters = doc.find(key); counters != doc.end() && counters->is_object()) {
    for (const auto& [name, value] : counters->items()) {
      if (!value.is_number_unsigned() || value.get<std::uint64_t>() == 0) continue;
      if (!out.empty()) out += ", ";
      out += fmt::format("{} {}", name, value.get<std::uint64_t>());
    }
  }
  return out.empty() ? "none" : out;
}

std::string seconds(const json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_number()) return "-";
  return fmt::format("{:.6f}s", it->get<double>());
}

std::string takeover(const json& stats) {
  auto it = stats.find("last_takeover");
  if (it == stats.end() || !it->is_object()) return "none";
  return fmt::format(
      "last advert heard {} before, timer late {}, VIPs added +{}, first announcement +{}",
      seconds(*it, "since_last_advert_s"), seconds(*it, "timer_late_s"),
      seconds(*it, "vips_added_s"), seconds(*it, "first_announcement_s"));
}

std::uint64_t count(const json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

// "  peer 192.0.2.2: checksum ipv4_pseudo_header, 120 adverts, last 0.4s ago" per peer heard.
std::string peers(const json& stats) {
  auto it = stats.find("peers");
  if (it == stats.end() || !it->is_array()) return {};
  std::string out;
  for (const auto& p : *it) {
    out += fmt::format("  peer {}: checksum {}, {} adverts, last {:.1f}s ago\n", text(p, "peer"),
                       text(p, "checksum_form"), text(p, "adverts_received"),
                       p.value("last_heard_s", 0.0));
  }
  return out;
}

std::string runtime(const json& doc) {
  auto it = doc.find("last_runtime_s");
  if (it == doc.end() || !it->is_number()) return "-";
  return fmt::format("{:.3f}s", it->get<double>());
}

// One line per health check: status, runs, failures, timeouts, late.
std::string scriptLines(const json& stats) {
  auto it = stats.find("scripts");
  if (it == stats.end() || !it->is_array() || it->empty()) return {};
  std::string out = "scripts:\n";
  for (const auto& s : *it) {
    out += fmt::format("  {} {}: {}, runs {}, failures {}, timeouts {}, late {}, last runtime {}\n",
                       text(s, "kind"), text(s, "name"), text(s, "status"), count(s, "runs"),
                       count(s, "failures"), count(s, "timeouts"), count(s, "late"), runtime(s));
  }
  return out;
}

// One warning line per incompatible peer, under the table: the likely cause of two masters.
std::string incompatiblePeers(const json& instances) {
  std::string out;
  for (const auto& s : instances) {
    auto peers = s.find("incompatible_peers");
    if (peers == s.end() || !peers->is_array()) continue;
    for (const auto& p : *peers) {
      out += fmt::format("{}: incompatible peer {} VRID {}: {} ({} adverts dropped)\n",
                         text(s, "name"), text(p, "peer"), text(s, "vrid"), text(p, "difference"),
                         text(p, "adverts_dropped"));
    }
  }
  return out;
}

std::string notifyLines(const json& stats) {
  auto it = stats.find("notifies");
  if (it == stats.end() || !it->is_array() || it->empty()) return {};
  std::string out = "notify scripts:\n";
  for (const auto& n : *it) {
    out += fmt::format("  {} {}: runs {}, failures {}, timeouts {}, last runtime {}\n",
                       text(n, "type"), text(n, "name"), count(n, "runs"), count(n, "failures"),
                       count(n, "timeouts"), runtime(n));
  }
  return out;
}

// The scripts that do not run, each with why and what runs without it.
std::string refusedLines(const json& doc) {
  auto it = doc.find("refused_scripts");
  if (it == doc.end() || !it->is_array() || it->empty()) return {};
  std::string out = "refused scripts (not running):\n";
  for (const auto& r : *it) {
    std::string tracked;
    if (auto t = r.find("tracked_by"); t != r.end() && t->is_array() && !t->empty()) {
      for (const auto& name : *t) {
        tracked += (tracked.empty() ? "" : ", ") +
                   (name.is_string() ? name.get<std::string>() : name.dump());
      }
      tracked = "; tracked by " + tracked + ", which run(s) without it";
    }
    out += fmt::format("  {} ({}): {}{}\n", text(r, "script"), text(r, "kind"), text(r, "reason"),
                       tracked);
  }
  return out;
}

// One line per Backup that lets a lower-priority master be, with the reason (nopreempt, the
// preempt delay left): the question users ask most about nopreempt.
std::string notPreempting(const json& instances) {
  std::string out;
  for (const auto& s : instances) {
    if (text(s, "state") != "BACKUP") continue;
    auto preempt = s.find("preempt");
    if (preempt == s.end() || !preempt->is_object()) continue;
    auto why = preempt->find("why");
    if (why == preempt->end() || !why->is_string()) continue;
    out += fmt::format("{}: {}\n", text(s, "name"), why->get<std::string>());
  }
  return out;
}

}  // namespace

std::string formatDuration(double seconds) {
  // Past 2^64 (or infinite, or NaN) there is no integer second count to show.
  constexpr double kUnrepresentable = 18446744073709551616.0;
  if (!(seconds >= 0) || !(seconds < kUnrepresentable)) return "-";
  const auto s = static_cast<std::uint64_t>(std::floor(seconds));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  if (s < 86400) return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
  return fmt::format("{}d{:02}h", s / 86400, s % 86400 / 3600);
}

std::string formatStatus(const json& status) {
  std::vector<Row> rows = {{"INSTANCE", "INTERFACE", "VRID", "FAMILY", "STATE", "PRIORITY",
                            "MASTER", "INTERVAL", "VIPS", "IN STATE", "LAST TRANSITION"}};
  const auto it = status.find("instances");
  if (it == status.end() || !it->is_array() || it->empty())
    return "no instances\n" + refusedLines(status);
  for (const auto& s : *it) {
    rows.push_back({text(s, "name"), text(s, "interface"), text(s, "vrid"), text(s, "family"),
                    state(s), text(s, "priority") + "/" + text(s, "base_priority"),
                    text(s, "master"), interval(s), vips(s), inState(s), lastTransition(s)});
  }
  return table(rows) + incompatiblePeers(*it) + notPreempting(*it) + refusedLines(status);
}

std::string formatStats(const json& stats) {
  const auto it = stats.find("instances");
  if (it == stats.end() || !it->is_array() || it->empty()) return "no instances\n";
  std::string out;
  for (const auto& s : *it) {
    out += fmt::format("{}\n", text(s, "name"));
    out += fmt::format(
        "  adverts:     sent {}, received {}, send errors {}, priority 0 received {}, sent {}\n",
        count(s, "adverts_sent"), count(s, "adverts_received"), count(s, "advert_send_errors"),
        count(s, "priority_zero_received"), count(s, "priority_zero_sent"));
    out += fmt::format("  drops:       {}\n", nonZero(s, "drops"));
    out += fmt::format("  transitions: {}\n", nonZero(s, "transitions"));
    out += fmt::format(
        "  announcements sent {}, address errors {}, VIPs restored {}, route errors {}, "
        "lower-priority masters answered {}\n",
        count(s, "announcements_sent"), count(s, "address_errors"), count(s, "addresses_restored"),
        count(s, "route_errors"), count(s, "lower_priority_answers"));
    out += fmt::format("  takeover:    {}\n", takeover(s));
    out += peers(s);
  }
  // Packets no instance owns; absent from the documents of older daemons.
  if (stats.contains("unattributed_drops")) {
    out += fmt::format("unattributed drops: {}\n", nonZero(stats, "unattributed_drops"));
  }
  if (stats.contains("log_lines_overwritten")) {
    out += fmt::format("log lines overwritten: {}\n", stats["log_lines_overwritten"].dump());
  }
  if (stats.contains("state_file_errors")) {
    out += fmt::format("state file errors: {}\n", stats["state_file_errors"].dump());
  }
  return out + scriptLines(stats) + notifyLines(stats) + refusedLines(stats);
}

}  // namespace vipd::ctl
