// The installed set, its JSON form and the state file; see install_ledger.h.
#include "vipd/daemon/install_ledger.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "vipd/net/address_manager_types.h"
#include "vipd/net/garp.h"
#include "vipd/util/atomic_file.h"
#include "vipd/util/overloaded.h"

namespace vipd::daemon {

namespace {

using nlohmann::json;
// Written with each entry's fields in a fixed, readable order ("type" first).
using OrderedJson = nlohmann::ordered_json;

// Bumped when an entry changes meaning; a file of another version is not guessed at.
constexpr int kLedgerVersion = 1;

/// An entry that cannot be read back; the message says which field.
class BadEntry : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr std::pair<net::RouteKind, const char*> kRouteKinds[] = {
    {net::RouteKind::Unicast, "unicast"},
    {net::RouteKind::Blackhole, "blackhole"},
    {net::RouteKind::Unreachable, "unreachable"},
    {net::RouteKind::Prohibit, "prohibit"},
    {net::RouteKind::Throw, "throw"},
};
constexpr std::pair<net::RuleKind, const char*> kRuleKinds[] = {
    {net::RuleKind::Table, "table"},         {net::RuleKind::Goto, "goto"},
    {net::RuleKind::Blackhole, "blackhole"}, {net::RuleKind::Unreachable, "unreachable"},
    {net::RuleKind::Prohibit, "prohibit"},
};

template <typename Enum, std::size_t N>
const char* enumWord(const std::pair<Enum, const char*> (&table)[N], Enum value) {
  for (const auto& [e, word] : table) {
    if (e == value) return word;
  }
  return "?";
}

template <typename Enum, std::size_t N>
Enum enumOf(const std::pair<Enum, const char*> (&table)[N], const std::string& word,
            const char* field) {
  for (const auto& [e, w] : table) {
    if (word == w) return e;
  }
  throw BadEntry(std::string(field) + ": unknown value '" + word + "'");
}

const char* familyWord(util::Family family) {
  return family == util::Family::V6 ? "inet6" : "inet";
}

util::Family familyOf(const std::string& word) {
  if (word == "inet") return util::Family::V4;
  if (word == "inet6") return util::Family::V6;
  throw BadEntry("family: expected inet or inet6, not '" + word + "'");
}

util::IpAddress addressOf(const json& j, const char* field) {
  auto parsed = util::IpAddress::parse(j.at(field).get<std::string>());
  if (!parsed) throw BadEntry(std::string(field) + ": not an IP address");
  return *parsed;
}

std::string prefixText(const net::Prefix& p) {
  return p.address.toString() + "/" + std::to_string(p.length);
}

net::Prefix prefixOf(const json& j, const char* field) {
  const auto text = j.at(field).get<std::string>();
  const auto slash = text.find('/');
  auto address = util::IpAddress::parse(text.substr(0, slash));
  if (!address || slash == std::string::npos) {
    throw BadEntry(std::string(field) + ": expected ADDRESS/LENGTH, not '" + text + "'");
  }
  int length = -1;
  std::istringstream(text.substr(slash + 1)) >> length;
  if (length < 0 || static_cast<std::size_t>(length) > address->size() * 8) {
    throw BadEntry(std::string(field) + ": bad prefix length in '" + text + "'");
  }
  return {*address, static_cast<std::uint8_t>(length)};
}

std::uint8_t byteOf(const json& j, const char* field) {
  const auto value = j.at(field).get<unsigned>();
  if (value > 255) throw BadEntry(std::string(field) + ": must be 0 to 255");
  return static_cast<std::uint8_t>(value);
}

template <typename T>
void putOptional(OrderedJson& j, const char* field, const std::optional<T>& value) {
  if (value) j[field] = *value;
}

template <typename T>
std::optional<T> optionalOf(const json& j, const char* field) {
  if (!j.contains(field)) return std::nullopt;
  return j.at(field).get<T>();
}

OrderedJson toJson(const InstalledAddress& a) {
  return {{"type", "address"},
          {"interface", a.interface},
          {"ifindex", a.ifindex},
          {"address", a.address.toString() + "/" + std::to_string(a.prefixLength)}};
}

OrderedJson toJson(const net::RouteSpec& r) {
  OrderedJson hops = OrderedJson::array();
  for (const auto& hop : r.nextHops) {
    OrderedJson h;
    if (hop.gateway) h["gateway"] = hop.gateway->toString();
    putOptional(h, "device", hop.device);
    h["onlink"] = hop.onLink;
    hops.push_back(std::move(h));
  }
  OrderedJson j = {{"type", "route"},
                   {"kind", enumWord(kRouteKinds, r.kind)},
                   {"destination", prefixText(r.destination)},
                   {"next_hops", std::move(hops)},
                   {"table", r.table},
                   {"protocol", r.protocol},
                   {"scope", r.scope}};
  if (r.preferredSource) j["preferred_source"] = r.preferredSource->toString();
  putOptional(j, "metric", r.metric);
  return j;
}

OrderedJson toJson(const net::RuleSpec& r) {
  OrderedJson j = {{"type", "rule"},
                   {"family", familyWord(r.family)},
                   {"kind", enumWord(kRuleKinds, r.kind)},
                   {"table", r.table},
                   {"goto", r.gotoTarget}};
  if (r.from) j["from"] = prefixText(*r.from);
  if (r.to) j["to"] = prefixText(*r.to);
  putOptional(j, "iif", r.inputInterface);
  putOptional(j, "oif", r.outputInterface);
  putOptional(j, "fwmark", r.fwmark);
  putOptional(j, "fwmask", r.fwmask);
  putOptional(j, "priority", r.priority);
  return j;
}

OrderedJson toJson(const InstalledMacvlan& m) {
  return {{"type", "macvlan"},
          {"name", m.name},
          {"parent", m.parent},
          {"parent_ifindex", m.parentIfindex},
          {"mac", net::toString(m.mac)}};
}

InstalledAddress addressEntry(const json& j) {
  InstalledAddress a;
  a.interface = j.at("interface").get<std::string>();
  a.ifindex = j.at("ifindex").get<int>();
  if (a.ifindex <= 0) throw BadEntry("ifindex: must be positive");
  const auto prefix = prefixOf(j, "address");
  a.address = prefix.address;
  a.prefixLength = prefix.length;
  return a;
}

net::RouteSpec routeEntry(const json& j) {
  net::RouteSpec r;
  r.kind = enumOf(kRouteKinds, j.at("kind").get<std::string>(), "kind");
  r.destination = prefixOf(j, "destination");
  if (j.contains("preferred_source")) r.preferredSource = addressOf(j, "preferred_source");
  for (const auto& h : j.at("next_hops")) {
    net::NextHop hop;
    if (h.contains("gateway")) hop.gateway = addressOf(h, "gateway");
    hop.device = optionalOf<std::string>(h, "device");
    hop.onLink = h.at("onlink").get<bool>();
    r.nextHops.push_back(std::move(hop));
  }
  r.table = j.at("table").get<std::uint32_t>();
  r.metric = optionalOf<std::uint32_t>(j, "metric");
  r.protocol = byteOf(j, "protocol");
  r.scope = byteOf(j, "scope");
  return r;
}

net::RuleSpec ruleEntry(const json& j) {
  net::RuleSpec r;
  r.family = familyOf(j.at("family").get<std::string>());
  r.kind = enumOf(kRuleKinds, j.at("kind").get<std::string>(), "kind");
  r.table = j.at("table").get<std::uint32_t>();
  r.gotoTarget = j.at("goto").get<std::uint32_t>();
  if (j.contains("from")) r.from = prefixOf(j, "from");
  if (j.contains("to")) r.to = prefixOf(j, "to");
  r.inputInterface = optionalOf<std::string>(j, "iif");
  r.outputInterface = optionalOf<std::string>(j, "oif");
  r.fwmark = optionalOf<std::uint32_t>(j, "fwmark");
  r.fwmask = optionalOf<std::uint32_t>(j, "fwmask");
  r.priority = optionalOf<std::uint32_t>(j, "priority");
  return r;
}

InstalledMacvlan macvlanEntry(const json& j) {
  InstalledMacvlan m;
  m.name = j.at("name").get<std::string>();
  m.parent = j.at("parent").get<std::string>();
  m.parentIfindex = j.at("parent_ifindex").get<int>();
  auto mac = net::parseMac(j.at("mac").get<std::string>());
  if (!mac) throw BadEntry("mac: not a MAC address");
  m.mac = *mac;
  if (m.name.empty() || m.parentIfindex <= 0) {
    throw BadEntry("name and parent_ifindex: must be set");
  }
  return m;
}

OrderedJson toJson(const InstalledSysctl& s) {
  return {{"type", "sysctl"},
          {"family", familyWord(s.setting.family)},
          {"interface", s.setting.interface},
          {"name", s.setting.name},
          {"value", s.setting.value},
          {"original", s.original}};
}

InstalledSysctl sysctlEntry(const json& j) {
  InstalledSysctl s;
  s.setting.family = familyOf(j.at("family").get<std::string>());
  s.setting.interface = j.at("interface").get<std::string>();
  s.setting.name = j.at("name").get<std::string>();
  s.setting.value = j.at("value").get<int>();
  s.original = j.at("original").get<int>();
  // The names make a path under /proc/sys: nothing that could climb out of it.
  for (const auto* part : {&s.setting.interface, &s.setting.name}) {
    if (part->empty() || part->find('/') != std::string::npos || *part == "." || *part == "..") {
      throw BadEntry("interface and name: must be plain names");
    }
  }
  return s;
}

InstalledItem itemOf(const json& j) {
  const auto type = j.at("type").get<std::string>();
  if (type == "address") return addressEntry(j);
  if (type == "route") return routeEntry(j);
  if (type == "rule") return ruleEntry(j);
  if (type == "macvlan") return macvlanEntry(j);
  if (type == "sysctl") return sysctlEntry(j);
  throw BadEntry("type: unknown value '" + type + "'");
}

}  // namespace

net::InterfaceAddress kernelAddress(const InstalledAddress& installed) {
  net::InterfaceAddress a;
  a.ifindex = installed.ifindex;
  a.address = installed.address;
  a.prefixLength = installed.prefixLength;
  return a;
}

std::string sysctlName(const net::Sysctl& s) {
  return std::string("net.") + (s.family == util::Family::V6 ? "ipv6" : "ipv4") + ".conf." +
         s.interface + "." + s.name;
}

std::string describe(const InstalledItem& item) {
  return std::visit(
      util::Overloaded{
          [](const InstalledAddress& a) {
            return a.address.toString() + "/" + std::to_string(a.prefixLength) + " on " +
                   (a.interface.empty() ? "ifindex " + std::to_string(a.ifindex) : a.interface);
          },
          [](const net::RouteSpec& r) { return "route " + net::describe(r); },
          [](const net::RuleSpec& r) { return "rule " + net::describe(r); },
          [](const InstalledMacvlan& m) { return "macvlan " + m.name + " on " + m.parent; },
          [](const InstalledSysctl& s) {
            return "sysctl " + sysctlName(s.setting) + "=" + std::to_string(s.setting.value);
          },
      },
      item);
}

bool sameItem(const InstalledItem& a, const InstalledItem& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<InstalledAddress>(&a)) {
    return net::sameAddress(kernelAddress(*x), kernelAddress(std::get<InstalledAddress>(b)));
  }
  if (const auto* x = std::get_if<InstalledMacvlan>(&a)) {
    return x->name == std::get<InstalledMacvlan>(b).name;
  }
  if (const auto* x = std::get_if<InstalledSysctl>(&a)) {
    const auto& y = std::get<InstalledSysctl>(b).setting;
    return x->setting.family == y.family && x->setting.interface == y.interface &&
           x->setting.name == y.name;
  }
  return a == b;
}

