// The shared two-host configurations under tests/data/config, parsed end to
// end for each host (keepalived -i lb1 / -i lb2).

#include <gtest/gtest.h>

#include <algorithm>

#include "config_test_data.h"
#include "config_test_support.h"

namespace vipd::config {
namespace {

using namespace std::chrono_literals;
using testing::messages;

using testing::kDataDir;

Config load(const std::string& file, const std::string& host) {
  const ParseResult result = parseFile(kDataDir + "/" + file, testing::options(host));
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  return result.ok() ? *result.config : Config{};
}

const VrrpInstance& find(const Config& config, const std::string& name) {
  const auto it = std::find_if(config.instances.begin(), config.instances.end(),
                               [&](const VrrpInstance& i) { return i.name == name; });
  if (it == config.instances.end()) throw std::runtime_error("no instance " + name);
  return *it;
}

std::vector<std::string> addresses(const std::vector<VirtualAddress>& list) {
  std::vector<std::string> out;
  for (const VirtualAddress& a : list) {
    out.push_back(a.address.toString() + "/" + std::to_string(a.prefixLength));
  }
  return out;
}

TEST(ConfigExampleTest, Version2ConfigWarnsOnlyAboutWhatVipdIgnores) {
  const std::string path = kDataDir + "/two_host_v2.conf";
  const ParseResult result = parseFile(path, testing::options("lb1"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(messages(result),
            (std::vector<std::string>{
                path + ":6:5: warning: 'notification_email' is not supported by vipd, ignored",
                path + ":9:5: warning: 'notification_email_from' is not supported by vipd, ignored",
                path + ":10:5: warning: 'smtp_server' is not supported by vipd, ignored"}));
}

TEST(ConfigExampleTest, Version2ConfigGivesEachHostItsOwnSide) {
  const Config lb1 = load("two_host_v2.conf", "lb1");
  const Config lb2 = load("two_host_v2.conf", "lb2");
  EXPECT_EQ(lb1.global.routerId, "lb1");
  EXPECT_EQ(lb2.global.routerId, "lb2");
  EXPECT_TRUE(lb1.global.skipCheckAdvAddr);
  EXPECT_EQ(lb1.global.garpMasterDelay, 10s);
  EXPECT_EQ(lb1.global.garpInterval, 1ms);

  const VrrpInstance& web1 = find(lb1, "VI_WEB");
  const VrrpInstance& web2 = find(lb2, "VI_WEB");
  EXPECT_EQ(web1.initialState, InitialState::Master);
  EXPECT_EQ(web1.priority, 150);
  EXPECT_EQ(web2.initialState, InitialState::Backup);
  EXPECT_EQ(web2.priority, 100);
  EXPECT_EQ(web1.version, 2);
  EXPECT_EQ(web1.garpMasterDelay, 10s);  // from global_defs
  EXPECT_EQ(web1.garpMasterRefresh, 60s);
  ASSERT_TRUE(web1.authentication);
  EXPECT_EQ(web1.authentication->password, "s3cr3t!x");
  EXPECT_EQ(addresses(web1.virtualAddresses),
            (std::vector<std::string>{"198.51.100.10/24", "198.51.100.11/24"}));
  EXPECT_EQ(web1.virtualAddresses[0].label, "eth0:web");
  EXPECT_EQ(web1.virtualAddresses[1].broadcast->toString(), "198.51.100.255");
  EXPECT_EQ(addresses(web1.excludedAddresses), (std::vector<std::string>{"2001:db8:100::10/64"}));
  ASSERT_EQ(web1.trackScripts.size(), 1u);
  EXPECT_EQ(web1.trackScripts[0].name, "chk_haproxy");
  EXPECT_EQ(web1.trackInterfaces[0].weight, -30);
  EXPECT_EQ(web1.notify.master->argv,
            (std::vector<std::string>{"/etc/keepalived/notify.sh", "master", "VI_WEB"}));
  EXPECT_EQ(web1.notify.generic->user, "keepalived_script");

  const VrrpInstance& db1 = find(lb1, "VI_DB");
  const VrrpInstance& db2 = find(lb2, "VI_DB");
  EXPECT_FALSE(db1.preempt);
  EXPECT_EQ(db1.sourceAddress->toString(), "192.0.2.11");
  EXPECT_EQ(db1.unicastPeers.at(0).address.toString(), "192.0.2.12");
  EXPECT_EQ(db2.sourceAddress->toString(), "192.0.2.12");
  EXPECT_EQ(db2.unicastPeers.at(0).address.toString(), "192.0.2.11");
  EXPECT_EQ(db1.unicastTtl, 255);
  EXPECT_EQ(db1.garpMasterRefresh, 30s);

  const VrrpInstance& web6 = find(lb1, "VI_WEB6");
  EXPECT_EQ(web6.family, util::Family::V6);
  EXPECT_EQ(web6.version, 3);
  EXPECT_EQ(web6.virtualRouterId, web1.virtualRouterId);  // allowed: other family
  EXPECT_EQ(web6.virtualAddresses[0].preferredLifetime, VirtualAddress::kForever);

  const VrrpInstance& backend = find(lb2, "VI_BACKEND");  // from conf.d/50-backend.conf
  EXPECT_EQ(backend.priority, 190);
  EXPECT_EQ(backend.advertInterval, Centiseconds(200));
  EXPECT_EQ(backend.where.file, kDataDir + "/conf.d/50-backend.conf");
}

TEST(ConfigExampleTest, Version3ConfigExpandsTheTemplatePerHost) {
  const Config lb1 = load("two_host_v3.conf", "lb1");
  const Config lb2 = load("two_host_v3.conf", "lb2");
  ASSERT_EQ(lb1.instances.size(), 3u);
  EXPECT_EQ(lb1.global.processNice, -10);
  EXPECT_EQ(lb1.global.garpMasterRepeat, 1u);  // vrrp_min_garp
  EXPECT_TRUE(lb1.global.higherPrioSendAdvert);

  for (const char* name : {"VI_10", "VI_11"}) {
    SCOPED_TRACE(name);
    const VrrpInstance& a = find(lb1, name);
    const VrrpInstance& b = find(lb2, name);
    EXPECT_EQ(a.version, 3);
    EXPECT_EQ(a.advertInterval, Centiseconds(50));
    EXPECT_EQ(a.priority, 150);
    EXPECT_EQ(b.priority, 100);
    EXPECT_TRUE(a.higherPrioSendAdvert);
    EXPECT_EQ(a.garpMasterDelay, 0s);
  }
  EXPECT_EQ(addresses(find(lb1, "VI_11").virtualAddresses),
            (std::vector<std::string>{"203.0.113.11/24"}));
  EXPECT_EQ(find(lb1, "VI_11").notify.generic->argv,
            (std::vector<std::string>{"/usr/local/bin/vrrp-notify", "11"}));

  const VrrpInstance& v6 = find(lb2, "VI_V6U");
  EXPECT_EQ(v6.family, util::Family::V6);
  EXPECT_EQ(v6.advertInterval, Centiseconds(25));
  EXPECT_EQ(v6.sourceAddress->toString(), "2001:db8:200::12");
  EXPECT_EQ(v6.unicastPeers.at(0).address.toString(), "2001:db8:200::11");
  EXPECT_EQ(v6.unicastPeers.at(0).minTtl, 255);
  EXPECT_TRUE(v6.checkUnicastSrc);  // min_ttl turns the source check on
  EXPECT_FALSE(v6.unicastTtl);      // IPv6: the kernel's default hop limit
}

TEST(ConfigExampleTest, BothHostsAgreeOnWhatTheyAdvertise) {
  // Split-brain pain point: mismatched VIP lists, versions or intervals make
  // each node drop the other's adverts.
  for (const char* file : {"two_host_v2.conf", "two_host_v3.conf"}) {
    SCOPED_TRACE(file);
    const Config lb1 = load(file, "lb1");
    const Config lb2 = load(file, "lb2");
    ASSERT_EQ(lb1.instances.size(), lb2.instances.size());
    for (std::size_t i = 0; i < lb1.instances.size(); ++i) {
      const VrrpInstance& a = lb1.instances[i];
      const VrrpInstance& b = lb2.instances[i];
      SCOPED_TRACE(a.name);
      EXPECT_EQ(a.virtualRouterId, b.virtualRouterId);
      EXPECT_EQ(a.version, b.version);
      EXPECT_EQ(a.advertInterval, b.advertInterval);
      EXPECT_EQ(addresses(a.virtualAddresses), addresses(b.virtualAddresses));
      EXPECT_NE(a.priority, b.priority);
    }
  }
}

}  // namespace
}  // namespace vipd::config
