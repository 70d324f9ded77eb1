#include "vipd/daemon/metrics.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <stdlib.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "instance_harness.h"
#include "vipd/core/transition_table.h"

namespace vipd::daemon {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Labels = std::map<std::string, std::string>;

// ---- A small reader of the text exposition format (0.0.4) -------------------------------

struct Sample {
  std::string name;
  Labels labels;
  double value = 0;
};

struct Family {
  std::string type;
  std::string help;
  std::vector<Sample> samples;
};

// name{label="value",…} value — label values escape \\, \" and \n.
const std::regex kSampleLine(
    R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*)\})? (\S+)$)");
const std::regex kLabel(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)\")");
const std::regex kComment(R"(^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$)");

std::string unescape(const std::string& value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) {
      ++i;
      out += value[i] == 'n' ? '\n' : value[i];
    } else {
      out += value[i];
    }
  }
  return out;
}

double parseValue(const std::string& text) {
  if (text == "+Inf") return INFINITY;
  if (text == "-Inf") return -INFINITY;
  if (text == "NaN") return NAN;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  EXPECT_TRUE(end != text.c_str() && *end == '\0') << "not a sample value: " << text;
  return v;
}

/// The family a sample belongs to: histograms add _bucket, _sum and _count.
std::string familyOf(const std::string& sample, const std::map<std::string, Family>& families) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
      const std::string base = sample.substr(0, sample.size() - s.size());
      auto it = families.find(base);
      if (it != families.end() && it->second.type == "histogram") return base;
    }
  }
  return sample;
}

/// Parses the whole text with the format's rules as expectations: every line
/// a comment or a sample, HELP and TYPE once per family and before its
/// samples, a family's samples together.
std::map<std::string, Family> parseExposition(const std::string& text) {
  std::map<std::string, Family> families;
  std::string current;  // the family whose samples may follow
  std::istringstream in(text);
  std::string line;
  EXPECT_TRUE(!text.empty() && text.back() == '\n') << "the text ends with a newline";
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, kComment)) {
      Family& f = families[m[2]];
      if (m[1] == "HELP") {
        EXPECT_TRUE(f.help.empty() && f.type.empty()) << "second HELP or HELP after TYPE: " << line;
        f.help = m[3];
      } else {
        EXPECT_TRUE(f.type.empty()) << "second TYPE: " << line;
        EXPECT_FALSE(f.help.empty()) << "TYPE without HELP: " << line;
        EXPECT_TRUE(f.samples.empty()) << "TYPE after samples: " << line;
        f.type = m[3];
      }
      current = m[2];
      continue;
    }
    if (!std::regex_match(line, m, kSampleLine)) {
      ADD_FAILURE() << "neither a comment nor a sample: '" << line << "'";
      continue;
    }
    Sample s;
    s.name = m[1];
    const std::string labels = m[2];
    for (std::sregex_iterator it(labels.begin(), labels.end(), kLabel), end; it != end; ++it) {
      const bool fresh = s.labels.emplace((*it)[1], unescape((*it)[2])).second;
      EXPECT_TRUE(fresh) << "label given twice: " << line;
    }
    s.value = parseValue(m[3]);
    const std::string family = familyOf(s.name, families);
    EXPECT_EQ(family, current) << "sample outside its family's block: " << line;
    EXPECT_FALSE(families[family].type.empty()) << "sample before its TYPE: " << line;
    families[family].samples.push_back(std::move(s));
  }
  return families;
}

/// The samples of `family` named `name` whose labels include `match`.
std::vector<Sample> select(const std::map<std::string, Family>& families, const std::string& family,
                           const std::string& name, const Labels& match) {
  std::vector<Sample> out;
  auto it = families.find(family);
  if (it == families.end()) return out;
  for (const auto& s : it->second.samples) {
    if (s.name != name) continue;
    bool all = true;
    for (const auto& [k, v] : match) {
      auto l = s.labels.find(k);
      all = all && l != s.labels.end() && l->second == v;
    }
    if (all) out.push_back(s);
  }
  return out;
}

