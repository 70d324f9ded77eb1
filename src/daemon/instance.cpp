#include "vipd/daemon/instance.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "vipd/proto/encode.h"
#include "vipd/proto/mismatch.h"
#include "vipd/proto/validate.h"
#include "vipd/util/overloaded.h"

namespace vipd::daemon {

namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;

double ms(microseconds us) { return static_cast<double>(us.count()) / 1000.0; }

// One name per operation so that Instance's route helpers serve routes and rules alike.
net::NetlinkResult<net::AddOutcome> instanceAddSpec(net::RouteManager& m, const net::RouteSpec& r) {
  return m.addRoute(r);
}
net::NetlinkResult<net::AddOutcome> instanceAddSpec(net::RouteManager& m, const net::RuleSpec& r) {
  return m.addRule(r);
}
net::NetlinkResult<net::RemoveOutcome> instanceRemoveSpec(net::RouteManager& m,
                                                          const net::RouteSpec& r) {
  return m.removeRoute(r);
}
net::NetlinkResult<net::RemoveOutcome> instanceRemoveSpec(net::RouteManager& m,
                                                          const net::RuleSpec& r) {
  return m.removeRule(r);
}

/// The kernel's extended-ack text, as a suffix of the log line ("" if none).
std::string kernelReason(const net::RouteManager& m) {
  const auto text = m.lastKernelMessage();
  return text.empty() ? std::string() : " (kernel: " + text + ")";
}

}  // namespace

Instance::Instance(InstanceSettings settings, Deps deps, std::shared_ptr<spdlog::logger> log)
    : settings_(std::move(settings)),
      deps_(deps),
      log_(std::move(log)),
      router_(settings_.router),
      tracking_(settings_.router.priority, {}) {}

Instance::~Instance() {
  for (auto& t : timers_) {
    if (t) deps_.scheduler.cancelTimer(*t);
  }
  cancelAnnouncements();
  if (incompatibleTimer_) deps_.scheduler.cancelTimer(*incompatibleTimer_);
}

void Instance::start(bool linkUsable) {
  // keepalived removes configured VIPs found at start-up: a previous run
  // killed with SIGKILL could not (reference §3.6).
  for (const auto& a : settings_.addresses) {
    auto present = deps_.addresses.contains(a);
    if (present && present.value()) {
      log_->warn("({}) removing {} left by a previous run", settings_.name, a.address.toString());
      auto removed = deps_.addresses.remove(a);
      if (!removed) {
        ++stats_.addressErrors;
        log_->error("({}) cannot remove {}: {}", settings_.name, a.address.toString(),
                    removed.error().message());
      }
    }
  }
  // Routes and rules too; removing what is absent is success, so this is
  // silent unless something was really left behind.
  for (const auto& rule : settings_.rules) {
    if (auto removed = deps_.routes.removeRule(rule);
        removed && removed.value() == net::RemoveOutcome::Removed) {
      log_->warn("({}) removed rule {} left by a previous run", settings_.name,
                 net::describe(rule));
    }
  }
  for (const auto& route : settings_.routes) {
    if (auto removed = deps_.routes.removeRoute(route);
        removed && removed.value() == net::RemoveOutcome::Removed) {
      log_->warn("({}) removed route {} left by a previous run", settings_.name,
                 net::describe(route));
    }
  }
  applyTracking(tracking_.initial());
  if (!linkUsable) dispatch(core::FaultRaised{kInterfaceFault});
  startPending_ = true;
  startWhenChecked();
}

// Waits in INIT for the first result of every tracked script, as keepalived
// does: the first state notified is then the right one.
void Instance::startWhenChecked() {
  if (!startPending_ || tracking_.awaitingScripts()) return;
  startPending_ = false;
  dispatch(core::Start{});
}

void Instance::shutdown(bool deleted) {
  startPending_ = false;
  deleted_ = deleted;
  dispatch(core::Shutdown{});
}

// The socket and announcer were made for the interface indexes at set-up: a reload that finds
// the interface re-created (another index) must restart the instance on the new one.
bool Instance::canReconfigure(const InstanceSettings& next) const {
  const auto& was = settings_.interface;
  const auto& now = next.interface;
  return router_.canReconfigure(next.router) && was.ifindex == now.ifindex &&
         was.advertIfindex == now.advertIfindex && was.baseIfindex == now.baseIfindex;
}

