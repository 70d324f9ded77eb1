#include "vipd/ctl/format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace vipd::ctl {
namespace {

using nlohmann::json;

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(text.substr(start, nl - start));
  }
  EXPECT_EQ(start, text.size()) << "output does not end with a newline";
  return lines;
}

std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

const std::vector<std::string> kHeader = {"INSTANCE", "INTERFACE", "VRID",           "FAMILY",
                                          "STATE",    "PRIORITY",  "MASTER",         "INTERVAL",
                                          "VIPS",     "IN STATE",  "LAST TRANSITION"};

/// A status table cut into cells at the header's column starts; checks on the
/// way that every column is separated by at least two spaces.
class Table {
 public:
  explicit Table(const std::string& text) : lines_(linesOf(text)) {
    if (lines_.empty()) return;
    std::size_t from = 0;
    for (const auto& name : kHeader) {
      const std::size_t at = lines_[0].find(name, from);
      EXPECT_NE(at, std::string::npos) << "header lacks " << name << ": " << lines_[0];
      if (at == std::string::npos) return;
      starts_.push_back(at);
      from = at + name.size();
    }
  }

  std::size_t rows() const { return lines_.size(); }

  /// Cells of line `row` (0: header), trimmed on the right.
  std::vector<std::string> cells(std::size_t row) const {
    std::vector<std::string> out;
    const std::string& line = lines_.at(row);
    for (std::size_t i = 0; i < starts_.size(); ++i) {
      const std::size_t begin = starts_[i];
      if (i > 0) {
        EXPECT_GE(begin, 2u);
        EXPECT_EQ(line.substr(begin - 2, 2), "  ")
            << "column " << kHeader[i] << " not separated in: " << line;
      }
      const std::size_t end = i + 1 < starts_.size() ? starts_[i + 1] : line.size();
      out.push_back(begin < line.size() ? rtrim(line.substr(begin, end - begin)) : "");
    }
    return out;
  }

  /// Each column is exactly as wide as its widest cell, plus two spaces.
  void expectTightColumns() const {
    for (std::size_t i = 0; i + 1 < starts_.size(); ++i) {
      std::size_t widest = 0;
      for (std::size_t r = 0; r < rows(); ++r) widest = std::max(widest, cells(r)[i].size());
      EXPECT_EQ(starts_[i + 1] - starts_[i], widest + 2) << "column " << kHeader[i];
    }
  }

 private:
  std::vector<std::string> lines_;
  std::vector<std::size_t> starts_;
};

json master() {
  return {
      {"name", "VI_1"},
      {"interface", "eth0"},
      {"vrid", 51},
      {"family", "inet"},
      {"version", 3},
      {"state", "MASTER"},
      {"priority", 100},
      {"base_priority", 100},
      {"master", "192.0.2.1"},
      {"advert_interval_s", 1.0},
      {"master_advert_interval_s", 1.0},
      {"vips", {"192.0.2.100/24"}},
      {"vips_present", true},
      {"maintenance", false},
      {"faulted", false},
      {"in_state_s", 65.5},
      {"last_transition",
       {{"from", "BACKUP"},
        {"to", "MASTER"},
        {"cause", "MasterDownTimer"},
        {"priority", 100},
        {"at", "2026-12-04T20:15:12.345Z"}}},
  };
}

json drainedBackup() {
  return {
      {"name", "VI_internal_long"},
      {"interface", "bond0.100"},
      {"vrid", 7},
      {"family", "inet6"},
      {"state", "BACKUP"},
      {"priority", 90},
      {"base_priority", 150},
      {"master", nullptr},
      {"advert_interval_s", 0.25},
      {"vips", {"2001:db8::1/64", "2001:db8::2/64"}},
      {"vips_present", false},
      {"maintenance", true},
      {"in_state_s", 11040.0},
      {"last_transition",
       {{"from", "MASTER"},
        {"to", "BACKUP"},
        {"cause", "Maintenance"},
        {"priority", 150},
        {"at", "2026-12-04T17:11:12.000Z"}}},
  };
}

