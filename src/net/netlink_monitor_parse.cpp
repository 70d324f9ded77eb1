// Pure parsing of rtnetlink notifications into NetEvents, on libmnl's message
// and attribute helpers (mnl_nlmsg_ok/next, mnl_attr_parse, mnl_attr_validate).
// Every length is checked by those helpers or here before a byte is read, and
// fixed headers are copied out (memcpy), never cast onto the buffer.

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

#include "address_kernel.h"
#include "vipd/net/netlink_monitor_events.h"
#include "vipd/util/overloaded.h"

namespace vipd::net {
namespace {

/// Attributes of one message by type; unknown and repeated types keep the last.
template <std::size_t N>
struct AttributeTable {
  std::array<const nlattr*, N + 1> byType{};
  bool invalid = false;
};

/// Validation rule for one attribute type; nullopt = not used, not checked.
std::optional<mnl_attr_data_type> linkAttributeType(std::uint16_t type) {
  switch (type) {
    case IFLA_IFNAME:
      return MNL_TYPE_NUL_STRING;
    case IFLA_MTU:
      return MNL_TYPE_U32;
    case IFLA_ADDRESS:
      return MNL_TYPE_BINARY;
    default:
      return std::nullopt;
  }
}

std::optional<mnl_attr_data_type> addressAttributeType(std::uint16_t type) {
  switch (type) {
    case IFA_ADDRESS:
    case IFA_LOCAL:
    case IFA_BROADCAST:
      return MNL_TYPE_BINARY;
    case IFA_LABEL:
      return MNL_TYPE_NUL_STRING;
    case IFA_FLAGS:
      return MNL_TYPE_U32;
    case IFA_CACHEINFO:
      return MNL_TYPE_BINARY;
    default:
      return std::nullopt;
  }
}

template <std::size_t N, auto TypeOf>
int collectAttribute(const nlattr* attr, void* data) {
  auto* table = static_cast<AttributeTable<N>*>(data);
  // Types this kernel knows but our headers do not: skip them.
  if (mnl_attr_type_valid(attr, N) < 0) return MNL_CB_OK;
  const std::uint16_t type = mnl_attr_get_type(attr);
  const auto rule = TypeOf(type);
  if (!rule) return MNL_CB_OK;
  if (mnl_attr_validate(attr, *rule) < 0) {
    table->invalid = true;
    return MNL_CB_ERROR;
  }
  table->byType[type] = attr;
  return MNL_CB_OK;
}

/// Copies the fixed family header (ifinfomsg, ifaddrmsg) that follows nlh.
template <class Header>
std::optional<Header> familyHeader(const nlmsghdr* nlh) {
  if (mnl_nlmsg_get_payload_len(nlh) < sizeof(Header)) return std::nullopt;
  Header header;
  std::memcpy(&header, mnl_nlmsg_get_payload(nlh), sizeof header);
  return header;
}

template <std::size_t N, auto TypeOf>
std::optional<AttributeTable<N>> parseAttributes(const nlmsghdr* nlh, std::size_t headerSize) {
  AttributeTable<N> table;
  const auto offset = static_cast<unsigned>(headerSize);
  if (mnl_attr_parse(nlh, offset, collectAttribute<N, TypeOf>, &table) < 0 || table.invalid) {
    return std::nullopt;
  }
  return table;
}

std::string attributeString(const nlattr* attr) { return mnl_attr_get_str(attr); }

std::optional<util::IpAddress> attributeAddress(const nlattr* attr, std::size_t expectedSize) {
  if (mnl_attr_get_payload_len(attr) != expectedSize) return std::nullopt;
  const auto* data = static_cast<const std::uint8_t*>(mnl_attr_get_payload(attr));
  return util::IpAddress::fromBytes({data, expectedSize});
}

/// RTM_NEWLINK / RTM_DELLINK. nullopt = malformed; an ignored message gives
/// an engaged optional holding no event.
std::optional<std::optional<NetEvent>> parseLink(const nlmsghdr* nlh) {
  auto header = familyHeader<ifinfomsg>(nlh);
  if (!header) return std::nullopt;
  // Bridge port notes (AF_BRIDGE) share RTMGRP_LINK; an RTM_DELLINK of that
  // family means "left the bridge", not "deleted".
  if (header->ifi_family != AF_UNSPEC) return std::optional<NetEvent>();
  auto attrs = parseAttributes<IFLA_MAX, linkAttributeType>(nlh, sizeof(ifinfomsg));
  if (!attrs || attrs->byType[IFLA_IFNAME] == nullptr || header->ifi_index <= 0) {
    return std::nullopt;
  }
  std::string name = attributeString(attrs->byType[IFLA_IFNAME]);
  if (nlh->nlmsg_type == RTM_DELLINK) {
    return std::optional<NetEvent>(LinkRemoved{header->ifi_index, std::move(name)});
  }
  LinkInfo link;
  link.ifindex = header->ifi_index;
  link.name = std::move(name);
  link.adminUp = (header->ifi_flags & IFF_UP) != 0;
  link.operUp = (header->ifi_flags & IFF_RUNNING) != 0;
  if (const nlattr* mtu = attrs->byType[IFLA_MTU]) link.mtu = mnl_attr_get_u32(mtu);
  if (const nlattr* mac = attrs->byType[IFLA_ADDRESS];
      mac != nullptr && mnl_attr_get_payload_len(mac) == link.mac.size()) {
    std::memcpy(link.mac.data(), mnl_attr_get_payload(mac), link.mac.size());
  }
  return std::optional<NetEvent>(LinkChanged{std::move(link)});
}

/// RTM_NEWADDR / RTM_DELADDR, same conventions as parseLink().
std::optional<std::optional<NetEvent>> parseAddress(const nlmsghdr* nlh) {
  auto header = familyHeader<ifaddrmsg>(nlh);
  if (!header) return std::nullopt;
  if (header->ifa_family != AF_INET && header->ifa_family != AF_INET6) {
    return std::optional<NetEvent>();
  }
  auto attrs = parseAttributes<IFA_MAX, addressAttributeType>(nlh, sizeof(ifaddrmsg));
  if (!attrs) return std::nullopt;
  const bool v4 = header->ifa_family == AF_INET;
  const std::size_t size = v4 ? 4 : 16;

  // IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on
  // point-to-point IPv4 links. IPv6 sends only IFA_ADDRESS unless it has a
  // peer (the same rule libnl's addr_msg_parser and iproute2 follow).
  const nlattr* local =
      attrs->byType[IFA_LOCAL] != nullptr ? attrs->byType[IFA_LOCAL] : attrs->byType[IFA_ADDRESS];
  if (local == nullptr) return std::nullopt;
  auto ip = attributeAddress(local, size);
  if (!ip || (header->ifa_prefixlen > (v4 ? 32 : 128)) || header->ifa_index == 0) {
    return std::nullopt;
  }

  InterfaceAddress address;
  address.ifindex = static_cast<int>(header->ifa_index);
  address.address = *ip;
  address.prefixLength = header->ifa_prefixlen;
  address.scope = static_cast<Scope>(header->ifa_scope);
  if (const nlattr* label = attrs->byType[IFA_LABEL]; label != nullptr && v4) {
    address.label = attributeString(label);
  }
  if (const nlattr* broadcast = attrs->byType[IFA_BROADCAST]; broadcast != nullptr && v4) {
    address.broadcast = attributeAddress(broadcast, size);
    if (!address.broadcast) return std::nullopt;
  }
  if (const nlattr* cache = attrs->byType[IFA_CACHEINFO]) {
    if (mnl_attr_get_payload_len(cache) < sizeof(ifa_cacheinfo)) return std::nullopt;
    ifa_cacheinfo info;
    std::memcpy(&info, mnl_attr_get_payload(cache), sizeof info);
    address.preferredLifetime = info.ifa_prefered;
  }
  // IFA_FLAGS (32 bits) supersedes the 8-bit ifa_flags when present.
  const nlattr* flags = attrs->byType[IFA_FLAGS];
  detail::applyKernelFlags(
      address, flags != nullptr ? mnl_attr_get_u32(flags) : std::uint32_t{header->ifa_flags});
  if (nlh->nlmsg_type == RTM_DELADDR) {
    return std::optional<NetEvent>(AddressRemoved{std::move(address)});
  }
  return std::optional<NetEvent>(AddressAdded{std::move(address)});
}

}  // namespace

std::string toString(const NetEvent& event) {
  return std::visit(
      util::Overloaded{
          [](const LinkChanged& e) { return "LinkChanged " + toString(e.link); },
          [](const LinkRemoved& e) {
            return "LinkRemoved ifindex=" + std::to_string(e.ifindex) + " name=" + e.name;
          },
          [](const AddressAdded& e) { return "AddressAdded " + toString(e.address); },
          [](const AddressRemoved& e) { return "AddressRemoved " + toString(e.address); },
          [](const ResyncNeeded&) { return std::string("ResyncNeeded"); },
      },
      event);
}

std::size_t parseNetlinkEvents(std::span<const std::byte> datagram, std::vector<NetEvent>& out) {
  if (datagram.empty()) return 0;
  // libmnl reads nlmsghdr fields in place: give it an aligned buffer.
  std::vector<std::uint32_t> aligned;
  const void* data = datagram.data();
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(nlmsghdr) != 0) {
    aligned.resize((datagram.size() + sizeof(std::uint32_t) - 1) / sizeof(std::uint32_t));
    std::memcpy(aligned.data(), datagram.data(), datagram.size());
    data = aligned.data();
  }

