// keepalived's signal dumps rendered from vipd's instances; see keepalived_dump.h.
#include "vipd/daemon/keepalived_dump.h"

#include <fmt/format.h>
#include <net/if.h>

#include <cmath>

#include "vipd/ctl/format.h"
#include "vipd/daemon/status.h"

namespace vipd::daemon {

namespace {

using Instances = std::vector<std::unique_ptr<Instance>>;
using proto::DropReason;

std::uint64_t drops(const InstanceStats& stats, std::initializer_list<DropReason> reasons) {
  std::uint64_t sum = 0;
  for (auto reason : reasons) sum += stats.drops.at(static_cast<std::size_t>(reason));
  return sum;
}

// keepalived writes its float fields with %g: 1 second is "1", not "1.0".
nlohmann::ordered_json number(double value) {
  if (value == std::floor(value) && std::abs(value) < 1e15) {
    return static_cast<std::int64_t>(value);
  }
  return value;
}

double inSeconds(core::Centiseconds cs) { return static_cast<double>(cs.count()) / 100.0; }

std::uint64_t wholeSeconds(core::Duration d) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

double epochSeconds(std::chrono::system_clock::time_point at) {
  return std::chrono::duration<double>(at.time_since_epoch()).count();
}

bool isV2(const Instance& instance) {
  return instance.router().config().version == core::Version::V2;
}

// keepalived ignores authentication for VRRPv3, so it reports none there.
proto::AuthType reportedAuthType(const Instance& instance) {
  return isV2(instance) ? instance.settings().advert.authType : proto::AuthType::None;
}

const char* authTypeName(proto::AuthType type) {
  switch (type) {
    case proto::AuthType::None:
      return "none";
    case proto::AuthType::SimplePassword:
      return "SIMPLE_PASSWORD";
    case proto::AuthType::IpsecAh:
      return "IPSEC_AH";
  }
  return "none";
}

// settings().addresses holds the VIPs, then the eVIPs; the advert carries
// exactly the VIPs, so its count splits the two.
struct AddressLists {
  std::vector<std::string> vips;
  std::vector<std::string> evips;
};

AddressLists addressLists(const Instance& instance, const InterfaceNamer& interfaceName) {
  const auto& settings = instance.settings();
  const std::size_t vipCount = settings.advert.addresses.size();
  AddressLists lists;
  for (std::size_t i = 0; i < settings.addresses.size(); ++i) {
    const auto& a = settings.addresses[i];
    const std::string device = a.ifindex == settings.interface.ifindex ? settings.interface.name
                                                                       : interfaceName(a.ifindex);
    auto text = keepalivedAddress(a, device, instance.vipsInstalled());
    (i < vipCount ? lists.vips : lists.evips).push_back(std::move(text));
  }
  return lists;
}

std::vector<std::string> trackerNames(const Instance& instance, track::TrackerKind kind) {
  std::vector<std::string> names;
  for (const auto& tracker : instance.tracking().trackers()) {
    if (tracker.kind == kind) names.push_back(tracker.name);
  }
  return names;
}

// keepalived leaves out an empty list rather than writing [].
void putList(nlohmann::ordered_json& data, const char* key, const std::vector<std::string>& list) {
  if (!list.empty()) data[key] = list;
}

std::uint8_t masterPriority(const Instance& instance) {
  const auto& heard = instance.lastAdvert();
  return heard ? heard->priority : 0;
}

nlohmann::ordered_json dataJson(const Instance& instance, const InterfaceNamer& interfaceName) {
  const auto& settings = instance.settings();
  const auto& router = instance.router();
  const auto& config = router.config();
  const auto& garp = settings.garp;
  nlohmann::ordered_json data;
  data["iname"] = settings.name;
  data["skip_check_adv_addr"] = settings.expect.checkAddresses ? 0 : 1;
  // keepalived's ifp is the VMAC when use_vmac is on, and vmac_ifname names it.
  if (settings.interface.vmac) {
    data["vmac_ifname"] = settings.interface.name;
  }
  data["ifp_ifname"] = settings.interface.name;
  data["master_priority"] = masterPriority(instance);
  if (const auto& last = instance.lastTransition()) {
    data["last_transition"] = epochSeconds(last->wallTime);
  }
  data["garp_delay"] = number(static_cast<double>(garp.masterDelay.count()));
  data["garp_refresh"] = garp.masterRefresh.count();
  data["garp_rep"] = garp.masterRepeat;
  data["garp_refresh_rep"] = garp.masterRefreshRepeat;
  data["garp_lower_prio_delay"] = garp.lowerPrioDelay.count();
  data["garp_lower_prio_rep"] = garp.lowerPrioRepeat;
  data["lower_prio_no_advert"] = config.lowerPriorityNoAdvert ? 1 : 0;
  data["vrid"] = config.vrid;
  data["base_priority"] = config.priority;
  data["effective_priority"] = router.priority();
  data["vipset"] = instance.vipsInstalled();
  data["adver_int"] = number(inSeconds(config.advertInterval));
  data["master_adver_int"] = number(inSeconds(router.masterAdverInterval()));
  data["accept"] = config.acceptMode ? 1 : 0;
  data["nopreempt"] = !config.preempt;
  data["preempt_delay"] = wholeSeconds(config.preemptDelay);
  data["state"] = keepalivedState(router.state());
  data["wantstate"] = keepalivedState(router.state());
  data["version"] = isV2(instance) ? 2 : 3;
  auto addresses = addressLists(instance, interfaceName);
  putList(data, "vips", addresses.vips);
  putList(data, "evips", addresses.evips);
  putList(data, "track_ifp", trackerNames(instance, track::TrackerKind::Interface));
  putList(data, "track_process", trackerNames(instance, track::TrackerKind::Process));
  // The type only: keepalived's auth_data is the password in clear.
  data["auth_type"] = static_cast<int>(reportedAuthType(instance));
  return data;
}

nlohmann::ordered_json statsJson(const InstanceStats& stats) {
  const KeepalivedStats k = keepalivedStats(stats);
  return {
      {"advert_rcvd", k.advertRcvd},
      {"advert_sent", k.advertSent},
      {"become_master", k.becomeMaster},
      {"release_master", k.releaseMaster},
      {"packet_len_err", k.packetLenErr},
      {"advert_interval_err", k.advertIntervalErr},
      {"ip_ttl_err", k.ipTtlErr},
      {"invalid_type_rcvd", k.invalidTypeRcvd},
      {"addr_list_err", k.addrListErr},
      {"invalid_authtype", k.invalidAuthtype},
      {"authtype_mismatch", k.authtypeMismatch},
      {"auth_failure", k.authFailure},
      {"pri_zero_rcvd", k.priZeroRcvd},
      {"pri_zero_sent", k.priZeroSent},
  };
}

std::string statsText(const Instance& instance) {
  const KeepalivedStats k = keepalivedStats(instance.stats());
  std::string out = fmt::format("VRRP Instance: {}\n", instance.settings().name);
  out += fmt::format("  Advertisements:\n    Received: {}\n    Sent: {}\n", k.advertRcvd,
                     k.advertSent);
  out +=
      fmt::format("  Became master: {}\n  Released master: {}\n", k.becomeMaster, k.releaseMaster);
  out += fmt::format(
      "  Packet Errors:\n    Length: {}\n    TTL: {}\n    Invalid Type: {}\n"
      "    Advertisement Interval: {}\n    Address List: {}\n",
      k.packetLenErr, k.ipTtlErr, k.invalidTypeRcvd, k.advertIntervalErr, k.addrListErr);
  out += fmt::format(
      "  Authentication Errors:\n    Invalid Type: {}\n    Type Mismatch: {}\n    Failure: {}\n",
      k.invalidAuthtype, k.authtypeMismatch, k.authFailure);
  out += fmt::format("  Priority Zero:\n    Received: {}\n    Sent: {}\n", k.priZeroRcvd,
                     k.priZeroSent);
  return out;
}

std::string stateName(core::State state) {
  switch (state) {
    case core::State::Initialize:
      return "INIT";
    case core::State::Backup:
      return "BACKUP";
    case core::State::Master:
      return "MASTER";
    case core::State::Fault:
      return "FAULT";
  }
  return "INIT";
}

// keepalived prints a VRRPv2 interval in seconds, a VRRPv3 one in ms.
std::string advertInterval(const Instance& instance) {
  const auto cs = instance.router().config().advertInterval.count();
  if (isV2(instance)) return fmt::format("{} sec", cs / 100);
  return fmt::format("{} milli-sec", cs * 10);
}

std::string destinations(const InstanceSettings& settings) {
  std::string out;
  for (const auto& d : settings.destinations) {
    out += settings.unicast ? fmt::format("   Unicast peer = {}\n", d.toString())
                            : fmt::format("   Multicast address {}\n", d.toString());
  }
  return out;
}

std::string lastTransitionLine(const Instance& instance) {
  const auto& last = instance.lastTransition();
  if (!last) return "";
  return fmt::format("   Last transition = {:.6f} ({})\n", epochSeconds(last->wallTime),
                     rfc3339(last->wallTime));
}

std::string listLines(const char* title, const std::vector<std::string>& items) {
  if (items.empty()) return "";
  std::string out = fmt::format("   {} ({}):\n", title, items.size());
  for (const auto& item : items) out += fmt::format("     {}\n", item);
  return out;
}

std::string topology(const Instance& instance, Scheduler::Clock::time_point now,
                     const InterfaceNamer& interfaceName) {
  const auto& settings = instance.settings();
  const auto& router = instance.router();
  const auto& config = router.config();
  const auto& garp = settings.garp;
  const auto status = instanceStatus(instance, now);
  std::string out = fmt::format(" VRRP Instance = {}\n   VRRP Version = {}\n", settings.name,
                                isV2(instance) ? 2 : 3);
  out += fmt::format("   State = {}\n", stateName(router.state()));
  // As keepalived: the master heard, only while BACKUP.
  if (router.state() == core::State::Backup && status["master"].is_string()) {
    out += fmt::format("   Master router = {}\n   Master priority = {}\n",
                       status["master"].get<std::string>(), masterPriority(instance));
  }
  out += fmt::format("   Wantstate = {}\n", stateName(router.state()));
  out += lastTransitionLine(instance);
  out += fmt::format("   Interface = {}\n   Using src_ip = {}\n", settings.interface.name,
                     settings.interface.source.toString());
  out += destinations(settings);
  out += fmt::format(
      "   Gratuitous ARP delay = {}\n   Gratuitous ARP repeat = {}\n"
      "   Gratuitous ARP refresh = {}\n   Gratuitous ARP refresh repeat = {}\n"
      "   Gratuitous ARP lower priority delay = {}\n"
      "   Gratuitous ARP lower priority repeat = {}\n",
      garp.masterDelay.count(), garp.masterRepeat, garp.masterRefresh.count(),
      garp.masterRefreshRepeat, garp.lowerPrioDelay.count(), garp.lowerPrioRepeat);
  out += fmt::format("   Down timer adverts = {}\n", config.downTimerAdverts);
  out += fmt::format("   Virtual Router ID = {}\n   Priority = {}\n   Effective priority = {}\n",
                     config.vrid, config.priority, router.priority());
  out += fmt::format("   Advert interval = {}\n", advertInterval(instance));
  out +=
      fmt::format("   Accept = {}\n   Preempt = {}\n", config.acceptMode ? "enabled" : "disabled",
                  config.preempt ? "enabled" : "disabled");
  if (config.preemptDelay.count() > 0) {
    out += fmt::format("   Preempt delay = {} secs\n", wholeSeconds(config.preemptDelay));
  }
  if (isV2(instance)) {
    out += fmt::format("   Authentication type = {}\n", authTypeName(reportedAuthType(instance)));
  }
  const auto addresses = addressLists(instance, interfaceName);
  out += listLines("Virtual IP", addresses.vips);
  out += listLines("Virtual IP Excluded", addresses.evips);
  out += listLines("Tracked interfaces", trackerNames(instance, track::TrackerKind::Interface));
  out += listLines("Tracked scripts", trackerNames(instance, track::TrackerKind::Script));
  out += listLines("Tracked files", trackerNames(instance, track::TrackerKind::File));
  out += listLines("Tracked processes", trackerNames(instance, track::TrackerKind::Process));
  out += fmt::format("   Maintenance = {}\n", instance.inMaintenance() ? "on" : "off");
  return out;
}

}  // namespace

KeepalivedStats keepalivedStats(const InstanceStats& s) {
  KeepalivedStats k;
  k.advertRcvd = s.advertsReceived;
  k.advertSent = s.advertsSent;
  k.becomeMaster = s.becameMaster;
  k.releaseMaster = s.releasedMaster;
  k.packetLenErr =
      drops(s, {DropReason::Truncated, DropReason::CountExceedsLength, DropReason::TooLong});
  k.advertIntervalErr = drops(s, {DropReason::IntervalMismatch});
  k.ipTtlErr = drops(s, {DropReason::TtlNot255, DropReason::UnicastTtlOutOfRange});
  k.invalidTypeRcvd = drops(s, {DropReason::UnknownType});
  k.addrListErr = drops(s, {DropReason::AddressCountMismatch, DropReason::AddressListMismatch,
                            DropReason::DeliveryMismatch});
  k.invalidAuthtype = drops(s, {DropReason::UnknownAuthType});
  k.authtypeMismatch = drops(s, {DropReason::AuthTypeMismatch});
  k.authFailure = drops(s, {DropReason::AuthFailure});
  k.priZeroRcvd = s.priorityZeroReceived;
  k.priZeroSent = s.priorityZeroSent;
  return k;
}

int keepalivedState(core::State state) {
  switch (state) {
    case core::State::Initialize:
      return 0;
    case core::State::Backup:
      return 1;
    case core::State::Master:
      return 2;
    case core::State::Fault:
      return 3;
  }
  return 0;
}

std::string keepalivedAddress(const net::InterfaceAddress& a, const std::string& device,
                              bool installed) {
  std::string out = fmt::format("{}/{}", a.address.toString(), a.prefixLength);
  if (a.broadcast) out += " brd " + a.broadcast->toString();
  out += fmt::format(" dev {} scope {}", device, net::scopeName(a.scope));
  if (!a.label.empty()) out += " label " + a.label;
  if (installed) out += " set";
  return out;
}

nlohmann::ordered_json keepalivedJson(const Instances& instances,
                                      const InterfaceNamer& interfaceName) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& instance : instances) {
    out.push_back(
        {{"data", dataJson(*instance, interfaceName)}, {"stats", statsJson(instance->stats())}});
  }
  return out;
}

std::string keepalivedStatsText(const Instances& instances) {
  std::string out;
  for (const auto& instance : instances) out += statsText(*instance);
  return out;
}

std::string keepalivedDataText(const Instances& instances, Scheduler::Clock::time_point now,
                               const InterfaceNamer& interfaceName) {
  std::string out = "------< VRRP Topology >------\n";
  for (const auto& instance : instances) out += topology(*instance, now, interfaceName);
  out += "------< vipd status >------\n";
  out += ctl::formatStatus(statusDocument(instances, now));
  return out;
}

std::string systemInterfaceName(int ifindex) {
  char name[IF_NAMESIZE] = {};
  if (ifindex > 0 && ::if_indextoname(static_cast<unsigned>(ifindex), name) != nullptr) {
    return name;
  }
  return fmt::format("ifindex {}", ifindex);
}

}  // namespace vipd::daemon
