#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "vipd/config/model.h"
#include "vipd/daemon/scheduler.h"
#include "vipd/track/link_debounce.h"

namespace vipd::daemon {

/// The effective (debounced) state of the host's interfaces, by name: the
/// netlink monitor's raw link reports go in, and changes come out once they
/// have lasted their `interface_up_down_delays` (at once for interfaces
/// without delays). Feeds both an instance's own interface and its
/// track_interface entries.
///
/// NOTE: single-threaded, on the loop; the scheduler must outlive it.
class LinkWatch {
 public:
  using OnChange = std::function<void(const std::string& interface, bool up)>;

  LinkWatch(const std::vector<config::InterfaceDelays>& delays, Scheduler& scheduler,
            OnChange onChange);
  ~LinkWatch();
  LinkWatch(const LinkWatch&) = delete;
  LinkWatch& operator=(const LinkWatch&) = delete;

  /// Starts watching `name` with the state found now: no delay, no
  /// change reported (ifindex 0: the link does not exist).
  void setInitial(int ifindex, const std::string& name, bool usable);
  /// A link report from netlink.
  void onLink(int ifindex, const std::string& name, bool usable);
  /// The link is gone: down, by the name it last had.
  void onLinkRemoved(int ifindex);
  /// The link is gone, known by name (a resync found no such link).
  void onLinkGone(const std::string& name);

  bool watches(const std::string& name) const { return watched_.count(name) > 0; }
  const std::set<std::string>& watched() const { return watched_; }

  bool effectiveUp(const std::string& name) const { return states_.effectiveUp(name); }

 private:
  void publish(const track::LinkChange& change);
  void rearm();

  track::LinkStates states_;
  Scheduler& scheduler_;
  OnChange onChange_;
  std::map<int, std::string> names_;
  std::set<std::string> watched_;
  std::optional<Scheduler::TimerId> timer_;
};

}  // namespace vipd::daemon
