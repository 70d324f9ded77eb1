// dumpConfig(): the exact canonical text of a small configuration, and the
// round trip parse(dump(parse(x))) == parse(x) with dump idempotent, over the
// test configurations, Debian's keepalived samples and generated configs.

#include "vipd/config/dump.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>

#include "config_test_data.h"
#include "config_test_support.h"

namespace vipd::config {
namespace {

using testing::messages;

using testing::kDataDir;

void clearLocations(NotifyScripts& n) {
  for (auto* script :
       {&n.master, &n.backup, &n.fault, &n.stop, &n.generic, &n.deleted, &n.masterRxLowerPri}) {
    if (*script) (*script)->where = {};
  }
}

void clearLocations(std::vector<TrackedObject>& list) {
  for (TrackedObject& t : list) t.where = {};
}

void clearLocations(GlobalDefs& g) {
  for (auto* fifo : {&g.notifyFifo, &g.vrrpNotifyFifo}) {
    if (*fifo) (*fifo)->where = {};
  }
  for (InterfaceDelays& d : g.interfaceDelays) d.where = {};
  for (VirtualAddress& a : g.staticAddresses) a.where = {};
}

void clearLocations(VrrpInstance& instance) {
  instance.where = {};
  instance.sourceWhere = {};
  for (VirtualAddress& a : instance.virtualAddresses) a.where = {};
  for (VirtualAddress& a : instance.excludedAddresses) a.where = {};
  for (UnicastPeer& p : instance.unicastPeers) p.where = {};
  for (VirtualRoute& r : instance.virtualRoutes) r.where = {};
  for (VirtualRule& r : instance.virtualRules) r.where = {};
  clearLocations(instance.trackInterfaces);
  clearLocations(instance.trackScripts);
  clearLocations(instance.trackFiles);
  clearLocations(instance.trackProcesses);
  clearLocations(instance.notify);
}

void clearLocations(SyncGroup& group) {
  group.where = {};
  clearLocations(group.trackInterfaces);
  clearLocations(group.trackScripts);
  clearLocations(group.trackFiles);
  clearLocations(group.trackProcesses);
  clearLocations(group.notify);
}

/// A copy with every SourceLocation cleared: models parsed from different
/// text differ only there.
Config withoutLocations(Config config) {
  clearLocations(config.global);
  for (VrrpInstance& instance : config.instances) clearLocations(instance);
  for (VrrpScript& script : config.scripts) script.where = {};
  for (TrackFile& file : config.trackFiles) file.where = {};
  for (TrackProcess& process : config.trackProcesses) process.where = {};
  for (SyncGroup& group : config.syncGroups) clearLocations(group);
  for (GarpGroup& group : config.garpGroups) group.where = {};
  for (VirtualRoute& r : config.staticRoutes) r.where = {};
  for (VirtualRule& r : config.staticRules) r.where = {};
  return config;
}

/// The messages of the warnings, without their locations (which the dump changes).
std::set<std::string> warningMessages(const ParseResult& result) {
  std::set<std::string> out;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity == Severity::Warning) out.insert(d.message);
  }
  return out;
}

/// Dumps the model of `parsed`, parses the dump and checks that it gives back
/// the same model and the same dump, with no warning that `parsed` did not
/// have (the dump may have fewer: it drops what was ignored and spells
/// deprecated keywords the current way). Returns the dump.
std::string expectRoundTrip(const ParseResult& parsed) {
  const Config& config = *parsed.config;
  const std::string dumped = dumpConfig(config);
  const ParseResult again = parseString(dumped, "dump.conf", testing::options());
  EXPECT_TRUE(again.ok()) << dumped << ::testing::PrintToString(messages(again));
  if (!again.ok()) return dumped;
  EXPECT_TRUE(withoutLocations(*again.config) == withoutLocations(config))
      << "the dump parses to a different model:\n"
      << dumped;
  EXPECT_EQ(dumpConfig(*again.config), dumped);
  const std::set<std::string> before = warningMessages(parsed);
  for (const std::string& warning : warningMessages(again)) {
    EXPECT_TRUE(before.contains(warning)) << "new warning: " << warning << "\n" << dumped;
  }
  return dumped;
}