// ---- prometheusText on real instances ---------------------------------------------------

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override { t0_ = h_.clock.now(); }

  /// VI_1 (VRID 51) takes over at start; VI_2 (VRID 52) hears a master at 110.
  void masterAndBackup() {
    Instance& m = h_.add("VI_1", 51, 100, {"192.0.2.100/24"});
    Instance& b = h_.add("VI_2", 52, 100, {"192.0.2.200/24"});
    m.start(true);
    b.start(true);
    h_.clock.advanceTo(t0_ + 1s);
    b.onAdvert(InstanceHarness::advert(52, "192.0.2.9", 110, {"192.0.2.200"}));
    h_.clock.advanceTo(t0_ + 3600ms);
    ASSERT_EQ(m.state(), core::State::Master);
    ASSERT_EQ(b.state(), core::State::Backup);
  }

  std::map<std::string, Family> scrape() { return parseExposition(prometheusText(h_.instances)); }

  InstanceHarness h_;
  Scheduler::Clock::time_point t0_;
};

/// One of each script, notify owner and refused script: every family has a sample.
DaemonCounters someScripts() {
  DaemonCounters daemon;
  ScriptStats chk;
  chk.lastRuntime = 20ms;
  daemon.scripts.push_back({"chk", "vrrp_script", "GOOD", chk});
  daemon.notifies.push_back({"instance", "VI_1", {}});
  daemon.refusedScripts.push_back(
      {{"vrrp_script bad", "not found", notify::RefusalKind::Unavailable}, {}});
  return daemon;
}

TEST_F(MetricsTest, EveryLineParsesAndFamiliesAreWellFormed) {
  masterAndBackup();
  const auto families = parseExposition(prometheusText(h_.instances, someScripts()));
  EXPECT_FALSE(HasFailure());
  for (const auto& [name, f] : families) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(f.help.empty());
    EXPECT_TRUE(f.type == "gauge" || f.type == "counter" || f.type == "histogram") << f.type;
    EXPECT_FALSE(f.samples.empty());
    EXPECT_EQ(name.rfind("vipd_", 0), 0u) << "every family is vipd_*";
    if (f.type == "counter") {
      EXPECT_EQ(name.substr(name.size() - 6), "_total") << "counters end in _total";
    }
    for (const auto& s : f.samples) {
      EXPECT_TRUE(s.value >= 0) << s.name << " = " << s.value;
    }
  }
}

TEST_F(MetricsTest, EverySeriesCarriesTheInstanceLabels) {
  masterAndBackup();
  for (const auto& [name, f] : scrape()) {
    // The daemon's own counters: no instance owns them.
    if (name == "vipd_unattributed_drops_total" || name == "vipd_log_lines_overwritten_total" ||
        name == "vipd_state_file_errors_total") {
      continue;
    }
    for (const auto& s : f.samples) {
      SCOPED_TRACE(s.name);
      EXPECT_EQ(s.labels.count("instance"), 0u) << "the scrape target's label";
      ASSERT_EQ(s.labels.count("vrrp_instance"), 1u);
      const bool first = s.labels.at("vrrp_instance") == "VI_1";
      EXPECT_TRUE(first || s.labels.at("vrrp_instance") == "VI_2");
      EXPECT_EQ(s.labels.at("interface"), "eth0");
      EXPECT_EQ(s.labels.at("vrid"), first ? "51" : "52");
      EXPECT_EQ(s.labels.at("family"), "inet");
    }
  }
}