// ---- formatStatus ----------------------------------------------------------------------

TEST(FormatStatusTest, OneInstanceReadsAsATable) {
  const std::string expected =
      "INSTANCE  INTERFACE  VRID  FAMILY  STATE   PRIORITY  MASTER     INTERVAL  "
      "VIPS                      IN STATE  LAST TRANSITION\n"
      "VI_1      eth0       51    inet    MASTER  100/100   192.0.2.1  1s        "
      "192.0.2.100/24 (present)  1m05s     "
      "BACKUP->MASTER MasterDownTimer at 2026-12-04T20:15:12.345Z\n";
  EXPECT_EQ(formatStatus(json{{"instances", {master()}}}), expected);
}

TEST(FormatStatusTest, IncompatiblePeersFollowTheTableOneLineEach) {
  json vi1 = master();
  vi1["incompatible_peers"] = {
      {{"peer", "198.51.100.2"},
       {"reason", "address_list_mismatch"},
       {"difference", "VIP list differs: theirs 192.0.2.100, ours 192.0.2.101"},
       {"adverts_dropped", 12}}};
  const std::string out = formatStatus(json{{"instances", {vi1, drainedBackup()}}});
  const std::string line =
      "VI_1: incompatible peer 198.51.100.2 VRID 51: VIP list differs: theirs 192.0.2.100, ours "
      "192.0.2.101 (12 adverts dropped)\n";
  ASSERT_GE(out.size(), line.size());
  EXPECT_EQ(out.substr(out.size() - line.size()), line) << out;
  EXPECT_EQ(out.find("incompatible"), out.rfind("incompatible")) << "one line only";
}

// A backup that lets a lower-priority master be says why, under the table; a master that
// preempted keeps its reason in the JSON only (its last transition already says Preempted).
TEST(FormatStatusTest, ABackupThatDoesNotPreemptSaysWhyUnderTheTable) {
  json backup = drainedBackup();
  backup["maintenance"] = false;
  backup["preempt"] = {{"mode", "nopreempt"},
                       {"delay_remaining_s", nullptr},
                       {"why", "not preempting 2001:db8::9 (priority 100 < ours 150): nopreempt"}};
  json vi1 = master();
  vi1["preempt"] = {{"mode", "preempt"},
                    {"delay_remaining_s", nullptr},
                    {"why", "preempted 192.0.2.2 (priority 90 < ours 100): preempt is on"}};
  const std::string out = formatStatus(json{{"instances", {vi1, backup}}});
  const std::string line =
      "VI_internal_long: not preempting 2001:db8::9 (priority 100 < ours 150): nopreempt\n";
  ASSERT_GE(out.size(), line.size());
  EXPECT_EQ(out.substr(out.size() - line.size()), line) << out;
  EXPECT_EQ(out.find("preempted"), std::string::npos) << out;
  EXPECT_EQ(linesOf(out).size(), 4u);
}

TEST(FormatStatusTest, APreemptFieldOfTheWrongShapeIsIgnored) {
  json backup = drainedBackup();
  backup["preempt"] = "nopreempt";
  EXPECT_EQ(linesOf(formatStatus(json{{"instances", {backup}}})).size(), 2u);
  backup["preempt"] = {{"why", 3}};
  EXPECT_EQ(linesOf(formatStatus(json{{"instances", {backup}}})).size(), 2u);
}

