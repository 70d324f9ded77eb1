// Lines of virtual_routes / static_routes and virtual_rules / static_rules
// [SRC vrrp_iproute.c:alloc_route, vrrp_iprule.c:alloc_rule; K5 §Static
// routes/addresses/rules; ip-route(8), ip-rule(8)].

#include "route_syntax.h"

#include <array>
#include <string_view>

#include "chars.h"

namespace vipd::config::detail {

namespace {

using util::Family;
using util::IpAddress;

struct NamedNumber {
  std::string_view name;
  std::uint32_t number;
};

constexpr std::array kRouteScopeNames = {
    NamedNumber{"global", 0}, NamedNumber{"universe", 0}, NamedNumber{"site", 200},
    NamedNumber{"link", 253}, NamedNumber{"host", 254},   NamedNumber{"nowhere", 255},
};
constexpr std::array kRouteTableNames = {
    NamedNumber{"main", kTableMain},
    NamedNumber{"local", kTableLocal},
    NamedNumber{"default", kTableDefault},
};
constexpr std::array kRouteProtocolNames = {
    NamedNumber{"redirect", 1},
    NamedNumber{"kernel", 2},
    NamedNumber{"boot", 3},
    NamedNumber{"static", 4},
    NamedNumber{"ra", 9},
    NamedNumber{"dhcp", 16},
    NamedNumber{"keepalived", kProtocolKeepalived},
};

struct NamedRouteType {
  std::string_view name;
  RouteType type;
};
constexpr std::array kRouteTypeNames = {
    NamedRouteType{"blackhole", RouteType::Blackhole},
    NamedRouteType{"unreachable", RouteType::Unreachable},
    NamedRouteType{"prohibit", RouteType::Prohibit},
    NamedRouteType{"throw", RouteType::Throw},
};

/// Options of ip-route(8) and ip-rule(8) that keepalived accepts and vipd does
/// not implement: an error, so nothing the operator wrote is dropped silently.
constexpr std::array<std::string_view, 24> kUnsupportedRouteOptions = {"nexthop",
                                                                       "mtu",
                                                                       "advmss",
                                                                       "rtt",
                                                                       "rttvar",
                                                                       "reordering",
                                                                       "window",
                                                                       "cwnd",
                                                                       "ssthresh",
                                                                       "realms",
                                                                       "rto_min",
                                                                       "initcwnd",
                                                                       "initrwnd",
                                                                       "features",
                                                                       "quickack",
                                                                       "congctl",
                                                                       "pref",
                                                                       "expires",
                                                                       "fastopen_no_cookie",
                                                                       "tos",
                                                                       "from",
                                                                       "encap",
                                                                       "append",
                                                                       "inet6"};
constexpr std::array<std::string_view, 16> kUnsupportedRuleOptions = {"not",
                                                                      "tos",
                                                                      "dsfield",
                                                                      "realms",
                                                                      "suppress_prefixlength",
                                                                      "suppress_ifgroup",
                                                                      "sport",
                                                                      "dport",
                                                                      "ipproto",
                                                                      "uidrange",
                                                                      "l3mdev",
                                                                      "nat",
                                                                      "map-to",
                                                                      "protocol",
                                                                      "tun_id",
                                                                      "type"};

template <typename Table>
bool isListed(const Table& table, std::string_view word) {
  for (std::string_view entry : table) {
    if (entry == word) return true;
  }
  return false;
}

/// Decimal, or hexadecimal after 0x (fwmark, tables), at most `max`.
std::optional<std::uint64_t> routeNumber(std::string_view text, std::uint64_t max) {
  unsigned base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    unsigned digit = 0;
    if (isDigit(c)) {
      digit = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    if (value > (max - digit) / base) return std::nullopt;
    value = value * base + digit;
  }
  return value;
}

template <typename Table>
std::optional<std::uint32_t> namedOrNumber(const Table& table, std::string_view text,
                                           std::uint64_t min, std::uint64_t max) {
  for (const NamedNumber& entry : table) {
    if (entry.name == text) return entry.number;
  }
  const auto number = routeNumber(text, max);
  if (!number || *number < min) return std::nullopt;
  return static_cast<std::uint32_t>(*number);
}

/// Walks the words of one line and records why it fails.
class LineReader {
 public:
  LineReader(const Line& line, Diagnostics& diagnostics, std::string_view what)
      : line_(line), diagnostics_(diagnostics), what_(what) {}

