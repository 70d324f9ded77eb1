// parseNetlinkEvents() on datagrams built with libmnl, as the kernel would
// send them to an RTMGRP_LINK / RTMGRP_IPV4_IFADDR / RTMGRP_IPV6_IFADDR socket.

#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <random>
#include <vector>

#include "vipd/net/netlink_monitor_events.h"

namespace vipd::net {
namespace {

/// One netlink message, built with libmnl in an aligned buffer.
class Message {
 public:
  explicit Message(std::uint16_t type) : buffer_(1024) {
    nlh_ = mnl_nlmsg_put_header(buffer_.data());
    nlh_->nlmsg_type = type;
  }

  template <class Header>
  Message& header(const Header& h) {
    std::memcpy(mnl_nlmsg_put_extra_header(nlh_, sizeof h), &h, sizeof h);
    return *this;
  }
  Message& string(std::uint16_t type, const char* value) {
    mnl_attr_put_strz(nlh_, type, value);
    return *this;
  }
  Message& u32(std::uint16_t type, std::uint32_t value) {
    mnl_attr_put_u32(nlh_, type, value);
    return *this;
  }
  Message& binary(std::uint16_t type, const void* data, std::size_t size) {
    mnl_attr_put(nlh_, type, size, data);
    return *this;
  }
  Message& ip(std::uint16_t type, const char* text) {
    auto address = util::IpAddress::parse(text);
    EXPECT_TRUE(address) << text;
    return binary(type, address->bytes().data(), address->size());
  }

  std::vector<std::byte> bytes() const {
    const auto* begin = reinterpret_cast<const std::byte*>(nlh_);
    return {begin, begin + nlh_->nlmsg_len};
  }

 private:
  std::vector<std::uint32_t> buffer_;
  nlmsghdr* nlh_;
};

ifinfomsg linkHeader(int ifindex, unsigned flags, unsigned char family = AF_UNSPEC) {
  ifinfomsg h{};
  h.ifi_family = family;
  h.ifi_index = ifindex;
  h.ifi_flags = flags;
  return h;
}

ifaddrmsg addressHeader(int family, unsigned ifindex, std::uint8_t prefix, std::uint8_t flags = 0,
                        std::uint8_t scope = RT_SCOPE_UNIVERSE) {
  ifaddrmsg h{};
  h.ifa_family = static_cast<std::uint8_t>(family);
  h.ifa_index = ifindex;
  h.ifa_prefixlen = prefix;
  h.ifa_flags = flags;
  h.ifa_scope = scope;
  return h;
}

std::vector<std::byte> concat(std::initializer_list<std::vector<std::byte>> parts) {
  std::vector<std::byte> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

std::vector<NetEvent> netEventsIn(const std::vector<std::byte>& datagram,
                                  std::size_t* malformed = nullptr) {
  std::vector<NetEvent> events;
  std::size_t count = parseNetlinkEvents(datagram, events);
  if (malformed != nullptr) *malformed = count;
  return events;
}

Message ipv4Address(std::uint16_t type) {
  Message m(type);
  m.header(addressHeader(AF_INET, 3, 24))
      .ip(IFA_ADDRESS, "192.0.2.10")
      .ip(IFA_LOCAL, "192.0.2.10")
      .string(IFA_LABEL, "eth0:vip");
  return m;
}

TEST(NetlinkMonitorParseTest, NewLinkBecomesLinkChangedWithFlagsMtuAndMac) {
  const std::array<std::uint8_t, 6> mac{0x02, 0x00, 0x5e, 0x00, 0x01, 0x07};
  Message m(RTM_NEWLINK);
  m.header(linkHeader(7, IFF_UP | IFF_RUNNING | IFF_BROADCAST))
      .string(IFLA_IFNAME, "eth1")
      .u32(IFLA_MTU, 9000)
      .binary(IFLA_ADDRESS, mac.data(), mac.size());

  auto events = netEventsIn(m.bytes());

  ASSERT_EQ(events.size(), 1u);
  LinkInfo expected{7, "eth1", mac, true, true, 9000};
  EXPECT_EQ(events[0], NetEvent(LinkChanged{expected})) << toString(events[0]);
}

TEST(NetlinkMonitorParseTest, AdminUpWithoutRunningIsOperDown) {
  Message m(RTM_NEWLINK);
  m.header(linkHeader(7, IFF_UP)).string(IFLA_IFNAME, "eth1");

  auto events = netEventsIn(m.bytes());

  ASSERT_EQ(events.size(), 1u);
  const auto& link = std::get<LinkChanged>(events[0]).link;
  EXPECT_TRUE(link.adminUp);
  EXPECT_FALSE(link.operUp);
  EXPECT_FALSE(link.usable());
  EXPECT_EQ(link.mac, (std::array<std::uint8_t, 6>{}));
}

TEST(NetlinkMonitorParseTest, NonEthernetHardwareAddressLeavesMacZero) {
  const std::array<std::uint8_t, 4> tunnel{192, 0, 2, 1};
  Message m(RTM_NEWLINK);
  m.header(linkHeader(9, IFF_UP | IFF_RUNNING))
      .string(IFLA_IFNAME, "gre1")
      .binary(IFLA_ADDRESS, tunnel.data(), tunnel.size());

  auto events = netEventsIn(m.bytes());

  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<LinkChanged>(events[0]).link.mac, (std::array<std::uint8_t, 6>{}));
}

TEST(NetlinkMonitorParseTest, DelLinkBecomesLinkRemoved) {
  Message m(RTM_DELLINK);
  m.header(linkHeader(7, 0)).string(IFLA_IFNAME, "eth1");

  auto events = netEventsIn(m.bytes());

  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], NetEvent(LinkRemoved{7, "eth1"}));
}

