#pragma once

// Helpers shared by the daemon unit tests: addresses, the eth0 every test
// instance runs on, and configs parsed from text.

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "vipd/config/parser.h"
#include "vipd/net/link_layer_socket.h"
#include "vipd/util/ip_address.h"

namespace vipd::daemon::testing {

/// An address the test spells correctly.
inline util::IpAddress ip(const char* text) { return *util::IpAddress::parse(text); }

/// The test instances' interface: eth0, ifindex 2, a locally administered MAC.
inline constexpr int kIfindex = 2;
inline const net::MacAddress kMac{0x02, 0, 0, 0, 0, 0x01};

/// Parses `text` as "test.conf"; throws with every diagnostic if it is invalid.
inline config::Config parseConfig(const std::string& text) {
  auto result = config::parseString(text, "test.conf", {});
  if (!result.ok()) {
    std::string all;
    for (const auto& d : result.diagnostics) all += config::format(d) + "\n";
    throw std::runtime_error(all);
  }
  return *result.config;
}

/// `vrrp_instance VI_1 { body }` after `preamble` (say, a global_defs block).
inline config::VrrpInstance parseInstance(const std::string& body,
                                          const std::string& preamble = "") {
  return parseConfig(preamble + "vrrp_instance VI_1 {\n" + body + "\n}\n").instances.at(0);
}

/// md5("hello"), as `printf hello | md5sum` prints it.
inline constexpr const char* kHelloMd5 = "5d41402abc4b2a76b9719d911017c592";

/// An HTTP_GET `url { path PATH [digest DIGEST] }` that accepts 200-299.
inline config::HttpUrl url(const char* path, std::optional<std::string> digest = std::nullopt) {
  config::HttpUrl u;
  u.path = path;
  u.statusCodes = {{200, 299}};
  u.digest = std::move(digest);
  return u;
}

/// A logger that drops everything.
inline std::shared_ptr<spdlog::logger> quietLogger(const std::string& name = "test") {
  return std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::null_sink_mt>());
}

}  // namespace vipd::daemon::testing
