#pragma once

#include <spdlog/logger.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "vipd/core/router.h"
#include "vipd/daemon/incompatible_peers.h"
#include "vipd/daemon/instance_settings.h"
#include "vipd/daemon/preemption.h"
#include "vipd/daemon/scheduler.h"
#include "vipd/net/address_manager.h"
#include "vipd/net/garp_announcer.h"
#include "vipd/net/route_manager.h"
#include "vipd/net/vrrp_socket.h"
#include "vipd/notify/notifier.h"
#include "vipd/proto/checksum.h"
#include "vipd/proto/decode.h"
#include "vipd/proto/drop_reason.h"
#include "vipd/track/instance_tracking.h"
#include "vipd/util/histogram.h"
#include "vipd/util/log_throttle.h"

namespace vipd::daemon {

inline constexpr std::size_t kDropReasonCount = proto::kAllDropReasons.size();
using core::kCauseCount;
inline constexpr std::size_t kChecksumFormCount = proto::kAllChecksumForms.size();
/// A dropped advert is logged at most once per reason per this interval, with
/// the count of drops since the previous line (a flood must not flood the log).
inline constexpr std::chrono::seconds kDropLogInterval{10};

/// How long the last takeover took, measured on the monotonic clock.
struct TakeoverTiming {
  /// Last advert heard from the old master → our transition to MASTER.
  /// Absent when we never heard a master (start-up).
  std::optional<std::chrono::microseconds> detection;
  /// How late the Master_Down timer ran against its deadline.
  std::chrono::microseconds timerLateness{0};
  /// Transition decided → every VIP added by netlink.
  std::chrono::microseconds vipsInstalled{0};
  /// Transition decided → first gratuitous ARP / NA sent.
  std::chrono::microseconds firstAnnouncement{0};
};

/// Counters of one instance, for logs now and `vipctl stats` later.
struct InstanceStats {
  std::uint64_t advertsSent = 0;
  std::uint64_t advertSendErrors = 0;
  std::uint64_t advertsReceived = 0;  ///< Valid ones, passed to the state machine.
  std::uint64_t priorityZeroReceived = 0;
  std::uint64_t priorityZeroSent = 0;  ///< Counted as advertsSent: per destination.
  std::uint64_t becameMaster = 0;      ///< Transitions into MASTER.
  std::uint64_t releasedMaster = 0;    ///< Transitions out of MASTER, whatever the cause.
  std::array<std::uint64_t, kDropReasonCount> drops{};
  std::array<std::uint64_t, kCauseCount> transitions{};
  std::array<std::uint64_t, kChecksumFormCount> checksumForms{};
  std::uint64_t announcementsSent = 0;
  std::uint64_t addressErrors = 0;
  std::uint64_t addressesRestored = 0;  ///< VIPs someone else removed while we were master.
  /// Adverts of a lower-priority master (a healed partition) this master answered with an
  /// advert and/or a gratuitous ARP / NA burst (keepalived's "forcing new election").
  std::uint64_t lowerPriorityAnswers = 0;
  /// virtual_routes / virtual_rules the kernel refused to add or remove.
  std::uint64_t routeErrors = 0;
  std::optional<TakeoverTiming> lastTakeover;
  /// Last advert heard → first announcement sent, per takeover that had a
  /// master before it (a start-up takeover has nothing to fail over from).
  util::FailoverHistogram failoverSeconds = util::makeFailoverHistogram();
};

/// One state change, for the status (`vipctl status`) and the log.
struct TransitionRecord {
  core::State from = core::State::Initialize;
  core::State to = core::State::Initialize;
  core::Cause cause = core::Cause::Startup;
  std::uint8_t priority = 0;
  Scheduler::Clock::time_point at{};
  std::chrono::system_clock::time_point wallTime{};
};

/// The last valid advert this instance heard: the master, while Backup.
struct HeardAdvert {
  util::IpAddress source;
  std::uint8_t priority = 0;
  Scheduler::Clock::time_point at{};
};

/// FaultId of the instance's own interface going down.
inline constexpr core::FaultId kInterfaceFault = 0;

/// One running VRRP instance: feeds events into its core::Router and carries
/// out the actions it returns through the injected I/O interfaces.
///
/// NOTE: lives on the event-loop thread. Holds references to its
/// dependencies, which must outlive it; cancels its timers on destruction.
class Instance {
 public:
  struct Deps {
    Scheduler& scheduler;
    net::AddressManager& addresses;
    net::AddressAnnouncer& announcer;
    net::VrrpTransport& transport;
    /// virtual_routes / virtual_rules.
    net::RouteManager& routes;
  };

