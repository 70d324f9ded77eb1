// Plain-words descriptions of configuration mismatches; see mismatch.h.
#include "vipd/proto/mismatch.h"

#include <fmt/format.h>

#include <span>

namespace vipd::proto {
namespace {

std::string addressList(std::span<const util::IpAddress> addresses) {
  if (addresses.empty()) return "none";
  std::string out;
  for (const auto& a : addresses) {
    if (!out.empty()) out += ' ';
    out += a.toString();
  }
  return out;
}

// keepalived's auth_type keywords, so the operator can compare with the configuration.
std::string_view authName(AuthType type) {
  switch (type) {
    case AuthType::None:
      return "none";
    case AuthType::SimplePassword:
      return "PASS";
    case AuthType::IpsecAh:
      return "AH";
  }
  return "unknown";
}

// v2 intervals are whole seconds on the wire; v3 centiseconds.
std::string interval(std::uint16_t centiseconds) {
  return fmt::format("{:g} s", static_cast<double>(centiseconds) / 100.0);
}

std::string_view deliveryName(bool multicast) { return multicast ? "multicast" : "unicast"; }

}  // namespace

bool isConfigurationMismatch(DropReason reason) {
  switch (reason) {
    case DropReason::VersionMismatch:
    case DropReason::DeliveryMismatch:
    case DropReason::AuthTypeMismatch:
    case DropReason::AuthFailure:
    case DropReason::IntervalMismatch:
    case DropReason::AddressCountMismatch:
    case DropReason::AddressListMismatch:
    case DropReason::UnicastSourceNotPeer:
    case DropReason::BadChecksum:
      return true;
    default:
      return false;
  }
}

std::optional<std::string> describeMismatch(const ReceivedAdvertisement& received,
                                            const InstanceExpectations& expected,
                                            DropReason reason) {
  const Advertisement& theirs = received.advert;
  switch (reason) {
    case DropReason::VersionMismatch:
      return fmt::format("VRRP version differs: theirs {}, ours {}",
                         static_cast<int>(theirs.version), static_cast<int>(expected.version));
    case DropReason::DeliveryMismatch:
      return fmt::format("delivery differs: theirs {}, ours {}",
                         deliveryName(received.meta.delivery == Delivery::Multicast),
                         deliveryName(expected.unicastPeers.empty()));
    case DropReason::AuthTypeMismatch:
      return fmt::format("authentication differs: theirs {}, ours {}", authName(theirs.authType),
                         authName(expected.authType));
    case DropReason::AuthFailure:
      return std::string("authentication password differs");
    case DropReason::IntervalMismatch:
      return fmt::format("advert interval differs: theirs {}, ours {}", interval(theirs.intervalCs),
                         interval(expected.intervalCs));
    case DropReason::AddressCountMismatch:
    case DropReason::AddressListMismatch:
      return fmt::format("VIP list differs: theirs {}, ours {}", addressList(theirs.addresses),
                         addressList(expected.addresses));
    case DropReason::UnicastSourceNotPeer:
      return std::string("sender is not one of our unicast_peer addresses");
    default:
      return describeDecodeMismatch(reason);
  }
}

std::optional<std::string> describeDecodeMismatch(DropReason reason) {
  // decode() accepts every checksum form in use (with the pseudo-header and the actual or the
  // multicast destination, or over the message only), so a failure means yet another form
  // or a broken packet.
  if (reason == DropReason::BadChecksum) {
    return std::string("checksum matches none of the accepted forms");
  }
  return std::nullopt;
}

}  // namespace vipd::proto