namespace {

std::string ledgerHeader() {
  return OrderedJson{{"vipd_state_version", kLedgerVersion}}.dump() + "\n";
}

}  // namespace

std::string ledgerLine(const InstalledItem& item) {
  return std::visit([](const auto& i) { return toJson(i); }, item).dump() + "\n";
}

std::string ledgerText(const std::vector<InstalledItem>& items) {
  std::string text = ledgerHeader();
  for (const auto& item : items) text += ledgerLine(item);
  return text;
}

LedgerResult parseLedgerText(const std::string& text) {
  std::istringstream in(text);
  std::vector<InstalledItem> items;
  bool header = false;
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      const json j = json::parse(line);
      if (header) {
        items.push_back(itemOf(j));
        continue;
      }
      const int version = j.at("vipd_state_version").get<int>();
      if (version != kLedgerVersion) {
        return "format version " + std::to_string(version) + ", this vipd reads version " +
               std::to_string(kLedgerVersion);
      }
      header = true;
    } catch (const std::exception& e) {
      return "line " + std::to_string(number) + ": " + e.what();
    }
  }
  if (!header) return std::string("no vipd_state_version line");
  return items;
}

std::error_code StateFile::save(const std::string& text) {
  if (path_.empty()) return {};
  if (!directoryMade_) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
    directoryMade_ = !ec;
  }
  return util::writeFileAtomically(path_, text, 0600);
}

