#include "vipd/daemon/capabilities.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_script_env.h"

namespace vipd::daemon {
namespace {

using ::testing::HasSubstr;
using C = Capability;

std::set<Capability> keys(const CapabilityNeeds& needs) {
  std::set<Capability> out;
  for (const auto& [capability, reason] : needs) out.insert(capability);
  return out;
}

const std::set<Capability> kNetworkOnly{C::NetAdmin, C::NetRaw};
const std::set<Capability> kOtherUser{C::NetAdmin, C::NetRaw, C::SetUid, C::SetGid, C::Kill};

config::TrackedObject tracked(const std::string& name) {
  config::TrackedObject t;
  t.name = name;
  return t;
}

class CapabilitiesTest : public ::testing::Test {
 protected:
  CapabilitiesTest() {
    files_.dir("/etc").dir("/etc/vipd").file("/etc/vipd/vipd.conf", 0600);
    files_.dir("/usr").dir("/usr/lib").dir("/usr/lib/vipd").file("/usr/lib/vipd/check.sh");
    accounts_.user("root", 0, 0).user("nobody", 65534, 65534).group("adm", 4);
    config_.instances.emplace_back().name = "VI_1";
  }

  /// A vrrp_script tracked by VI_1, running /usr/lib/vipd/check.sh.
  config::VrrpScript& trackedScript(const std::string& name) {
    auto& s = config_.scripts.emplace_back();
    s.name = name;
    s.argv = {"/usr/lib/vipd/check.sh"};
    config_.instances[0].trackScripts.push_back(tracked(name));
    return s;
  }

  CapabilityNeeds needs() { return neededCapabilities(config_, daemonFiles_, accounts_, files_); }

