#pragma once

#include <optional>
#include <string>
#include <utility>

#include "vipd/config/model.h"

namespace vipd::track::testing {

/// Builds a config::Config in code, so the track tests need no parser.
inline config::TrackedObject ref(std::string name,
                                 std::optional<std::int32_t> weight = std::nullopt,
                                 bool reverse = false) {
  return config::TrackedObject{std::move(name), weight, reverse, {}};
}

inline config::VrrpScript script(std::string name, std::int32_t weight = 0, bool reverse = false) {
  config::VrrpScript s;
  s.name = std::move(name);
  s.argv = {"/bin/true"};
  s.weight = weight;
  s.reverse = reverse;
  return s;
}

inline config::TrackFile trackFile(std::string name, std::int32_t weight = 1,
                                   bool reverse = false) {
  config::TrackFile f;
  f.name = std::move(name);
  f.path = "/run/" + f.name;
  f.weight = weight;
  f.reverse = reverse;
  return f;
}

inline config::TrackProcess trackProcess(std::string name, std::int32_t weight = 0,
                                         bool reverse = false) {
  config::TrackProcess p;
  p.name = std::move(name);
  p.process = p.name;
  p.weight = weight;
  p.reverse = reverse;
  return p;
}

inline config::VrrpInstance instance(std::string name, std::uint8_t priority = 100) {
  config::VrrpInstance i;
  i.name = std::move(name);
  i.interface = "eth0";
  i.virtualRouterId = 51;
  i.priority = priority;
  return i;
}

inline config::SyncGroup group(std::string name, std::vector<std::string> members,
                               bool trackingWeight = false) {
  config::SyncGroup g;
  g.name = std::move(name);
  g.members = std::move(members);
  g.trackingWeight = trackingWeight;
  return g;
}

}  // namespace vipd::track::testing