TEST_F(MetricsTest, PendingInstancesAreOneWithWhatTheyWaitForRunningOnesZero) {
  masterAndBackup();
  PendingView p;
  p.name = "VI_3";
  p.interface = "eth1";
  p.vrid = 53;
  p.family = util::Family::V6;
  p.waitingFor = "interface eth1";
  const auto families = parseExposition(prometheusText(h_.instances, {}, {p}));
  const auto pending =
      select(families, "vipd_instance_pending", "vipd_instance_pending", {{"waiting_for", ""}});
  ASSERT_EQ(pending.size(), 2u) << "one per running instance";
  for (const auto& s : pending) EXPECT_EQ(s.value, 0);
  const auto waiting = select(families, "vipd_instance_pending", "vipd_instance_pending",
                              {{"vrrp_instance", "VI_3"}});
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].value, 1);
  EXPECT_EQ(waiting[0].labels.at("waiting_for"), "interface eth1");
  EXPECT_EQ(waiting[0].labels.at("interface"), "eth1");
  EXPECT_EQ(waiting[0].labels.at("vrid"), "53");
  EXPECT_EQ(waiting[0].labels.at("family"), "inet6");
  // It has no state yet: the state set lists the running instances only.
  EXPECT_TRUE(
      select(families, "vipd_instance_state", "vipd_instance_state", {{"vrrp_instance", "VI_3"}})
          .empty());
}

TEST_F(MetricsTest, StateSetHasExactlyOneCurrentStatePerInstance) {
  masterAndBackup();
  const auto families = scrape();
  const std::map<std::string, std::string> expected = {{"VI_1", "MASTER"}, {"VI_2", "BACKUP"}};
  for (const auto& [instance, state] : expected) {
    SCOPED_TRACE(instance);
    const auto samples = select(families, "vipd_instance_state", "vipd_instance_state",
                                {{"vrrp_instance", instance}});
    ASSERT_EQ(samples.size(), 4u) << "INIT, BACKUP, MASTER, FAULT";
    std::set<std::string> states;
    std::vector<std::string> on;
    for (const auto& s : samples) {
      states.insert(s.labels.at("state"));
      EXPECT_TRUE(s.value == 0 || s.value == 1);
      if (s.value == 1) on.push_back(s.labels.at("state"));
    }
    EXPECT_EQ(states, (std::set<std::string>{"INIT", "BACKUP", "MASTER", "FAULT"}));
    EXPECT_EQ(on, std::vector<std::string>{state});
  }
}

TEST_F(MetricsTest, GaugesFollowTheInstances) {
  masterAndBackup();
  h_.instances[1]->setMaintenance(true);
  const auto families = scrape();
  auto value = [&](const char* family, const char* instance) {
    const auto s = select(families, family, family, {{"vrrp_instance", instance}});
    EXPECT_EQ(s.size(), 1u) << family << " " << instance;
    return s.empty() ? -1.0 : s[0].value;
  };
  EXPECT_EQ(value("vipd_instance_priority", "VI_1"), 100);
  EXPECT_EQ(value("vipd_instance_base_priority", "VI_1"), 100);
  EXPECT_EQ(value("vipd_instance_vips_present", "VI_1"), 1);
  EXPECT_EQ(value("vipd_instance_vips_present", "VI_2"), 0);
  EXPECT_EQ(value("vipd_instance_maintenance", "VI_1"), 0);
  EXPECT_EQ(value("vipd_instance_maintenance", "VI_2"), 1);
  EXPECT_EQ(value("vipd_adverts_received_total", "VI_2"), 1);
  EXPECT_EQ(value("vipd_adverts_sent_total", "VI_1"), 1);
}

TEST_F(MetricsTest, IncompatiblePeersAreCountedPerInstanceAndNamedPerPeer) {
  masterAndBackup();
  h_.instances[0]->onAdvert(InstanceHarness::advert(51, "192.0.2.9", 90, {"192.0.2.101"}));
  h_.instances[0]->onAdvert(InstanceHarness::advert(51, "192.0.2.9", 90, {"192.0.2.101"}));
  const auto families = scrape();
  auto peers = [&](const char* instance) {
    const auto s = select(families, "vipd_incompatible_peers", "vipd_incompatible_peers",
                          {{"vrrp_instance", instance}});
    return s.size() == 1 ? s[0].value : -1.0;
  };
  EXPECT_EQ(peers("VI_1"), 1);
  EXPECT_EQ(peers("VI_2"), 0) << "every instance has the gauge, so an alert sees zero too";
  const auto adverts = select(
      families, "vipd_incompatible_peer_adverts", "vipd_incompatible_peer_adverts",
      {{"vrrp_instance", "VI_1"}, {"peer", "192.0.2.9"}, {"reason", "address_list_mismatch"}});
  ASSERT_EQ(adverts.size(), 1u);
  EXPECT_EQ(adverts[0].value, 2);
}