  Instance(InstanceSettings settings, Deps deps, std::shared_ptr<spdlog::logger> log);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  /// Removes VIPs, routes and rules a previous run left behind, applies the tracking state,
  /// then starts as BACKUP (or FAULT when `linkUsable` is false or a tracker
  /// faults) — once every tracked script has reported, as keepalived.
  void start(bool linkUsable);
  /// Graceful stop: a master sends priority 0 and removes its VIPs. It
  /// notifies STOP, or, `deleted` by a reload, FAULT (DELETED with
  /// notify_deleted) as keepalived.
  void shutdown(bool deleted = false);
  /// True when `next` (a reload, possibly renaming the instance) keeps what
  /// the running Router depends on (core::Router::canReconfigure);
  /// otherwise the instance must be restarted.
  bool canReconfigure(const InstanceSettings& next) const;
  /// Applies a reloaded configuration in place: no transition, timers keep
  /// running, counters are kept. A master adds and removes only the VIPs
  /// that differ and announces the new ones. `tracking` replaces the
  /// trackers (default: none, so the base priority applies). Throws
  /// std::invalid_argument when !canReconfigure(next).
  void reconfigure(InstanceSettings next,
                   std::optional<track::InstanceTracking> tracking = std::nullopt);
  /// Replaces the trackers (track_script, track_interface, track_file,
  /// track_process) and
  /// applies the difference: new faults first, then cleared ones, then the
  /// effective priority.
  void setTracking(track::InstanceTracking tracking);
  /// A tracked vrrp_script turned GOOD or BAD.
  void onScriptChanged(const std::string& script, bool good);
  /// A tracked interface's effective (debounced) state changed.
  void onInterfaceChanged(const std::string& interface, bool up);
  /// A tracked file has a new value.
  void onFileValue(const std::string& file, std::int32_t value);
  /// A tracked vrrp_track_process gained or lost its quorum.
  void onProcessQuorum(const std::string& tracker, bool quorum);
  /// Where transitions are reported (notify scripts, FIFOs); null: nowhere.
  /// Not owned: the daemon keeps it alive until its scripts have run.
  void setNotifier(notify::Notifier* notifier) { notifier_ = notifier; }
  notify::Notifier* notifier() const { return notifier_; }

  /// Where this instance's events go instead of its own Router: its sync
  /// group (SyncGroups), which decides for every member and calls perform().
  /// Empty (the default): the Router handles them and the actions run here.
  using EventSink = std::function<void(const core::Event&)>;
  void setEventSink(EventSink sink) { sink_ = std::move(sink); }
  /// Executes actions decided for this instance (by its sync group), with
  /// dispatch()'s takeover bookkeeping. `groupState`: the state the group is
  /// in while they run; once this instance has notified anything, a
  /// transition into that state is not notified again, as keepalived
  /// [SRC keepalived/vrrp/vrrp_notify.c:send_instance_notifies].
  void perform(const core::Actions& actions, std::optional<core::State> groupState = std::nullopt);
  /// For the sync group only: it feeds this Router the events the sink gets.
  core::Router& routerForGroup() { return router_; }

  /// An advert for our VRID that passed decode(); runs the per-instance checks.
  void onAdvert(const proto::ReceivedAdvertisement& received);
  /// Operator drain (`vipctl maintenance`): on, a master hands over with
  /// priority 0 and the instance stays BACKUP until off. The caller avoids
  /// repeats (each `act` runs a row). `act` false only marks the instance
  /// (core::Maintenance): a sync group marks every member, then acts on each.
  void setMaintenance(bool on, bool act = true);
  bool inMaintenance() const { return router_.inMaintenance(); }
  /// Zeroes the counters (keepalived's STATS_CLEAR signal).
  void clearStats();
  /// A packet for our socket that decode() rejected (counted here).
  void onDecodeDrop(proto::DropReason reason, const util::IpAddress& from);
  void onLinkState(bool usable);
  /// An address vanished from an interface; a master puts its VIPs back.
  void onAddressRemoved(const net::InterfaceAddress& address);

  core::State state() const { return router_.state(); }
  const core::Router& router() const { return router_; }
  const InstanceSettings& settings() const { return settings_; }
  const InstanceStats& stats() const { return stats_; }
  /// The last state change (none before start).
  const std::optional<TransitionRecord>& lastTransition() const { return lastTransition_; }
  const std::optional<HeardAdvert>& lastAdvert() const { return lastAdvert_; }
  /// Peers heard on our VRID whose adverts we drop for a configuration mismatch.
  const IncompatiblePeers& incompatiblePeers() const { return incompatible_; }
  /// The checksum form each peer's valid adverts use.
  const PeerChecksums& peerChecksums() const { return peerChecksums_; }
  /// VIPs are on the interface (MASTER, as far as this instance added them).
  bool vipsInstalled() const { return vipsInstalled_; }
  /// The latest lower-priority master this Backup did not preempt, and why.
  const std::optional<DeclinedPreemption>& declinedPreemption() const { return declined_; }
  /// Why this router preempted, from the transition that made it Master (kept until the
  /// next transition).
  const std::optional<std::string>& preemptedWhy() const { return preempted_; }
  const track::InstanceTracking& tracking() const { return tracking_; }

 private:
  using TimePoint = Scheduler::Clock::time_point;