TEST(FormatStatusTest, ColumnsLineUpUnderTheHeader) {
  const Table table(formatStatus(json{{"instances", {master(), drainedBackup()}}}));
  ASSERT_EQ(table.rows(), 3u);
  EXPECT_EQ(table.cells(0), kHeader);
  EXPECT_EQ(table.cells(1), (std::vector<std::string>{
                                "VI_1", "eth0", "51", "inet", "MASTER", "100/100", "192.0.2.1",
                                "1s", "192.0.2.100/24 (present)", "1m05s",
                                "BACKUP->MASTER MasterDownTimer at 2026-12-04T20:15:12.345Z"}));
  EXPECT_EQ(table.cells(2),
            (std::vector<std::string>{"VI_internal_long", "bond0.100", "7", "inet6",
                                      "BACKUP (maint)", "90/150", "-", "0.25s",
                                      "2001:db8::1/64,2001:db8::2/64 (absent)", "3h04m",
                                      "MASTER->BACKUP Maintenance at 2026-12-04T17:11:12.000Z"}));
  table.expectTightColumns();
}

TEST(FormatStatusTest, MaintenanceIsShownOnlyWhenOn) {
  json off = master();
  json on = master();
  on["maintenance"] = true;
  EXPECT_EQ(Table(formatStatus(json{{"instances", {off}}})).cells(1)[4], "MASTER");
  EXPECT_EQ(Table(formatStatus(json{{"instances", {on}}})).cells(1)[4], "MASTER (maint)");
}

TEST(FormatStatusTest, NoMasterHeardPrintsADash) {
  json s = master();
  s["state"] = "BACKUP";
  s["master"] = nullptr;
  EXPECT_EQ(Table(formatStatus(json{{"instances", {s}}})).cells(1)[6], "-");
}

TEST(FormatStatusTest, VipsSayWhetherTheyArePresent) {
  json s = master();
  EXPECT_EQ(Table(formatStatus(json{{"instances", {s}}})).cells(1)[8], "192.0.2.100/24 (present)");
  s["vips_present"] = false;
  EXPECT_EQ(Table(formatStatus(json{{"instances", {s}}})).cells(1)[8], "192.0.2.100/24 (absent)");
  s["vips"] = json::array();
  EXPECT_EQ(Table(formatStatus(json{{"instances", {s}}})).cells(1)[8], "-") << "no VIPs configured";
}

TEST(FormatStatusTest, APendingInstanceSaysWhatItWaitsFor) {
  json s = master();
  s["state"] = "PENDING";
  s["master"] = nullptr;
  s["vips_present"] = false;
  s["last_transition"] = nullptr;
  s["waiting_for"] = "interface eth1";
  const std::string out = formatStatus(json{{"instances", {s}}});
  EXPECT_NE(out.find("PENDING"), std::string::npos) << out;
  EXPECT_NE(out.find("waiting for interface eth1\n"), std::string::npos) << out;
  // A running instance's null waiting_for changes nothing.
  json running = master();
  running["waiting_for"] = nullptr;
  EXPECT_EQ(formatStatus(json{{"instances", {running}}}),
            formatStatus(json{{"instances", {master()}}}));
}

TEST(FormatStatusTest, NoTransitionYetPrintsDashes) {
  json s = master();
  s["in_state_s"] = nullptr;
  s["last_transition"] = nullptr;
  const auto cells = Table(formatStatus(json{{"instances", {s}}})).cells(1);
  EXPECT_EQ(cells[9], "-");
  EXPECT_EQ(cells[10], "-");
}

TEST(FormatStatusTest, MissingFieldsPrintDashes) {
  const Table table(formatStatus(json{{"instances", {json{{"name", "VI_9"}}}}}));
  ASSERT_EQ(table.rows(), 2u);
  EXPECT_EQ(table.cells(1),
            (std::vector<std::string>{"VI_9", "-", "-", "-", "-", "-/-", "-", "-", "-", "-", "-"}));
}

TEST(FormatStatusTest, MissingFieldsOfTheLastTransitionPrintDashes) {
  json s = master();
  s["last_transition"] = json{{"from", "BACKUP"}, {"to", "MASTER"}};
  EXPECT_EQ(Table(formatStatus(json{{"instances", {s}}})).cells(1)[10], "BACKUP->MASTER - at -");
}