void Instance::reconfigure(InstanceSettings next, std::optional<track::InstanceTracking> tracking) {
  if (!canReconfigure(next)) {
    throw std::invalid_argument("instance " + settings_.name + ": cannot reconfigure in place");
  }
  const auto before = std::move(settings_.addresses);
  const auto routesBefore = std::move(settings_.routes);
  const auto rulesBefore = std::move(settings_.rules);
  settings_ = std::move(next);
  // What we expect of adverts may have changed: a peer is judged again by its next advert.
  incompatible_.clear();
  router_.reconfigure(settings_.router);
  if (vipsInstalled_) {
    // Rules and routes that go are removed before the VIPs they may use.
    swapRoutes(routesBefore, rulesBefore);
    swapVips(before);
    addRoutes();
  }
  setTracking(tracking ? std::move(*tracking)
                       : track::InstanceTracking(settings_.router.priority, {}));
}

void Instance::setTracking(track::InstanceTracking tracking) {
  tracking_ = std::move(tracking);
  track::TrackingUpdate update;
  const auto wanted = tracking_.faults();
  for (auto id : wanted) {
    if (std::find(trackerFaults_.begin(), trackerFaults_.end(), id) == trackerFaults_.end()) {
      update.raised.push_back(id);
    }
  }
  for (auto id : trackerFaults_) {
    if (std::find(wanted.begin(), wanted.end(), id) == wanted.end()) update.cleared.push_back(id);
  }
  if (tracking_.priority() != router_.priority()) update.priority = tracking_.priority();
  applyTracking(update);
}

void Instance::onScriptChanged(const std::string& script, bool good) {
  applyTracking(tracking_.scriptChanged(script, good));
}

void Instance::onInterfaceChanged(const std::string& interface, bool up) {
  applyTracking(tracking_.interfaceChanged(interface, up));
}

void Instance::onFileValue(const std::string& file, std::int32_t value) {
  applyTracking(tracking_.fileValue(file, value));
}

void Instance::onProcessQuorum(const std::string& tracker, bool quorum) {
  applyTracking(tracking_.processChanged(tracker, quorum));
}

// Raised before cleared: an instance whose faulting tracker is replaced by
// another never leaves FAULT in between.
void Instance::applyTracking(const track::TrackingUpdate& update) {
  for (auto id : update.raised) {
    if (const auto* t = tracking_.tracker(id)) {
      log_->info("({}) tracker {} faults the instance", settings_.name, t->name);
    }
    trackerFaults_.push_back(id);
  }
  for (auto id : update.cleared) std::erase(trackerFaults_, id);
  const std::uint8_t before = router_.priority();
  const bool running = router_.state() != core::State::Initialize;
  if (update.priority && running) {
    log_->info("({}) effective priority {} -> {}", settings_.name, before, *update.priority);
  }
  for (const auto& event : update.events()) dispatch(event);
  if (running && notifier_ != nullptr && router_.priority() != before) {
    notifier_->priorityChanged(router_.state() == core::State::Master, router_.priority());
  }
  startWhenChecked();
}

// Only the difference moves: a VIP in both lists stays installed throughout,
// so its traffic is never interrupted by a reload.
void Instance::swapVips(const std::vector<net::InterfaceAddress>& before) {
  auto listed = [](const std::vector<net::InterfaceAddress>& list, const net::InterfaceAddress& a) {
    return std::any_of(list.begin(), list.end(),
                       [&](const net::InterfaceAddress& b) { return net::sameAddress(a, b); });
  };
  for (const auto& a : before) {
    if (listed(settings_.addresses, a)) continue;
    log_->info("({}) reload: removing {}", settings_.name, a.address.toString());
    if (auto removed = deps_.addresses.remove(a); !removed) {
      ++stats_.addressErrors;
      log_->error("({}) cannot remove {}: {}", settings_.name, a.address.toString(),
                  removed.error().message());
    }
  }
  for (const auto& a : settings_.addresses) {
    if (listed(before, a)) continue;
    log_->info("({}) reload: adding {}", settings_.name, a.address.toString());
    auto added = deps_.addresses.add(a);
    if (!added) {
      ++stats_.addressErrors;
      log_->error("({}) cannot add {}/{}: {}", settings_.name, a.address.toString(), a.prefixLength,
                  added.error().message());
      continue;
    }
    for (std::uint32_t round = 0; round < settings_.garp.masterRepeat; ++round) {
      if (!deps_.announcer.announce(a.address, settings_.interface.mac,
                                    settings_.interface.forwarding)) {
        ++stats_.announcementsSent;
      }
    }
  }
}

