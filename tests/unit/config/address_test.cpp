// Lines of virtual_ipaddress, unicast_peer and track_* blocks
// [K5 §VRRP instance(s); SRC vrrp_ipaddress.c:alloc_ipaddress, vrrp_data.c].

#include <gtest/gtest.h>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using testing::instance;
using testing::messages;
using testing::parse;

/// The instance built with `line` as its only virtual_ipaddress entry.
ParseResult withVip(const std::string& line) {
  return parse(
      "vrrp_instance VI_1 {\n"
      "interface eth0\n"
      "virtual_router_id 7\n"
      "virtual_ipaddress {\n" +
      line + "\n}\n" + "}\n");
}

VirtualAddress vip(const std::string& line) {
  const ParseResult result = withVip(line);
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  if (!result.ok()) return VirtualAddress{};
  return result.config->instances[0].virtualAddresses.at(0);
}

TEST(ConfigAddressTest, BareAddressIsAHostAddressOnTheInstanceInterface) {
  const VirtualAddress a = vip("192.0.2.10");
  EXPECT_EQ(a.address.toString(), "192.0.2.10");
  EXPECT_EQ(a.prefixLength, 32);
  EXPECT_FALSE(a.device);
  EXPECT_FALSE(a.broadcast);
  EXPECT_FALSE(a.preferredLifetime);
  EXPECT_EQ(a.where, (SourceLocation{"vipd.conf", 5, 1}));
}

TEST(ConfigAddressTest, EveryOptionIsParsed) {
  const VirtualAddress a =
      vip("192.0.2.10/24 brd 192.0.2.255 dev eth1 scope link label eth1:vip home -nodad mngtmpaddr "
          "noprefixroute autojoin no_track preferred_lft 30");
  EXPECT_EQ(a.prefixLength, 24);
  EXPECT_EQ(a.broadcast->toString(), "192.0.2.255");
  EXPECT_EQ(a.device, "eth1");
  EXPECT_EQ(a.scope, AddressScope::Link);
  EXPECT_EQ(a.label, "eth1:vip");
  EXPECT_TRUE(a.home);
  EXPECT_TRUE(a.noDad);
  EXPECT_TRUE(a.manageTempAddr);
  EXPECT_TRUE(a.noPrefixRoute);
  EXPECT_TRUE(a.autoJoin);
  EXPECT_TRUE(a.noTrack);
  EXPECT_EQ(a.preferredLifetime, 30u);
}

TEST(ConfigAddressTest, BroadcastPlusAndMinusAreComputedFromThePrefix) {
  EXPECT_EQ(vip("192.0.2.10/24 brd +").broadcast->toString(), "192.0.2.255");
  EXPECT_EQ(vip("192.0.2.10/24 broadcast -").broadcast->toString(), "192.0.2.0");
  EXPECT_EQ(vip("10.1.2.3/30 brd +").broadcast->toString(), "10.1.2.3");
}

TEST(ConfigAddressTest, ScopeAcceptsNamesAndNumbers) {
  EXPECT_EQ(vip("192.0.2.10 scope host").scope, AddressScope::Host);
  EXPECT_EQ(vip("192.0.2.10 scope 200").scope, AddressScope::Site);
}

TEST(ConfigAddressTest, PeerForcesTheFullPrefix) {
  const ParseResult result = withVip("192.0.2.10/24 peer 192.0.2.20");
  ASSERT_TRUE(result.ok());
  const VirtualAddress& a = result.config->instances[0].virtualAddresses[0];
  EXPECT_EQ(a.peer->toString(), "192.0.2.20");
  EXPECT_EQ(a.prefixLength, 32);
  EXPECT_EQ(testing::warnings(result),
            (std::vector<std::string>{
                "vipd.conf:5:1: warning: a prefix length cannot be combined with peer; ignored"}));
}

TEST(ConfigAddressTest, PreferredLifetimeForever) {
  EXPECT_EQ(vip("192.0.2.10 preferred_lft forever").preferredLifetime, VirtualAddress::kForever);
}

struct BadAddress {
  const char* line;
  const char* error;
};