TEST(DumpConfigTest, WritesEveryValueExplicitlyInCanonicalForm) {
  const ParseResult result = testing::parse(R"(
global_defs {
  router_id lb1
  script_user keepalived_script
  enable_script_security
  vrrp_notify_fifo /run/vipd.fifo root
  vrrp_notify_fifo_script "/usr/bin/logger -t 'vrrp event'"
  vrrp_startup_delay 2.5
}
interface_up_down_delays {
  eth0 0.5
}
garp_group {
  garp_interval 0.01
  interface eth0
}
vrrp_script chk_web {
  script "/usr/bin/curl -sf 'http://localhost/'"
  interval 2
  weight -20 reverse
  fall 3
  init_fail
}
track_file tf_maint {
  file /run/maint
  init_file 0 overwrite
}
vrrp_sync_group SG_1 {
  group {
    VI_1
  }
  track_file {
    tf_maint weight 0
  }
  sync_group_tracking_weight
  notify "/etc/vipd/group.sh"
}
vrrp_instance VI_1 {
  state MASTER
  interface eth0
  virtual_router_id 51
  priority 150
  advert_int 0.05
  version 3
  virtual_ipaddress {
    192.0.2.10/24 dev eth0 label eth0:vip
  }
  unicast_src_ip 192.0.2.1
  unicast_peer {
    192.0.2.2 max_ttl 64
  }
  track_script {
    chk_web weight -20
  }
  notify_master "/etc/vipd/notify.sh 'two words'" root
}
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_EQ(dumpConfig(*result.config), R"(global_defs {
    router_id lb1
    vrrp_version 2
    vrrp_mcast_group4 224.0.0.18
    vrrp_mcast_group6 ff02::12
    vrrp_garp_master_delay 5
    vrrp_garp_master_repeat 5
    vrrp_garp_master_refresh 0
    vrrp_garp_master_refresh_repeat 1
    vrrp_garp_lower_prio_delay 5
    vrrp_garp_lower_prio_repeat 5
    vrrp_garp_interval 0
    vrrp_gna_interval 0
    vrrp_down_timer_adverts 3
    vrrp_lower_prio_no_advert false
    vrrp_higher_prio_send_advert false
    vrrp_notify_priority_changes false
    v3_checksum_as_v2 false
    v3_checksum_follow_peers false
    vrrp_priority 0
    vmac_prefix vrrp
    script_user keepalived_script
    enable_script_security
    vrrp_notify_fifo /run/vipd.fifo root
    vrrp_notify_fifo_script "/usr/bin/logger -t 'vrrp event'"
    vrrp_startup_delay 2.5
}

interface_up_down_delays {
    eth0 0.5 0
}

garp_group {
    garp_interval 0.01
    interfaces {
        eth0
    }
}

vrrp_script chk_web {
    script "/usr/bin/curl -sf http://localhost/"
    interval 2
    timeout 2
    weight -20 reverse
    rise 1
    fall 3
    init_fail
}

track_file tf_maint {
    file /run/maint
    weight 1
    init_file 0 overwrite
}

vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 0.05
    version 3
    strict_mode false
    preempt
    preempt_delay 0
    accept
    unicast_src_ip 192.0.2.1
    unicast_peer {
        192.0.2.2 min_ttl 0 max_ttl 64
    }
    unicast_ttl 255
    check_unicast_src
    virtual_ipaddress {
        192.0.2.10/24 dev eth0 label eth0:vip
    }
    garp_master_delay 5
    garp_master_repeat 5
    garp_master_refresh 0
    garp_master_refresh_repeat 1
    garp_lower_prio_delay 5
    garp_lower_prio_repeat 5
    down_timer_adverts 3
    lower_prio_no_advert false
    higher_prio_send_advert false
    skip_check_adv_addr false
    v3_checksum_as_v2 false
    v3_checksum_follow_peers false
    track_script {
        chk_web weight -20
    }
    notify_master "/etc/vipd/notify.sh 'two words'" "root"
}

vrrp_sync_group SG_1 {
    group {
        VI_1
    }
    track_file {
        tf_maint weight 0
    }
    sync_group_tracking_weight
    notify "/etc/vipd/group.sh"
}
)");
  expectRoundTrip(result);
}

