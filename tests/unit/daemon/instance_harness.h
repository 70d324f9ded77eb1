#pragma once

// Real Instances on fake I/O and a fake clock, for tests of what the daemon
// reports about them (status documents, metrics). Every instance runs on
// eth0 (192.0.2.1) with VRRPv3 and advert_int 1.

#include <spdlog/sinks/null_sink.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "fakes/fake_address_manager.h"
#include "fakes/fake_packet_io.h"
#include "fakes/fake_route_manager.h"
#include "fakes/fake_scheduler.h"
#include "vipd/config/parser.h"
#include "vipd/daemon/instance.h"

namespace vipd::daemon {

class InstanceHarness {
 public:
  static constexpr int kIfindex = 2;

  InstanceHarness() {
    kernel.setLink(net::LinkInfo{kIfindex, "eth0", kMac, true, true, 1500});
    kernel.takeEvents();
  }

  static util::IpAddress ip(const char* text) { return *util::IpAddress::parse(text); }

  /// Adds a (not yet started) instance. `name` replaces the configured one
  /// after parsing, so it may hold what the config syntax cannot.
  Instance& add(const std::string& name, int vrid, int priority,
                const std::vector<std::string>& vips) {
    std::string body = "interface eth0\nvirtual_router_id " + std::to_string(vrid) + "\npriority " +
                       std::to_string(priority) + "\nadvert_int 1\nvirtual_ipaddress {\n";
    for (const auto& vip : vips) body += "  " + vip + "\n";
    body += "}\n";
    auto parsed = config::parseString(
        "global_defs { vrrp_version 3 }\nvrrp_instance VI_X {\n" + body + "}\n", "test.conf", {});
    if (!parsed.ok()) {
      std::string all;
      for (const auto& d : parsed.diagnostics) all += config::format(d) + "\n";
      throw std::runtime_error(all);
    }
    ResolvedInterface itf{"eth0", kIfindex, kMac, kSelf, false};
    InstanceSettings settings =
        resolveInstance(parsed.config->instances.at(0), config::GlobalDefs{}, itf,
                        [](const std::string&) { return std::optional<int>(); });
    settings.name = name;
    auto log =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
    instances.push_back(std::make_unique<Instance>(
        std::move(settings), Instance::Deps{clock, kernel, announcer, transport, routes}, log));
    return *instances.back();
  }

  /// A valid advert for `vrid` from `from` listing `vips` (addresses only).
  static proto::ReceivedAdvertisement advert(int vrid, const char* from, std::uint8_t priority,
                                             const std::vector<const char*>& vips) {
    proto::ReceivedAdvertisement r;
    r.advert.version = proto::Version::V3;
    r.advert.vrid = static_cast<std::uint8_t>(vrid);
    r.advert.priority = priority;
    r.advert.intervalCs = 100;
    for (const char* v : vips) r.advert.addresses.push_back(ip(v));
    r.meta = {ip(from), ip("224.0.0.18"), 255, proto::Delivery::Multicast};
    r.checksumForm = proto::ChecksumForm::Ipv4PseudoHeader;
    return r;
  }

  inline static const net::MacAddress kMac{0x02, 0, 0, 0, 0, 0x01};
  inline static const util::IpAddress kSelf = ip("192.0.2.1");

  fakes::FakeScheduler clock;
  fakes::FakeAddressManager kernel;
  fakes::FakeRouteManager routes;
  fakes::FakeAnnouncer announcer;
  fakes::FakeTransport transport;
  std::vector<std::unique_ptr<Instance>> instances;
};

}  // namespace vipd::daemon