TEST(FormatStatusTest, FieldsOfTheWrongTypeDoNotThrow) {
  // Another vipd version may send null or something else; vipctl prints
  // what it can rather than dying on json::type_error.
  json s = master();
  s["maintenance"] = nullptr;
  s["vips_present"] = "yes";
  s["advert_interval_s"] = "1";
  s["in_state_s"] = "long";
  std::string out;
  ASSERT_NO_THROW(out = formatStatus(json{{"instances", {s}}}));
  const auto cells = Table(out).cells(1);
  EXPECT_EQ(cells[4], "MASTER") << "not drained unless maintenance is true";
  EXPECT_EQ(cells[7], "-");
  EXPECT_EQ(cells[8], "192.0.2.100/24 (absent)") << "present only if vips_present is true";
  EXPECT_EQ(cells[9], "-");
}

TEST(FormatStatusTest, EntryThatIsNotAnObjectDoesNotThrow) {
  std::string out;
  ASSERT_NO_THROW(out = formatStatus(json{{"instances", {master(), 42}}}));
  const Table table(out);
  ASSERT_EQ(table.rows(), 3u);
  EXPECT_EQ(table.cells(1)[0], "VI_1");
  EXPECT_EQ(table.cells(2)[0], "-");
}

TEST(FormatStatusTest, NoInstancesSaysSo) {
  EXPECT_EQ(formatStatus(json{{"instances", json::array()}}), "no instances\n");
  EXPECT_EQ(formatStatus(json::object()), "no instances\n");
  EXPECT_EQ(formatStatus(json{{"instances", nullptr}}), "no instances\n");
}

// ---- formatStats -----------------------------------------------------------------------

/// What vipctl gets: the document after a trip through JSON text, where
/// counts are unsigned integers.
json asReceived(const json& doc) { return json::parse(doc.dump()); }

json stats() {
  return asReceived({
      {"name", "VI_1"},
      {"adverts_sent", 120},
      {"advert_send_errors", 1},
      {"adverts_received", 33},
      {"priority_zero_received", 2},
      {"priority_zero_sent", 3},
      {"drops", {{"BadChecksum", 4}, {"TtlNot255", 0}, {"VridMismatch", 1}}},
      {"transitions", {{"Startup", 1}, {"MasterDownTimer", 1}, {"Shutdown", 0}}},
      {"announcements_sent", 10},
      {"address_errors", 0},
      {"addresses_restored", 3},
      {"route_errors", 2},
      {"lower_priority_answers", 4},
      {"last_takeover",
       {{"since_last_advert_s", 3.61},
        {"timer_late_s", 0.000125},
        {"vips_added_s", 0.0021},
        {"first_announcement_s", 0.0032}}},
  });
}

TEST(FormatStatsTest, OneInstanceInFull) {
  const std::string expected =
      "VI_1\n"
      "  adverts:     sent 120, received 33, send errors 1, priority 0 received 2, sent 3\n"
      "  drops:       BadChecksum 4, VridMismatch 1\n"
      "  transitions: MasterDownTimer 1, Startup 1\n"
      "  announcements sent 10, address errors 0, VIPs restored 3, route errors 2, "
      "lower-priority masters answered 4\n"
      "  takeover:    last advert heard 3.610000s before, timer late 0.000125s, "
      "VIPs added +0.002100s, first announcement +0.003200s\n";
  EXPECT_EQ(formatStats(json{{"instances", {stats()}}}), expected);
}

TEST(FormatStatsTest, OnlyNonZeroCountersAreListed) {
  json s = stats();
  s["drops"] = {{"BadChecksum", 0}, {"TtlNot255", 0}};
  s["transitions"] = json::object();
  const auto lines = linesOf(formatStats(json{{"instances", {s}}}));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[2], "  drops:       none");
  EXPECT_EQ(lines[3], "  transitions: none");
}