TEST_F(MetricsTest, TransitionsAreLabelledWithTheirDestinationAndCause) {
  masterAndBackup();
  const auto families = scrape();
  const auto takeover = select(families, "vipd_transitions_total", "vipd_transitions_total",
                               {{"vrrp_instance", "VI_1"}, {"cause", "MasterDownTimer"}});
  ASSERT_EQ(takeover.size(), 1u);
  EXPECT_EQ(takeover[0].labels.at("to"), "MASTER");
  EXPECT_EQ(takeover[0].value, 1);
  const auto startup = select(families, "vipd_transitions_total", "vipd_transitions_total",
                              {{"vrrp_instance", "VI_2"}, {"cause", "Startup"}});
  ASSERT_EQ(startup.size(), 1u);
  EXPECT_EQ(startup[0].labels.at("to"), "BACKUP");
  EXPECT_EQ(startup[0].value, 1);
  EXPECT_EQ(select(families, "vipd_transitions_total", "vipd_transitions_total",
                   {{"vrrp_instance", "VI_1"}})
                .size(),
            kCauseCount)
      << "one series per cause, zero or not";
}

TEST_F(MetricsTest, EveryCausesDestinationLabelAgreesWithTheTransitionTable) {
  // The metric names one destination per cause; the table must not give a
  // cause two (and the label must be the one the table gives).
  h_.add("VI_1", 51, 100, {"192.0.2.100/24"});
  const auto families = scrape();
  for (const auto& row : core::transitionTable()) {
    if (!row.cause) continue;
    SCOPED_TRACE(std::string(core::toString(*row.cause)));
    const auto s = select(families, "vipd_transitions_total", "vipd_transitions_total",
                          {{"cause", std::string(core::toString(*row.cause))}});
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].labels.at("to"), core::toString(row.next));
  }
}

TEST_F(MetricsTest, DropsAreCountedByReason) {
  Instance& b = h_.add("VI_2", 52, 100, {"192.0.2.200/24"});
  b.start(true);
  b.onDecodeDrop(proto::DropReason::TtlNot255, InstanceHarness::ip("192.0.2.66"));
  b.onAdvert(InstanceHarness::advert(99, "192.0.2.9", 110, {"192.0.2.200"}));
  const auto families = scrape();
  const auto all = select(families, "vipd_adverts_dropped_total", "vipd_adverts_dropped_total", {});
  EXPECT_EQ(all.size(), kDropReasonCount);
  for (const auto& s : all) {
    const std::string& reason = s.labels.at("reason");
    EXPECT_EQ(s.value, reason == "ttl_not_255" || reason == "vrid_mismatch" ? 1 : 0) << reason;
  }
}

TEST_F(MetricsTest, LowerPriorityAnswersAreCountedPerInstance) {
  Instance& b = h_.add("VI_2", 52, 100, {"192.0.2.200/24"});
  b.start(true);
  h_.clock.advance(4s);
  ASSERT_EQ(b.state(), core::State::Master);
  for (int i = 0; i < 2; ++i) {
    b.onAdvert(InstanceHarness::advert(52, "192.0.2.9", 90, {"192.0.2.200"}));
  }
  const auto s = select(scrape(), "vipd_lower_priority_answers_total",
                        "vipd_lower_priority_answers_total", {});
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].value, 2);
}