TEST(DumpConfigTest, QuotesWordsTheLexerWouldOtherwiseSplitOrInterpret) {
  const ParseResult result = testing::parse(R"(
global_defs {
  router_id "lb 1#a"
}
vrrp_script "includer" {
  script "/bin/echo it\\\'s '' 'a b' '\\\\x' \044_HASH"
}
track_file "tf#1" {
  file "/run/my file"
}
vrrp_sync_group "SG {1}" {
  group {
    "VI {1}"
  }
}
vrrp_instance "VI {1}" {
  interface "e#0"
  virtual_router_id 1
  virtual_ipaddress {
    192.0.2.10
  }
  track_script {
    "includer" weight 5
  }
  notify "/bin/sh -c 'echo \044_HASH \"x\" \\ ${HOME}'\t#" "a user"
}
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  const VrrpInstance& vi = result.config->instances.at(0);
  EXPECT_EQ(vi.notify.generic->command, "/bin/sh -c 'echo $_HASH \"x\" \\ ${HOME}'\t#");
  const std::vector<std::string> argv = {"/bin/echo", "it's", "", "a b", "\\x", "$_HASH"};
  EXPECT_EQ(result.config->scripts.at(0).argv, argv);
  const std::string dumped = expectRoundTrip(result);
  EXPECT_NE(dumped.find("router_id \"lb 1#a\"\n"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("vrrp_instance \"VI {1}\" {\n"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("\"includer\" weight 5\n"), std::string::npos) << dumped;
  // argv words are single-quoted for the command split, then escaped for the line split.
  EXPECT_NE(dumped.find(R"(script "/bin/echo 'it\134's' '' 'a b' '\134\134x' \044_HASH")"),
            std::string::npos)
      << dumped;
  EXPECT_NE(dumped.find("file \"/run/my file\"\n"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("vrrp_sync_group \"SG {1}\" {\n    group {\n        \"VI {1}\"\n"),
            std::string::npos)
      << dumped;
  EXPECT_NE(dumped.find(
                R"(notify "/bin/sh -c 'echo \044_HASH \042x\042 \134 \044{HOME}'\011#" "a user")"),
            std::string::npos)
      << dumped;
}

TEST(DumpConfigTest, WritesVipdChecksWithEveryProbeValue) {
  const ParseResult result = testing::parse(R"(
vipd_check chk_web {
  HTTP_GET {
    url {
      path "/health#x"
      status_code 200 300-399
      digest 9B3A0C85A887A256D6939DA88AABD8CD
      virtualhost "www.example.com"
    }
    url {
      path /
    }
    connect_ip 192.0.2.10
    connect_port 8080
    bindto 192.0.2.1
    connect_timeout 0.5
    virtualhost example.com
  }
  weight -20
  fall 2
}
vipd_check chk_tcp {
  TCP_CHECK {
    connect_ip 2001:db8::10
    connect_port 22
    retry 0
  }
  interval 3
  timeout 2
  init_fail
}
)" + testing::instance("track_script {\n chk_web\n chk_tcp\n}"));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  const std::string dumped = expectRoundTrip(result);
  EXPECT_NE(dumped.find(R"(vipd_check chk_web {
    HTTP_GET {
        connect_ip 192.0.2.10
        connect_port 8080
        bindto 192.0.2.1
        connect_timeout 0.5
        retry 1
        delay_before_retry 3
        virtualhost example.com
        url {
            path "/health#x"
            status_code 200 300-399
            digest 9b3a0c85a887a256d6939da88aabd8cd
            virtualhost www.example.com
        }
        url {
            path /
            status_code 200-299
        }
    }
    interval 1
    timeout 1
    weight -20
    rise 1
    fall 2
}

vipd_check chk_tcp {
    TCP_CHECK {
        connect_ip 2001:db8::10
        connect_port 22
        connect_timeout 5
        retry 0
        delay_before_retry 1
    }
    interval 3
    timeout 2
    weight 0
    rise 1
    fall 1
    init_fail
}
)"),
            std::string::npos)
      << dumped;
}

// vrrp_min_garp leaves garp_master_refresh_repeat at 0, which no explicit
// keyword can state (0 reads as 1).
TEST(DumpConfigTest, TrackProcessIsWrittenInTheOrderTheParserChecksIt) {
  const ParseResult result = testing::parse(R"(
vrrp_track_process web {
  quorum_max 4
  delay 0.5
  process "/usr/sbin/my daemon" -c "/etc/a b.conf"
  param_match partial
  quorum 2
  weight -3 reverse
}
vrrp_track_process none {
  process bad
  quorum_max 0
}
)" + testing::instance("track_process {\n web weight 2\n none\n}"));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  const std::string dumped = dumpConfig(*result.config);
  EXPECT_NE(dumped.find(R"(vrrp_track_process web {
    process "/usr/sbin/my daemon" -c "/etc/a b.conf"
    param_match partial
    full_command
    weight -3 reverse
    quorum 2
    quorum_max 4
    fork_delay 0.5
    terminate_delay 0.5
}

vrrp_track_process none {
    process bad
    weight 0
    quorum_max 0
}
)"),
            std::string::npos)
      << dumped;
  EXPECT_NE(dumped.find("    track_process {\n        web weight 2\n        none\n    }\n"),
            std::string::npos)
      << dumped;
  expectRoundTrip(result);
}

TEST(DumpConfigTest, ZeroRefreshRepeatIsWrittenAsMinGarp) {
  const ParseResult result =
      testing::parse("global_defs {\n vrrp_min_garp\n}\n" + testing::instance(""));
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.config->instances.at(0).garpMasterRefreshRepeat, 0u);
  const std::string dumped = expectRoundTrip(result);
  EXPECT_NE(dumped.find("    vrrp_min_garp\n"), std::string::npos);
  EXPECT_EQ(dumped.find("refresh_repeat"), std::string::npos);
}

TEST(DumpConfigTest, StaticAddressesAreParsedAndWrittenAsTheirOwnBlock) {
  const ParseResult result = testing::parse(
      "static_ipaddress {\n 198.51.100.1/24 dev eth1 scope link\n 203.0.113.7\n}\n"
      "static_ipaddress {\n 2001:db8:1::1/64 dev eth1 -nodad\n}\n" +
      testing::instance(""));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  const auto& list = result.config->global.staticAddresses;
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].address.toString(), "198.51.100.1");
  EXPECT_EQ(list[0].prefixLength, 24);
  EXPECT_EQ(list[0].device, "eth1");
  EXPECT_EQ(list[0].scope, AddressScope::Link);
  EXPECT_EQ(list[1].prefixLength, 32);
  EXPECT_EQ(list[1].device, std::nullopt);
  EXPECT_TRUE(list[2].noDad);
  EXPECT_EQ(list[2].where.line, 6u);
  const std::string dumped = expectRoundTrip(result);
  EXPECT_NE(dumped.find("static_ipaddress {\n"
                        "    198.51.100.1/24 dev eth1 scope link\n"
                        "    203.0.113.7/32\n"
                        "    2001:db8:1::1/64 dev eth1 -nodad preferred_lft forever\n"
                        "}\n"),
            std::string::npos)
      << dumped;
}

// Values keepalived derives must come back the same when written explicitly.
TEST(DumpConfigTest, DerivedValuesSurviveTheRoundTrip) {
  const ParseResult result =
      testing::parse("global_defs {\n vrrp_strict\n}\n" +
                     testing::instance("state MASTER\nnopreempt\ngarp_lower_prio_repeat 3") +
                     "vrrp_instance VI_6 {\n interface eth0\n virtual_router_id 52\n priority 200\n"
                     " virtual_ipaddress {\n  fe80::1\n  2001:db8::1/64\n }\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  const VrrpInstance& owner = result.config->instances.at(0);
  EXPECT_EQ(owner.priority, 255);
  EXPECT_TRUE(owner.preempt);
  EXPECT_TRUE(owner.accept);
  EXPECT_EQ(owner.garpLowerPrioRepeat, 0u);
  const VrrpInstance& v6 = result.config->instances.at(1);
  EXPECT_FALSE(v6.accept);
  EXPECT_EQ(v6.virtualAddresses.at(0).preferredLifetime, 0u);
  EXPECT_EQ(v6.virtualAddresses.at(1).preferredLifetime, VirtualAddress::kForever);
  expectRoundTrip(result);
}

/// Writes random but mostly valid configurations: every keyword the dump
/// writes, with values and spellings (quoting, escapes, optional BOOLs) that
/// exercise its rules. Deterministic for a seed (mt19937 and `%` only).
class ConfigGenerator {
 public:
  explicit ConfigGenerator(std::uint32_t seed) : rng_(seed) {}

  std::string config() {
    std::string text = globalDefs();
    if (chance(25)) text += interfaceDelays();
    for (std::uint32_t n = chance(70) ? 0 : 1 + below(2); n > 0; --n) text += garpGroup();
    const std::uint32_t count = 1 + below(3);
    for (std::uint32_t k = 0; k < count; ++k) text += instance(k);
    if (chance(40)) text += syncGroups();
    if (chance(20)) scripts_.insert("chk_unused");
    // Written last: the parser resolves the names only once everything is read.
    for (const std::string& name : scripts_) text += vrrpScript(name);
    for (const std::string& name : files_) text += trackFile(name);
    for (const std::string& name : processes_) text += trackProcess(name);
    return text;
  }

 private:
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }
  bool chance(std::uint32_t percent) { return below(100) < percent; }
  std::string number(std::uint32_t min, std::uint32_t max) {
    return std::to_string(min + below(max - min + 1));
  }
  std::string pick(std::initializer_list<const char*> options) {
    return *(options.begin() + below(static_cast<std::uint32_t>(options.size())));
  }
  std::string optionalBool() { return pick({"", "true", "false", "on", "off", "yes", "no"}); }
  std::string weight(std::int32_t range) {
    const auto span = static_cast<std::uint32_t>(2 * range + 1);
    return std::to_string(static_cast<std::int32_t>(below(span)) - range);
  }

  /// `keyword VALUE` on a line of its own, `percent` of the time.
  void maybe(std::string& text, std::uint32_t percent, const std::string& keyword,
             const std::string& value) {
    if (chance(percent)) text += "  " + keyword + (value.empty() ? "" : " " + value) + "\n";
  }

  std::string globalDefs() {
    std::string t = "global_defs {\n";
    maybe(t, 30, "router_id", pick({"lb1", "\"lb 1\"", "node-7", "\"a#b\""}));
    maybe(t, 30, "vrrp_version", number(2, 3));
    maybe(t, 20, "vrrp_mcast_group4", "224.0.0." + number(18, 250));
    maybe(t, 20, "vrrp_mcast_group6", pick({"ff02::12", "ff02::1:2", "ff05::99"}));
    maybe(t, 30, "vrrp_garp_master_delay", number(0, 20));
    maybe(t, 30, "vrrp_garp_master_repeat", number(0, 10));
    maybe(t, 30, "vrrp_garp_master_refresh", number(0, 100));
    maybe(t, 30, "vrrp_garp_master_refresh_repeat", number(0, 5));
    maybe(t, 30, "vrrp_garp_lower_prio_delay", number(0, 20));
    maybe(t, 30, "vrrp_garp_lower_prio_repeat", number(0, 10));
    maybe(t, 30, "vrrp_garp_interval", pick({"0", "0.001", "0.25", "0.000001", "2"}));
    maybe(t, 30, "vrrp_gna_interval", pick({"0", "0.002", "0.5", "1.000001"}));
    maybe(t, 30, "vrrp_min_garp", optionalBool());
    maybe(t, 30, "vrrp_down_timer_adverts", number(1, 100));
    maybe(t, 30, "vrrp_lower_prio_no_advert", optionalBool());
    maybe(t, 30, "vrrp_higher_prio_send_advert", optionalBool());
    maybe(t, 30, "vrrp_notify_priority_changes", optionalBool());
    maybe(t, 25, "vrrp_notify_timeout", pick({"1", "10", "30", "1000"}));
    maybe(t, 20, "vrrp_skip_check_adv_addr", "");
    maybe(t, 20, "vrrp_check_unicast_src", "");
    maybe(t, 15, "v3_checksum_as_v2", optionalBool());
    maybe(t, 15, "v3_checksum_follow_peers", optionalBool());
    maybe(t, 5, "vrrp_strict", "");
    maybe(t, 30, "vrrp_priority", std::to_string(static_cast<int>(below(40)) - 20));
    maybe(t, 20, "vmac_prefix", pick({"vrrp", "vm", "\"v#\""}));
    maybe(t, 25, "script_user", pick({"root", "nobody nogroup", "\"my user\" \"a group\""}));
    maybe(t, 20, "enable_script_security", "");
    fifo(t, "notify_fifo");
    fifo(t, "vrrp_notify_fifo");
    maybe(t, 20, "vrrp_startup_delay", pick({"0", "5", "0.5", "90"}));
    return t + "}\n";
  }

  /// `KEYWORD PATH [USER [GROUP]]` and its reader, each maybe (a reader
  /// without its FIFO is ignored with a warning).
  void fifo(std::string& t, const std::string& keyword) {
    maybe(t, 25, keyword, pick({"/run/vipd.fifo", "\"/run/my fifo\" root", "/run/f root wheel"}));
    maybe(t, 25, keyword + "_script", notify());
  }

  /// An interface given twice overrides the first line.
  std::string interfaceDelays() {
    std::string t = "interface_up_down_delays {\n";
    for (std::uint32_t n = 1 + below(3); n > 0; --n) {
      t += "  " + pick({"eth0", "eth1", "\"e#0\""}) + " " + pick({"0", "5", "0.5"});
      if (chance(50)) t += " " + pick({"0", "255", "0.000001"});
      t += "\n";
    }
    return t + "}\n";
  }

  std::string garpGroup() {
    std::string t = "garp_group {\n";
    maybe(t, 70, "garp_interval", pick({"0", "0.001", "0.5", "1"}));
    maybe(t, 50, "gna_interval", pick({"0.002", "0.25", "2"}));
    if (chance(50)) {
      maybe(t, 100, "interface", pick({"eth0", "eth1"}));
    } else {
      t += block("interfaces", {"    eth0 eth1\n", "    \"e#0\"\n"});
    }
    return t + "}\n";
  }

  /// One group of all instances, or two that split them.
  std::string syncGroups() {
    const auto size = static_cast<std::uint32_t>(instances_.size());
    const std::uint32_t split = size > 1 && chance(50) ? 1 + below(size - 1) : size;
    std::string t = syncGroup("SG_1", 0, split);
    if (split < size) t += syncGroup("\"sg 2\"", split, size);
    return t;
  }

  std::string syncGroup(const std::string& name, std::uint32_t from, std::uint32_t to) {
    std::vector<std::string> members;
    for (std::uint32_t k = from; k < to; ++k) members.push_back("    " + instances_[k] + "\n");
    std::string t = "vrrp_sync_group " + name + " {\n" + block("group", members);
    if (chance(30)) t += block("track_interface", {tracked("sg_eth", 253)});
    if (chance(30)) {
      scripts_.insert("chk_sg");
      t += block("track_script", {tracked("chk_sg", 253)});
    }
    if (chance(30)) {
      files_.insert("tf1");
      t += block("track_file", {tracked("tf1", 254)});
    }
    if (chance(30)) {
      processes_.insert("tp_sg");
      t += block("track_process", {tracked("tp_sg", 254)});
    }
    maybe(t, 40, pick({"sync_group_tracking_weight", "global_tracking"}), "");
    maybe(t, 30, "notify_priority_changes", optionalBool());
    maybe(t, 25, "notify_timeout", pick({"2", "10", "60"}));
    for (const char* keyword :
         {"notify_master", "notify_backup", "notify_fault", "notify_stop", "notify"}) {
      maybe(t, 20, keyword, "/usr/local/bin/sg_notify.sh" + pick({"", " root"}));
    }
    return t + "}\n";
  }

  std::string vrrpScript(const std::string& name) {
    if (chance(30)) return vipdCheck(name);
    std::string t = "vrrp_script " + name + " {\n";
    maybe(t, 100, "script",
          pick({"/usr/bin/true", "\"/bin/check arg1 'two words'\"", "\"/bin/sh -c 'exit 0'\"",
                R"("/bin/echo it\\\'s '' \\\\x")", R"("/x\ttab \044_HASH ${HOME}")",
                "\"'/opt/my scripts/chk'\"", "/usr/bin/true extra"}));
    maybe(t, 40, "interval", number(0, 10));
    maybe(t, 40, "timeout", number(0, 30));
    maybe(t, 50, "weight", weight(253) + (chance(30) ? " reverse" : ""));
    maybe(t, 30, "rise", number(1, 5));
    maybe(t, 30, "fall", number(1, 5));
    maybe(t, 25, "user", pick({"nobody", "nobody nogroup", "\"my user\""}));
    maybe(t, 20, "init_fail", "");
    return t + "}\n";
  }

  /// A vipd_check with a TCP_CHECK or an HTTP_GET of one or two urls.
  std::string vipdCheck(const std::string& name) {
    const bool http = chance(50);
    std::string probe = http ? "  HTTP_GET {\n" : "  TCP_CHECK {\n";
    const bool v6 = chance(30);
    maybe(probe, 100, "connect_ip",
          v6 ? "2001:db8::" + number(1, 99) : "192.0.2." + number(1, 250));
    maybe(probe, 100, "connect_port", number(1, 65535));
    maybe(probe, 20, "bindto", v6 ? "2001:db8::1" : "192.0.2.1");
    maybe(probe, 40, "connect_timeout", pick({"1", "0.5", "2.25", "0.000001"}));
    maybe(probe, 40, "retry", number(0, 3));
    maybe(probe, 40, "delay_before_retry", pick({"0", "1", "0.1", "3"}));
    if (http) {
      maybe(probe, 30, "virtualhost", pick({"example.com", "\"a#b\""}));
      for (std::uint32_t n = 1 + below(2); n > 0; --n) {
        std::string url = "  url {\n";
        maybe(url, 100, "path", pick({"/", "/health", "\"/x?a=1#f\""}));
        maybe(url, 50, "status_code", pick({"200", "200-299 301", "100 599", "204 200-204"}));
        maybe(url, 30, "digest",
              pick({"9b3a0c85a887a256d6939da88aabd8cd", "D41D8CD98F00B204E9800998ECF8427E"}));
        maybe(url, 20, "virtualhost", "www.example.com");
        probe += url + "  }\n";
      }
    }
    std::string t = "vipd_check " + name + " {\n" + probe + "  }\n";
    maybe(t, 40, "interval", number(1, 10));
    maybe(t, 40, "timeout", number(1, 30));
    maybe(t, 50, "weight", weight(253) + (chance(30) ? " reverse" : ""));
    maybe(t, 30, "rise", number(1, 5));
    maybe(t, 30, "fall", number(1, 5));
    maybe(t, 20, "init_fail", "");
    return t + "}\n";
  }

  std::string trackFile(const std::string& name) {
    std::string t = (chance(20) ? "vrrp_track_file " : "track_file ") + name + " {\n";
    maybe(t, 100, "file", pick({"/run/tf", "\"/run/my file\"", "\"/tmp/a#b\""}));
    maybe(t, 40, "weight", weight(254) + (chance(30) ? " reverse" : ""));
    maybe(t, 40, "init_file", pick({"", "5", "-3", "overwrite", "7 overwrite", "overwrite -254"}));
    return t + "}\n";
  }

  /// quorum before quorum_max, both in the order the parser accepts them.
  std::string trackProcess(const std::string& name) {
    std::string t = "vrrp_track_process " + name + " {\n";
    maybe(t, 100, "process",
          pick({"nginx", "\"/usr/sbin/my daemon\" -c \"/etc/a b.conf\"",
                "/usr/bin/python3 /opt/app.py", "\"a#b\""}));
    maybe(t, 30, "param_match", pick({"", "initial", "partial"}));
    maybe(t, 20, "full_command", "");
    maybe(t, 50, "weight", weight(254) + (chance(30) ? " reverse" : ""));
    if (chance(15)) {
      maybe(t, 100, "quorum_max", "0");
    } else {
      const std::uint32_t quorum = 1 + below(5);
      maybe(t, 40, "quorum", std::to_string(quorum));
      maybe(t, 30, "quorum_max", number(quorum, quorum + 5));
    }
    maybe(t, 25, "delay", pick({"0.5", "1", "0.000001", "3600"}));
    maybe(t, 25, "fork_delay", pick({"0.5", "2"}));
    maybe(t, 25, "terminate_delay", pick({"0.25", "10"}));
    return t + "}\n";
  }

  std::string address(bool v6) {
    if (!v6) return "192.0.2." + number(1, 250);
    return chance(50) ? "fe80::" + number(1, 999) : "2001:db8::" + number(1, 999);
  }

  std::string addressLine(bool v6) {
    const std::uint32_t full = v6 ? 128 : 32;
    const std::uint32_t length = chance(50) ? full : 8 + below(full - 7);
    std::string t = address(v6) + (chance(50) ? "/" + std::to_string(length) : "");
    const bool peer = chance(15);
    if (peer) t += " peer " + address(v6);
    if (!v6 && !peer && chance(25)) {
      t += " brd " + (length <= 30 && chance(60) ? pick({"+", "-"}) : address(false));
    }
    if (chance(30)) t += " dev " + pick({"eth0", "eth1", "\"v#1\""});
    if (!v6 && chance(25))
      t += " scope " + pick({"global", "site", "link", "host", "nowhere", "7"});
    if (!v6 && chance(20)) t += " label eth0:" + number(0, 9);
    for (const char* flag :
         {"home", "-nodad", "mngtmpaddr", "noprefixroute", "autojoin", "no_track"}) {
      if (chance(12)) t += std::string(" ") + flag;
    }
    if (chance(25))
      t += " preferred_lft " + (chance(30) ? std::string("forever") : number(0, 86400));
    return "    " + t + "\n";
  }

  std::string block(const std::string& keyword, const std::vector<std::string>& lines) {
    std::string t = "  " + keyword + " {\n";
    for (const std::string& line : lines) t += line;
    return t + "  }\n";
  }

  std::string tracked(const std::string& name, std::int32_t range) {
    std::string t = "    " + name;
    if (chance(70)) {
      t += " weight " + weight(range);
      if (chance(40)) t += pick({" reverse", " noreverse", " no_reverse"});
    }
    return t + "\n";
  }

  std::string notify() {
    std::string t = pick({"/usr/local/bin/notify.sh", "\"/usr/local/bin/notify.sh master\"",
                          "\"/bin/sh -c 'echo $HOME > /tmp/x'\"", R"("/bin/echo \"q\" \\back")",
                          "'/opt/my scripts/run.sh' arg", R"("/x\ttab \044_HASH ${HOME} #1")",
                          R"("/y $_BANG")"});
    return t + pick({"", " root", " root wheel", " \"my user\" 'a group'"});
  }

  std::string instance(std::uint32_t k) {
    const bool v6 = chance(30);
    const bool unicast = chance(30);
    instances_.push_back(chance(20) ? "\"V I#" + std::to_string(k) + "\""
                                    : "VI_" + std::to_string(k));
    std::string t = "vrrp_instance " + instances_.back() + " {\n";
    const bool source = unicast ? chance(70) : chance(20);
    if (!unicast || !source || chance(70))
      maybe(t, 100, "interface", pick({"eth0", "eth1", "\"e#0\"", "\"br{1}\"", "bond0.100"}));
    maybe(t, 100, "virtual_router_id", std::to_string(1 + k + 3 * below(80)));
    maybe(t, 40, "state", pick({"MASTER", "BACKUP"}));
    maybe(t, 50, "priority", chance(15) ? "255" : number(1, 254));
    maybe(t, 40, "advert_int", pick({"1", "2", "0.05", "0.5", "1.25", "3", "0.01", "40"}));
    maybe(t, 30, "version", number(2, 3));
    maybe(t, 30, pick({"nopreempt", "preempt"}), "");
    maybe(t, 30, "preempt_delay", pick({"0", "5", "0.5", "300", "0.000001"}));
    maybe(t, 30, pick({"accept", "no_accept"}), "");
    maybe(t, 10, "strict_mode", optionalBool());
    if (chance(30)) {
      t += block(
          "authentication",
          {"    auth_type " + pick({"PASS", "AH"}) + "\n",
           "    auth_pass " + pick({"secret", "\"pa ss\"", "longerthan8", "\"p#ss\""}) + "\n"});
    }
    std::vector<std::string> vips;
    for (std::uint32_t n = chance(10) ? 0 : 1 + below(3); n > 0; --n)
      vips.push_back(addressLine(v6));
    if (!vips.empty()) t += block("virtual_ipaddress", vips);
    std::vector<std::string> excluded;
    for (std::uint32_t n = chance(60) ? 0 : 1 + below(2); n > 0; --n)
      excluded.push_back(addressLine(chance(50)));
    if (!excluded.empty()) t += block("virtual_ipaddress_excluded", excluded);
    if (source)
      maybe(t, 100, pick({"unicast_src_ip", "mcast_src_ip"}),
            v6 ? "2001:db8:1::" + number(1, 9) : "198.51.100." + number(1, 9));
    if (unicast) {
      std::vector<std::string> peers;
      for (std::uint32_t n = 1 + below(2); n > 0; --n) {
        std::string peer =
            "    " + (v6 ? "2001:db8:2::" : std::string("203.0.113.")) + number(1, 99);
        if (chance(30)) peer += " min_ttl " + number(0, 10);
        if (chance(30)) peer += " max_ttl " + number(10, 255);
        peers.push_back(peer + "\n");
      }
      t += block("unicast_peer", peers);
    }
    maybe(t, unicast ? 40 : 5, "unicast_ttl", number(0, 255));
    maybe(t, 15, "check_unicast_src", "");
    maybe(t, 25, "garp_master_delay", number(0, 30));
    maybe(t, 25, "garp_master_repeat", number(0, 10));
    maybe(t, 25, "garp_master_refresh", number(0, 100));
    maybe(t, 25, "garp_master_refresh_repeat", number(0, 5));
    maybe(t, 25, "garp_lower_prio_delay", number(0, 30));
    maybe(t, 25, "garp_lower_prio_repeat", number(0, 10));
    maybe(t, 25, "down_timer_adverts", number(1, 100));
    maybe(t, 25, "lower_prio_no_advert", optionalBool());
    maybe(t, 25, "higher_prio_send_advert", optionalBool());
    maybe(t, 25, "skip_check_adv_addr", optionalBool());
    maybe(t, 20, "v3_checksum_as_v2", optionalBool());
    maybe(t, 20, "v3_checksum_follow_peers", optionalBool());
    maybe(t, 15, "old_unicast_checksum", pick({"", "never"}));
    maybe(t, 20, "dont_track_primary", "");
    const std::string vmac = pick({"", "vmac", "vm#"});
    maybe(t, 15, "use_vmac", vmac.empty() ? vmac : "\"" + vmac + std::to_string(k) + "\"");
    maybe(t, 15, "vmac_xmit_base", "");
    if (chance(40)) {
      t += block("track_interface", {tracked(pick({"eth2", "\"if#3\"", "eth0"}), 253)});
    }
    if (chance(40)) {
      const std::string name = pick({"chk_a", "\"chk b\"", "\"includer\"", "\"$odd\"", "\"x!y\""});
      if (chance(90)) scripts_.insert(name);
      t += block("track_script", {tracked(name, 253)});
    }
    if (chance(30)) {
      const std::string name = pick({"tf1", "\"tf 2\""});
      files_.insert(name);
      t += block("track_file", {tracked(name, 254)});
    }
    if (chance(30)) {
      const std::string name = pick({"tp1", "\"tp 2\""});
      if (chance(90)) processes_.insert(name);
      t += block("track_process", {tracked(name, 254)});
    }
    for (const char* keyword : {"notify_master", "notify_backup", "notify_fault", "notify_stop",
                                "notify", "notify_master_rx_lower_pri"}) {
      maybe(t, 25, keyword, notify());
    }
    maybe(t, 20, "notify_deleted", chance(50) ? std::string() : notify());
    maybe(t, 20, "notify_priority_changes", optionalBool());
    maybe(t, 20, "notify_timeout", pick({"1", "5", "600"}));
    return t + "}\n";
  }

  std::mt19937 rng_;
  /// As written (quoted or not), in order.
  std::vector<std::string> instances_;
  std::set<std::string> scripts_;
  std::set<std::string> files_;
  std::set<std::string> processes_;
};