  /// True after an unsupported option too: its values would only add noise.
  bool atEnd() const { return stopped_ || at_ >= line_.tokens.size(); }
  const Token& next() { return line_.tokens[at_++]; }
  const Token* peek() const { return atEnd() ? nullptr : &line_.tokens[at_]; }
  bool failed() const { return failed_; }

  /// The value after option `option`, or nullptr after an error.
  const Token* value(const Token& option) {
    if (atEnd()) {
      diagnostics_.error(option.where, "'" + option.text + "' needs a value");
      failed_ = true;
      return nullptr;
    }
    return &next();
  }
  /// A malformed value: keepalived logs it and skips the line; so does vipd.
  void invalid(const Token& token, const std::string& expected) {
    diagnostics_.warning(token.where, expected + ", got '" + token.text + "'; the " +
                                          std::string(what_) + " is skipped, as keepalived does");
    failed_ = true;
  }
  /// Something vipd does not implement or a contradiction: an error.
  void error(const SourceLocation& where, const std::string& message) {
    diagnostics_.error(where, message);
    failed_ = true;
  }
  void unsupported(const Token& option) {
    error(option.where,
          "'" + option.text + "' in a " + std::string(what_) + " is not supported by vipd");
    stopped_ = true;
  }
  const SourceLocation& start() const { return line_.tokens[0].where; }