TEST_F(MetricsTest, HistogramBucketsAreCumulativeAndEndAtInfEqualToCount) {
  // VI_2 fails over from the master it heard; VI_1's start-up takeover is not counted.
  masterAndBackup();
  h_.clock.advanceTo(t0_ + 1s + 3600ms);
  ASSERT_EQ(h_.instances[1]->state(), core::State::Master);
  const auto families = scrape();
  ASSERT_EQ(families.count("vipd_failover_duration_seconds"), 1u);
  EXPECT_EQ(families.at("vipd_failover_duration_seconds").type, "histogram");
  for (const char* instance : {"VI_1", "VI_2"}) {
    SCOPED_TRACE(instance);
    const Labels of = {{"vrrp_instance", instance}};
    const auto buckets = select(families, "vipd_failover_duration_seconds",
                                "vipd_failover_duration_seconds_bucket", of);
    const auto count = select(families, "vipd_failover_duration_seconds",
                              "vipd_failover_duration_seconds_count", of);
    const auto sum = select(families, "vipd_failover_duration_seconds",
                            "vipd_failover_duration_seconds_sum", of);
    ASSERT_EQ(count.size(), 1u);
    ASSERT_EQ(sum.size(), 1u);
    ASSERT_GE(buckets.size(), 2u);
    double lastBound = -INFINITY;
    double lastCount = 0;
    for (const auto& b : buckets) {
      const double le = parseValue(b.labels.at("le"));
      EXPECT_GT(le, lastBound) << "bounds ascend";
      EXPECT_GE(b.value, lastCount) << "cumulative: le=" << b.labels.at("le");
      lastBound = le;
      lastCount = b.value;
    }
    EXPECT_EQ(buckets.back().labels.at("le"), "+Inf");
    EXPECT_EQ(buckets.back().value, count[0].value);
    const bool failedOver = std::string(instance) == "VI_2";
    EXPECT_EQ(count[0].value, failedOver ? 1 : 0);
    EXPECT_DOUBLE_EQ(sum[0].value, failedOver ? 3.6 : 0);
    for (const auto& b : buckets) {
      const double le = parseValue(b.labels.at("le"));
      EXPECT_EQ(b.value, failedOver && le >= 3.6 ? 1 : 0) << "le=" << b.labels.at("le");
    }
  }
}

TEST_F(MetricsTest, LabelValuesAreEscaped) {
  const std::string name = "VI \"quoted\" back\\slash\nnext";
  h_.add(name, 51, 100, {"192.0.2.100/24"});
  const std::string text = prometheusText(h_.instances);
  EXPECT_NE(text.find(R"(vrrp_instance="VI \"quoted\" back\\slash\nnext")"), std::string::npos)
      << text.substr(0, 400);
  const auto families = parseExposition(text);
  const auto s = select(families, "vipd_instance_priority", "vipd_instance_priority", {});
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].labels.at("vrrp_instance"), name) << "unescapes to the name";
}

TEST_F(MetricsTest, NoInstancesStillDescribesEveryFamily) {
  const auto families = parseExposition(prometheusText(h_.instances));
  EXPECT_GE(families.size(), 10u);
  for (const auto& [name, f] : families) {
    EXPECT_FALSE(f.type.empty()) << name;
    if (name == "vipd_unattributed_drops_total") {
      EXPECT_EQ(f.samples.size(), kDropReasonCount) << "the daemon's own, instances or not";
    } else if (name == "vipd_log_lines_overwritten_total" ||
               name == "vipd_state_file_errors_total") {
      EXPECT_EQ(f.samples.size(), 1u) << "the daemon's own, instances or not";
    } else {
      EXPECT_TRUE(f.samples.empty()) << name;
    }
  }
}

TEST_F(MetricsTest, UnattributedDropsAreCountedByReasonWithoutInstanceLabels) {
  masterAndBackup();
  DropCounts unattributed{};
  unattributed[static_cast<std::size_t>(proto::DropReason::BadChecksum)] = 5;
  unattributed[static_cast<std::size_t>(proto::DropReason::VridMismatch)] = 9;
  const auto families = parseExposition(prometheusText(h_.instances, {unattributed, 7}));
  ASSERT_EQ(families.count("vipd_unattributed_drops_total"), 1u);
  EXPECT_EQ(families.at("vipd_unattributed_drops_total").type, "counter");
  const auto all =
      select(families, "vipd_unattributed_drops_total", "vipd_unattributed_drops_total", {});
  ASSERT_EQ(all.size(), kDropReasonCount);
  for (const auto& s : all) {
    SCOPED_TRACE(s.name);
    EXPECT_EQ(s.labels.size(), 1u) << "reason only";
    const std::string& reason = s.labels.at("reason");
    EXPECT_EQ(s.value, reason == "bad_checksum" ? 5 : reason == "vrid_mismatch" ? 9 : 0) << reason;
  }
  const auto instanceDrops =
      select(families, "vipd_adverts_dropped_total", "vipd_adverts_dropped_total", {});
  for (const auto& s : instanceDrops) EXPECT_EQ(s.value, 0) << "not the instances'";
  const auto lost =
      select(families, "vipd_log_lines_overwritten_total", "vipd_log_lines_overwritten_total", {});
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].value, 7);
  EXPECT_TRUE(lost[0].labels.empty());
}

