#include "vipd/config/model.h"

#include <algorithm>

namespace vipd::config {

const SyncGroup* syncGroupOf(const Config& config, const std::string& instance) {
  for (const SyncGroup& group : config.syncGroups) {
    if (std::find(group.members.begin(), group.members.end(), instance) != group.members.end()) {
      return &group;
    }
  }
  return nullptr;
}

}  // namespace vipd::config
