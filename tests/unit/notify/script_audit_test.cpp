#include "vipd/notify/script_audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_script_env.h"
#include "log_capture.h"
#include "notify_script.h"

namespace vipd::notify {
namespace {

using ::testing::HasSubstr;

using testing::script;

config::TrackedObject tracked(std::string name) {
  config::TrackedObject t;
  t.name = std::move(name);
  return t;
}

class ScriptAuditTest : public ::testing::Test {
 protected:
  ScriptAuditTest() {
    files_.dir("/x").file("/x/ok.sh");
    files_.dir("/open", 0777).file("/open/evil.sh");
    accounts_.user("root", 0, 0);
    config_.global.scriptUser = config::RunAs{"root", std::nullopt};
  }

  std::vector<ScriptFinding> audit() {
    ScriptResolver resolver(ScriptPolicy::fromGlobals(config_.global), files_, accounts_);
    return auditScripts(config_, resolver);
  }

  config::VrrpScript vrrpScript(std::string name, std::vector<std::string> argv) {
    config::VrrpScript s;
    s.name = std::move(name);
    s.argv = std::move(argv);
    return s;
  }

  testing::LogCapture log_;
  fakes::FakeFileLookup files_;
  fakes::FakeAccountLookup accounts_;
  config::Config config_;
};

TEST_F(ScriptAuditTest, NothingToSayAboutSafeScripts) {
  config_.scripts.push_back(vrrpScript("chk", {"/x/ok.sh"}));
  config_.instances.emplace_back().name = "VI_1";
  config_.instances[0].trackScripts.push_back(tracked("chk"));
  config_.instances[0].notify.master = script({"/x/ok.sh", "master"});
  EXPECT_TRUE(audit().empty());
}

// The daemon never runs an untracked vrrp_script, so -t does not judge it.
TEST_F(ScriptAuditTest, OnlyTrackedScriptsAreChecked) {
  config_.global.scriptSecurity = true;
  config_.scripts.push_back(vrrpScript("unused", {"/open/evil.sh"}));
  config_.scripts.push_back(vrrpScript("used", {"/open/evil.sh"}));
  config_.syncGroups.emplace_back().name = "G1";
  config_.syncGroups[0].trackScripts.push_back(tracked("used"));
  const auto findings = audit();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].script, "vrrp_script used");
  EXPECT_TRUE(findings[0].refused);
  EXPECT_THAT(findings[0].message,
              HasSubstr("'/open' is world-writable without the sticky bit (mode 0777)"));
  EXPECT_EQ(findings[0].kind, RefusalKind::Security);
}

TEST_F(ScriptAuditTest, NotifyScriptsOfInstancesGroupsAndFifoReadersAreChecked) {
  config_.instances.emplace_back().name = "VI_1";
  config_.instances[0].notify.fault = script({"/x/missing.sh"});
  config_.syncGroups.emplace_back().name = "G1";
  config_.syncGroups[0].notify.generic = script({"/x/gone.sh"});
  config::NotifyFifo fifo;
  fifo.path = "/run/f";
  fifo.readerArgv = {"/x/nope.sh"};
  config_.global.vrrpNotifyFifo = fifo;
  const auto findings = audit();
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].script, "notify_fault VI_1");
  EXPECT_EQ(findings[1].script, "notify G1");
  EXPECT_EQ(findings[2].script, "vrrp_notify_fifo_script");
  for (const auto& f : findings) {
    EXPECT_TRUE(f.refused) << f.script;
    EXPECT_THAT(f.message, HasSubstr("not found")) << f.script;
    EXPECT_EQ(f.kind, RefusalKind::Unavailable) << f.script;
  }
}

// What the capability policy reads: every script the daemon would run, with
// the user it names (none: script_user or the default decides).
TEST_F(ScriptAuditTest, ConfiguredScriptsListWhatRunsWithItsUser) {
  config_.scripts.push_back(vrrpScript("unused", {"/x/ok.sh"}));
  config_.scripts.push_back(vrrpScript("chk", {"/x/ok.sh", "-q"}));
  config_.scripts.back().user = config::RunAs{"nobody", std::string("adm")};
  config_.instances.emplace_back().name = "VI_1";
  config_.instances[0].trackScripts.push_back(tracked("chk"));
  config_.instances[0].notify.master = script({"/x/ok.sh", "master"});
  config_.instances[0].notify.master->user = "ops";
  config::NotifyFifo fifo;
  fifo.path = "/run/f";
  fifo.readerArgv = {"/x/reader.sh"};
  config_.global.notifyFifo = fifo;
  const auto scripts = configuredScripts(config_);
  ASSERT_EQ(scripts.size(), 3u);
  EXPECT_EQ(scripts[0].name, "vrrp_script chk");
  EXPECT_EQ(scripts[0].argv, (std::vector<std::string>{"/x/ok.sh", "-q"}));
  EXPECT_EQ(scripts[0].user, (config::RunAs{"nobody", std::string("adm")}));
  EXPECT_EQ(scripts[1].name, "notify_master VI_1");
  EXPECT_EQ(scripts[1].user, (config::RunAs{"ops", std::nullopt}));
  EXPECT_EQ(scripts[2].name, "notify_fifo_script");
  EXPECT_FALSE(scripts[2].user.has_value());
}

// Without enable_script_security an insecure script runs, with a warning.
TEST_F(ScriptAuditTest, InsecureScriptIsOnlyAWarningWithoutScriptSecurity) {
  config_.instances.emplace_back().name = "VI_1";
  config_.instances[0].notify.backup = script({"/open/evil.sh"});
  const auto findings = audit();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_FALSE(findings[0].refused);
  EXPECT_EQ(findings[0].kind, RefusalKind::None);
  EXPECT_THAT(findings[0].message, HasSubstr("Unsafe permissions"));
}

}  // namespace
}  // namespace vipd::notify
