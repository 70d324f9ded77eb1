#include "vipd/exec/script_security.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "fakes/fake_script_env.h"

namespace vipd::exec {
namespace {

constexpr uid_t kRoot = 0;
constexpr uid_t kAlice = 1000;
constexpr gid_t kStaff = 50;

// keepalived's rules (reference §2.4), one failing and one passing case each.
// The default tree: /etc/vipd/check.sh, everything root:root 0755.
class CheckScriptTest : public ::testing::Test {
 protected:
  CheckScriptTest() { fs_.dir("/etc").dir("/etc/vipd").file("/etc/vipd/check.sh"); }
  ScriptCheck check(uid_t uid = kRoot, gid_t gid = kRoot) {
    return checkScript("/etc/vipd/check.sh", uid, gid, fs_);
  }
  fakes::FakeFileLookup fs_;
};

TEST_F(CheckScriptTest, RootOwnedTreeIsSecure) {
  auto result = check();
  EXPECT_EQ(result.verdict, ScriptVerdict::Secure);
  EXPECT_EQ(result.resolved, "/etc/vipd/check.sh");
  EXPECT_TRUE(result.runsAsRoot);
}

TEST_F(CheckScriptTest, MissingScriptIsNotFound) {
  auto result = checkScript("/etc/vipd/missing.sh", kRoot, kRoot, fs_);
  EXPECT_EQ(result.verdict, ScriptVerdict::NotFound);
  EXPECT_EQ(result.component, "/etc/vipd/missing.sh");
  EXPECT_NE(result.reason.find("No such file"), std::string::npos) << result.reason;
}

TEST_F(CheckScriptTest, FileInPathPositionIsNotFound) {
  fs_.file("/etc/vipd/check.sh/x");  // realpath would fail with ENOTDIR; the walk says so too
  auto result = checkScript("/etc/vipd/check.sh/x", kRoot, kRoot, fs_);
  EXPECT_EQ(result.verdict, ScriptVerdict::NotFound);
  EXPECT_EQ(result.component, "/etc/vipd/check.sh");
  EXPECT_EQ(result.reason, "not a directory");
}

TEST_F(CheckScriptTest, DirectoryIsNotExecutable) {
  auto result = checkScript("/etc/vipd", kRoot, kRoot, fs_);
  EXPECT_EQ(result.verdict, ScriptVerdict::NotExecutable);
  EXPECT_EQ(result.reason, "not a regular file");
}

TEST_F(CheckScriptTest, FifoIsNotExecutable) {
  fs_.node("/etc/vipd/fifo", S_IFIFO | 0755);
  EXPECT_EQ(checkScript("/etc/vipd/fifo", kRoot, kRoot, fs_).verdict, ScriptVerdict::NotExecutable);
}

TEST_F(CheckScriptTest, RootNeedsAtLeastOneExecuteBit) {
  fs_.file("/etc/vipd/check.sh", 0644);
  EXPECT_EQ(check().verdict, ScriptVerdict::NotExecutable);
  fs_.file("/etc/vipd/check.sh", 0601);
  EXPECT_EQ(check().verdict, ScriptVerdict::Secure);
}

TEST_F(CheckScriptTest, UserNeedsOwnerExecuteBitOnOwnFile) {
  fs_.file("/etc/vipd/check.sh", 0655, kAlice, kStaff);  // owner rw-, group/others r-x
  auto result = check(kAlice, kStaff);
  EXPECT_EQ(result.verdict, ScriptVerdict::NotExecutable);
  EXPECT_NE(result.reason.find("uid:gid 1000:50"), std::string::npos) << result.reason;
  fs_.file("/etc/vipd/check.sh", 0744, kAlice, kStaff);
  EXPECT_EQ(check(kAlice, kStaff).verdict, ScriptVerdict::Secure);
}

TEST_F(CheckScriptTest, GroupMemberNeedsGroupExecuteBit) {
  fs_.file("/etc/vipd/check.sh", 0705, kRoot, kStaff);
  EXPECT_EQ(check(kAlice, kStaff).verdict, ScriptVerdict::NotExecutable);
  fs_.file("/etc/vipd/check.sh", 0750, kRoot, kStaff);
  EXPECT_EQ(check(kAlice, kStaff).verdict, ScriptVerdict::Secure);
}

TEST_F(CheckScriptTest, OtherUserNeedsOtherExecuteBit) {
  fs_.file("/etc/vipd/check.sh", 0750);
  EXPECT_EQ(check(kAlice, kStaff).verdict, ScriptVerdict::NotExecutable);
  fs_.file("/etc/vipd/check.sh", 0755);
  EXPECT_EQ(check(kAlice, kStaff).verdict, ScriptVerdict::Secure);
}

TEST_F(CheckScriptTest, UserNeedsSearchPermissionOnEveryDirectory) {
  fs_.dir("/etc/vipd", 0750);
  auto result = check(kAlice, kStaff);
  EXPECT_EQ(result.verdict, ScriptVerdict::NotExecutable);
  EXPECT_EQ(result.component, "/etc/vipd");
  EXPECT_NE(result.reason.find("search"), std::string::npos);
  EXPECT_EQ(check().verdict, ScriptVerdict::Secure);  // root searches anything
}

TEST_F(CheckScriptTest, NonRootUserSkipsTheSecurityWalk) {
  fs_.dir("/etc/vipd", 0777);  // would be insecure for root
  auto result = check(kAlice, kStaff);
  EXPECT_EQ(result.verdict, ScriptVerdict::Secure);
  EXPECT_FALSE(result.runsAsRoot);
}

TEST_F(CheckScriptTest, GidZeroCountsAsRoot) {
  fs_.dir("/etc/vipd", 0777);
  auto result = check(kAlice, kRoot);
  EXPECT_TRUE(result.runsAsRoot);
  EXPECT_EQ(result.verdict, ScriptVerdict::Insecure);
  EXPECT_EQ(result.privilege, "would run with group root");
}

TEST_F(CheckScriptTest, ThePrivilegeSaysWhyTheScriptCountsAsRoot) {
  fs_.dir("/etc/vipd", 0777).file("/etc/vipd/check.sh", 04755);
  EXPECT_EQ(check(kAlice, kStaff).privilege, "is setuid root");
  fs_.file("/etc/vipd/check.sh", 02755);
  EXPECT_EQ(check(kAlice, kStaff).privilege, "is setgid to group root");
  fs_.file("/etc/vipd/check.sh", 0755);
  EXPECT_EQ(check(kAlice, kStaff).privilege, "");
  EXPECT_EQ(check().privilege, "would run as root");
}

TEST_F(CheckScriptTest, SetuidRootScriptCountsAsRoot) {
  fs_.dir("/etc/vipd", 0777).file("/etc/vipd/check.sh", 04755);
  EXPECT_EQ(check(kAlice, kStaff).verdict, ScriptVerdict::Insecure);
  fs_.file("/etc/vipd/check.sh", 04755, kAlice, kStaff);  // setuid to a non-root owner
  EXPECT_EQ(check(kAlice, kStaff).verdict, ScriptVerdict::Secure);
}

TEST_F(CheckScriptTest, SetgidRootGroupScriptCountsAsRoot) {
  fs_.dir("/etc/vipd", 0777).file("/etc/vipd/check.sh", 02755);
  EXPECT_EQ(check(kAlice, kStaff).verdict, ScriptVerdict::Insecure);
  fs_.file("/etc/vipd/check.sh", 02755, kRoot, kStaff);  // setgid to a non-root group
  EXPECT_EQ(check(kAlice, kStaff).verdict, ScriptVerdict::Secure);
}

TEST_F(CheckScriptTest, ScriptOwnedByNonRootIsInsecure) {
  fs_.file("/etc/vipd/check.sh", 0755, kAlice, kRoot);
  auto result = check();
  EXPECT_EQ(result.verdict, ScriptVerdict::Insecure);
  EXPECT_EQ(result.component, "/etc/vipd/check.sh");
  EXPECT_EQ(result.reason, "owned by uid 1000, not root (mode 0755)");
}

TEST_F(CheckScriptTest, DirectoryOwnedByNonRootIsInsecure) {
  fs_.dir("/etc", 0755, kAlice);
  auto result = check();
  EXPECT_EQ(result.verdict, ScriptVerdict::Insecure);
  EXPECT_EQ(result.component, "/etc");
}

TEST_F(CheckScriptTest, RootDirectoryItselfIsChecked) {
  fs_.dir("/", 0777);
  auto result = check();
  EXPECT_EQ(result.verdict, ScriptVerdict::Insecure);
  EXPECT_EQ(result.component, "/");
}

TEST_F(CheckScriptTest, FirstInsecureComponentFromTheTopIsNamed) {
  fs_.dir("/etc", 0757).dir("/etc/vipd", 0755, kAlice);
  EXPECT_EQ(check().component, "/etc");
}

TEST_F(CheckScriptTest, GroupWritableByNonRootGroupIsInsecure) {
  fs_.dir("/etc/vipd", 0775, kRoot, kStaff);
  auto result = check();
  EXPECT_EQ(result.verdict, ScriptVerdict::Insecure);
  EXPECT_EQ(result.reason, "group-writable (mode 0775, group 50)");
  EXPECT_EQ(result.privilege, "would run as root");
  EXPECT_EQ(describeInsecurity(result),
            "'/etc/vipd' is group-writable (mode 0775, group 50) and the script would run as "
            "root");
}

TEST_F(CheckScriptTest, GroupWritableByRootGroupIsSecure) {
  fs_.dir("/etc/vipd", 0775, kRoot, kRoot).file("/etc/vipd/check.sh", 0775);
  EXPECT_EQ(check().verdict, ScriptVerdict::Secure);
}

TEST_F(CheckScriptTest, GroupWritableScriptOfNonRootGroupIsInsecure) {
  fs_.file("/etc/vipd/check.sh", 0775, kRoot, kStaff);
  EXPECT_EQ(check().verdict, ScriptVerdict::Insecure);
  fs_.file("/etc/vipd/check.sh", 0755, kRoot, kStaff);  // group not writable
  EXPECT_EQ(check().verdict, ScriptVerdict::Secure);
}

TEST_F(CheckScriptTest, WorldWritableDirectoryIsInsecure) {
  fs_.dir("/etc/vipd", 0777);
  auto result = check();
  EXPECT_EQ(result.verdict, ScriptVerdict::Insecure);
  EXPECT_EQ(result.reason, "world-writable without the sticky bit (mode 0777)");
}

TEST_F(CheckScriptTest, StickyWorldWritableDirectoryIsAllowed) {
  fs_.dir("/etc/vipd", 01777);
  EXPECT_EQ(check().verdict, ScriptVerdict::Secure);
}

TEST_F(CheckScriptTest, StickyGroupWritableDirectoryIsAllowed) {
  fs_.dir("/etc/vipd", 01775, kRoot, kStaff);
  EXPECT_EQ(check().verdict, ScriptVerdict::Secure);
}

TEST_F(CheckScriptTest, StickyDirectoryOwnedByNonRootIsStillInsecure) {
  fs_.dir("/etc/vipd", 01777, kAlice);
  EXPECT_EQ(check().verdict, ScriptVerdict::Insecure);
}

TEST_F(CheckScriptTest, WorldWritableScriptIsInsecureEvenWithSticky) {
  fs_.file("/etc/vipd/check.sh", 01757);
  auto result = check();
  EXPECT_EQ(result.verdict, ScriptVerdict::Insecure);
  EXPECT_EQ(result.reason, "world-writable (mode 1757)");
}

TEST_F(CheckScriptTest, SymlinkIsJudgedByItsTarget) {
  fs_.dir("/opt", 0777).symlink("/usr/local/check", "/etc/vipd/check.sh");
  auto secure = checkScript("/usr/local/check", kRoot, kRoot, fs_);
  EXPECT_EQ(secure.verdict, ScriptVerdict::Secure);
  EXPECT_EQ(secure.resolved, "/etc/vipd/check.sh");
  fs_.file("/opt/check.sh").symlink("/usr/local/bad", "/opt/check.sh");
  auto insecure = checkScript("/usr/local/bad", kRoot, kRoot, fs_);
  EXPECT_EQ(insecure.verdict, ScriptVerdict::Insecure);
  EXPECT_EQ(insecure.component, "/opt");
}

TEST_F(CheckScriptTest, DanglingSymlinkIsNotFound) {
  fs_.symlink("/etc/vipd/link", "/nowhere");
  EXPECT_EQ(checkScript("/etc/vipd/link", kRoot, kRoot, fs_).verdict, ScriptVerdict::NotFound);
}

class ResolveProgramTest : public ::testing::Test {
 protected:
  ResolveProgramTest() { fs_.dir("/usr").dir("/usr/bin").dir("/bin").dir("/usr/sbin"); }
  fakes::FakeFileLookup fs_;
};

TEST_F(ResolveProgramTest, PathWithSlashIsKeptAsGiven) {
  auto result = resolveProgram("/etc/vipd/x.sh", fs_);
  ASSERT_TRUE(result);
  EXPECT_EQ(result.value(), "/etc/vipd/x.sh");
}

TEST_F(ResolveProgramTest, BareNameIsFoundInTheFirstPathDirectoryHoldingIt) {
  fs_.file("/usr/bin/tool").file("/bin/tool");
  auto result = resolveProgram("tool", fs_);
  ASSERT_TRUE(result);
  EXPECT_EQ(result.value(), "/usr/bin/tool");
}

TEST_F(ResolveProgramTest, NonExecutableCandidatesAreSkipped) {
  fs_.file("/usr/sbin/tool", 0644).file("/bin/tool");
  auto result = resolveProgram("tool", fs_);
  ASSERT_TRUE(result);
  EXPECT_EQ(result.value(), "/bin/tool");
}

TEST_F(ResolveProgramTest, SymlinkedCandidateIsFollowed) {
  fs_.file("/usr/bin/real").symlink("/usr/sbin/tool", "/usr/bin/real");
  auto result = resolveProgram("tool", fs_);
  ASSERT_TRUE(result);
  EXPECT_EQ(result.value(), "/usr/sbin/tool");
}

TEST_F(ResolveProgramTest, UnknownNameIsNotFound) {
  auto result = resolveProgram("nope", fs_);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), std::errc::no_such_file_or_directory);
  EXPECT_FALSE(resolveProgram("", fs_));
}