TEST(ConfigAddressTest, InvalidEntriesAreErrorsAtTheOffendingWord) {
  const BadAddress cases[] = {
      {"192.0.2.300", "vipd.conf:5:1: error: expected an IP address[/prefix], got '192.0.2.300'"},
      {"192.0.2.1/33",
       "vipd.conf:5:1: error: the prefix length expects an integer 0..32, got '33'"},
      {"192.0.2.1 dev", "vipd.conf:5:11: error: 'dev' needs a value"},
      {"192.0.2.1 dev averyveryverylongname",
       "vipd.conf:5:15: error: dev expects an interface name of 1..15 characters, got "
       "'averyveryverylongname'"},
      {"192.0.2.1 brd 2001:db8::1",
       "vipd.conf:5:15: error: brd expects an IPv4 address, '+' or '-', got '2001:db8::1'"},
      {"192.0.2.1/31 brd +", "vipd.conf:5:18: error: brd + needs a prefix of /30 or shorter"},
      {"192.0.2.1 scope universe",
       "vipd.conf:5:17: error: scope expects global, site, link, host, nowhere or 0..255, got "
       "'universe'"},
      {"192.0.2.1 peer fe80::1",
       "vipd.conf:5:16: error: peer expects an address of the same family, got 'fe80::1'"},
      {"192.0.2.1 brd + peer 192.0.2.2", "vipd.conf:5:1: error: brd and peer cannot both be given"},
      {"192.0.2.1 preferred_lft sometimes",
       "vipd.conf:5:25: error: preferred_lft expects an integer 0..4294967295, got 'sometimes'"},
      {"192.0.2.1 use_vmac",
       "vipd.conf:5:11: error: use_vmac on an address (a VMAC per address) is not supported by "
       "vipd; use 'use_vmac' in the vrrp_instance"},
      {"192.0.2.1 track_group g",
       "vipd.conf:5:11: error: track_group is only for static_ipaddress"},
      {"192.0.2.1 metric 5",
       "vipd.conf:5:11: error: unknown address option 'metric' (expected brd, dev, scope, label, "
       "peer, home, -nodad, mngtmpaddr, noprefixroute, autojoin, no_track or preferred_lft)"},
      {"2001:db8::1 brd +", "vipd.conf:5:17: error: brd is only for IPv4 addresses"},
      {"2001:db8::1 scope link", "vipd.conf:5:1: error: scope is only for IPv4 addresses"},
      {"2001:db8::1 label eth0:x", "vipd.conf:5:1: error: label is only for IPv4 addresses"},
  };
  for (const BadAddress& c : cases) {
    SCOPED_TRACE(c.line);
    const ParseResult result = withVip(c.line);
    EXPECT_FALSE(result.ok());
    ASSERT_FALSE(testing::errors(result).empty());
    EXPECT_EQ(testing::errors(result).front(), c.error);
  }
}

TEST(ConfigAddressTest, StaticAddressLinesAreCheckedLikeVirtualOnesAtTheirWord) {
  const ParseResult result =
      parse("static_ipaddress {\n198.51.100.1/33 dev eth1\n198.51.100.2 track_group g\n}\n" +
            instance(""));
  EXPECT_EQ(testing::errors(result),
            (std::vector<std::string>{
                "vipd.conf:2:1: error: the prefix length expects an integer 0..32, got '33'",
                "vipd.conf:3:14: error: track_group is not supported by vipd yet"}));
}

TEST(ConfigAddressTest, UnicastPeerOptionsAreCheckedAtTheirWord) {
  const ParseResult result = parse(
      instance("unicast_src_ip 192.0.2.1\nunicast_peer {\n192.0.2.2 min_ttl 300\n192.0.2.3 ttl 5\n"
               "192.0.2.4 min_ttl 9 max_ttl 8\n}"));
  EXPECT_EQ(testing::errors(result),
            (std::vector<std::string>{
                "vipd.conf:9:19: error: min_ttl expects an integer 0..255, got '300'",
                "vipd.conf:10:11: error: unknown unicast_peer option 'ttl' (expected min_ttl or "
                "max_ttl)",
                "vipd.conf:11:1: error: unicast_peer min_ttl is greater than max_ttl"}));
}

TEST(ConfigAddressTest, TrackedEntriesTakeAnOptionalWeightAndReverse) {
  const ParseResult result =
      parse(instance("track_interface {\neth1 weight 300\neth2 weight 5 sideways\n}"));
  EXPECT_EQ(testing::errors(result),
            (std::vector<std::string>{
                "vipd.conf:8:13: error: track_interface weight expects an integer -253..253, got "
                "'300'",
                "vipd.conf:9:15: error: unexpected 'sideways' in track_interface (expected NAME "
                "[weight N [reverse]])"}));
}

TEST(ConfigAddressTest, NotifyNeedsACommand) {
  const ParseResult result = parse(instance("notify_master"));
  EXPECT_EQ(testing::errors(result),
            (std::vector<std::string>{"vipd.conf:7:1: error: 'notify_master' needs a command"}));
}

}  // namespace
}  // namespace vipd::config
