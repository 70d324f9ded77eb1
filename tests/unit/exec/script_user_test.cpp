#include <gtest/gtest.h>

#include "fakes/fake_script_env.h"
#include "vipd/exec/script_security.h"

namespace vipd::exec {
namespace {

// keepalived lib/notify.c get_default_script_user, as reference §2.4 states it.
class ResolveScriptUserTest : public ::testing::Test {
 protected:
  ResolveScriptUserTest() {
    accounts_.user("alice", 1000, 1000).user("nobody", 65534, 65534).group("staff", 50);
  }
  fakes::FakeAccountLookup accounts_;
};

TEST_F(ResolveScriptUserTest, ConfiguredUserRunsWithPrimaryGroup) {
  auto id = resolveScriptUser(UserSpec{"alice", {}}, false, accounts_);
  ASSERT_TRUE(id);
  EXPECT_EQ(id.value().uid, 1000u);
  EXPECT_EQ(id.value().gid, 1000u);
  EXPECT_FALSE(id.value().rootFallback);
}

TEST_F(ResolveScriptUserTest, ConfiguredGroupOverridesPrimaryGroup) {
  auto id = resolveScriptUser(UserSpec{"alice", "staff"}, true, accounts_);
  ASSERT_TRUE(id);
  EXPECT_EQ(id.value().uid, 1000u);
  EXPECT_EQ(id.value().gid, 50u);
}

TEST_F(ResolveScriptUserTest, UnknownConfiguredUserIsAnError) {
  auto id = resolveScriptUser(UserSpec{"mallory", {}}, false, accounts_);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error(), ScriptUserErrc::UnknownUser);
  EXPECT_EQ(id.error().message(), "no such user");
}

TEST_F(ResolveScriptUserTest, UnknownConfiguredGroupIsAnError) {
  auto id = resolveScriptUser(UserSpec{"alice", "wheel"}, false, accounts_);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error(), ScriptUserErrc::UnknownGroup);
}

TEST_F(ResolveScriptUserTest, DefaultUserIsUsedWhenItExists) {
  accounts_.user(kDefaultScriptUser, 990, 991);
  for (bool security : {false, true}) {
    SCOPED_TRACE(security);
    auto id = resolveScriptUser(std::nullopt, security, accounts_);
    ASSERT_TRUE(id);
    EXPECT_EQ(id.value().uid, 990u);
    EXPECT_EQ(id.value().gid, 991u);
    EXPECT_FALSE(id.value().rootFallback);
  }
}

TEST_F(ResolveScriptUserTest, WithoutDefaultUserFallsBackToRootWithWarning) {
  auto id = resolveScriptUser(std::nullopt, false, accounts_);
  ASSERT_TRUE(id);
  EXPECT_EQ(id.value().uid, 0u);
  EXPECT_EQ(id.value().gid, 0u);
  EXPECT_TRUE(id.value().rootFallback);
}

TEST_F(ResolveScriptUserTest, WithScriptSecurityAndNoDefaultUserScriptsAreDropped) {
  auto id = resolveScriptUser(std::nullopt, true, accounts_);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error(), ScriptUserErrc::NoDefaultUser);
  EXPECT_NE(id.error().message().find("vipd_script"), std::string::npos);
}

TEST_F(ResolveScriptUserTest, ConfiguredRootIsAllowed) {
  accounts_.user("root", 0, 0);
  auto id = resolveScriptUser(UserSpec{"root", {}}, true, accounts_);
  ASSERT_TRUE(id);
  EXPECT_EQ(id.value().uid, 0u);
  EXPECT_FALSE(id.value().rootFallback);
}

TEST_F(ResolveScriptUserTest, LookupFailureIsPassedThroughNotTreatedAsMissing) {
  accounts_.failing();
  auto configured = resolveScriptUser(UserSpec{"alice", {}}, false, accounts_);
  ASSERT_FALSE(configured);
  EXPECT_EQ(configured.error(), std::errc::io_error);
  // Not silently root: a broken NSS must not turn into running as root.
  auto fallback = resolveScriptUser(std::nullopt, false, accounts_);
  ASSERT_FALSE(fallback);
  EXPECT_EQ(fallback.error(), std::errc::io_error);
}

TEST(SystemAccountLookupTest, RootAndItsGroupExist) {
  SystemAccountLookup accounts;
  auto root = accounts.user("root");
  ASSERT_TRUE(root);
  ASSERT_TRUE(root.value().has_value());
  EXPECT_EQ(root.value()->uid, 0u);
  auto group = accounts.group("root");
  ASSERT_TRUE(group);
  ASSERT_TRUE(group.value().has_value());
  EXPECT_EQ(*group.value(), 0u);
}

TEST(SystemAccountLookupTest, MissingNamesAreNullopt) {
  SystemAccountLookup accounts;
  auto user = accounts.user("vipd-no-such-user-x");
  ASSERT_TRUE(user);
  EXPECT_FALSE(user.value().has_value());
  auto group = accounts.group("vipd-no-such-group-x");
  ASSERT_TRUE(group);
  EXPECT_FALSE(group.value().has_value());
}

}  // namespace
}  // namespace vipd::exec