  fakes::FakeFileLookup files_;
  fakes::FakeAccountLookup accounts_;
  config::Config config_;
  DaemonFiles daemonFiles_{"/etc/vipd/vipd.conf", "", ""};
};

TEST_F(CapabilitiesTest, RootScriptsNeedOnlyTheNetworkCapabilities) {
  trackedScript("chk");
  config_.instances[0].notify.master = config::NotifyScript{};
  config_.instances[0].notify.master->argv = {"/usr/lib/vipd/check.sh", "master"};
  const auto got = needs();
  EXPECT_EQ(keys(got), kNetworkOnly);
  EXPECT_THAT(got.at(C::NetAdmin), HasSubstr("netlink"));
  EXPECT_THAT(got.at(C::NetRaw), HasSubstr("reload"));
}

TEST_F(CapabilitiesTest, AScriptRunningAsAnotherUserNeedsSetuidSetgidAndKill) {
  trackedScript("chk").user = config::RunAs{"nobody", std::nullopt};
  const auto got = needs();
  EXPECT_EQ(keys(got), kOtherUser);
  EXPECT_EQ(got.at(C::SetUid), "vrrp_script chk runs as uid 65534");
  EXPECT_EQ(got.at(C::Kill), "vrrp_script chk runs as uid 65534");
}

TEST_F(CapabilitiesTest, GlobalScriptUserAppliesToScriptsWithoutTheirOwn) {
  trackedScript("chk");
  config_.global.scriptUser = config::RunAs{"nobody", std::nullopt};
  EXPECT_EQ(keys(needs()), kOtherUser);
}

// keepalived's default user (vipd_script here) is used when it exists, so
// whether scripts need the user switch depends on the host's accounts.
TEST_F(CapabilitiesTest, TheDefaultScriptUserCountsWhenItExists) {
  trackedScript("chk");
  EXPECT_EQ(keys(needs()), kNetworkOnly);
  accounts_.user("vipd_script", 998, 998);
  EXPECT_EQ(keys(needs()), kOtherUser);
}

TEST_F(CapabilitiesTest, RootWithAnotherGroupNeedsSetgidOnly) {
  trackedScript("chk").user = config::RunAs{"root", std::string("adm")};
  const auto got = needs();
  EXPECT_EQ(keys(got), (std::set<Capability>{C::NetAdmin, C::NetRaw, C::SetGid}));
  EXPECT_EQ(got.at(C::SetGid), "vrrp_script chk runs as gid 4");
}

TEST_F(CapabilitiesTest, ScriptsThatNeverRunNeedNothing) {
  // Defined but tracked by nothing: the daemon does not run it.
  auto& untracked = config_.scripts.emplace_back();
  untracked.name = "spare";
  untracked.argv = {"/usr/lib/vipd/check.sh"};
  untracked.user = config::RunAs{"nobody", std::nullopt};
  // An unknown user: the resolver refuses the script.
  trackedScript("chk").user = config::RunAs{"ghost", std::nullopt};
  EXPECT_EQ(keys(needs()), kNetworkOnly);
}

TEST_F(CapabilitiesTest, NotifyScriptsAndFifoReadersCount) {
  config_.instances[0].notify.backup = config::NotifyScript{};
  config_.instances[0].notify.backup->argv = {"/usr/lib/vipd/check.sh"};
  config_.instances[0].notify.backup->user = "nobody";
  EXPECT_EQ(needs().at(C::SetUid), "notify_backup VI_1 runs as uid 65534");

  config_.instances[0].notify.backup.reset();
  config_.global.vrrpNotifyFifo = config::NotifyFifo{};
  config_.global.vrrpNotifyFifo->path = "/run/vipd.fifo";
  config_.global.vrrpNotifyFifo->readerArgv = {"/usr/lib/vipd/check.sh"};
  config_.global.vrrpNotifyFifo->readerUser = config::RunAs{"nobody", std::nullopt};
  EXPECT_EQ(needs().at(C::Kill), "vrrp_notify_fifo_script runs as uid 65534");
}

// Root without CAP_DAC_OVERRIDE is "others" for a file it neither owns nor
// shares a group with.
TEST_F(CapabilitiesTest, ARootScriptRootCannotExecuteByItsBitsNeedsDacOverride) {
  files_.dir("/opt", 0755)
      .dir("/opt/app", 0755, 1000, 1000)
      .file("/opt/app/notify.sh", 0750, 1000, 1000);
  config_.instances[0].notify.master = config::NotifyScript{};
  config_.instances[0].notify.master->argv = {"/opt/app/notify.sh"};
  const auto got = needs();
  ASSERT_TRUE(got.contains(C::DacOverride));
  EXPECT_EQ(got.at(C::DacOverride),
            "notify_master VI_1: /opt/app/notify.sh is not accessible to root by its permission "
            "bits");

  files_.file("/opt/app/notify.sh", 0755, 1000, 1000);  // others may read and execute
  EXPECT_EQ(keys(needs()), kNetworkOnly);
  files_.file("/opt/app/notify.sh", 0700, 0, 0);  // root's own
  EXPECT_EQ(keys(needs()), kNetworkOnly);
}

TEST_F(CapabilitiesTest, ARootScriptInADirectoryRootCannotSearchNeedsDacReadSearch) {
  files_.dir("/home", 0755)
      .dir("/home/ops", 0700, 1000, 1000)
      .file("/home/ops/chk.sh", 0755, 1000, 1000);
  trackedScript("chk").argv = {"/home/ops/chk.sh"};
  const auto got = needs();
  EXPECT_EQ(keys(got), (std::set<Capability>{C::NetAdmin, C::NetRaw, C::DacReadSearch}));
  EXPECT_THAT(got.at(C::DacReadSearch), HasSubstr("/home/ops is not accessible"));
  // Not executable by root's bits either: only the override does both.
  files_.file("/home/ops/chk.sh", 0700, 1000, 1000);
  EXPECT_EQ(keys(needs()), (std::set<Capability>{C::NetAdmin, C::NetRaw, C::DacOverride}));
}

TEST_F(CapabilitiesTest, AScriptOfAnotherUserIsNotJudgedByRootsAccess) {
  files_.dir("/home", 0755)
      .dir("/home/ops", 0700, 1000, 1000)
      .file("/home/ops/chk.sh", 0700, 1000, 1000);
  accounts_.user("ops", 1000, 1000);
  trackedScript("chk").argv = {"/home/ops/chk.sh"};
  config_.scripts[0].user = config::RunAs{"ops", std::nullopt};
  EXPECT_EQ(keys(needs()), kOtherUser);
}

TEST_F(CapabilitiesTest, ATrackFileRootCannotReadNeedsDacReadSearch) {
  files_.dir("/var", 0755).dir("/var/run", 0755).file("/var/run/weight", 0600, 1000, 1000);
  auto& file = config_.trackFiles.emplace_back();
  file.name = "tf";
  file.path = "/var/run/weight";
  EXPECT_EQ(keys(needs()), kNetworkOnly) << "not tracked: never read";

  config_.instances[0].trackFiles.push_back(tracked("tf"));
  const auto got = needs();
  EXPECT_EQ(keys(got), (std::set<Capability>{C::NetAdmin, C::NetRaw, C::DacReadSearch}));
  EXPECT_THAT(got.at(C::DacReadSearch), HasSubstr("track_file tf: /var/run/weight"));

  files_.file("/var/run/weight", 0644, 1000, 1000);
  EXPECT_EQ(keys(needs()), kNetworkOnly);
}

TEST_F(CapabilitiesTest, AMissingTrackFileIsJudgedByItsDirectory) {
  files_.dir("/srv", 0700, 1000, 1000);
  auto& file = config_.trackFiles.emplace_back();
  file.name = "tf";
  file.path = "/srv/weight";
  config_.instances[0].trackFiles.push_back(tracked("tf"));
  EXPECT_THAT(needs().at(C::DacReadSearch), HasSubstr("/srv is not accessible"));
  files_.dir("/srv", 0711, 1000, 1000);
  EXPECT_EQ(keys(needs()), kNetworkOnly);
}

// Debian's prometheus-node-exporter: /var/lib/prometheus is prometheus's,
// its node-exporter directory root's (0755), so root writes there by owner.
TEST_F(CapabilitiesTest, MetricsFileInNodeExportersDebianDirectoryNeedsNothing) {
  files_.dir("/var").dir("/var/lib").dir("/var/lib/prometheus", 0755, 110, 118);
  files_.dir("/var/lib/prometheus/node-exporter", 0755);
  daemonFiles_.metricsFile = "/var/lib/prometheus/node-exporter/vipd.prom";
  EXPECT_EQ(keys(needs()), kNetworkOnly);
}

TEST_F(CapabilitiesTest, MetricsFileInADirectoryOfAnotherUserNeedsDacOverride) {
  files_.dir("/var").dir("/var/lib").dir("/var/lib/textfiles", 0755, 110, 118);
  daemonFiles_.metricsFile = "/var/lib/textfiles/vipd.prom";
  const auto got = needs();
  EXPECT_EQ(keys(got), (std::set<Capability>{C::NetAdmin, C::NetRaw, C::DacOverride}));
  EXPECT_EQ(got.at(C::DacOverride),
            "--metrics-file /var/lib/textfiles/vipd.prom: /var/lib/textfiles is not accessible to "
            "root by its permission bits");
  files_.dir("/var/lib/textfiles", 0775, 110, 0);  // group root may write
  EXPECT_EQ(keys(needs()), kNetworkOnly);
}

TEST_F(CapabilitiesTest, AStateFileInADirectoryOfAnotherUserNeedsDacOverride) {
  files_.dir("/run").dir("/run/vipd", 0750);
  daemonFiles_.stateFile = "/run/vipd/vipd.state";
  EXPECT_EQ(keys(needs()), kNetworkOnly) << "/run/vipd as the unit makes it";
  files_.dir("/run/vipd", 0755, 110, 118);
  EXPECT_THAT(needs().at(C::DacOverride), HasSubstr("--state-file /run/vipd/vipd.state"));
}

TEST_F(CapabilitiesTest, AConfigRootCannotReadNeedsDacReadSearch) {
  files_.file("/etc/vipd/vipd.conf", 0600, 1000, 1000);
  EXPECT_THAT(needs().at(C::DacReadSearch), HasSubstr("the configuration"));
}

TEST(LostCapabilitiesTest, AReloadLosesOnlyWhatWasHeldAndDropped) {
  const CapabilityNeeds next{{C::NetAdmin, "a"}, {C::NetRaw, "b"}, {C::SetUid, "chk as 65534"}};
  const std::set<Capability> kept{C::NetAdmin, C::NetRaw};
  EXPECT_EQ(lostCapabilities(next, kept, {C::NetAdmin, C::NetRaw, C::SetUid, C::Kill}),
            (CapabilityNeeds{{C::SetUid, "chk as 65534"}}));
  EXPECT_TRUE(lostCapabilities(next, kept, kept).empty()) << "never held: nothing lost";
  EXPECT_TRUE(lostCapabilities(next, {C::NetAdmin, C::NetRaw, C::SetUid}, kOtherUser).empty());
}

TEST(CapabilityNamesTest, AreCapabilities7Names) {
  EXPECT_EQ(toString(C::DacReadSearch), "CAP_DAC_READ_SEARCH");
  EXPECT_EQ(describe({C::NetRaw, C::NetAdmin}), "CAP_NET_ADMIN CAP_NET_RAW");
  EXPECT_EQ(describe({}), "none");
}

}  // namespace
}  // namespace vipd::daemon
