#include "vipd/daemon/script_command.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "fakes/fake_script_env.h"

namespace vipd::daemon {
namespace {

class ScriptCommandTest : public ::testing::Test {
 protected:
  ScriptCommandTest() {
    files_.dir("/usr").dir("/usr/bin").file("/usr/bin/check").dir("/srv", 0777);
    files_.file("/srv/check", 0755, 1000, 1000);
    accounts_.user("vipd_script", 990, 990).user("alice", 1000, 1000).group("staff", 50);
    log_ = std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(logText_));
    log_->set_pattern("%l %v");
  }

  std::optional<exec::Command> resolve(std::vector<std::string> argv,
                                       std::optional<config::RunAs> user = std::nullopt) {
    return resolveScriptCommand("vrrp_script chk", argv, user, global_, files_, accounts_, *log_);
  }

  fakes::FakeFileLookup files_;
  fakes::FakeAccountLookup accounts_;
  config::GlobalDefs global_;
  std::ostringstream logText_;
  std::shared_ptr<spdlog::logger> log_;
};

TEST_F(ScriptCommandTest, BareProgramIsResolvedThroughPathWithAWarning) {
  auto command = resolve({"check", "--fast"});
  ASSERT_TRUE(command);
  EXPECT_EQ(command->argv, (std::vector<std::string>{"/usr/bin/check", "--fast"}));
  EXPECT_NE(logText_.str().find("warning vrrp_script chk: check found through PATH"),
            std::string::npos)
      << logText_.str();
}

TEST_F(ScriptCommandTest, RunsAsVipdScriptByDefaultThenScriptUserThenItsOwnUser) {
  EXPECT_EQ(resolve({"/usr/bin/check"})->uid, 990u);
  global_.scriptUser = config::RunAs{"alice", std::nullopt};
  EXPECT_EQ(resolve({"/usr/bin/check"})->uid, 1000u);
  auto own = resolve({"/usr/bin/check"}, config::RunAs{"alice", "staff"});
  EXPECT_EQ(own->uid, 1000u);
  EXPECT_EQ(own->gid, 50u);
}

TEST_F(ScriptCommandTest, MissingProgramOrUserIsRefusedWithTheReason) {
  EXPECT_FALSE(resolve({"/usr/bin/nothing"}));
  EXPECT_FALSE(resolve({"/usr/bin/check"}, config::RunAs{"bob", std::nullopt}));
  EXPECT_NE(logText_.str().find("error vrrp_script chk: not found"),
            std::string::npos)
      << logText_.str();
}

// Without a vipd_script user scripts run as root; then a script a non-root
// user can rewrite is a root hole: refused under enable_script_security.
TEST_F(ScriptCommandTest, InsecureRootScriptRunsOnlyWithoutScriptSecurity) {
  fakes::FakeAccountLookup rootOnly;
  accounts_ = rootOnly;
  auto lax = resolve({"/srv/check"});
  ASSERT_TRUE(lax);
  EXPECT_EQ(lax->uid, 0u);
  EXPECT_NE(logText_.str().find("unsafe permissions"), std::string::npos) << logText_.str();
  global_.scriptSecurity = true;
  global_.scriptUser = config::RunAs{"root", std::nullopt};
  accounts_.user("root", 0, 0);
  EXPECT_FALSE(resolve({"/srv/check"}));
  EXPECT_TRUE(resolve({"/usr/bin/check"}));
}

}  // namespace
}  // namespace vipd::daemon