void Instance::onAdvert(const proto::ReceivedAdvertisement& received) {
  auto valid = proto::validate(received, settings_.expect);
  if (!valid) {
    countDrop(valid.error(), received.meta.source,
              proto::describeMismatch(received, settings_.expect, valid.error()),
              core::Centiseconds(received.advert.intervalCs));
    return;
  }
  peerAgreed(received.meta.source);
  ++stats_.advertsReceived;
  ++stats_.checksumForms[static_cast<std::size_t>(received.checksumForm)];
  learnChecksumForm(received.meta.source, received.checksumForm);
  if (received.advert.priority == 0) ++stats_.priorityZeroReceived;
  lastAdvert_ = HeardAdvert{received.meta.source, received.advert.priority, deps_.scheduler.now()};
  dispatch(core::AdvertReceived{received.meta.source, received.advert.priority,
                                received.advert.intervalCs});
}

void Instance::setMaintenance(bool on, bool act) {
  if (act) log_->info("({}) maintenance {}", settings_.name, on ? "on: staying BACKUP" : "off");
  dispatch(core::Maintenance{on, act});
}

void Instance::clearStats() { stats_ = InstanceStats{}; }

void Instance::onDecodeDrop(proto::DropReason reason, const util::IpAddress& from) {
  countDrop(reason, from, proto::describeDecodeMismatch(reason), router_.config().advertInterval);
}

void Instance::onLinkState(bool usable) {
  if (usable) {
    dispatch(core::FaultCleared{kInterfaceFault});
  } else {
    dispatch(core::FaultRaised{kInterfaceFault});
  }
}

void Instance::onAddressRemoved(const net::InterfaceAddress& removed) {
  if (!vipsInstalled_) return;
  for (const auto& a : settings_.addresses) {
    if (!net::sameAddress(a, removed)) continue;
    // keepalived leaves MASTER here unless no_track; we keep serving and put
    // the address back (reference §5 item 12).
    log_->warn("({}) {} was removed from {} by someone else; adding it back", settings_.name,
               a.address.toString(), settings_.interface.name);
    auto added = deps_.addresses.add(a);
    if (added) {
      ++stats_.addressesRestored;
      deps_.announcer.announce(a.address, settings_.interface.mac, settings_.interface.forwarding);
      // The kernel deleted the routes whose src was that address.
      addRoutes();
    } else {
      ++stats_.addressErrors;
      log_->error("({}) cannot add {} back: {}", settings_.name, a.address.toString(),
                  added.error().message());
    }
  }
}

void Instance::dispatch(const core::Event& event) {
  eventStart_ = deps_.scheduler.now();
  if (!sink_) {
    perform(router_.handle(event, eventStart_));
    return;
  }
  // The group may run our actions (perform) from inside the sink: they
  // belong to this event, whose start and deadline are already recorded.
  dispatching_ = true;
  sink_(event);
  dispatching_ = false;
}

void Instance::perform(const core::Actions& actions, std::optional<core::State> groupState) {
  // Pulled along by another member's event: the takeover starts now.
  if (!dispatching_) eventStart_ = deps_.scheduler.now();
  for (const auto& action : actions) {
    const auto* t = std::get_if<core::NotifyTransition>(&action);
    if (t && t->to == core::State::Master) pendingTakeover_ = TakeoverTiming{};
  }
  groupState_ = groupState;
  for (const auto& action : actions) execute(action);
  groupState_.reset();
}

void Instance::execute(const core::Action& action) {
  std::visit(util::Overloaded{
                 [this](const core::SendAdvert& a) { sendAdvert(a); },
                 [this](const core::AddVips&) { addVips(); },
                 [this](const core::RemoveVips&) { removeVips(false); },
                 [this](const core::SendGratuitous& a) { startAnnouncements(a.reason); },
                 [this](const core::MasterRxLowerPriority& a) { onMasterRxLowerPriority(a); },
                 [this](const core::PreemptDeclined& a) { onPreemptDeclined(a); },
                 [this](const core::ArmTimer& a) { armTimer(a); },
                 [this](const core::CancelTimer& a) { cancelTimer(a.timer); },
                 [this](const core::NotifyTransition& a) { onTransition(a); },
             },
             action);
}

