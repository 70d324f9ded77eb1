#include "vipd/daemon/control_commands.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace vipd::daemon {
namespace {

using nlohmann::json;

constexpr uid_t kRoot = 0;
constexpr uid_t kUser = 1000;

/// Handlers that record every call and answer with a marker naming themselves.
struct Recorder {
  std::vector<std::string> calls;
  std::optional<bool> maintenanceOn;
  std::optional<std::string> maintenanceInstance;
  std::optional<spdlog::level::level_enum> level;

  ControlHandlers handlers() {
    ControlHandlers h;
    h.status = [this] {
      calls.push_back("status");
      return json{{"instances", json::array()}};
    };
    h.stats = [this] {
      calls.push_back("stats");
      return json{{"stats_marker", 1}};
    };
    h.clearStats = [this] {
      calls.push_back("clear-stats");
      return json{{"message", "cleared"}};
    };
    h.reload = [this] {
      calls.push_back("reload");
      return json{{"applied", true}};
    };
    h.maintenance = [this](bool on, const std::optional<std::string>& instance) {
      calls.push_back("maintenance");
      maintenanceOn = on;
      maintenanceInstance = instance;
      return json{{"changed", json::array()}};
    };
    h.setLogLevel = [this](spdlog::level::level_enum l) {
      calls.push_back("log-level");
      level = l;
      return json{{"message", "ok"}};
    };
    h.metrics = [this] {
      calls.push_back("metrics");
      return std::string("vipd_up 1\n");
    };
    return h;
  }
};

class ControlCommandsTest : public ::testing::Test {
 protected:
  json ask(const json& request, uid_t uid = kRoot) { return askRaw(request.dump(), uid); }
  json askRaw(std::string_view request, uid_t uid = kRoot) {
    return answerControl(request, uid, recorder_.handlers());
  }

  /// The answer is a refusal whose message contains `fragment`, and no handler ran.
  void expectRefused(const json& answer, const std::string& fragment) {
    ASSERT_TRUE(answer.is_object()) << answer;
    EXPECT_EQ(answer.value("ok", true), false) << answer;
    ASSERT_TRUE(answer.contains("error")) << answer;
    EXPECT_NE(answer["error"].get<std::string>().find(fragment), std::string::npos)
        << answer["error"] << " should mention " << fragment;
  }