std::error_code StateFile::discard() {
  if (path_.empty()) return {};
  std::error_code ec;
  std::filesystem::remove(path_, ec);
  return ec;
}

LedgerResult StateFile::load() const {
  if (path_.empty()) return std::vector<InstalledItem>{};
  std::ifstream in(path_);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec) && !ec) return std::vector<InstalledItem>{};
    return "state file " + path_ + ": cannot read it";
  }
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = parseLedgerText(text.str());
  if (!parsed) return "state file " + path_ + ": " + parsed.error();
  return parsed;
}

InstallLedger::InstallLedger(LedgerStore& store, std::shared_ptr<spdlog::logger> log)
    : store_(store), log_(std::move(log)) {}

bool InstallLedger::record(const InstalledItem& item) {
  auto it = std::find_if(items_.begin(), items_.end(),
                         [&](const InstalledItem& i) { return sameItem(i, item); });
  if (it == items_.end()) {
    items_.push_back(item);
    lines_.push_back(ledgerLine(item));
    save();
    return true;
  }
  // The same kernel object, described anew (a macvlan on another parent).
  if (!(*it == item)) {
    *it = item;
    lines_[static_cast<std::size_t>(it - items_.begin())] = ledgerLine(item);
    save();
  }
  return false;
}

void InstallLedger::forget(const InstalledItem& item) {
  eraseIf([&](const InstalledItem& i) { return sameItem(i, item); });
}