// keepalived's wording; with lower_prio_no_advert and garp_lower_prio_repeat 0 (vrrp_strict)
// nothing answers, so nothing "forces" the election.
void Instance::onMasterRxLowerPriority(const core::MasterRxLowerPriority& rx) {
  const bool answered =
      !settings_.router.lowerPriorityNoAdvert || settings_.garp.lowerPrioRepeat > 0;
  if (answered) ++stats_.lowerPriorityAnswers;
  log_->info("({}) received advert from {} with lower priority {}, ours {}{}", settings_.name,
             rx.from.toString(), rx.theirPriority, rx.ourPriority,
             answered ? ": forcing new election" : "; not answered (lower_prio_no_advert)");
  if (notifier_) notifier_->notify(notify::NotifyState::MasterRxLowerPri, rx.ourPriority);
}

// Every declined advert updates the record; a line is logged once per episode.
void Instance::onPreemptDeclined(const core::PreemptDeclined& d) {
  const auto now = deps_.scheduler.now();
  const bool log = startsEpisode(declined_, d, now, router_.masterDownInterval());
  declined_ = DeclinedPreemption{d.master, d.theirPriority, d.ourPriority, d.hold, d.until, now};
  if (log) log_->info("({}) {}", settings_.name, describeDeclined(*declined_, now));
}

std::string Instance::transitionWhy(const core::NotifyTransition& t) const {
  if (!lastAdvert_) return {};
  if (t.cause == core::Cause::Preempted) {
    return describePreempted(lastAdvert_->source, lastAdvert_->priority, t.priority,
                             router_.config());
  }
  if (t.from == core::State::Master && (t.cause == core::Cause::HigherPriorityAdvert ||
                                        t.cause == core::Cause::EqualPriorityHigherAddress)) {
    return describeYielded(lastAdvert_->source, lastAdvert_->priority, t.priority,
                           router_.config());
  }
  return {};
}

void Instance::sendAdvert(const core::SendAdvert& send) {
  proto::Advertisement advert = settings_.advert;
  advert.priority = send.priority;
  advert.intervalCs = static_cast<std::uint16_t>(send.interval.count());
  // One IPv4 ID per advert, shared by its unicast copies, as keepalived.
  const std::uint16_t id = ipv4Id_.next();
  for (const auto& destination : settings_.destinations) {
    auto bytes = proto::encode(advert, settings_.interface.source, destination,
                               checksumFormFor(destination));
    if (!bytes) {
      // The configuration was validated; an unencodable advert is a bug.
      log_->critical("({}) cannot encode advert: {}", settings_.name,
                     proto::toString(bytes.error()));
      continue;
    }
    auto error = settings_.unicast ? deps_.transport.sendTo(bytes.value(), destination, id)
                                   : deps_.transport.send(bytes.value(), id);
    if (error) {
      ++stats_.advertSendErrors;
      log_->warn("({}) sending advert to {} failed: {}", settings_.name, destination.toString(),
                 error.message());
    } else {
      ++stats_.advertsSent;
      if (send.priority == 0) ++stats_.priorityZeroSent;
    }
  }
  if (send.priority == 0) log_->info("({}) sent priority 0 advert", settings_.name);
}

void Instance::addVips() {
  for (const auto& a : settings_.addresses) {
    auto added = deps_.addresses.add(a);
    if (!added) {
      ++stats_.addressErrors;
      log_->error("({}) cannot add {}/{}: {}", settings_.name, a.address.toString(), a.prefixLength,
                  added.error().message());
    }
  }
  vipsInstalled_ = true;
  if (pendingTakeover_) {
    pendingTakeover_->vipsInstalled =
        duration_cast<microseconds>(deps_.scheduler.now() - eventStart_);
  }
  addRoutes();
}

// A refused route or rule is logged and counted; the instance keeps its
// state and its VIPs (issue 9: routes never stop an instance from serving).
void Instance::addRoutes() {
  for (const auto& route : settings_.routes) addRoute(route, "route");
  for (const auto& rule : settings_.rules) addRoute(rule, "rule");
}

void Instance::removeRoutes(bool quiet) {
  for (const auto& rule : settings_.rules) removeRoute(rule, "rule", quiet);
  for (const auto& route : settings_.routes) removeRoute(route, "route", quiet);
}