TEST(DumpConfigTest, GeneratedConfigurationsRoundTripAndUseEveryKeyword) {
  std::string allDumps;
  int parsed = 0;
  constexpr std::uint32_t kCases = 400;
  for (std::uint32_t seed = 1; seed <= kCases; ++seed) {
    const std::string text = ConfigGenerator(seed).config();
    const ParseResult result = testing::parse(text);
    if (!result.ok()) continue;  // e.g. unicast in strict mode: the parser's business
    SCOPED_TRACE("seed " + std::to_string(seed) + ":\n" + text);
    allDumps += expectRoundTrip(result);
    ++parsed;
  }
  EXPECT_GE(parsed, static_cast<int>(kCases * 2 / 3));  // 304 of 400 when written
  for (const char* keyword : {"router_id ",
                              "vrrp_min_garp\n",
                              "vrrp_garp_master_refresh_repeat ",
                              "vrrp_skip_check_adv_addr\n",
                              "vrrp_check_unicast_src\n",
                              "vrrp_strict\n",
                              "vrrp_lower_prio_no_advert true",
                              "vrrp_higher_prio_send_advert true",
                              "vrrp_garp_interval 0.",
                              "vrrp_gna_interval 0.",
                              "script_user nobody nogroup\n",
                              "script_user \"my user\" \"a group\"\n",
                              "enable_script_security\n",
                              "\n    notify_fifo \"/run/my fifo\" root\n",
                              "\n    notify_fifo_script \"",
                              "vrrp_notify_fifo /run/f root wheel\n",
                              "vrrp_notify_fifo_script \"",
                              "vrrp_startup_delay 0.5\n",
                              "interface_up_down_delays {\n    ",
                              " 0.5 0.000001\n",
                              "garp_group {\n    garp_interval ",
                              "\n    gna_interval ",
                              "    interfaces {\n        eth0\n        eth1\n        \"e#0\"\n",
                              "vrrp_script chk_unused {",
                              "vrrp_script \"$odd\" {",
                              "    script \"/bin/check arg1 'two words'\"\n",
                              "    script \"/bin/echo 'it\\134's' '' '\\134\\134x'\"\n",
                              "    script \"'/opt/my scripts/chk'\"\n",
                              "    script \"/x tab \\044_HASH \\044{HOME}\"\n",
                              "    interval 10\n",
                              "    timeout 30\n",
                              "    rise 5\n",
                              "    fall 5\n",
                              "    user \"my user\"\n",
                              "    user nobody nogroup\n",
                              "    init_fail\n",
                              "track_file \"tf 2\" {",
                              "    file \"/tmp/a#b\"\n",
                              "    weight -",
                              "    init_file 7 overwrite\n",
                              "    init_file -254 overwrite\n",
                              "    init_file 0\n",
                              "vrrp_sync_group SG_1 {\n    group {\n        ",
                              "vrrp_sync_group \"sg 2\" {",
                              "\n        \"V I#",
                              "sg_eth",
                              "chk_sg",
                              "    sync_group_tracking_weight\n",
                              "sg_notify.sh\" \"root\"\n",
                              "state MASTER",
                              "state BACKUP",
                              "\n    interface ",
                              "advert_int 0.",
                              "advert_int 2\n",
                              "version 3",
                              "strict_mode true",
                              "nopreempt",
                              "preempt_delay 0.5",
                              "no_accept",
                              "auth_type PASS",
                              "auth_type AH",
                              "auth_pass \"pa ss\"",
                              "mcast_src_ip ",
                              "unicast_src_ip ",
                              "unicast_peer {",
                              " min_ttl 0 max_ttl 255",
                              "unicast_ttl ",
                              "check_unicast_src\n",
                              "virtual_ipaddress_excluded {",
                              " brd ",
                              " peer ",
                              " dev \"v#1\"",
                              " scope site",
                              " scope 7",
                              " label ",
                              " home",
                              " -nodad",
                              " mngtmpaddr",
                              " noprefixroute",
                              " autojoin",
                              " no_track",
                              " preferred_lft 0",
                              " preferred_lft forever",
                              "garp_master_refresh_repeat 5",
                              "garp_lower_prio_repeat 0",
                              "lower_prio_no_advert true",
                              "higher_prio_send_advert true",
                              "skip_check_adv_addr true",
                              "dont_track_primary",
                              "use_vmac vmac",
                              "use_vmac \"vm#",
                              "use_vmac vrrp.",
                              "vmac_xmit_base\n",
                              "vmac_prefix vm\n",
                              "vmac_prefix \"v#\"\n",
                              "track_interface {",
                              "track_script {",
                              "track_process {",
                              "vrrp_track_process \"tp 2\" {",
                              "    process \"/usr/sbin/my daemon\" -c \"/etc/a b.conf\"\n",
                              "    process \"a#b\"\n",
                              "    param_match\n",
                              "    param_match initial\n",
                              "    param_match partial\n",
                              "    full_command\n",
                              "    quorum 3\n",
                              "    quorum_max 0\n",
                              "    quorum_max 7\n",
                              "    fork_delay 0.000001\n",
                              "    fork_delay 2\n",
                              "    terminate_delay 3600\n",
                              "    terminate_delay 0.25\n",
                              "\"includer\"",
                              " reverse\n",
                              "notify_master \"",
                              "notify_backup \"",
                              "notify_fault \"",
                              "notify_stop \"",
                              "\n    notify \"",
                              "\\044_HASH",
                              "\\042q\\042 \\134back",
                              "\"my user\" \"a group\"",
                              "vrrp_notify_priority_changes true",
                              "    notify_priority_changes false\n",
                              "    notify_priority_changes true\n",
                              "vrrp_notify_timeout 30\n",
                              "    notify_timeout 60\n",
                              "    notify_timeout 600\n"}) {
    EXPECT_NE(allDumps.find(keyword), std::string::npos) << "no generated dump has " << keyword;
  }
}