TEST(NetlinkMonitorParseTest, BridgeFamilyLinkMessagesAreIgnored) {
  // A port leaving a bridge: RTM_DELLINK of family AF_BRIDGE, link still there.
  Message m(RTM_DELLINK);
  m.header(linkHeader(7, IFF_UP | IFF_RUNNING, AF_BRIDGE)).string(IFLA_IFNAME, "eth1");

  std::size_t malformed = 99;
  auto events = netEventsIn(m.bytes(), &malformed);

  EXPECT_TRUE(events.empty());
  EXPECT_EQ(malformed, 0u);
}

TEST(NetlinkMonitorParseTest, Ipv4AddressUsesLocalAndLabel) {
  auto events = netEventsIn(ipv4Address(RTM_NEWADDR).bytes());

  ASSERT_EQ(events.size(), 1u);
  const auto& address = std::get<AddressAdded>(events[0]).address;
  EXPECT_EQ(address.ifindex, 3);
  EXPECT_EQ(address.address.toString(), "192.0.2.10");
  EXPECT_EQ(address.prefixLength, 24);
  EXPECT_EQ(address.label, "eth0:vip");
  EXPECT_EQ(address.scope, Scope::Global);
  EXPECT_FALSE(address.secondary);
}

TEST(NetlinkMonitorParseTest, Ipv4PointToPointReportsLocalNotPeer) {
  Message m(RTM_NEWADDR);
  m.header(addressHeader(AF_INET, 4, 32))
      .ip(IFA_ADDRESS, "198.51.100.2")  // the peer
      .ip(IFA_LOCAL, "198.51.100.1");

  auto events = netEventsIn(m.bytes());

  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<AddressAdded>(events[0]).address.address.toString(), "198.51.100.1");
}

TEST(NetlinkMonitorParseTest, Ipv6AddressComesAsIfaAddressWithLinkScope) {
  Message m(RTM_NEWADDR);
  m.header(addressHeader(AF_INET6, 3, 64, IFA_F_PERMANENT | IFA_F_TENTATIVE, RT_SCOPE_LINK))
      .ip(IFA_ADDRESS, "fe80::1");

  auto events = netEventsIn(m.bytes());

  ASSERT_EQ(events.size(), 1u);
  const auto& address = std::get<AddressAdded>(events[0]).address;
  EXPECT_EQ(address.address.toString(), "fe80::1");
  EXPECT_EQ(address.prefixLength, 64);
  EXPECT_EQ(address.scope, Scope::Link);
  EXPECT_TRUE(address.tentative);
  EXPECT_FALSE(address.noDad);
}

TEST(NetlinkMonitorParseTest, IfaFlagsAttributeSupersedesHeaderFlags) {
  Message m(RTM_NEWADDR);
  m.header(addressHeader(AF_INET6, 3, 64, IFA_F_TENTATIVE))
      .ip(IFA_ADDRESS, "2001:db8::10")
      .u32(IFA_FLAGS, IFA_F_NODAD | IFA_F_NOPREFIXROUTE);

  auto events = netEventsIn(m.bytes());

  ASSERT_EQ(events.size(), 1u);
  const auto& address = std::get<AddressAdded>(events[0]).address;
  EXPECT_TRUE(address.noDad);
  EXPECT_TRUE(address.noPrefixRoute);
  EXPECT_FALSE(address.tentative);
}

