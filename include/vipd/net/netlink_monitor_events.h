#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "vipd/net/address_manager_types.h"
#include "vipd/net/link_info.h"

namespace vipd::net {

/// A link appeared or changed (RTM_NEWLINK): flags, MTU, MAC or name. The
/// kernel also sends it for changes the daemon does not care about; compare
/// with what you knew.
struct LinkChanged {
  LinkInfo link;
  friend bool operator==(const LinkChanged&, const LinkChanged&) = default;
};

/// A link was deleted (RTM_DELLINK); its addresses are gone with it.
struct LinkRemoved {
  int ifindex = 0;
  std::string name;
  friend bool operator==(const LinkRemoved&, const LinkRemoved&) = default;
};

/// An address was added or changed (RTM_NEWADDR; e.g. an IPv6 address that
/// finished DAD comes again with tentative = false).
struct AddressAdded {
  InterfaceAddress address;
  friend bool operator==(const AddressAdded&, const AddressAdded&) = default;
};

/// An address was removed (RTM_DELADDR), by us or by someone else.
struct AddressRemoved {
  InterfaceAddress address;
  friend bool operator==(const AddressRemoved&, const AddressRemoved&) = default;
};

/// Events were lost: the socket overran (ENOBUFS), a message was truncated,
/// or one could not be parsed. The consumer must re-read the state it tracks
/// (AddressManager::linkByIndex() and addressesOf()); events that follow in
/// the same batch are newer than the loss and still apply on top.
struct ResyncNeeded {
  friend bool operator==(const ResyncNeeded&, const ResyncNeeded&) = default;
};

/// What NetlinkMonitor::readEvents() hands the event loop.
using NetEvent = std::variant<LinkChanged, LinkRemoved, AddressAdded, AddressRemoved, ResyncNeeded>;

/// "AddressAdded 192.0.2.10/24 ifindex=3 ...", for logs and tests.
std::string toString(const NetEvent& event);

/// Parses one datagram from an rtnetlink socket (a stream of nlmsghdr) and
/// appends an event per RTM_NEWLINK / RTM_DELLINK / RTM_NEWADDR / RTM_DELADDR
/// message to `out`, in order. Pure: no socket, no root; the bytes are only
/// read (copied first when they are not 4-byte aligned).
///
/// Ignored: other message types, control messages (NOOP, DONE, ERROR,
/// OVERRUN), link messages of the bridge family (AF_BRIDGE port notes, which
/// would otherwise look like link deletions), and addresses of families other
/// than IPv4 and IPv6.
///
/// A message that cannot be parsed (short header, bad attribute, address of
/// the wrong size, missing name or address, trailing bytes) is skipped and
/// counted; if any was, one ResyncNeeded is appended at the end, since an
/// event was lost. Returns the number of such messages.
std::size_t parseNetlinkEvents(std::span<const std::byte> datagram, std::vector<NetEvent>& out);

}  // namespace vipd::net
