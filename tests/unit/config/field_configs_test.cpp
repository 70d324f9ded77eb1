// keepalived.conf files from public deployments (tests/data/config/field; the
// source of each is in its header): each parses, and this lists every warning
// vipd gives about it, so a new or lost warning fails.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config_test_support.h"

namespace vipd::config {
namespace {

const std::string kFieldDir = std::string(VIPD_CONFIG_TEST_DATA) + "/field";

struct FieldConfig {
  std::string file;
  /// "LINE:COLUMN: part of the message", one per warning, in order.
  std::vector<std::string> warnings;
  std::size_t instances = 1;
  std::string configId = "lb1";
};

void PrintTo(const FieldConfig& config, std::ostream* os) { *os << config.file; }

std::string at(const std::string& where, const std::string& text) { return where + ": " + text; }

std::vector<FieldConfig> fieldConfigs() {
  return {
      {"kubeadm-ha-considerations.conf", {}},
      {"osixia-docker-keepalived.conf",
       {at("10:3", "'default_interface' is not supported by vipd yet")}},
      {"kube-keepalived-vip.conf",
       {at("11:3", "'vrrp_iptables' is not supported by vipd yet"),
        at("52:1", "'virtual_server' is not supported by vipd, ignored"),
        at("29:5", "vips always tracks its own interface eth0; track_interface entry ignored")}},
      {"hetzner-robot-failover.conf",
       {at("12:19", "auth_pass is longer than 8 bytes; only the first 8 are used"),
        at("4:1", "LB_1 has no virtual_ipaddress")}},
      {"kolla-ansible-loadbalancer.conf",
       {at("37:19", "auth_pass is longer than 8 bytes; only the first 8 are used")}},
      {"keepalived-hcloud.conf",
       {at("34:16", "extra words after 'state' ignored, starting at 'priority'"),
        at("31:1", "VI_ingress-node-1-1_198.51.100.77 has no virtual_ipaddress")}},
      {"canonical-keepalived-vrrp-operator.conf", {}},
      {"evrardjp-ansible-keepalived.conf",
       {at("57:3", "'smtp_alert' is not supported by vipd, ignored"),
        at("26:17", "preempt_delay is not allowed with nopreempt; ignored"),
        at("18:1",
           "has no_accept: keepalived would drop all traffic to the VIPs while this "
           "node is MASTER"),
        at("48:5",
           "track_script haproxy_check_script names no vrrp_script or vipd_check; ignored")}},
      {"digitalocean-floating-ip.conf", {at("13:1", "VI_1 has no virtual_ipaddress")}},
      {"keepalived-operator-spread-vips.conf", {}, 3},
      {"keepalived-operator-spread-vips.conf", {}, 3, "keepalived-group-abcde"},
      {"vrrp-lab-alanhohn.conf", {}},
      {"ubuntu22-haproxy-node01.conf",
       {at("7:5", "'notification_email' is not supported by vipd, ignored"),
        at("10:5", "'notification_email_from' is not supported by vipd, ignored")}},
      {"haproxy-keepalived-docker.conf",
       {at("12:5", "nopreempt does not work with state MASTER; ignored")}},
  };
}

class FieldConfigTest : public ::testing::TestWithParam<FieldConfig> {
 protected:
  ParseResult parse() const {
    return parseFile(kFieldDir + "/" + GetParam().file, testing::options(GetParam().configId));
  }
};

TEST_P(FieldConfigTest, ParsesWithExactlyTheListedWarnings) {
  const ParseResult result = parse();
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(testing::messages(result));
  EXPECT_EQ(result.config->instances.size(), GetParam().instances);
  const std::string prefix = kFieldDir + "/" + GetParam().file + ":";
  std::vector<std::string> actual;
  for (const Diagnostic& d : result.diagnostics) {
    EXPECT_EQ(d.severity, Severity::Warning) << format(d);
    std::string text = format(d);
    if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
    actual.push_back(text);
  }
  const auto& expected = GetParam().warnings;
  ASSERT_EQ(actual.size(), expected.size()) << ::testing::PrintToString(actual);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const std::string where = expected[i].substr(0, expected[i].find(": "));
    const std::string text = expected[i].substr(where.size() + 2);
    EXPECT_EQ(actual[i].rfind(where + ": warning: ", 0), 0u) << actual[i];
    EXPECT_NE(actual[i].find(text), std::string::npos) << actual[i] << "\n  lacks: " << text;
  }
}

INSTANTIATE_TEST_SUITE_P(Public, FieldConfigTest, ::testing::ValuesIn(fieldConfigs()),
                         [](const ::testing::TestParamInfo<FieldConfig>& param) {
                           std::string name = param.param.file + "_" + param.param.configId;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

ParseResult parseField(const std::string& file, const std::string& configId = "lb1") {
  return parseFile(kFieldDir + "/" + file, testing::options(configId));
}

// `state MASTER priority 200` on one line: keepalived reads only the state, so
// the instance is MASTER without a priority, which makes it the address owner.
TEST(FieldConfigValuesTest, StateAndPriorityOnOneLineGiveTheOwnerPriority) {
  const ParseResult result = parseField("keepalived-hcloud.conf");
  ASSERT_TRUE(result.ok());
  const VrrpInstance& vi = result.config->instances.at(0);
  EXPECT_EQ(vi.initialState, InitialState::Master);
  EXPECT_EQ(vi.priority, 255);
  EXPECT_TRUE(vi.isUnicast());
  ASSERT_TRUE(vi.notify.master);
  EXPECT_EQ(vi.notify.master->argv,
            (std::vector<std::string>{"/scripts/assign-floating-ip.sh", "198.51.100.77"}));
}

// keepalived-operator gives each pod its side with @POD / @^POD lines.
TEST(FieldConfigValuesTest, ConditionalLinesPickEachPodsStateAndPriority) {
  const ParseResult owner =
      parseField("keepalived-operator-spread-vips.conf", "keepalived-group-abcde");
  const ParseResult other =
      parseField("keepalived-operator-spread-vips.conf", "keepalived-group-fghij");
  ASSERT_TRUE(owner.ok());
  ASSERT_TRUE(other.ok());
  const VrrpInstance& first = owner.config->instances.at(0);
  EXPECT_EQ(first.name, "shop/web/192.0.2.201");
  EXPECT_EQ(first.initialState, InitialState::Master);
  EXPECT_EQ(first.priority, 200);
  EXPECT_EQ(owner.config->instances.at(1).priority, 100);
  EXPECT_EQ(other.config->instances.at(0).priority, 100);
  EXPECT_EQ(other.config->instances.at(1).initialState, InitialState::Master);
  EXPECT_EQ(other.config->instances.at(1).priority, 200);
  // No state and no priority: BACKUP with 100.
  EXPECT_EQ(owner.config->instances.at(2).priority, 100);
  EXPECT_EQ(owner.config->instances.at(2).initialState, InitialState::Backup);
}

TEST(FieldConfigValuesTest, KubeKeepalivedVipUsesVersion3Unicast) {
  const ParseResult result = parseField("kube-keepalived-vip.conf");
  ASSERT_TRUE(result.ok());
  const VrrpInstance& vi = result.config->instances.at(0);
  EXPECT_EQ(vi.version, 3);
  EXPECT_FALSE(vi.preempt);
  EXPECT_EQ(vi.unicastPeers.size(), 2u);
  EXPECT_EQ(vi.virtualAddresses.size(), 2u);
  EXPECT_TRUE(vi.trackInterfaces.empty());
}

TEST(FieldConfigValuesTest, UnquotedNotifyCommandIsTheWholeProgram) {
  const ParseResult result = parseField("digitalocean-floating-ip.conf");
  ASSERT_TRUE(result.ok());
  const VrrpInstance& vi = result.config->instances.at(0);
  ASSERT_TRUE(vi.notify.master);
  EXPECT_EQ(vi.notify.master->argv, (std::vector<std::string>{"/etc/keepalived/master.sh"}));
  EXPECT_FALSE(vi.notify.master->user);
}

TEST(FieldConfigValuesTest, ExcludedAddressesMayBeOfTheOtherFamily) {
  const ParseResult result = parseField("evrardjp-ansible-keepalived.conf");
  ASSERT_TRUE(result.ok());
  const VrrpInstance& vi = result.config->instances.at(0);
  EXPECT_FALSE(vi.accept);
  EXPECT_FALSE(vi.preempt);
  EXPECT_EQ(vi.preemptDelay.count(), 0);
  ASSERT_EQ(vi.excludedAddresses.size(), 1u);
  EXPECT_TRUE(vi.excludedAddresses[0].address.isV6());
  EXPECT_EQ(vi.excludedAddresses[0].device, "bond0");
}

}  // namespace
}  // namespace vipd::config