TEST(NetlinkMonitorParseTest, SecondaryFlagAndCacheInfoAreReported) {
  ifa_cacheinfo cache{};
  cache.ifa_prefered = 0;
  cache.ifa_valid = 0xFFFFFFFFu;
  Message m(RTM_NEWADDR);
  m.header(addressHeader(AF_INET, 3, 24, IFA_F_SECONDARY))
      .ip(IFA_LOCAL, "192.0.2.11")
      .ip(IFA_BROADCAST, "192.0.2.255")
      .binary(IFA_CACHEINFO, &cache, sizeof cache);

  auto events = netEventsIn(m.bytes());

  ASSERT_EQ(events.size(), 1u);
  const auto& address = std::get<AddressAdded>(events[0]).address;
  EXPECT_TRUE(address.secondary);
  EXPECT_EQ(address.preferredLifetime, 0u);
  ASSERT_TRUE(address.broadcast);
  EXPECT_EQ(address.broadcast->toString(), "192.0.2.255");
}

TEST(NetlinkMonitorParseTest, DelAddrBecomesAddressRemoved) {
  auto events = netEventsIn(ipv4Address(RTM_DELADDR).bytes());

  ASSERT_EQ(events.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<AddressRemoved>(events[0]));
  EXPECT_EQ(std::get<AddressRemoved>(events[0]).address.address.toString(), "192.0.2.10");
}

TEST(NetlinkMonitorParseTest, SeveralMessagesInOneDatagramKeepTheirOrder) {
  Message down(RTM_NEWLINK);
  down.header(linkHeader(3, 0)).string(IFLA_IFNAME, "eth0");
  auto events = netEventsIn(
      concat({ipv4Address(RTM_NEWADDR).bytes(), down.bytes(), ipv4Address(RTM_DELADDR).bytes()}));

  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<AddressAdded>(events[0]));
  EXPECT_TRUE(std::holds_alternative<LinkChanged>(events[1]));
  EXPECT_TRUE(std::holds_alternative<AddressRemoved>(events[2]));
}

TEST(NetlinkMonitorParseTest, UnsubscribedAndControlMessagesAreIgnored) {
  Message route(RTM_NEWROUTE);
  rtmsg rt{};
  route.header(rt);
  Message noop(NLMSG_NOOP);
  Message done(NLMSG_DONE);

  std::size_t malformed = 99;
  auto events = netEventsIn(concat({route.bytes(), noop.bytes(), done.bytes()}), &malformed);

  EXPECT_TRUE(events.empty());
  EXPECT_EQ(malformed, 0u);
}

TEST(NetlinkMonitorParseTest, OtherAddressFamiliesAreIgnored) {
  Message m(RTM_NEWADDR);
  m.header(addressHeader(AF_PACKET, 3, 0));

  EXPECT_TRUE(netEventsIn(m.bytes()).empty());
}

struct MalformedCase {
  const char* name;
  std::vector<std::byte> datagram;
};

void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }

class NetlinkMonitorParseMalformedTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(NetlinkMonitorParseMalformedTest, SkipsTheMessageAndAsksForResync) {
  std::vector<NetEvent> events;
  std::size_t malformed = parseNetlinkEvents(GetParam().datagram, events);

  EXPECT_GE(malformed, 1u);
  ASSERT_FALSE(events.empty());
  EXPECT_TRUE(std::holds_alternative<ResyncNeeded>(events.back()));
}