TEST(FormatStatsTest, NoTakeoverYet) {
  json s = stats();
  s["last_takeover"] = nullptr;
  EXPECT_EQ(linesOf(formatStats(json{{"instances", {s}}})).at(5), "  takeover:    none");
}

TEST(FormatStatsTest, TakeoverWithoutAMasterHeardBefore) {
  json s = stats();
  s["last_takeover"]["since_last_advert_s"] = nullptr;
  EXPECT_EQ(linesOf(formatStats(json{{"instances", {s}}})).at(5),
            "  takeover:    last advert heard - before, timer late 0.000125s, "
            "VIPs added +0.002100s, first announcement +0.003200s");
}

TEST(FormatStatsTest, MissingCountersCountAsZero) {
  const auto lines = linesOf(formatStats(json{{"instances", {json{{"name", "VI_2"}}}}}));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], "VI_2");
  EXPECT_EQ(lines[1],
            "  adverts:     sent 0, received 0, send errors 0, priority 0 received 0, sent 0");
  EXPECT_EQ(lines[2], "  drops:       none");
  EXPECT_EQ(lines[5], "  takeover:    none");
}

TEST(FormatStatsTest, OneBlockPerInstanceInOrder) {
  json second = stats();
  second["name"] = "VI_2";
  const auto lines = linesOf(formatStats(json{{"instances", {stats(), second}}}));
  ASSERT_EQ(lines.size(), 12u);
  EXPECT_EQ(lines[0], "VI_1");
  EXPECT_EQ(lines[6], "VI_2");
}

TEST(FormatStatsTest, UnattributedDropsFollowTheInstancesNonZeroOnly) {
  const json doc = asReceived(
      {{"instances", {stats()}},
       {"unattributed_drops", {{"bad_checksum", 7}, {"ttl_not_255", 0}, {"vrid_mismatch", 12}}}});
  const auto lines = linesOf(formatStats(doc));
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[6], "unattributed drops: bad_checksum 7, vrid_mismatch 12");
}

TEST(FormatStatsTest, NoUnattributedDropsSaysNoneAndOlderDocumentsShowNoLine) {
  const json none =
      asReceived({{"instances", {stats()}}, {"unattributed_drops", {{"bad_checksum", 0}}}});
  EXPECT_EQ(linesOf(formatStats(none)).back(), "unattributed drops: none");
  EXPECT_EQ(linesOf(formatStats(json{{"instances", {stats()}}})).size(), 6u);
}

TEST(FormatStatsTest, LostLogLinesFollowTheDrops) {
  const json doc = asReceived({{"instances", {stats()}},
                               {"unattributed_drops", {{"bad_checksum", 0}}},
                               {"log_lines_overwritten", 3}});
  const auto lines = linesOf(formatStats(doc));
  ASSERT_EQ(lines.size(), 8u);
  EXPECT_EQ(lines[6], "unattributed drops: none");
  EXPECT_EQ(lines[7], "log lines overwritten: 3");
}

TEST(FormatStatsTest, ScriptsNotifiesAndRefusedScriptsFollowTheDaemonCounters) {
  const json doc = asReceived({{"instances", {stats()}},
                               {"scripts",
                                {{{"name", "chk"},
                                  {"kind", "vrrp_script"},
                                  {"status", "BAD"},
                                  {"runs", 7},
                                  {"failures", 3},
                                  {"timeouts", 2},
                                  {"retries", 0},
                                  {"late", 4},
                                  {"last_runtime_s", 3.0012}}}},
                               {"notifies",
                                {{{"type", "instance"},
                                  {"name", "VI_1"},
                                  {"runs", 5},
                                  {"failures", 1},
                                  {"timeouts", 1},
                                  {"last_runtime_s", nullptr}}}},
                               {"refused_scripts",
                                {{{"script", "vrrp_script bad"},
                                  {"kind", "security"},
                                  {"reason", "'/opt' is group-writable (mode 0775, group 1000)"},
                                  {"tracked_by", {"VI_1", "VI_2"}}}}}});
  const auto lines = linesOf(formatStats(doc));
  ASSERT_EQ(lines.size(), 12u);
  EXPECT_EQ(lines[6], "scripts:");
  EXPECT_EQ(lines[7],
            "  vrrp_script chk: BAD, runs 7, failures 3, timeouts 2, late 4, last runtime 3.001s");
  EXPECT_EQ(lines[8], "notify scripts:");
  EXPECT_EQ(lines[9], "  instance VI_1: runs 5, failures 1, timeouts 1, last runtime -");
  EXPECT_EQ(lines[10], "refused scripts (not running):");
  EXPECT_EQ(lines[11],
            "  vrrp_script bad (security): '/opt' is group-writable (mode 0775, group 1000); "
            "tracked by VI_1, VI_2, which run(s) without it");
}