void expectFileRoundTrips(const std::string& path, const std::string& configId) {
  SCOPED_TRACE(path + " with config id " + configId);
  const ParseResult result = parseFile(path, testing::options(configId));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  expectRoundTrip(result);
}

TEST(DumpConfigTest, TestConfigurationsRoundTrip) {
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kDataDir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".conf") continue;
    for (const char* id : {"lb1", "lb2"}) expectFileRoundTrips(entry.path().string(), id);
    ++files;
  }
  EXPECT_GE(files, 2);
}

/// keepalived's VRRP samples, as Debian installs them.
class DebianSampleTest : public ::testing::TestWithParam<const char*> {};

TEST_P(DebianSampleTest, RoundTrips) {
  const std::string sample = GetParam();
  const std::string path = "/usr/share/doc/keepalived/samples/" + sample;
  if (!std::filesystem::exists(path)) {
    // CI installs keepalived, so there a missing sample is a real failure.
    if (std::getenv("CI") != nullptr) FAIL() << path << " is missing";
    GTEST_SKIP() << path << " is not installed";
  }
  // Its vrrp_script has a command only under `-i high` or `-i low`.
  if (sample == "keepalived.conf.conditional_conf") {
    for (const char* id : {"high", "low"}) expectFileRoundTrips(path, id);
    return;
  }
  expectFileRoundTrips(path, "lb1");
}

INSTANTIATE_TEST_SUITE_P(
    Samples, DebianSampleTest,
    ::testing::Values("keepalived.conf.vrrp", "keepalived.conf.vrrp.scripts",
                      "keepalived.conf.vrrp.sync", "keepalived.conf.vrrp.localcheck",
                      "keepalived.conf.vrrp.routes", "keepalived.conf.vrrp.rules",
                      "keepalived.conf.vrrp.static_ipaddress", "keepalived.conf.IPv6",
                      "keepalived.conf.track_interface", "keepalived.conf.conditional_conf",
                      "keepalived.conf.sample"),
    [](const ::testing::TestParamInfo<const char*>& sample) {
      std::string name = std::string(sample.param).substr(std::string("keepalived.conf.").size());
      std::replace(name.begin(), name.end(), '.', '_');
      return name;
    });

}  // namespace
}  // namespace vipd::config
