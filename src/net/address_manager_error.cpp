#include "vipd/net/address_manager_error.h"

#include <netlink/errno.h>

#include <string>

namespace vipd::net {
namespace {

class NetlinkErrorCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vipd.netlink"; }

  std::string message(int value) const override {
    switch (static_cast<NetlinkErrc>(value)) {
      case NetlinkErrc::InvalidIfindex:
        return "invalid interface index";
      case NetlinkErrc::InvalidPrefixLength:
        return "prefix length too long for the address family";
      case NetlinkErrc::LabelTooLong:
        return "address label longer than 15 characters";
      case NetlinkErrc::LabelMismatch:
        return "address label must start with the interface name";
      case NetlinkErrc::LabelNotSupported:
        return "address labels exist only for IPv4";
      case NetlinkErrc::BroadcastNotSupported:
        return "broadcast address only for IPv4, and of the same family";
      case NetlinkErrc::ScopeNotSupported:
        return "IPv6 address scope is derived from the address and cannot be set";
    }
    return "unknown vipd.netlink error " + std::to_string(value);
  }
};

class LibnlErrorCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "libnl"; }
  std::string message(int value) const override { return nl_geterror(value); }
};

}  // namespace

const std::error_category& netlinkErrorCategory() {
  static const NetlinkErrorCategory category;
  return category;
}

const std::error_category& libnlErrorCategory() {
  static const LibnlErrorCategory category;
  return category;
}

std::error_code make_error_code(NetlinkErrc e) {
  return {static_cast<int>(e), netlinkErrorCategory()};
}

}  // namespace vipd::net