void InstallLedger::forgetAddressesOn(int ifindex) {
  eraseIf([&](const InstalledItem& i) {
    const auto* a = std::get_if<InstalledAddress>(&i);
    return a != nullptr && a->ifindex == ifindex;
  });
}

void InstallLedger::eraseIf(const std::function<bool(const InstalledItem&)>& match) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (match(items_[i])) continue;
    if (kept != i) {
      items_[kept] = std::move(items_[i]);
      lines_[kept] = std::move(lines_[i]);
    }
    ++kept;
  }
  if (kept == items_.size()) return;
  items_.resize(kept);
  lines_.resize(kept);
  save();
}

void InstallLedger::reset(std::vector<InstalledItem> items) {
  items_ = std::move(items);
  lines_.clear();
  for (const auto& item : items_) lines_.push_back(ledgerLine(item));
  save();
}

bool InstallLedger::contains(const InstalledItem& item) const { return find(item) != nullptr; }

const InstalledItem* InstallLedger::find(const InstalledItem& item) const {
  auto it = std::find_if(items_.begin(), items_.end(),
                         [&](const InstalledItem& i) { return sameItem(i, item); });
  return it == items_.end() ? nullptr : &*it;
}

// Each entry's line is made once, when it is recorded: a save only joins
// them, in a buffer kept between saves, and writes the file (measured on
// tmpfs: under 20 us for a handful of VIPs, some 50 us with a thousand
// entries), so a takeover does not pay to serialise the whole set again.
void InstallLedger::save() {
  std::error_code error;
  if (items_.empty()) {
    error = store_.discard();
  } else {
    text_.clear();  // not assigned a new string: that would drop the buffer
    text_ += ledgerHeader();
    for (const auto& line : lines_) text_ += line;
    error = store_.save(text_);
  }
  if (!error) {
    if (failing_) log_->info("{} written again: what vipd installs is recorded", store_.name());
    failing_ = false;
    return;
  }
  ++saveErrors_;
  if (failing_) return;
  failing_ = true;
  log_->warn(
      "cannot write {}: {}; if vipd is killed now, what it installed may be left behind "
      "(vipd --cleanup cannot know of it)",
      store_.name(), error.message());
}

}  // namespace vipd::daemon