  std::size_t malformed = 0;
  int remaining = static_cast<int>(std::min<std::size_t>(datagram.size(), INT32_MAX));
  const auto* nlh = static_cast<const nlmsghdr*>(data);
  while (mnl_nlmsg_ok(nlh, remaining)) {
    // mnl_nlmsg_ok() compares (int)nlmsg_len, so a length above INT_MAX
    // passes it as a negative number: check it unsigned as well.
    if (nlh->nlmsg_len > static_cast<unsigned>(remaining)) break;
    std::optional<std::optional<NetEvent>> parsed;
    switch (nlh->nlmsg_type) {
      case RTM_NEWLINK:
      case RTM_DELLINK:
        parsed = parseLink(nlh);
        break;
      case RTM_NEWADDR:
      case RTM_DELADDR:
        parsed = parseAddress(nlh);
        break;
      default:  // control messages and types we did not subscribe to
        parsed.emplace();
        break;
    }
    if (!parsed) {
      ++malformed;
    } else if (*parsed) {
      out.push_back(std::move(**parsed));
    }
    nlh = mnl_nlmsg_next(nlh, &remaining);
  }
  // Bytes left that do not form a message (the last one may lack its final
  // alignment padding, which makes `remaining` negative: that is fine).
  if (remaining > 0) ++malformed;
  if (malformed > 0) out.emplace_back(ResyncNeeded{});
  return malformed;
}

}  // namespace vipd::net