TEST(FormatStatusTest, RefusedScriptsFollowTheTable) {
  const json doc = asReceived({{"instances", {master()}},
                               {"refused_scripts",
                                {{{"script", "notify_master VI_1"},
                                  {"kind", "unavailable"},
                                  {"reason", "Cannot find script x in path"},
                                  {"tracked_by", json::array()}}}}});
  const auto lines = linesOf(formatStatus(doc));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[2], "refused scripts (not running):");
  EXPECT_EQ(lines[3], "  notify_master VI_1 (unavailable): Cannot find script x in path");
  EXPECT_EQ(formatStatus(json{{"instances", {master()}}, {"refused_scripts", json::array()}}),
            formatStatus(json{{"instances", {master()}}}))
      << "nothing refused, nothing said";
}

TEST(FormatStatsTest, StateFileErrorsComeLast) {
  const json doc = asReceived({{"instances", {stats()}},
                               {"unattributed_drops", {{"bad_checksum", 0}}},
                               {"log_lines_overwritten", 0},
                               {"state_file_errors", 2}});
  const auto lines = linesOf(formatStats(doc));
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[8], "state file errors: 2");
}

TEST(FormatStatsTest, NoInstancesSaysSo) {
  EXPECT_EQ(formatStats(json{{"instances", json::array()}}), "no instances\n");
  EXPECT_EQ(formatStats(json::object()), "no instances\n");
}

// ---- formatDuration --------------------------------------------------------------------

TEST(FormatDurationTest, PicksTheTwoLargestUnits) {
  const std::vector<std::pair<double, std::string>> cases = {
      {0, "0s"},
      {0.9, "0s"},
      {59, "59s"},
      {59.999, "59s"},
      {60, "1m00s"},
      {312, "5m12s"},
      {3599, "59m59s"},
      {3600, "1h00m"},
      {3 * 3600 + 4 * 60, "3h04m"},
      {3 * 3600 + 4 * 60 + 59, "3h04m"},
      {86399, "23h59m"},
      {86400, "1d00h"},
      {2 * 86400 + 3 * 3600, "2d03h"},
      {400 * 86400.0, "400d00h"},
  };
  for (const auto& [seconds, text] : cases) {
    SCOPED_TRACE(seconds);
    EXPECT_EQ(formatDuration(seconds), text);
  }
}

TEST(FormatDurationTest, NegativeOrNotANumberIsADash) {
  EXPECT_EQ(formatDuration(-1), "-");
  EXPECT_EQ(formatDuration(-0.001), "-");
  EXPECT_EQ(formatDuration(std::nan("")), "-");
}

TEST(FormatDurationTest, InfiniteOrAbsurdlyLargeIsADash) {
  // Converting these to an integer count of seconds would be undefined.
  EXPECT_EQ(formatDuration(std::numeric_limits<double>::infinity()), "-");
  EXPECT_EQ(formatDuration(1e300), "-");
}

}  // namespace
}  // namespace vipd::ctl
