#include "vipd/proto/drop_reason.h"

namespace vipd::proto {

std::string_view toString(DropReason reason) {
  switch (reason) {
    case DropReason::AddressFamilyMismatch:
      return "address_family_mismatch";
    case DropReason::TtlNot255:
      return "ttl_not_255";
    case DropReason::Truncated:
      return "truncated";
    case DropReason::UnsupportedVersion:
      return "unsupported_version";
    case DropReason::Version2OverIpv6:
      return "version2_over_ipv6";
    case DropReason::UnknownType:
      return "unknown_type";
    case DropReason::CountExceedsLength:
      return "count_exceeds_length";
    case DropReason::TooLong:
      return "too_long";
    case DropReason::BadChecksum:
      return "bad_checksum";
    case DropReason::ZeroAddressCount:
      return "zero_address_count";
    case DropReason::ZeroInterval:
      return "zero_interval";
    case DropReason::UnknownAuthType:
      return "unknown_auth_type";
    case DropReason::FirstAddressNotLinkLocal:
      return "first_address_not_link_local";
    case DropReason::VersionMismatch:
      return "version_mismatch";
    case DropReason::VridMismatch:
      return "vrid_mismatch";
    case DropReason::LocalIsAddressOwner:
      return "local_is_address_owner";
    case DropReason::DeliveryMismatch:
      return "delivery_mismatch";
    case DropReason::UnicastSourceNotPeer:
      return "unicast_source_not_peer";
    case DropReason::UnicastTtlOutOfRange:
      return "unicast_ttl_out_of_range";
    case DropReason::AuthAhUnsupported:
      return "auth_ah_unsupported";
    case DropReason::AuthTypeMismatch:
      return "auth_type_mismatch";
    case DropReason::AuthFailure:
      return "auth_failure";
    case DropReason::IntervalMismatch:
      return "interval_mismatch";
    case DropReason::AddressCountMismatch:
      return "address_count_mismatch";
    case DropReason::AddressListMismatch:
      return "address_list_mismatch";
  }
  return "unknown";
}

}  // namespace vipd::proto