 private:
  const Line& line_;
  Diagnostics& diagnostics_;
  std::string_view what_;
  std::size_t at_ = 0;
  bool failed_ = false;
  bool stopped_ = false;
};

std::optional<IpAddress> readRouteAddress(LineReader& r, const Token* token) {
  if (token == nullptr) return std::nullopt;
  auto address = IpAddress::parse(token->text);
  if (!address) r.invalid(*token, "expected an IP address");
  return address;
}

std::optional<IpPrefix> readPrefix(LineReader& r, const Token& token) {
  const std::string& text = token.text;
  const std::size_t slash = text.find('/');
  const auto address = IpAddress::parse(std::string_view(text).substr(0, slash));
  if (!address) {
    r.invalid(token, "expected an IP address[/prefix]");
    return std::nullopt;
  }
  IpPrefix prefix{*address, static_cast<std::uint8_t>(address->isV4() ? 32 : 128)};
  if (slash != std::string::npos) {
    const auto length = routeNumber(std::string_view(text).substr(slash + 1), prefix.length);
    if (!length || text.compare(slash + 1, 2, "0x") == 0) {
      r.invalid(token, "expected a prefix length of 0.." + std::to_string(prefix.length));
      return std::nullopt;
    }
    prefix.length = static_cast<std::uint8_t>(*length);
  }
  return prefix;
}

std::optional<std::string> readDevice(LineReader& r, const Token* token) {
  if (token == nullptr) return std::nullopt;
  const std::string& name = token->text;
  if (name.empty() || name.size() > 15 || name == "." || name == ".." ||
      name.find_first_of("/ \t\n\r\f\v") != std::string::npos) {
    r.invalid(*token, "expected an interface name of 1..15 characters");
    return std::nullopt;
  }
  return name;
}

template <typename Table>
std::optional<std::uint32_t> readNamed(LineReader& r, const Token* token, const Table& table,
                                       std::uint64_t min, std::uint64_t max,
                                       const std::string& expected) {
  if (token == nullptr) return std::nullopt;
  auto value = namedOrNumber(table, token->text, min, max);
  if (!value) r.invalid(*token, expected);
  return value;
}

std::optional<std::uint32_t> readTable(LineReader& r, const Token* token) {
  return readNamed(r, token, kRouteTableNames, 1, 0xffffffffU,
                   "table expects main, local, default or 1..4294967295");
}

std::optional<std::uint32_t> readU32(LineReader& r, const Token* token, const std::string& what) {
  static constexpr std::array<NamedNumber, 0> kNone{};
  return readNamed(r, token, kNone, 0, 0xffffffffU, what + " expects 0..4294967295");
}

/// State of a route line while its words are read.
struct RouteLine {
  VirtualRoute route;
  bool destinationGiven = false;
  bool defaultDestination = false;
  const Token* typeWord = nullptr;
};

void readDestination(LineReader& r, const Token& token, RouteLine& out) {
  if (out.destinationGiven) {
    r.error(token.where, "unexpected '" + token.text +
                             "': the route's destination is already given (expected src, via, "
                             "dev, scope, table, metric, proto or onlink)");
    return;
  }
  out.destinationGiven = true;
  if (token.text == "default") {
    out.defaultDestination = true;
  } else if (auto prefix = readPrefix(r, token)) {
    out.route.destination = *prefix;
  }
}

void readGateways(LineReader& r, const Token& option, VirtualRoute& route) {
  if (route.gateway) r.error(option.where, "'" + option.text + "' given twice");
  route.gateway = readRouteAddress(r, r.value(option));
  if (const Token* more = r.peek(); more != nullptr && more->text == "or") {
    route.alternateGateway = readRouteAddress(r, r.value(r.next()));
  }
}

void readRouteWord(LineReader& r, const Token& token, RouteLine& out) {
  VirtualRoute& route = out.route;
  const std::string& word = token.text;
  if (word == "src") {
    route.source = readRouteAddress(r, r.value(token));
  } else if (word == "via" || word == "gw") {
    readGateways(r, token, route);
  } else if (word == "dev" || word == "oif") {
    route.device = readDevice(r, r.value(token));
  } else if (word == "scope") {
    if (auto scope = readNamed(r, r.value(token), kRouteScopeNames, 0, 255,
                               "scope expects global, site, link, host, nowhere or 0..255")) {
      route.scope = static_cast<AddressScope>(*scope);
    }
  } else if (word == "table") {
    if (auto table = readTable(r, r.value(token))) route.table = *table;
  } else if (word == "metric" || word == "priority" || word == "preference") {
    route.metric = readU32(r, r.value(token), word);
  } else if (word == "proto" || word == "protocol") {
    if (auto proto = readNamed(r, r.value(token), kRouteProtocolNames, 0, 255,
                               "proto expects kernel, boot, static, ra, dhcp, keepalived or "
                               "0..255")) {
      route.protocol = static_cast<std::uint8_t>(*proto);
    }
  } else if (word == "onlink") {
    route.onLink = true;
  } else if (word == "no_track") {
    route.noTrack = true;
  } else if (word == "to") {
    if (const Token* value = r.value(token)) readDestination(r, *value, out);
  } else if (word == "or") {
    r.error(token.where, "'or' needs a 'via' gateway before it");
  } else if (isListed(kUnsupportedRouteOptions, word)) {
    r.unsupported(token);
  } else {
    for (const NamedRouteType& type : kRouteTypeNames) {
      if (type.name == word && !out.destinationGiven && out.typeWord == nullptr) {
        route.type = type.type;
        out.typeWord = &token;
        return;
      }
    }
    readDestination(r, token, out);
  }
}

/// Every address of the route in one family, and no gateway on a route that
/// has no next hop.
void checkRoute(LineReader& r, RouteLine& out) {
  VirtualRoute& route = out.route;
  if (out.defaultDestination) {
    const bool v6 =
        (route.gateway && route.gateway->isV6()) || (route.source && route.source->isV6());
    route.destination = v6 ? IpPrefix{IpAddress::v6({}), 0} : IpPrefix{IpAddress::v4({}), 0};
  }
  const Family family = route.family();
  for (const auto* address : {&route.source, &route.gateway, &route.alternateGateway}) {
    if (*address && (*address)->family() != family) {
      r.error(r.start(), "the route to " + route.destination.address.toString() +
                             " mixes IPv4 and IPv6 addresses (vipd does not support an IPv6 "
                             "gateway for an IPv4 route)");
      return;
    }
  }
  if (route.type != RouteType::Unicast && (route.gateway || route.device)) {
    r.error(out.typeWord->where,
            "a " + out.typeWord->text + " route has no next hop: drop its via and dev");
  }
  if (route.onLink && !route.gateway) r.error(r.start(), "onlink needs a 'via' gateway");
}

/// State of a rule line while its words are read.
struct RuleLine {
  VirtualRule rule;
  bool inet6 = false;
  const Token* actionWord = nullptr;
};

void setAction(LineReader& r, const Token& token, RuleLine& out, RuleAction action) {
  if (out.actionWord != nullptr) {
    r.error(token.where, "a rule has one action; '" + out.actionWord->text +
                             "' was given before '" + token.text + "'");
  }
  out.actionWord = &token;
  out.rule.action = action;
}

void readFwmark(LineReader& r, const Token* token, VirtualRule& rule) {
  if (token == nullptr) return;
  const std::string_view text = token->text;
  const std::size_t slash = text.find('/');
  const auto mark = routeNumber(text.substr(0, slash), 0xffffffffU);
  const auto mask = slash == text.npos ? std::optional<std::uint64_t>(0)
                                       : routeNumber(text.substr(slash + 1), 0xffffffffU);
  if (!mark || !mask) {
    r.invalid(*token, "fwmark expects N[/MASK], decimal or 0x hexadecimal");
    return;
  }
  rule.fwmark = static_cast<std::uint32_t>(*mark);
  if (slash != text.npos) rule.fwmask = static_cast<std::uint32_t>(*mask);
}

void readRuleWord(LineReader& r, const Token& token, RuleLine& out) {
  VirtualRule& rule = out.rule;
  const std::string& word = token.text;
  if (word == "from" || word == "to") {
    const Token* value = r.value(token);
    if (value == nullptr || value->text == "all") return;
    if (auto prefix = readPrefix(r, *value)) (word == "from" ? rule.from : rule.to) = prefix;
  } else if (word == "iif" || word == "dev") {
    rule.inputInterface = readDevice(r, r.value(token));
  } else if (word == "oif") {
    rule.outputInterface = readDevice(r, r.value(token));
  } else if (word == "fwmark") {
    readFwmark(r, r.value(token), rule);
  } else if (word == "priority" || word == "preference" || word == "pref" || word == "order") {
    rule.priority = readU32(r, r.value(token), word);
  } else if (word == "table" || word == "lookup") {
    setAction(r, token, out, RuleAction::Table);
    if (auto table = readTable(r, r.value(token))) rule.table = *table;
  } else if (word == "goto") {
    setAction(r, token, out, RuleAction::Goto);
    if (auto target = readU32(r, r.value(token), "goto")) rule.gotoTarget = *target;
  } else if (word == "blackhole" || word == "unreachable" || word == "prohibit") {
    setAction(r, token, out,
              word == "blackhole"     ? RuleAction::Blackhole
              : word == "unreachable" ? RuleAction::Unreachable
                                      : RuleAction::Prohibit);
  } else if (word == "inet6") {
    out.inet6 = true;
  } else if (word == "no_track") {
    rule.noTrack = true;
  } else if (isListed(kUnsupportedRuleOptions, word)) {
    r.unsupported(token);
  } else {
    r.error(token.where, "unexpected '" + word +
                             "' in a rule; expected from, to, iif, oif, fwmark, priority, "
                             "table, goto, blackhole, unreachable, prohibit or inet6");
  }
}

void checkRule(LineReader& r, RuleLine& out) {
  VirtualRule& rule = out.rule;
  std::optional<Family> family;
  if (out.inet6) family = Family::V6;
  for (const auto* prefix : {&rule.from, &rule.to}) {
    if (!*prefix) continue;
    const Family of = (*prefix)->address.family();
    if (family && *family != of) {
      r.error(r.start(), "the rule mixes IPv4 and IPv6 (from, to and inet6 must agree)");
      return;
    }
    family = of;
  }
  rule.family = family.value_or(Family::V4);
}

std::string routeQuoted(std::string_view text) {
  const bool plain = !text.empty() && text.find_first_of(" \t\f\n\r\v#!{}\\\"") == text.npos &&
                     std::string_view("$@~").find(text.front()) == text.npos &&
                     !text.starts_with("include");
  if (plain) return std::string(text);
  return "\"" + std::string(text) + "\"";
}

std::string prefixText(const IpPrefix& prefix) {
  return prefix.address.toString() + "/" + std::to_string(prefix.length);
}

}  // namespace

std::optional<VirtualRoute> parseRoute(const Line& line, Diagnostics& diagnostics) {
  LineReader reader(line, diagnostics, "route");
  RouteLine out;
  out.route.where = line.tokens[0].where;
  while (!reader.atEnd()) readRouteWord(reader, reader.next(), out);
  if (!out.destinationGiven && !reader.failed()) {
    reader.error(line.tokens[0].where, "the route has no destination (expected [to] PREFIX)");
  }
  if (reader.failed()) return std::nullopt;
  checkRoute(reader, out);
  if (reader.failed()) return std::nullopt;
  return out.route;
}

std::optional<VirtualRule> parseRule(const Line& line, Diagnostics& diagnostics) {
  LineReader reader(line, diagnostics, "rule");
  RuleLine out;
  out.rule.where = line.tokens[0].where;
  while (!reader.atEnd()) readRuleWord(reader, reader.next(), out);
  if (reader.failed()) return std::nullopt;
  checkRule(reader, out);
  if (reader.failed()) return std::nullopt;
  return out.rule;
}

std::string routeText(const VirtualRoute& route) {
  std::string text;
  for (const NamedRouteType& type : kRouteTypeNames) {
    if (type.type == route.type) text += std::string(type.name) + " ";
  }
  text += prefixText(route.destination);
  if (route.source) text += " src " + route.source->toString();
  if (route.gateway) text += " via " + route.gateway->toString();
  if (route.alternateGateway) text += " or " + route.alternateGateway->toString();
  if (route.device) text += " dev " + routeQuoted(*route.device);
  if (route.scope) text += " scope " + std::to_string(static_cast<unsigned>(*route.scope));
  text += " table " + std::to_string(route.table);
  if (route.metric) text += " metric " + std::to_string(*route.metric);
  text += " proto " + std::to_string(route.protocol);
  if (route.onLink) text += " onlink";
  if (route.noTrack) text += " no_track";
  return text;
}

std::string ruleText(const VirtualRule& rule) {
  std::string text;
  const auto add = [&text](const std::string& part) {
    if (!text.empty()) text += ' ';
    text += part;
  };
  if (rule.family == Family::V6 && !rule.from && !rule.to) add("inet6");
  if (rule.from) add("from " + prefixText(*rule.from));
  if (rule.to) add("to " + prefixText(*rule.to));
  if (rule.inputInterface) add("iif " + routeQuoted(*rule.inputInterface));
  if (rule.outputInterface) add("oif " + routeQuoted(*rule.outputInterface));
  if (rule.fwmark) {
    add("fwmark " + std::to_string(*rule.fwmark) +
        (rule.fwmask ? "/" + std::to_string(*rule.fwmask) : std::string()));
  }
  if (rule.priority) add("priority " + std::to_string(*rule.priority));
  switch (rule.action) {
    case RuleAction::Table:
      add("table " + std::to_string(rule.table));
      break;
    case RuleAction::Goto:
      add("goto " + std::to_string(rule.gotoTarget));
      break;
    case RuleAction::Blackhole:
      add("blackhole");
      break;
    case RuleAction::Unreachable:
      add("unreachable");
      break;
    case RuleAction::Prohibit:
      add("prohibit");
      break;
  }
  if (rule.noTrack) add("no_track");
  return text;
}

}  // namespace vipd::config::detail
