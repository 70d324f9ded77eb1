#include "vipd/proto/advertisement.h"

namespace vipd::proto {

util::IpAddress vrrpMulticastV4() { return util::IpAddress::v4({224, 0, 0, 18}); }

util::IpAddress vrrpMulticastV6() {
  return util::IpAddress::v6({0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});
}

}  // namespace vipd::proto
