// global_defs keywords about scripts and notify FIFOs, and
// vrrp_startup_delay [SRC global_parser.c; reference §2.2, §2.4].

#include <gtest/gtest.h>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using namespace std::chrono_literals;
using testing::messages;
using testing::parse;
using Messages = std::vector<std::string>;

ParseResult global(const std::string& body) {
  return parse("global_defs {\n" + body + "\n}\n" + testing::instance(""));
}

std::string notRun(const std::string& where, const std::string& keyword, const char* missing) {
  return "vipd.conf:" + where + ": warning: " + keyword +
         " is parsed and checked but vipd does not " + missing + " yet; ignored";
}

TEST(ConfigGlobalScriptsTest, ScriptUserAndSecurity) {
  const ParseResult result = global(" script_user keepalived_script users\n enable_script_security");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.diagnostics.empty());
  EXPECT_EQ(result.config->global.scriptUser, (RunAs{"keepalived_script", "users"}));
  EXPECT_TRUE(result.config->global.scriptSecurity);
}

TEST(ConfigGlobalScriptsTest, DefaultsAreRootlessAndOff) {
  const ParseResult result = global("");
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.config->global.scriptUser);
  EXPECT_FALSE(result.config->global.scriptSecurity);
  EXPECT_FALSE(result.config->global.notifyFifo);
  EXPECT_EQ(result.config->global.startupDelay, 0s);
}

TEST(ConfigGlobalScriptsTest, FifosWithTheirReaders) {
  const ParseResult result = global(
      " notify_fifo /run/k.fifo root adm\n notify_fifo_script \"/bin/r -v\" nobody\n"
      " vrrp_notify_fifo /run/v.fifo");
  ASSERT_TRUE(result.ok());
  const GlobalDefs& g = result.config->global;
  EXPECT_EQ(g.notifyFifo, (NotifyFifo{"/run/k.fifo", RunAs{"root", "adm"}, {"/bin/r", "-v"},
                                      RunAs{"nobody", std::nullopt},
                                      SourceLocation{"vipd.conf", 2, 14}}));
  ASSERT_TRUE(g.vrrpNotifyFifo);
  EXPECT_EQ(g.vrrpNotifyFifo->path, "/run/v.fifo");
  EXPECT_TRUE(g.vrrpNotifyFifo->readerArgv.empty());
  EXPECT_EQ(messages(result), Messages{});  // vipd writes the FIFOs and runs their readers
}

TEST(ConfigGlobalScriptsTest, StartupDelayInSeconds) {
  const ParseResult result = global(" vrrp_startup_delay 5.5");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->global.startupDelay, 5500ms);
  EXPECT_EQ(messages(result),
            (Messages{notRun("2:2", "vrrp_startup_delay", "delay the start of its instances")}));
}

struct GlobalScriptCase {
  const char* name;
  const char* body;
  Messages expected;
  bool ok;
};

const GlobalScriptCase kGlobalScriptCases[] = {
    {"ScriptUserMissing", " script_user", {"vipd.conf:2:2: error: 'script_user' needs a value"},
     false},
    {"ScriptUserTooManyWords", " script_user a b c",
     {"vipd.conf:2:18: warning: extra words after 'script_user' ignored, starting at 'c'"}, true},
    {"ScriptSecurityTakesNoValue", " enable_script_security yes",
     {"vipd.conf:2:25: warning: extra words after 'enable_script_security' ignored, starting at "
      "'yes'"},
     true},
    {"FifoWithoutPath", " notify_fifo", {"vipd.conf:2:2: error: 'notify_fifo' needs a value"},
     false},
    {"FifoTwice", " vrrp_notify_fifo /run/a\n vrrp_notify_fifo /run/b",
     {"vipd.conf:3:2: warning: 'vrrp_notify_fifo' was already given at vipd.conf:2:19; ignored"},
     true},
    {"FifoScriptWithoutCommand", " notify_fifo_script",
     {"vipd.conf:2:2: error: 'notify_fifo_script' needs a command"}, false},
    {"FifoScriptWithoutFifo", " vrrp_notify_fifo_script /bin/r",
     {"vipd.conf:2:26: warning: vrrp_notify_fifo_script without vrrp_notify_fifo; ignored"},
     true},
    {"StartupDelayNegative", " vrrp_startup_delay -1",
     {"vipd.conf:2:21: error: vrrp_startup_delay expects seconds 0..4294, got '-1'"}, false},
    {"StartupDelayVeryLarge", " vrrp_startup_delay 90",
     {"vipd.conf:2:21: warning: vrrp_startup_delay is very large: 90 seconds",
      "vipd.conf:2:2: warning: vrrp_startup_delay is parsed and checked but vipd does not delay "
      "the start of its instances yet; ignored"},
     true},
};

class ConfigGlobalScriptsCaseTest : public ::testing::TestWithParam<GlobalScriptCase> {};

TEST_P(ConfigGlobalScriptsCaseTest, ReportsExactlyTheseDiagnostics) {
  const GlobalScriptCase& c = GetParam();
  const ParseResult result = global(c.body);
  EXPECT_EQ(messages(result), c.expected);
  EXPECT_EQ(result.ok(), c.ok);
}

INSTANTIATE_TEST_SUITE_P(Keywords, ConfigGlobalScriptsCaseTest,
                         ::testing::ValuesIn(kGlobalScriptCases),
                         [](const auto& testCase) { return std::string(testCase.param.name); });

}  // namespace
}  // namespace vipd::config
