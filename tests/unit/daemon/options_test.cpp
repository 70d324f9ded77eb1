#include "vipd/daemon/options.h"

#include <gtest/gtest.h>
#include <syslog.h>

#include <vector>

namespace vipd::daemon {
namespace {

Options parseArgs(std::vector<const char*> args) {
  args.insert(args.begin(), "vipd");
  return parseOptions(args);
}

TEST(OptionsTest, DefaultsMatchTheDocumentedPaths) {
  auto o = parseArgs({});
  EXPECT_EQ(o.action, Options::Action::Run);
  EXPECT_EQ(o.configFile, "/etc/vipd/vipd.conf");
  EXPECT_EQ(o.pidFile, "/run/vipd/vipd.pid");
  EXPECT_FALSE(o.foreground);
  EXPECT_FALSE(o.logConsole);
  EXPECT_EQ(o.logLevel, spdlog::level::info);
}

TEST(OptionsTest, ShortOptionsMatchKeepalived) {
  auto o = parseArgs({"-f", "/tmp/k.conf", "-n", "-l", "-t"});
  EXPECT_EQ(o.configFile, "/tmp/k.conf");
  EXPECT_TRUE(o.foreground);
  EXPECT_TRUE(o.logConsole);
  EXPECT_EQ(o.action, Options::Action::ConfigTest);
}

TEST(OptionsTest, AcceptsKeepalivedDaemonArgs) {
  auto o = parseArgs({"-P", "-D", "-p", "/run/k.pid", "-i", "lb1", "--strict"});
  EXPECT_TRUE(o.strictConfig);
  EXPECT_TRUE(parseArgs({"--dont-fork"}).foreground);
  EXPECT_EQ(o.pidFile, "/run/k.pid");
  EXPECT_EQ(o.configId, "lb1");
}

TEST(OptionsTest, LongOptions) {
  auto o = parseArgs({"--config=/x.conf", "--log-level", "debug", "--pid-file", "/run/x.pid"});
  EXPECT_EQ(o.configFile, "/x.conf");
  EXPECT_EQ(o.logLevel, spdlog::level::debug);
  EXPECT_EQ(o.pidFile, "/run/x.pid");
}

TEST(OptionsTest, HelpWinsOverOtherActions) {
  auto o = parseArgs({"-t", "--help"});
  EXPECT_EQ(o.action, Options::Action::Help);
  EXPECT_NE(o.helpText.find("--config-test"), std::string::npos);
}

TEST(OptionsTest, DumpConfigIsALongOptionOnly) {
  auto o = parseArgs({"--dump-config", "-f", "/tmp/k.conf"});
  EXPECT_EQ(o.action, Options::Action::DumpConfig);
  EXPECT_EQ(o.configFile, "/tmp/k.conf");
  EXPECT_NE(o.helpText.find("--dump-config"), std::string::npos);
  // keepalived has no such option, so vipd claims no short letter for it.
  EXPECT_EQ(o.helpText.find("[ --dump-config ]"), std::string::npos);
  EXPECT_EQ(parseArgs({"--dump-config", "--help"}).action, Options::Action::Help);
}

TEST(OptionsTest, VersionAction) {
  EXPECT_EQ(parseArgs({"--version"}).action, Options::Action::Version);
  EXPECT_NE(versionText().find("vipd "), std::string::npos);
}

TEST(OptionsTest, RejectsUnknownOption) { EXPECT_THROW(parseArgs({"--frobnicate"}), UsageError); }

TEST(OptionsTest, RejectsMissingValue) { EXPECT_THROW(parseArgs({"-f"}), UsageError); }

TEST(OptionsTest, RejectsUnknownLogLevel) {
  EXPECT_THROW(parseArgs({"--log-level", "loud"}), UsageError);
  EXPECT_EQ(parseArgs({"--log-level", "off"}).logLevel, spdlog::level::off);
}

TEST(OptionsTest, LogFacilityTakesKeepalivedsValues) {
  EXPECT_EQ(parseArgs({"-S", "0"}).syslogFacility, LOG_LOCAL0);
  EXPECT_EQ(parseArgs({"-S", "7"}).syslogFacility, LOG_LOCAL7);
  EXPECT_EQ(parseArgs({"--log-facility=local3"}).syslogFacility, LOG_LOCAL3);
  EXPECT_EQ(parseArgs({"--log-facility", "user"}).syslogFacility, LOG_USER);
  EXPECT_EQ(parseArgs({"-S", "daemon"}).syslogFacility, LOG_DAEMON);
  EXPECT_FALSE(parseArgs({}).syslogFacility);
}

TEST(OptionsTest, RejectsLogFacilitiesKeepalivedRejects) {
  // keepalived warns "Invalid log facility" and goes on; vipd refuses to start.
  for (const char* bad : {"8", "-1", "LOCAL3", "local8", "kern", "", "07"}) {
    EXPECT_THROW(parseArgs({"-S", bad}), UsageError) << bad;
  }
}

TEST(OptionsTest, LogTargetsFollowKeepalived) {
  // Detached: syslog, daemon facility.
  EXPECT_EQ(logTargets(parseArgs({})), (LogTargets{false, LOG_DAEMON}));
  // Foreground (systemd's journal reads stderr): the console.
  EXPECT_EQ(logTargets(parseArgs({"-n"})), (LogTargets{true, std::nullopt}));
  // -S selects syslog, in the foreground too.
  EXPECT_EQ(logTargets(parseArgs({"-n", "-S", "2"})), (LogTargets{false, LOG_LOCAL2}));
  EXPECT_EQ(logTargets(parseArgs({"-S", "user"})), (LogTargets{false, LOG_USER}));
  // -l adds the console; with -S both; a detached daemon keeps syslog.
  EXPECT_EQ(logTargets(parseArgs({"-l"})), (LogTargets{true, LOG_DAEMON}));
  EXPECT_EQ(logTargets(parseArgs({"-n", "-l"})), (LogTargets{true, std::nullopt}));
  EXPECT_EQ(logTargets(parseArgs({"-n", "-l", "-S", "4"})), (LogTargets{true, LOG_LOCAL4}));
}

TEST(OptionsTest, SignumIsAnActionWithTheName) {
  auto o = parseArgs({"--signum=JSON"});
  EXPECT_EQ(o.action, Options::Action::Signum);
  EXPECT_EQ(o.signalName, "JSON");
  EXPECT_EQ(parseArgs({"--signum", "DATA", "--help"}).action, Options::Action::Help);
  EXPECT_THROW(parseArgs({"--signum"}), UsageError);
}

TEST(OptionsTest, DumpDirDefaultsToTmp) {
  EXPECT_EQ(parseArgs({}).dumpDir, "/tmp");
  EXPECT_EQ(parseArgs({"--dump-dir", "/run/vipd"}).dumpDir, "/run/vipd");
  EXPECT_THROW(parseArgs({"--dump-dir="}), UsageError);
}

TEST(OptionsTest, TheStateFileGoesWithThePidFile) {
  EXPECT_EQ(parseArgs({}).stateFile, "/run/vipd/vipd.state");
  EXPECT_EQ(parseArgs({"-p", "/run/vipd/lb2.pid"}).stateFile, "/run/vipd/lb2.state")
      << "a second vipd with its own pid file has its own state file";
  EXPECT_EQ(parseArgs({"-p", "/tmp/lab/h1"}).stateFile, "/tmp/lab/h1.state");
  EXPECT_EQ(parseArgs({"-p", "/run/x.pid", "--state-file", "/run/y"}).stateFile, "/run/y");
  EXPECT_EQ(parseArgs({"--state-file", "none"}).stateFile, "");
  EXPECT_EQ(stateFileFor(".pid"), ".pid.state") << "a name is left, not an empty one";
}

TEST(OptionsTest, CleanupIsAnAction) {
  auto o = parseArgs({"--cleanup", "-f", "/tmp/k.conf"});
  EXPECT_EQ(o.action, Options::Action::Cleanup);
  EXPECT_EQ(o.configFile, "/tmp/k.conf");
  EXPECT_NE(o.helpText.find("--cleanup"), std::string::npos);
  EXPECT_EQ(parseArgs({"--cleanup", "--help"}).action, Options::Action::Help);
  EXPECT_EQ(parseArgs({"--cleanup", "-t"}).action, Options::Action::ConfigTest)
      << "-t only reads: it wins over a command that changes the host";
}

}  // namespace
}  // namespace vipd::daemon