  Recorder recorder_;
};

// ---- Request shape ---------------------------------------------------------------------

TEST_F(ControlCommandsTest, NonJsonIsRefusedWithoutCallingAnything) {
  expectRefused(askRaw("status"), "not a JSON object");
  expectRefused(askRaw("{\"command\": \"status\""), "not a JSON object");
  expectRefused(askRaw(""), "not a JSON object");
  EXPECT_TRUE(recorder_.calls.empty());
}

TEST_F(ControlCommandsTest, JsonThatIsNotAnObjectIsRefused) {
  expectRefused(ask(json::array({"status"})), "not a JSON object");
  expectRefused(ask(json("status")), "not a JSON object");
  expectRefused(ask(json(42)), "not a JSON object");
  expectRefused(ask(json(nullptr)), "not a JSON object");
  EXPECT_TRUE(recorder_.calls.empty());
}

TEST_F(ControlCommandsTest, MissingOrNonStringCommandIsRefused) {
  expectRefused(ask(json::object()), "no \"command\"");
  expectRefused(ask(json{{"cmd", "status"}}), "no \"command\"");
  expectRefused(ask(json{{"command", 1}}), "no \"command\"");
  expectRefused(ask(json{{"command", nullptr}}), "no \"command\"");
  EXPECT_TRUE(recorder_.calls.empty());
}

TEST_F(ControlCommandsTest, UnknownCommandIsNamedInTheRefusal) {
  expectRefused(ask(json{{"command", "reboot"}}), "unknown command 'reboot'");
  // Names are matched exactly: no case folding, no prefixes.
  expectRefused(ask(json{{"command", "STATUS"}}), "unknown command");
  expectRefused(ask(json{{"command", "stat"}}), "unknown command");
  EXPECT_TRUE(recorder_.calls.empty());
}

TEST_F(ControlCommandsTest, TrailingNewlineAndWhitespaceAreAccepted) {
  const json answer = askRaw(" {\"command\":\"status\"}\n");
  EXPECT_EQ(answer.value("ok", false), true) << answer;
  EXPECT_EQ(recorder_.calls, std::vector<std::string>{"status"});
}

// ---- Reads -----------------------------------------------------------------------------

TEST_F(ControlCommandsTest, StatusMergesTheHandlersDocumentUnderOk) {
  const json answer = ask(json{{"command", "status"}});
  EXPECT_EQ(answer, (json{{"ok", true}, {"instances", json::array()}}));
  EXPECT_EQ(recorder_.calls, std::vector<std::string>{"status"});
}

TEST_F(ControlCommandsTest, ReadsAreAllowedToAnyUser) {
  for (const char* command : {"status", "stats", "metrics"}) {
    SCOPED_TRACE(command);
    const json answer = ask(json{{"command", command}}, kUser);
    EXPECT_EQ(answer.value("ok", false), true) << answer;
    EXPECT_FALSE(answer.contains("error")) << answer;
  }
  EXPECT_EQ(recorder_.calls, (std::vector<std::string>{"status", "stats", "metrics"}));
}

TEST_F(ControlCommandsTest, StatsAnswerCarriesTheHandlersFields) {
  const json answer = ask(json{{"command", "stats"}});
  EXPECT_EQ(answer, (json{{"ok", true}, {"stats_marker", 1}}));
}

TEST_F(ControlCommandsTest, MetricsTextIsReturnedUnderMetrics) {
  const json answer = ask(json{{"command", "metrics"}});
  EXPECT_EQ(answer, (json{{"ok", true}, {"metrics", "vipd_up 1\n"}}));
}

TEST_F(ControlCommandsTest, ExtraRequestFieldsAreIgnored) {
  const json answer = ask(json{{"command", "status"}, {"verbose", true}});
  EXPECT_EQ(answer.value("ok", false), true) << answer;
  EXPECT_EQ(recorder_.calls, std::vector<std::string>{"status"});
}

// ---- Changes need root -----------------------------------------------------------------

TEST_F(ControlCommandsTest, ChangesAreRefusedForNonRootWithoutCallingTheHandler) {
  const std::vector<json> requests = {
      {{"command", "reload"}},
      {{"command", "clear-stats"}},
      {{"command", "maintenance"}, {"on", true}},
      {{"command", "log-level"}, {"level", "debug"}},
  };
  for (const auto& request : requests) {
    SCOPED_TRACE(request.dump());
    const std::string name = request["command"].get<std::string>();
    expectRefused(ask(request, kUser), "'" + name + "' needs root");
  }
  EXPECT_TRUE(recorder_.calls.empty());
}

TEST_F(ControlCommandsTest, RootMayChangeThings) {
  EXPECT_EQ(ask(json{{"command", "reload"}}), (json{{"ok", true}, {"applied", true}}));
  EXPECT_EQ(ask(json{{"command", "clear-stats"}}), (json{{"ok", true}, {"message", "cleared"}}));
  EXPECT_EQ(recorder_.calls, (std::vector<std::string>{"reload", "clear-stats"}));
}

TEST_F(ControlCommandsTest, PermissionIsCheckedBeforeArguments) {
  // A non-root caller learns nothing about what a valid request would be.
  expectRefused(ask(json{{"command", "maintenance"}, {"on", "yes"}}, kUser), "needs root");
  expectRefused(ask(json{{"command", "log-level"}, {"level", "loud"}}, kUser), "needs root");
  EXPECT_TRUE(recorder_.calls.empty());
}

// ---- maintenance -----------------------------------------------------------------------

TEST_F(ControlCommandsTest, MaintenancePassesOnAndTheInstance) {
  const json answer = ask(json{{"command", "maintenance"}, {"on", true}, {"instance", "VI_1"}});
  EXPECT_EQ(answer, (json{{"ok", true}, {"changed", json::array()}}));
  EXPECT_EQ(recorder_.maintenanceOn, true);
  EXPECT_EQ(recorder_.maintenanceInstance, std::optional<std::string>("VI_1"));
}

TEST_F(ControlCommandsTest, MaintenanceWithoutInstanceMeansEveryInstance) {
  ask(json{{"command", "maintenance"}, {"on", false}});
  ASSERT_EQ(recorder_.calls, std::vector<std::string>{"maintenance"});
  EXPECT_EQ(recorder_.maintenanceOn, false);
  EXPECT_EQ(recorder_.maintenanceInstance, std::nullopt);
}

TEST_F(ControlCommandsTest, MaintenanceWithNullInstanceMeansEveryInstance) {
  ask(json{{"command", "maintenance"}, {"on", true}, {"instance", nullptr}});
  ASSERT_EQ(recorder_.calls, std::vector<std::string>{"maintenance"});
  EXPECT_EQ(recorder_.maintenanceInstance, std::nullopt);
}

TEST_F(ControlCommandsTest, MaintenanceNeedsABooleanOn) {
  for (const json& on : {json("on"), json(1), json(nullptr), json::object()}) {
    SCOPED_TRACE(on.dump());
    expectRefused(ask(json{{"command", "maintenance"}, {"on", on}}), "\"on\": true or false");
  }
  expectRefused(ask(json{{"command", "maintenance"}}), "\"on\": true or false");
  EXPECT_TRUE(recorder_.calls.empty());
}

TEST_F(ControlCommandsTest, MaintenanceInstanceMustBeAString) {
  for (const json& instance : {json(51), json(true), json::array({"VI_1"})}) {
    SCOPED_TRACE(instance.dump());
    expectRefused(ask(json{{"command", "maintenance"}, {"on", true}, {"instance", instance}}),
                  "'instance' must be a string");
  }
  EXPECT_TRUE(recorder_.calls.empty());
}

// ---- log-level -------------------------------------------------------------------------

TEST_F(ControlCommandsTest, LogLevelPassesTheParsedLevel) {
  const std::vector<std::pair<std::string, spdlog::level::level_enum>> cases = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},   {"critical", spdlog::level::critical},
      {"off", spdlog::level::off},
  };
  for (const auto& [name, level] : cases) {
    SCOPED_TRACE(name);
    recorder_.level.reset();
    const json answer = ask(json{{"command", "log-level"}, {"level", name}});
    EXPECT_EQ(answer.value("ok", false), true) << answer;
    EXPECT_EQ(recorder_.level, level);
  }
}