TEST_F(MetricsTest, ScriptsNotifiesAndRefusedScriptsHaveTheirOwnFamilies) {
  DaemonCounters daemon;
  ScriptStats chk;
  chk.runs = 6;
  chk.failures = 2;
  chk.timeouts = 1;
  chk.late = 3;
  chk.lastRuntime = 1500ms;
  daemon.scripts.push_back({"chk", "vrrp_script", "GOOD", chk});
  daemon.scripts.push_back({"web", "vipd_check", "INIT", {}});
  notify::NotifyStats vi1;
  vi1.runs = 4;
  vi1.failures = 1;
  vi1.timeouts = 1;
  daemon.notifies.push_back({"instance", "VI_1", vi1});
  daemon.refusedScripts.push_back(
      {{"vrrp_script bad", "insecure", notify::RefusalKind::Security}, {"VI_1"}});
  const auto families = parseExposition(prometheusText(h_.instances, daemon));
  auto value = [&](const char* family, const Labels& labels) {
    const auto found = select(families, family, family, labels);
    EXPECT_EQ(found.size(), 1u) << family;
    return found.empty() ? -1.0 : found[0].value;
  };
  const Labels chkLabels{{"script", "chk"}, {"kind", "vrrp_script"}};
  EXPECT_EQ(value("vipd_script_runs_total", chkLabels), 6);
  EXPECT_EQ(value("vipd_script_failures_total", chkLabels), 2);
  EXPECT_EQ(value("vipd_script_timeouts_total", chkLabels), 1);
  EXPECT_EQ(value("vipd_script_late_total", chkLabels), 3);
  EXPECT_EQ(value("vipd_script_last_runtime_seconds", chkLabels), 1.5);
  EXPECT_EQ(value("vipd_script_good", chkLabels), 1);
  EXPECT_EQ(value("vipd_script_good", {{"script", "web"}}), 0);
  EXPECT_TRUE(select(families, "vipd_script_last_runtime_seconds",
                     "vipd_script_last_runtime_seconds", {{"script", "web"}})
                  .empty())
      << "no runtime before the first run ends";
  const Labels vi1Labels{{"type", "instance"}, {"name", "VI_1"}};
  EXPECT_EQ(value("vipd_notify_runs_total", vi1Labels), 4);
  EXPECT_EQ(value("vipd_notify_failures_total", vi1Labels), 1);
  EXPECT_EQ(value("vipd_notify_timeouts_total", vi1Labels), 1);
  EXPECT_EQ(value("vipd_script_refused", {{"script", "vrrp_script bad"}, {"kind", "security"}}), 1);
  EXPECT_EQ(families.at("vipd_script_late_total").type, "counter");
  EXPECT_EQ(families.at("vipd_script_last_runtime_seconds").type, "gauge");
}

// ---- MetricsFile -----------------------------------------------------------------------

/// Records what is logged, level and message.
class RecordingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::pair<spdlog::level::level_enum, std::string>> messages;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    messages.emplace_back(msg.level, std::string(msg.payload.data(), msg.payload.size()));
  }
  void flush_() override {}
};

class MetricsFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/vipd-metrics-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/vipd.prom";
    sink_ = std::make_shared<RecordingSink>();
    log_ = std::make_shared<spdlog::logger>("metrics", sink_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::unique_ptr<MetricsFile> open(const std::string& path) {
    return std::make_unique<MetricsFile>(
        clock_, path, 15s,
        [this] { return "vipd_renders_total " + std::to_string(++renders_) + "\n"; }, log_);
  }

  static std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::size_t logged(spdlog::level::level_enum level) const {
    std::size_t n = 0;
    for (const auto& [l, m] : sink_->messages) n += l == level;
    return n;
  }

  std::vector<std::string> filesInDir() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    return names;
  }

  std::string dir_;
  std::string path_;
  fakes::FakeScheduler clock_;
  int renders_ = 0;
  std::shared_ptr<RecordingSink> sink_;
  std::shared_ptr<spdlog::logger> log_;
};

TEST_F(MetricsFileTest, WritesAtOnceAndLeavesNoTemporaryFile) {
  auto file = open(path_);
  EXPECT_EQ(read(path_), "vipd_renders_total 1\n");
  EXPECT_EQ(filesInDir(), std::vector<std::string>{"vipd.prom"});
}

TEST_F(MetricsFileTest, WriteReplacesTheContentWithWhatIsRenderedNow) {
  auto file = open(path_);
  EXPECT_TRUE(file->write());
  EXPECT_EQ(read(path_), "vipd_renders_total 2\n");
  EXPECT_EQ(filesInDir(), std::vector<std::string>{"vipd.prom"});
}

TEST_F(MetricsFileTest, RewritesEveryInterval) {
  auto file = open(path_);
  clock_.advance(14s);
  EXPECT_EQ(read(path_), "vipd_renders_total 1\n");
  clock_.advance(1s);
  EXPECT_EQ(read(path_), "vipd_renders_total 2\n");
  clock_.advance(30s);
  EXPECT_EQ(read(path_), "vipd_renders_total 4\n");
}

TEST_F(MetricsFileTest, FileHoldsExactlyThePrometheusText) {
  InstanceHarness h;
  h.add("VI_1", 51, 100, {"192.0.2.100/24"}).start(true);
  MetricsFile file(
      clock_, path_, 15s, [&h] { return prometheusText(h.instances); }, log_);
  EXPECT_EQ(read(path_), prometheusText(h.instances));
  h.clock.advance(4s);  // VI_1 takes over: the text changes
  ASSERT_EQ(h.instances[0]->state(), core::State::Master);
  ASSERT_TRUE(file.write());
  EXPECT_EQ(read(path_), prometheusText(h.instances));
}

TEST_F(MetricsFileTest, DestructorRemovesTheFileAndStopsTheTimer) {
  auto file = open(path_);
  ASSERT_TRUE(fs::exists(path_));
  EXPECT_EQ(clock_.pending(), 1u);
  file.reset();
  EXPECT_FALSE(fs::exists(path_));
  EXPECT_EQ(clock_.pending(), 0u);
}

TEST_F(MetricsFileTest, MissingDirectoryFailsAndIsLoggedOnce) {
  const std::string dir = dir_ + "/missing";
  auto file = open(dir + "/vipd.prom");
  EXPECT_FALSE(file->write());
  clock_.advance(60s);  // four more failed ticks
  EXPECT_EQ(logged(spdlog::level::warn), 1u) << "one warning per failure run";
  ASSERT_FALSE(sink_->messages.empty());
  EXPECT_NE(sink_->messages[0].second.find(dir + "/vipd.prom"), std::string::npos)
      << sink_->messages[0].second;
  EXPECT_NE(sink_->messages[0].second.find("No such file or directory"), std::string::npos)
      << sink_->messages[0].second;

  // The directory appears: the next write succeeds, and says so once.
  fs::create_directory(dir);
  EXPECT_TRUE(file->write());
  EXPECT_EQ(logged(spdlog::level::info), 1u);
  EXPECT_TRUE(fs::exists(dir + "/vipd.prom"));
  fs::remove(dir + "/vipd.prom");
  fs::remove(dir);
  EXPECT_FALSE(file->write());
  EXPECT_EQ(logged(spdlog::level::warn), 2u) << "a new failure run is logged again";
}

}  // namespace
}  // namespace vipd::daemon