// Only those that changed move, like the VIPs; the new ones are added by
// addRoutes() (idempotent) once the VIPs are in place.
void Instance::swapRoutes(const std::vector<net::RouteSpec>& routesBefore,
                          const std::vector<net::RuleSpec>& rulesBefore) {
  auto kept = [](const auto& list, const auto& spec) {
    return std::find(list.begin(), list.end(), spec) != list.end();
  };
  for (const auto& rule : rulesBefore) {
    if (!kept(settings_.rules, rule)) removeRoute(rule, "rule", false);
  }
  for (const auto& route : routesBefore) {
    if (!kept(settings_.routes, route)) removeRoute(route, "route", false);
  }
}

template <typename Spec>
void Instance::addRoute(const Spec& spec, const char* what) {
  auto added = instanceAddSpec(deps_.routes, spec);
  if (added) return;
  ++stats_.routeErrors;
  log_->error("({}) cannot add {} {}: {}{}", settings_.name, what, net::describe(spec),
              added.error().message(), kernelReason(deps_.routes));
}

template <typename Spec>
void Instance::removeRoute(const Spec& spec, const char* what, bool quiet) {
  auto removed = instanceRemoveSpec(deps_.routes, spec);
  if (removed || quiet) return;
  ++stats_.routeErrors;
  log_->error("({}) cannot remove {} {}: {}{}", settings_.name, what, net::describe(spec),
              removed.error().message(), kernelReason(deps_.routes));
}

void Instance::removeVips(bool quiet) {
  cancelAnnouncements();
  // Cleared first: the netlink monitor reports our own removals too.
  vipsInstalled_ = false;
  removeRoutes(quiet);
  for (const auto& a : settings_.addresses) {
    auto removed = deps_.addresses.remove(a);
    if (!removed && !quiet) {
      ++stats_.addressErrors;
      log_->error("({}) cannot remove {}: {}", settings_.name, a.address.toString(),
                  removed.error().message());
    }
  }
}

void Instance::announceBurst(std::uint32_t repeat) {
  // keepalived interleaves: round after round, one packet per address.
  for (std::uint32_t round = 0; round < repeat; ++round) {
    for (const auto& a : settings_.addresses) {
      auto error = deps_.announcer.announce(a.address, settings_.interface.mac,
                                            settings_.interface.forwarding);
      if (error) {
        log_->warn("({}) announcing {} failed: {}", settings_.name, a.address.toString(),
                   error.message());
      } else {
        ++stats_.announcementsSent;
      }
    }
  }
}

void Instance::startAnnouncements(core::GratuitousReason reason) {
  const auto& g = settings_.garp;
  const bool takeover = reason == core::GratuitousReason::BecameMaster;
  const auto repeat = takeover ? g.masterRepeat : g.lowerPrioRepeat;
  const auto delay = takeover ? g.masterDelay : g.lowerPrioDelay;
  announceBurst(repeat);
  if (pendingTakeover_ && takeover) {
    pendingTakeover_->firstAnnouncement =
        duration_cast<microseconds>(deps_.scheduler.now() - eventStart_);
  }
  // A rogue master answers every one of our adverts, so the answers to
  // lower-priority adverts come as often as they do (100 a second at
  // centisecond intervals, each arming a 5 s timer: bench/scale found
  // thousands pending). One pending second burst covers them all.
  const bool secondBurstPending = !takeover && lowerPrioBurst_ &&
                                  std::find(announceTimers_.begin(), announceTimers_.end(),
                                            *lowerPrioBurst_) != announceTimers_.end();
  if (delay.count() > 0 && repeat > 0 && !secondBurstPending) {
    const auto id = scheduleAnnouncement(delay, repeat, false);
    if (!takeover) lowerPrioBurst_ = id;
  }
  if (takeover && g.masterRefresh.count() > 0) {
    scheduleAnnouncement(g.masterRefresh, g.masterRefreshRepeat, true);
  }
}

Scheduler::TimerId Instance::scheduleAnnouncement(std::chrono::seconds after, std::uint32_t repeat,
                                                  bool periodic) {
  auto id = std::make_shared<Scheduler::TimerId>();
  *id =
      deps_.scheduler.armTimer(deps_.scheduler.now() + after, [this, after, repeat, periodic, id] {
        std::erase(announceTimers_, *id);
        announceBurst(repeat);
        if (periodic) scheduleAnnouncement(after, repeat, true);
      });
  announceTimers_.push_back(*id);
  return *id;
}