TEST_F(ControlCommandsTest, UnknownLogLevelIsRefusedWithTheChoices) {
  const json answer = ask(json{{"command", "log-level"}, {"level", "loud"}});
  expectRefused(answer, "unknown log level 'loud'");
  expectRefused(answer, "trace, debug, info");
  EXPECT_TRUE(recorder_.calls.empty());
}

TEST_F(ControlCommandsTest, LogLevelNeedsAStringLevel) {
  expectRefused(ask(json{{"command", "log-level"}}), "needs \"level\"");
  expectRefused(ask(json{{"command", "log-level"}, {"level", nullptr}}), "needs \"level\"");
  expectRefused(ask(json{{"command", "log-level"}, {"level", 2}}), "'level' must be a string");
  EXPECT_TRUE(recorder_.calls.empty());
}

// ---- Handler failures ------------------------------------------------------------------

TEST_F(ControlCommandsTest, ControlErrorFromAHandlerBecomesTheAnswersError) {
  ControlHandlers h = recorder_.handlers();
  h.maintenance = [](bool, const std::optional<std::string>& instance) -> json {
    throw ControlError("no instance named '" + instance.value_or("?") + "'");
  };
  const json answer = answerControl(
      json{{"command", "maintenance"}, {"on", true}, {"instance", "VI_9"}}.dump(), kRoot, h);
  EXPECT_EQ(answer, (json{{"ok", false}, {"error", "no instance named 'VI_9'"}}));
}

TEST_F(ControlCommandsTest, OtherExceptionsFromAHandlerAreAnsweredNotThrown) {
  // answerControl never throws: an exception escaping it would leave the
  // event loop, and stop the daemon, on a read-only request.
  ControlHandlers h = recorder_.handlers();
  h.status = []() -> json { throw std::runtime_error("status broke"); };
  json answer;
  EXPECT_NO_THROW(answer = answerControl(R"({"command":"status"})", kUser, h));
  EXPECT_EQ(answer.value("ok", true), false) << answer;
  EXPECT_NE(answer.value("error", "").find("status broke"), std::string::npos) << answer;
}

TEST_F(ControlCommandsTest, AMissingHandlerIsAnErrorAnswer) {
  ControlHandlers h = recorder_.handlers();
  h.reload = nullptr;
  json answer;
  EXPECT_NO_THROW(answer = answerControl(R"({"command":"reload"})", kRoot, h));
  EXPECT_EQ(answer.value("ok", true), false) << answer;
  EXPECT_TRUE(answer.contains("error")) << answer;
}

TEST_F(ControlCommandsTest, ANonObjectResultStillAnswersOk) {
  ControlHandlers h = recorder_.handlers();
  h.reload = [] { return json("done"); };
  EXPECT_EQ(answerControl(R"({"command":"reload"})", kRoot, h), (json{{"ok", true}}));
}

// ---- The text sent back ----------------------------------------------------------------

TEST_F(ControlCommandsTest, TextIsTheAnswerAsJson) {
  const std::string text = answerControlText(R"({"command":"stats"})", kRoot, recorder_.handlers());
  EXPECT_EQ(json::parse(text), (json{{"ok", true}, {"stats_marker", 1}}));
  EXPECT_EQ(text.find('\n'), std::string::npos) << "one line: the server adds the newline";
}

TEST_F(ControlCommandsTest, TextSurvivesNamesThatAreNotUtf8) {
  // The configuration is bytes: keepalived.conf in Latin-1 names an
  // instance "VI_\xe9t\xe9". A strict dump would throw out of the event loop.
  ControlHandlers h = recorder_.handlers();
  h.status = [] { return json{{"instances", {{{"name", "VI_\xe9t\xe9"}}}}}; };
  std::string text;
  ASSERT_NO_THROW(text = answerControlText(R"({"command":"status"})", kUser, h));
  const json answer = json::parse(text);
  EXPECT_EQ(answer["instances"][0]["name"], "VI_\uFFFDt\uFFFD");
}

}  // namespace
}  // namespace vipd::daemon