std::vector<MalformedCase> malformedCases() {
  std::vector<MalformedCase> cases;
  {
    Message m(RTM_NEWADDR);  // no ifaddrmsg at all
    cases.push_back({"MissingFamilyHeader", m.bytes()});
  }
  {
    Message m(RTM_NEWADDR);
    m.header(addressHeader(AF_INET, 3, 24)).string(IFA_LABEL, "eth0");
    cases.push_back({"AddressWithoutAddressAttribute", m.bytes()});
  }
  {
    Message m(RTM_NEWADDR);
    m.header(addressHeader(AF_INET, 3, 24)).ip(IFA_LOCAL, "2001:db8::1");
    cases.push_back({"AddressOfTheWrongSize", m.bytes()});
  }
  {
    Message m(RTM_NEWADDR);
    m.header(addressHeader(AF_INET, 3, 33)).ip(IFA_LOCAL, "192.0.2.1");
    cases.push_back({"PrefixTooLong", m.bytes()});
  }
  {
    Message m(RTM_NEWADDR);
    m.header(addressHeader(AF_INET, 3, 24)).ip(IFA_LOCAL, "192.0.2.1").binary(IFA_FLAGS, "ab", 2);
    cases.push_back({"FlagsAttributeTooShort", m.bytes()});
  }
  {
    Message m(RTM_NEWLINK);
    m.header(linkHeader(7, IFF_UP));
    cases.push_back({"LinkWithoutName", m.bytes()});
  }
  {
    Message m(RTM_NEWLINK);
    m.header(linkHeader(7, IFF_UP)).binary(IFLA_IFNAME, "eth1", 4);  // no terminator
    cases.push_back({"NameWithoutTerminator", m.bytes()});
  }
  {
    auto bytes = ipv4Address(RTM_NEWADDR).bytes();
    bytes.resize(bytes.size() - 4);  // nlmsg_len now claims more than is there
    auto first = ipv4Address(RTM_NEWADDR).bytes();
    cases.push_back({"TruncatedLastMessage", concat({first, bytes})});
  }
  {
    // Above INT_MAX: libmnl's own check sees a negative length and lets it by.
    auto bytes = ipv4Address(RTM_NEWADDR).bytes();
    const std::uint32_t huge = 0x80000010u;
    std::memcpy(bytes.data(), &huge, sizeof huge);
    cases.push_back({"LengthAboveIntMax", bytes});
  }
  {
    auto bytes = ipv4Address(RTM_NEWADDR).bytes();
    bytes.insert(bytes.end(), {std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}});
    cases.push_back({"TrailingBytes", bytes});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cases, NetlinkMonitorParseMalformedTest,
                         ::testing::ValuesIn(malformedCases()),
                         [](const auto& testInfo) { return std::string(testInfo.param.name); });

TEST(NetlinkMonitorParseTest, GoodMessagesAroundAMalformedOneStillCount) {
  Message bad(RTM_NEWLINK);
  bad.header(linkHeader(7, IFF_UP));  // no name
  auto events = netEventsIn(
      concat({ipv4Address(RTM_NEWADDR).bytes(), bad.bytes(), ipv4Address(RTM_DELADDR).bytes()}));

  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<AddressAdded>(events[0]));
  EXPECT_TRUE(std::holds_alternative<AddressRemoved>(events[1]));
  EXPECT_TRUE(std::holds_alternative<ResyncNeeded>(events[2]));
}

TEST(NetlinkMonitorParseTest, MisalignedBufferParsesTheSame) {
  auto message = ipv4Address(RTM_NEWADDR).bytes();
  std::vector<std::byte> storage(message.size() + 1);
  std::memcpy(storage.data() + 1, message.data(), message.size());
  std::span<const std::byte> misaligned(storage.data() + 1, message.size());

  std::vector<NetEvent> events;
  EXPECT_EQ(parseNetlinkEvents(misaligned, events), 0u);

  EXPECT_EQ(events, netEventsIn(message));
}

TEST(NetlinkMonitorParseTest, CorruptedDatagramsNeverReadOutOfBounds) {
  // Not a fuzzer (the fuzz build has no libmnl), but under the asan preset
  // this catches any read past the buffer: flip, cut and extend real messages.
  Message link(RTM_NEWLINK);
  link.header(linkHeader(7, IFF_UP | IFF_RUNNING)).string(IFLA_IFNAME, "eth1").u32(IFLA_MTU, 1500);
  const auto valid = concat({ipv4Address(RTM_NEWADDR).bytes(), link.bytes()});
  std::mt19937 random(5798);
  constexpr int kRounds = 5000;
  for (int round = 0; round < kRounds; ++round) {
    auto datagram = valid;
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int i = 0; i < flips; ++i) {
      datagram[random() % datagram.size()] = static_cast<std::byte>(random() & 0xff);
    }
    if (random() % 3 == 0) datagram.resize(random() % datagram.size());
    std::vector<std::byte> exact(datagram.begin(), datagram.end());  // no slack past the end
    std::vector<NetEvent> events;
    const std::size_t malformed = parseNetlinkEvents(exact, events);
    if (malformed > 0) {
      ASSERT_FALSE(events.empty());
      EXPECT_TRUE(std::holds_alternative<ResyncNeeded>(events.back()));
    }
  }
}

TEST(NetlinkMonitorParseTest, EmptyDatagramGivesNothing) {
  std::size_t malformed = 99;
  EXPECT_TRUE(netEventsIn({}, &malformed).empty());
  EXPECT_EQ(malformed, 0u);
}

}  // namespace
}  // namespace vipd::net
