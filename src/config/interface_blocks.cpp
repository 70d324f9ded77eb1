// Root blocks about interfaces: garp_group { ... } and
// interface_up_down_delays { ... } [K5 §VRRP gratuitous ARP and unsolicited
// neighbour advert delay group(s), §Interface up/down status change
// debouncing; SRC vrrp_parser.c:garp_group_*_handler, alloc_if_up_down_delay].

#include <algorithm>
#include <array>
#include <limits>

#include "draft.h"
#include "values.h"

namespace vipd::config::detail {

namespace {

using std::chrono::microseconds;
using std::chrono::seconds;

struct GarpDraft {
  GarpGroup group;
  /// The groups parsed before this one, to find interfaces listed twice.
  const std::vector<GarpGroup>* others = nullptr;
};

// [SRC garp_group_garp_interval_handler]: 0..INT_MAX µs, large values logged.
void onInterval(GarpDraft& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  const auto value =
      readSeconds(*token, microseconds(0), microseconds(std::numeric_limits<std::int32_t>::max()),
                  line.tokens[0].text, c.diagnostics);
  if (!value) return;
  if (*value >= seconds(1)) {
    c.diagnostics.warning(token->where,
                          line.tokens[0].text + " is very large: " + token->text + " seconds");
  }
  (line.tokens[0].text == "garp_interval" ? d.group.garpInterval : d.group.gnaInterval) = *value;
}

/// Adds an interface unless a garp_group already has it ("garp_group already
/// specified for IF - ignoring").
void addInterface(GarpDraft& d, const Token& token, ParseContext& c) {
  const auto name = readInterfaceName(token, "garp_group interface", c.diagnostics);
  if (!name) return;
  const auto has = [&](const GarpGroup& g) {
    return std::find(g.interfaces.begin(), g.interfaces.end(), *name) != g.interfaces.end();
  };
  for (const GarpGroup& other : *d.others) {
    if (!has(other)) continue;
    c.diagnostics.warning(token.where, "interface " + *name +
                                           " is already in the garp_group at " +
                                           toString(other.where) + "; ignored");
    return;
  }
  if (!has(d.group)) d.group.interfaces.push_back(*name);
}

void onInterface(GarpDraft& d, const Line& line, ParseContext& c) {
  if (const Token* token = singleArg(c, line)) addInterface(d, *token, c);
}

void onInterfaces(GarpDraft& d, const Line& line, ParseContext& c) {
  bool empty = true;
  forEachBlockLine(c, line, [&](const Line& entry) {
    empty = false;
    for (const Token& token : entry.tokens) addInterface(d, token, c);
  });
  if (empty) c.diagnostics.warning(line.tokens[0].where, "empty garp_group interfaces block");
}

constexpr std::array kGarpKeywords = {
    Keyword<GarpDraft>{"garp_interval", false, onInterval},
    Keyword<GarpDraft>{"gna_interval", false, onInterval},
    Keyword<GarpDraft>{"interface", false, onInterface},
    Keyword<GarpDraft>{"interfaces", true, onInterfaces},
};

/// `IF DOWN [UP]`, each delay 0..255 seconds.
std::optional<InterfaceDelays> parseDelays(const Line& line, Diagnostics& diagnostics) {
  InterfaceDelays delays;
  delays.where = line.tokens[0].where;
  const auto name =
      readInterfaceName(line.tokens[0], "interface_up_down_delays interface", diagnostics);
  if (!name) return std::nullopt;
  delays.interface = *name;
  if (line.tokens.size() < 2) {
    diagnostics.error(line.tokens[0].where,
                      "interface_up_down_delays needs a down delay for " + *name);
    return std::nullopt;
  }
  if (line.tokens.size() > 3) {
    diagnostics.warning(line.tokens[3].where, "extra words after " + *name +
                                                  " DOWN UP ignored, starting at '" +
                                                  line.tokens[3].text + "'");
  }
  const auto down = readSeconds(line.tokens[1], microseconds(0), seconds(255), "the down delay",
                                diagnostics);
  if (!down) return std::nullopt;
  delays.down = *down;
  if (line.tokens.size() > 2) {
    const auto up = readSeconds(line.tokens[2], microseconds(0), seconds(255), "the up delay",
                                diagnostics);
    if (!up) return std::nullopt;
    delays.up = *up;
  }
  return delays;
}

}  // namespace

void listGarpGroupKeywords(std::vector<SupportedKeyword>& out) {
  appendKeywords<GarpDraft>(out, "garp_group", kGarpKeywords);
}

// [SRC garp_group_end_handler]: a group without any interval is removed.
void parseGarpGroup(ParseContext& context, const Line& line, Document& document) {
  if (!openBlock(context, line)) return;
  const Token& keyword = line.tokens[0];
  reportNotRunYet(context.diagnostics, keyword);
  GarpDraft draft;
  draft.group.where = keyword.where;
  draft.others = &document.garpGroups;
  parseBlock<GarpDraft>(context, line, kGarpKeywords, {}, "garp_group", draft);
  if (!draft.group.garpInterval && !draft.group.gnaInterval) {
    context.diagnostics.warning(keyword.where,
                                "garp_group has neither garp_interval nor gna_interval; ignored");
    return;
  }
  if (draft.group.interfaces.empty()) {
    context.diagnostics.warning(keyword.where, "garp_group has no interface; ignored");
    return;
  }
  document.garpGroups.push_back(std::move(draft.group));
}

void parseInterfaceDelays(ParseContext& context, const Line& line, Document& document) {
  if (!openBlock(context, line)) return;
  auto& list = document.global.defs.interfaceDelays;
  forEachBlockLine(context, line, [&](const Line& entry) {
    auto delays = parseDelays(entry, context.diagnostics);
    if (!delays) return;
    const auto same = [&](const InterfaceDelays& d) { return d.interface == delays->interface; };
    if (const auto other = std::find_if(list.begin(), list.end(), same); other != list.end()) {
      *other = *delays;  // keepalived overwrites the interface's timers
      return;
    }
    list.push_back(*delays);
  });
}

}  // namespace vipd::config::detail