// The real adapter, on paths every Debian system has.
TEST(SystemFileLookupTest, ShellIsSecureForRoot) {
  SystemFileLookup fs;
  auto result = checkScript("/bin/sh", 0, 0, fs);
  EXPECT_EQ(result.verdict, ScriptVerdict::Secure) << result.component << ": " << result.reason;
  EXPECT_EQ(result.resolved.front(), '/');
}

TEST(SystemFileLookupTest, MissingFileIsNotFound) {
  SystemFileLookup fs;
  EXPECT_EQ(checkScript("/nonexistent/vipd/x", 0, 0, fs).verdict, ScriptVerdict::NotFound);
}

TEST(SystemFileLookupTest, ScriptInWorldWritableNonStickyDirectoryIsInsecure) {
  char dir[] = "/tmp/vipd-sec-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string script = std::string(dir) + "/s.sh";
  ASSERT_EQ(chmod(dir, 0777), 0);
  FILE* f = fopen(script.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fclose(f);
  ASSERT_EQ(chmod(script.c_str(), 0755), 0);
  SystemFileLookup fs;
  auto result = checkScript(script, 0, 0, fs);
  // Owned by the test's uid: insecure either way (non-root owner, or 0777 dir).
  EXPECT_EQ(result.verdict, ScriptVerdict::Insecure);
  EXPECT_EQ(result.component, dir);
  unlink(script.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace vipd::exec
