#include "vipd/track/script_schedule.h"

#include <gtest/gtest.h>

#include "config_builder.h"

namespace vipd::track {
namespace {

using namespace testing;

std::vector<std::string> names(const std::vector<ScheduledScript>& schedule) {
  std::vector<std::string> out;
  for (const auto& s : schedule) out.push_back(s.script.name);
  return out;
}

TEST(ScriptScheduleTest, OnlyTrackedScriptsRunOnceEach) {
  config::Config c;
  c.scripts = {script("unused"), script("shared", -10), script("mine")};
  auto a = instance("VI_1");
  a.trackScripts = {ref("shared"), ref("mine")};
  auto b = instance("VI_2");
  b.trackScripts = {ref("shared")};
  c.instances = {a, b};
  const auto schedule = scriptSchedule(c);
  EXPECT_EQ(names(schedule), (std::vector<std::string>{"shared", "mine"}));
  EXPECT_EQ(schedule[0].trackedBy, (std::vector<std::string>{"VI_1", "VI_2"}));
  EXPECT_EQ(schedule[1].trackedBy, (std::vector<std::string>{"VI_1"}));
}

TEST(ScriptScheduleTest, GroupTrackedScriptRunsForEveryMember) {
  config::Config c;
  c.scripts = {script("gchk")};
  c.instances = {instance("VI_1"), instance("VI_2"), instance("VI_3")};
  auto g = group("G", {"VI_1", "VI_2"});
  g.trackScripts = {ref("gchk")};
  c.syncGroups = {g};
  const auto schedule = scriptSchedule(c);
  ASSERT_EQ(schedule.size(), 1U);
  EXPECT_EQ(schedule[0].trackedBy, (std::vector<std::string>{"VI_1", "VI_2"}));
}

TEST(ScriptScheduleTest, ScriptDroppedBySyncGroupRuleIsNotRun) {
  config::Config c;
  c.scripts = {script("weighted", -20)};
  auto a = instance("VI_1");
  a.trackScripts = {ref("weighted")};
  c.instances = {a, instance("VI_2")};
  c.syncGroups = {group("G", {"VI_1", "VI_2"})};
  EXPECT_TRUE(scriptSchedule(c).empty());
}

TEST(ScriptScheduleTest, KeepsIntervalAndTimeout) {
  config::Config c;
  auto s = script("chk");
  s.interval = std::chrono::seconds(5);
  s.timeout = std::chrono::seconds(2);
  c.scripts = {s};
  auto a = instance("VI_1");
  a.trackScripts = {ref("chk")};
  c.instances = {a};
  const auto schedule = scriptSchedule(c);
  ASSERT_EQ(schedule.size(), 1U);
  EXPECT_EQ(schedule[0].script, s);
}

}  // namespace
}  // namespace vipd::track