void Instance::cancelAnnouncements() {
  for (auto id : announceTimers_) deps_.scheduler.cancelTimer(id);
  announceTimers_.clear();
}

void Instance::armTimer(const core::ArmTimer& arm) {
  cancelTimer(arm.timer);
  const auto deadline = arm.deadline;
  timers_[static_cast<std::size_t>(arm.timer)] =
      deps_.scheduler.armTimer(deadline, [this, arm, deadline] {
        timers_[static_cast<std::size_t>(arm.timer)].reset();
        eventDeadline_ = deadline;
        dispatch(core::TimerExpired{arm.timer, arm.generation});
        eventDeadline_.reset();
      });
}

void Instance::cancelTimer(core::TimerId timer) {
  auto& slot = timers_[static_cast<std::size_t>(timer)];
  if (slot) deps_.scheduler.cancelTimer(*slot);
  slot.reset();
}

void Instance::onTransition(const core::NotifyTransition& t) {
  ++stats_.transitions[static_cast<std::size_t>(t.cause)];
  if (t.to == core::State::Master) ++stats_.becameMaster;
  if (t.from == core::State::Master && t.to != core::State::Master) ++stats_.releasedMaster;
  lastTransition_ = TransitionRecord{
      t.from, t.to, t.cause, t.priority, deps_.scheduler.now(), std::chrono::system_clock::now()};
  declined_.reset();
  const std::string why = transitionWhy(t);
  preempted_.reset();
  if (t.cause == core::Cause::Preempted) preempted_ = why;
  const std::string whyField = why.empty() ? "" : fmt::format(" why=\"{}\"", why);
  if (t.to != core::State::Master) {
    log_->info("({}) entering {} state: cause={} priority={} from={}{}", settings_.name,
               core::toString(t.to), core::toString(t.cause), t.priority, core::toString(t.from),
               whyField);
    notifyTransition(t);
    return;
  }
  // Telemetry is logged after the work that mattered (advert, VIPs, first
  // announcement) was done: the actions come in that order.
  TakeoverTiming timing = pendingTakeover_.value_or(TakeoverTiming{});
  if (eventDeadline_)
    timing.timerLateness = duration_cast<microseconds>(eventStart_ - *eventDeadline_);
  if (lastAdvert_) timing.detection = duration_cast<microseconds>(eventStart_ - lastAdvert_->at);
  stats_.lastTakeover = timing;
  if (timing.detection) {
    stats_.failoverSeconds.observe(
        std::chrono::duration<double>(*timing.detection + timing.firstAnnouncement).count());
  }
  pendingTakeover_.reset();
  log_->info(
      "({}) entering MASTER state: cause={} priority={} since_last_advert_ms={} "
      "timer_late_us={} vips_added_us={} first_announcement_us={} from={}{}",
      settings_.name, core::toString(t.cause), t.priority,
      timing.detection ? fmt::format("{:.3f}", ms(*timing.detection)) : "none",
      timing.timerLateness.count(), timing.vipsInstalled.count(), timing.firstAnnouncement.count(),
      core::toString(t.from), whyField);
  notifyTransition(t);
}

// keepalived's notify states: a stopped instance reports STOP (reference §2.1).
void Instance::notifyTransition(const core::NotifyTransition& t) {
  if (notifySuppressed(t)) {
    log_->info("({}) already {} with its sync group: no instance notify", settings_.name,
               core::toString(t.to));
    return;
  }
  notified_ = true;
  if (notifier_ == nullptr) return;
  switch (t.to) {
    case core::State::Master:
      notifier_->notify(notify::NotifyState::Master, t.priority);
      break;
    case core::State::Backup:
      notifier_->notify(notify::NotifyState::Backup, t.priority);
      break;
    case core::State::Fault:
      notifier_->notify(notify::NotifyState::Fault, t.priority);
      break;
    case core::State::Initialize:
      notifier_->notify(deleted_ ? notify::NotifyState::Deleted : notify::NotifyState::Stop,
                        t.priority);
      break;
  }
}

// keepalived: "We are already in the required state due to our sync group,
// so don't send further notifies" (notifies_sent && state == sync->state).
bool Instance::notifySuppressed(const core::NotifyTransition& t) const {
  return notified_ && groupState_ && *groupState_ == t.to;
}

}  // namespace vipd::daemon
