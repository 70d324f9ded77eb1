#include "vipd/net/address_manager_types.h"

#include <gtest/gtest.h>

#include "vipd/net/address_manager_error.h"
#include "vipd/net/link_info.h"

namespace vipd::net {
namespace {

InterfaceAddress address(const char* ip, std::uint8_t prefix, int ifindex = 3) {
  InterfaceAddress a;
  a.ifindex = ifindex;
  a.address = *util::IpAddress::parse(ip);
  a.prefixLength = prefix;
  return a;
}

TEST(AddressManagerTypesTest, Ipv4IdentityIncludesThePrefixLength) {
  EXPECT_TRUE(sameAddress(address("192.0.2.1", 24), address("192.0.2.1", 24)));
  EXPECT_FALSE(sameAddress(address("192.0.2.1", 24), address("192.0.2.1", 32)));
  EXPECT_FALSE(sameAddress(address("192.0.2.1", 24), address("192.0.2.2", 24)));
  EXPECT_FALSE(sameAddress(address("192.0.2.1", 24, 3), address("192.0.2.1", 24, 4)));
}

TEST(AddressManagerTypesTest, Ipv6IdentityIsTheAddressAlone) {
  EXPECT_TRUE(sameAddress(address("2001:db8::1", 64), address("2001:db8::1", 128)));
  EXPECT_FALSE(sameAddress(address("2001:db8::1", 64), address("2001:db8::2", 64)));
}

TEST(AddressManagerTypesTest, AttributesDoNotChangeIdentity) {
  auto a = address("192.0.2.1", 24);
  auto b = a;
  b.label = "eth0:vip";
  b.scope = Scope::Host;
  b.secondary = true;
  EXPECT_TRUE(sameAddress(a, b));
  EXPECT_NE(a, b);
}

TEST(AddressManagerTypesTest, Ipv6SlashOneTwentyEightIsDeprecatedByDefaultLikeKeepalived) {
  EXPECT_EQ(effectivePreferredLifetime(address("2001:db8::1", 128)), 0u);
  EXPECT_EQ(effectivePreferredLifetime(address("2001:db8::1", 64)), kForeverLifetime);
  EXPECT_EQ(effectivePreferredLifetime(address("192.0.2.1", 32)), kForeverLifetime);
  auto explicitForever = address("2001:db8::1", 128);
  explicitForever.preferredLifetime = kForeverLifetime;
  EXPECT_EQ(effectivePreferredLifetime(explicitForever), kForeverLifetime);
}

TEST(AddressManagerTypesTest, Ipv6VipsSkipDadByDefaultLikeKeepalived) {
  EXPECT_TRUE(InterfaceAddress{}.noDad);
}

struct ValidationCase {
  const char* name;
  InterfaceAddress address;
  const char* interfaceName;
  std::error_code expected;
};

void PrintTo(const ValidationCase& c, std::ostream* os) { *os << c.name; }

class AddressValidationTest : public ::testing::TestWithParam<ValidationCase> {};

TEST_P(AddressValidationTest, RefusesWhatTheKernelOrIproute2Would) {
  const auto& c = GetParam();
  EXPECT_EQ(validateForAdd(c.address, c.interfaceName), c.expected)
      << validateForAdd(c.address, c.interfaceName).message();
}

ValidationCase withLabel(const char* name, const char* label, const char* interfaceName,
                         std::error_code expected) {
  auto a = address("192.0.2.10", 24);
  a.label = label;
  return {name, a, interfaceName, expected};
}

std::vector<ValidationCase> validationCases() {
  std::vector<ValidationCase> cases;
  cases.push_back({"PlainIpv4", address("192.0.2.10", 24), "", {}});
  cases.push_back({"PlainIpv6", address("2001:db8::10", 64), "", {}});
  cases.push_back({"ZeroIfindex", address("192.0.2.10", 24, 0), "", NetlinkErrc::InvalidIfindex});
  cases.push_back(
      {"Ipv4PrefixTooLong", address("192.0.2.10", 33), "", NetlinkErrc::InvalidPrefixLength});
  cases.push_back(
      {"Ipv6PrefixTooLong", address("2001:db8::10", 129), "", NetlinkErrc::InvalidPrefixLength});
  cases.push_back(withLabel("LabelWithInterfacePrefix", "eth0:vip", "eth0", {}));
  cases.push_back(withLabel("LabelEqualToInterface", "eth0", "eth0", {}));
  cases.push_back(
      withLabel("LabelOfAnotherInterface", "eth1:vip", "eth0", NetlinkErrc::LabelMismatch));
  cases.push_back(
      withLabel("LabelWithoutKnownInterface", "eth0:vip", "", NetlinkErrc::LabelMismatch));
  cases.push_back(
      withLabel("LabelOfSixteenCharacters", "eth0:0123456789a", "eth0", NetlinkErrc::LabelTooLong));
  cases.push_back(withLabel("LabelOfFifteenCharacters", "eth0:0123456789", "eth0", {}));
  {
    auto a = address("2001:db8::10", 64);
    a.label = "eth0:vip";
    cases.push_back({"Ipv6Label", a, "eth0", NetlinkErrc::LabelNotSupported});
  }
  {
    auto a = address("2001:db8::10", 64);
    a.broadcast = util::IpAddress::parse("2001:db8::ff");
    cases.push_back({"Ipv6Broadcast", a, "", NetlinkErrc::BroadcastNotSupported});
  }
  {
    auto a = address("192.0.2.10", 24);
    a.broadcast = util::IpAddress::parse("2001:db8::ff");
    cases.push_back({"Ipv4WithIpv6Broadcast", a, "", NetlinkErrc::BroadcastNotSupported});
  }
  {
    auto a = address("192.0.2.10", 24);
    a.broadcast = util::IpAddress::parse("192.0.2.255");
    a.scope = Scope::Host;
    cases.push_back({"Ipv4WithBroadcastAndScope", a, "", {}});
  }
  {
    auto a = address("2001:db8::10", 64);
    a.scope = Scope::Site;
    cases.push_back({"Ipv6Scope", a, "", NetlinkErrc::ScopeNotSupported});
  }
  {
    auto a = address("fe80::10", 64);
    a.scope = Scope::Link;  // as a query reports it
    cases.push_back({"Ipv6LinkLocalReadBack", a, "", {}});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cases, AddressValidationTest, ::testing::ValuesIn(validationCases()),
                         [](const auto& testInfo) { return std::string(testInfo.param.name); });

TEST(AddressManagerTypesTest, ScopeNamesRoundTrip) {
  for (Scope scope : {Scope::Global, Scope::Site, Scope::Link, Scope::Host, Scope::Nowhere}) {
    EXPECT_EQ(parseScope(scopeName(scope)), scope) << scopeName(scope);
  }
  EXPECT_EQ(parseScope("100"), static_cast<Scope>(100));
  EXPECT_EQ(scopeName(static_cast<Scope>(100)), "100");
  EXPECT_FALSE(parseScope("universe"));
  EXPECT_FALSE(parseScope("256"));
  EXPECT_FALSE(parseScope(""));
  EXPECT_FALSE(parseScope("1x"));
}

TEST(AddressManagerTypesTest, ErrorsHaveReadableMessagesAndCategories) {
  std::error_code mismatch = NetlinkErrc::LabelMismatch;
  EXPECT_STREQ(mismatch.category().name(), "vipd.netlink");
  EXPECT_EQ(mismatch.message(), "address label must start with the interface name");
  EXPECT_STREQ(libnlErrorCategory().name(), "libnl");
  EXPECT_FALSE(libnlErrorCategory().message(1).empty());
}

TEST(AddressManagerTypesTest, ToStringShowsWhatMatters) {
  auto a = address("192.0.2.10", 24);
  a.label = "eth0:vip";
  EXPECT_EQ(toString(a), "192.0.2.10/24 ifindex=3 label=eth0:vip scope=global");
  auto b = address("2001:db8::10", 128);
  b.preferredLifetime = 0;
  b.tentative = true;
  EXPECT_EQ(toString(b), "2001:db8::10/128 ifindex=3 scope=global nodad preferred_lft=0 tentative");
  LinkInfo link{2, "eth0", {0x02, 0, 0, 0, 0, 0x01}, true, false, 1500};
  EXPECT_EQ(toString(link),
            "ifindex=2 name=eth0 mac=02:00:00:00:00:01 admin=up oper=down mtu=1500");
}

}  // namespace
}  // namespace vipd::net
