#pragma once

#include <optional>
#include <string>

#include "vipd/proto/decode.h"
#include "vipd/proto/drop_reason.h"
#include "vipd/proto/validate.h"

namespace vipd::proto {

/// True for the drop reasons that mean "the sender runs this VRID with another configuration"
/// (version, delivery, v2 authentication or interval, VIP list, unicast peer list, checksum
/// form): the packet is a peer's advert that we must still drop (RFC 3768/5798 §7.1), but both
/// routers then act as if alone and become master. keepalived only logs the drop per packet
/// [reference §5 item 1; GH#2444, GH#2175, GH#2649, GH#2458].
bool isConfigurationMismatch(DropReason reason);

/// How the sender of `received` is configured differently from `expected`, as one phrase that
/// can follow "PEER VRID N: ", e.g. "VIP list differs: theirs 192.0.2.100, ours 192.0.2.100
/// 192.0.2.101". Never shows a password. nullopt when `reason` is not a configuration mismatch.
std::optional<std::string> describeMismatch(const ReceivedAdvertisement& received,
                                            const InstanceExpectations& expected,
                                            DropReason reason);

/// The phrase for a configuration mismatch found by decode(), which has no advert to compare
/// (a checksum in none of the accepted forms); nullopt for the other decode() reasons.
std::optional<std::string> describeDecodeMismatch(DropReason reason);

}  // namespace vipd::proto
