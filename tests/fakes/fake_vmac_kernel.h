#pragma once

#include <cerrno>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "vipd/net/vmac.h"

namespace vipd::fakes {

/// An in-memory VmacKernel: links and sysctls in maps, every call recorded
/// in order ("create vrrp.51", "remove 10", "PATH=VALUE"); `failOn`
/// ("create", "remove", "up") makes that step fail. New links get ifindex 10, 11, ...
///
/// NOTE: single-threaded, like the real one.
class FakeVmacKernel final : public net::VmacKernel {
 public:
  std::map<std::string, net::ExistingLink> links;
  std::map<std::string, int> sysctls;  // by sysctlPath
  std::vector<std::string> calls;
  std::optional<std::string> failOn;
  /// Called as create() starts: lets a test see what was done before.
  std::function<void(const net::VmacSpec&)> onCreate;

  net::NetlinkResult<std::optional<net::ExistingLink>> find(const std::string& name) override {
    auto it = links.find(name);
    if (it == links.end()) return std::optional<net::ExistingLink>();
    return std::optional<net::ExistingLink>(it->second);
  }
  net::NetlinkResult<int> create(const net::VmacSpec& s) override {
    calls.push_back("create " + s.name);
    if (onCreate) onCreate(s);
    if (failOn == "create") return std::error_code(EPERM, std::system_category());
    net::ExistingLink l{nextIndex_++, true, s.baseIfindex, s.mac, true};
    links[s.name] = l;
    return l.ifindex;
  }
  std::error_code remove(int ifindex) override {
    calls.push_back("remove " + std::to_string(ifindex));
    if (failOn == "remove") return std::error_code(EBUSY, std::system_category());
    std::erase_if(links, [&](const auto& kv) { return kv.second.ifindex == ifindex; });
    return {};
  }
  std::error_code disableAddressGeneration(int ifindex) override {
    calls.push_back("addrgenmode none " + std::to_string(ifindex));
    return {};
  }
  std::error_code setUp(int ifindex) override {
    calls.push_back("up " + std::to_string(ifindex));
    if (failOn == "up") return std::error_code(EIO, std::system_category());
    return {};
  }
  net::NetlinkResult<int> readSysctl(const net::Sysctl& s) override {
    auto it = sysctls.find(net::sysctlPath(s));
    return it == sysctls.end() ? 0 : it->second;
  }
  std::error_code writeSysctl(const net::Sysctl& s) override {
    calls.push_back(net::sysctlPath(s) + "=" + std::to_string(s.value));
    sysctls[net::sysctlPath(s)] = s.value;
    return {};
  }
  net::NetlinkResult<std::vector<std::string>> ipv4Interfaces() override {
    std::vector<std::string> out{"lo", "eth0"};
    for (const auto& [name, link] : links) out.push_back(name);
    return out;
  }

 private:
  int nextIndex_ = 10;
};

}  // namespace vipd::fakes
