#include "vipd/notify/script_resolver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_script_env.h"
#include "notify_script.h"

namespace vipd::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using testing::script;

class ScriptResolverTest : public ::testing::Test {
 protected:
  ScriptResolverTest() {
    files_.dir("/x").file("/x/notify.sh").file("/x/plain.txt", 0644);
    files_.dir("/usr").dir("/usr/bin").file("/usr/bin/logger");
    files_.dir("/tmp", 01777).dir("/open", 0777).file("/open/evil.sh");
    accounts_.user("alice", 1000, 1000).group("staff", 50);
  }

  Resolution resolve(const config::NotifyScript& s, ScriptPolicy policy = {}) {
    ScriptResolver resolver(std::move(policy), files_, accounts_);
    return resolver.resolve("notify_master VI_1", s);
  }

  fakes::FakeFileLookup files_;
  fakes::FakeAccountLookup accounts_;
};

TEST_F(ScriptResolverTest, AbsoluteScriptRunsAsDefaultUserWithItsArgvUntouched) {
  accounts_.user(exec::kDefaultScriptUser, 990, 991);
  auto r = resolve(script({"/x/notify.sh", "two words", "B"}));
  ASSERT_TRUE(r.command) << r.refusal;
  EXPECT_EQ(r.command->name, "notify_master VI_1");
  EXPECT_THAT(r.command->argv, ElementsAre("/x/notify.sh", "two words", "B"));
  EXPECT_EQ(r.command->uid, 990u);
  EXPECT_EQ(r.command->gid, 991u);
  EXPECT_EQ(r.command->timeout.count(), 0);  // the queue decides
  EXPECT_THAT(r.warnings, IsEmpty());
}

TEST_F(ScriptResolverTest, PerScriptUserWinsOverScriptUser) {
  accounts_.user("bob", 2000, 2000);
  auto r = resolve(script({"/x/notify.sh"}, "alice", "staff"), {config::RunAs{"bob", {}}, false});
  ASSERT_TRUE(r.command) << r.refusal;
  EXPECT_EQ(r.command->uid, 1000u);
  EXPECT_EQ(r.command->gid, 50u);
}

TEST_F(ScriptResolverTest, ScriptUserAppliesWhenTheScriptNamesNone) {
  auto r = resolve(script({"/x/notify.sh"}), {config::RunAs{"alice", {}}, true});
  ASSERT_TRUE(r.command) << r.refusal;
  EXPECT_EQ(r.command->uid, 1000u);
  EXPECT_EQ(r.command->gid, 1000u);
}

TEST_F(ScriptResolverTest, NoUserAtAllFallsBackToRootWithOneWarningPerResolver) {
  ScriptResolver resolver({}, files_, accounts_);
  auto first = resolver.resolve("notify_master VI_1", script({"/x/notify.sh"}));
  auto second = resolver.resolve("notify_backup VI_1", script({"/x/notify.sh"}));
  ASSERT_TRUE(first.command && second.command);
  EXPECT_EQ(first.command->uid, 0u);
  ASSERT_EQ(first.warnings.size(), 1u);
  EXPECT_THAT(first.warnings[0], HasSubstr("default user 'vipd_script'"));
  EXPECT_THAT(second.warnings, IsEmpty());
}

TEST_F(ScriptResolverTest, ScriptSecurityWithoutAnyUserRefusesInsteadOfRunningAsRoot) {
  auto r = resolve(script({"/x/notify.sh"}), {std::nullopt, true});
  EXPECT_FALSE(r.command);
  EXPECT_THAT(r.refusal, HasSubstr("Unable to set default user vipd_script"));
  EXPECT_THAT(r.refusal, HasSubstr("notify_master VI_1"));
  EXPECT_EQ(r.refusalKind, RefusalKind::Security) << "a script security decision";
}

TEST_F(ScriptResolverTest, UnknownUserIsRefused) {
  auto r = resolve(script({"/x/notify.sh"}, "mallory"));
  EXPECT_FALSE(r.command);
  EXPECT_THAT(r.refusal, HasSubstr("user mallory"));
  EXPECT_EQ(r.refusalKind, RefusalKind::Unavailable);
}

TEST_F(ScriptResolverTest, BareNameIsFoundThroughPathWithKeepalivedsWarning) {
  auto r = resolve(script({"logger", "-t", "vipd"}), {config::RunAs{"alice", {}}, false});
  ASSERT_TRUE(r.command) << r.refusal;
  EXPECT_THAT(r.command->argv, ElementsAre("/usr/bin/logger", "-t", "vipd"));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("resolved by path search to `/usr/bin/logger`"));
}