  void dispatch(const core::Event& event);
  void execute(const core::Action& action);
  void sendAdvert(const core::SendAdvert& send);
  void addVips();
  void removeVips(bool quiet);
  void swapVips(const std::vector<net::InterfaceAddress>& before);
  /// virtual_routes then virtual_rules, after the VIPs (a route may use a VIP as src).
  void addRoutes();
  /// Rules then routes: the reverse order. `quiet`: errors are not logged or counted.
  void removeRoutes(bool quiet);
  void swapRoutes(const std::vector<net::RouteSpec>& routesBefore,
                  const std::vector<net::RuleSpec>& rulesBefore);
  template <typename Spec>
  void addRoute(const Spec& spec, const char* what);
  template <typename Spec>
  void removeRoute(const Spec& spec, const char* what, bool quiet);
  void announceBurst(std::uint32_t repeat);
  void startAnnouncements(core::GratuitousReason reason);
  Scheduler::TimerId scheduleAnnouncement(std::chrono::seconds after, std::uint32_t repeat,
                                          bool periodic);
  void cancelAnnouncements();
  void armTimer(const core::ArmTimer& arm);
  void cancelTimer(core::TimerId timer);
  void onTransition(const core::NotifyTransition& transition);
  void onMasterRxLowerPriority(const core::MasterRxLowerPriority& rx);
  void onPreemptDeclined(const core::PreemptDeclined& declined);
  /// The why= field of a transition's log line ("" when there is nothing to explain).
  std::string transitionWhy(const core::NotifyTransition& transition) const;
  void notifyTransition(const core::NotifyTransition& transition);
  bool notifySuppressed(const core::NotifyTransition& transition) const;
  /// Counts a dropped packet; a configuration mismatch (`difference` set) goes to the
  /// incompatible-peer table (instance_peers.cpp), anything else to the rate-limited drop log.
  /// `theirInterval`: the sender's advert interval (ours when the packet had none to read).
  void countDrop(proto::DropReason reason, const util::IpAddress& from,
                 std::optional<std::string> difference, core::Centiseconds theirInterval);
  /// The checksum form of our advert to `destination` (defaults outside v3/IPv4).
  std::optional<proto::ChecksumForm> checksumFormFor(const util::IpAddress& destination) const;
  /// Records the form a valid advert used; logs a new peer's form and a change.
  void learnChecksumForm(const util::IpAddress& from, proto::ChecksumForm form);
  /// A valid advert from `from`: it is no longer incompatible.
  void peerAgreed(const util::IpAddress& from);
  void armIncompatibleExpiry();
  Scheduler::Clock::time_point checksumMemoryStart() const;
  void onIncompatibleExpiry();
  void applyTracking(const track::TrackingUpdate& update);
  void startWhenChecked();

  InstanceSettings settings_;
  Deps deps_;
  std::shared_ptr<spdlog::logger> log_;
  core::Router router_;
  track::InstanceTracking tracking_;
  notify::Notifier* notifier_ = nullptr;
  EventSink sink_;
  /// keepalived notifies_sent: a transition was reported at least once.
  bool notified_ = false;
  /// While perform() runs: the group state that suppresses notifies.
  std::optional<core::State> groupState_;
  /// dispatch() is handing an event to the sink (eventStart_ is set).
  bool dispatching_ = false;
  /// Tracker faults given to the router (ids from tracking_).
  std::vector<core::FaultId> trackerFaults_;
  /// start() was called; Start waits for the first result of every script.
  bool startPending_ = false;
  bool deleted_ = false;
  InstanceStats stats_;
  net::Ipv4IdCounter ipv4Id_;
  std::array<std::optional<Scheduler::TimerId>, core::kTimerCount> timers_;
  std::vector<Scheduler::TimerId> announceTimers_;
  /// The second burst answering lower-priority adverts (in announceTimers_ while pending).
  std::optional<Scheduler::TimerId> lowerPrioBurst_;
  bool vipsInstalled_ = false;

  // Takeover telemetry: when the event being handled started, and its timer's deadline.
  TimePoint eventStart_{};
  std::optional<TimePoint> eventDeadline_;
  std::optional<HeardAdvert> lastAdvert_;
  std::optional<TransitionRecord> lastTransition_;
  std::optional<TakeoverTiming> pendingTakeover_;

  // Preemption, explained (preemption.h).
  std::optional<DeclinedPreemption> declined_;
  std::optional<std::string> preempted_;

  // Drops are logged at most once per interval per reason, with a count.
  util::LogThrottle dropLog_{kDropReasonCount, kDropLogInterval};
  IncompatiblePeers incompatible_{kDropLogInterval};
  PeerChecksums peerChecksums_;
  util::LogThrottle checksumLog_{1, std::chrono::seconds(1)};
  std::optional<Scheduler::TimerId> incompatibleTimer_;
  TimePoint incompatibleDeadline_{};
};

}  // namespace vipd::daemon