TEST_F(ScriptResolverTest, ProgramIsMadeAbsoluteWithRealpath) {
  files_.symlink("/x/link.sh", "/x/notify.sh");
  auto r = resolve(script({"/x/link.sh", "A"}), {config::RunAs{"alice", {}}, false});
  ASSERT_TRUE(r.command) << r.refusal;
  EXPECT_THAT(r.command->argv, ElementsAre("/x/notify.sh", "A"));
}

TEST_F(ScriptResolverTest, MissingProgramIsAlwaysRefused) {
  for (const char* program : {"nosuch", "/x/nosuch.sh"}) {
    SCOPED_TRACE(program);
    auto r = resolve(script({program}), {config::RunAs{"alice", {}}, false});
    EXPECT_FALSE(r.command);
    EXPECT_THAT(r.refusal, HasSubstr("isabling notify_master VI_1"));
    EXPECT_EQ(r.refusalKind, RefusalKind::Unavailable);
  }
}

TEST_F(ScriptResolverTest, NonExecutableProgramIsAlwaysRefused) {
  auto r = resolve(script({"/x/plain.txt"}), {config::RunAs{"alice", {}}, false});
  EXPECT_FALSE(r.command);
  EXPECT_THAT(r.refusal, HasSubstr("is not executable for uid:gid 1000:1000"));
  EXPECT_EQ(r.refusalKind, RefusalKind::Unavailable);
}

TEST_F(ScriptResolverTest, InsecureRootScriptOnlyWarnsWithoutScriptSecurity) {
  accounts_.user("root", 0, 0);
  auto r = resolve(script({"/open/evil.sh"}), {config::RunAs{"root", {}}, false});
  ASSERT_TRUE(r.command) << r.refusal;
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("Unsafe permissions found for script '/open/evil.sh'"));
  EXPECT_THAT(r.warnings[0], HasSubstr("'/open' is world-writable without the sticky bit (mode "
                                       "0777) and the script would run as root"));
  EXPECT_THAT(r.warnings[0], HasSubstr("it runs: enable_script_security is not set"));
}

TEST_F(ScriptResolverTest, InsecureRootScriptIsRefusedWithScriptSecurity) {
  accounts_.user("root", 0, 0);
  auto r = resolve(script({"/open/evil.sh"}), {config::RunAs{"root", {}}, true});
  EXPECT_FALSE(r.command);
  EXPECT_THAT(r.refusal, HasSubstr("Unsafe permissions found"));
  EXPECT_THAT(r.refusal, HasSubstr("Disabling notify_master VI_1 due to insecure"));
  EXPECT_EQ(r.refusalKind, RefusalKind::Security);
}

// The example: an /opt-like directory writable by a non-root group.
TEST_F(ScriptResolverTest, TheRefusalNamesTheComponentItsModeAndGroupAndTheConsequence) {
  accounts_.user("root", 0, 0);
  files_.dir("/opt", 0755).dir("/opt/chk", 0775, 0, 1000).file("/opt/chk/check.sh");
  auto r = resolve(script({"/opt/chk/check.sh"}), {config::RunAs{"root", {}}, true});
  EXPECT_FALSE(r.command);
  EXPECT_THAT(r.refusal, HasSubstr("'/opt/chk' is group-writable (mode 0775, group 1000) and the "
                                   "script would run as root"));
}

TEST_F(ScriptResolverTest, FifoReaderArgvResolvesLikeANotifyScript) {
  ScriptResolver resolver({config::RunAs{"alice", {}}, true}, files_, accounts_);
  auto r = resolver.resolve("vrrp_notify_fifo_script", {"/x/notify.sh", "-v"}, std::nullopt);
  ASSERT_TRUE(r.command) << r.refusal;
  EXPECT_THAT(r.command->argv, ElementsAre("/x/notify.sh", "-v"));
  EXPECT_EQ(r.command->uid, 1000u);
}

TEST_F(ScriptResolverTest, EmptyCommandIsRefused) {
  auto r = resolve(script({}));
  EXPECT_FALSE(r.command);
  EXPECT_THAT(r.refusal, HasSubstr("empty command"));
}

}  // namespace
}  // namespace vipd::notify
