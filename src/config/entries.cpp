// The lines inside value blocks (virtual_ipaddress, unicast_peer, track_*)
// and notify commands.

#include <array>
#include <cstring>

#include "draft.h"
#include "values.h"

namespace vipd::config::detail {

namespace {

struct ScopeName {
  std::string_view name;
  AddressScope scope;
};

constexpr std::array kScopes = {
    ScopeName{"global", AddressScope::Global},   ScopeName{"site", AddressScope::Site},
    ScopeName{"link", AddressScope::Link},       ScopeName{"host", AddressScope::Host},
    ScopeName{"nowhere", AddressScope::Nowhere},
};

/// Options that take a value: the value token, or nullptr after an error.
const Token* optionValue(const Line& line, std::size_t& at, Diagnostics& diagnostics) {
  if (at + 1 >= line.tokens.size()) {
    diagnostics.error(line.tokens[at].where, "'" + line.tokens[at].text + "' needs a value");
    return nullptr;
  }
  return &line.tokens[++at];
}

/// State of one address line while its options are read.
struct AddressLine {
  VirtualAddress address;
  bool prefixGiven = false;
  const Token* broadcastWord = nullptr;  // "+" or "-"
  bool failed = false;
};

bool parseAddressWord(const Token& token, AddressLine& out, Diagnostics& diagnostics) {
  const std::size_t slash = token.text.find('/');
  const auto address = util::IpAddress::parse(token.text.substr(0, slash));
  if (!address) {
    diagnostics.error(token.where, "expected an IP address[/prefix], got '" + token.text + "'");
    return false;
  }
  out.address.address = *address;
  out.address.prefixLength = address->isV4() ? 32 : 128;
  if (slash != std::string::npos) {
    const Token prefix{TokenKind::Word, token.text.substr(slash + 1), token.where, false};
    const auto length =
        readUnsigned(prefix, 0, out.address.prefixLength, "the prefix length", diagnostics);
    if (!length) return false;
    out.address.prefixLength = static_cast<std::uint8_t>(*length);
    out.prefixGiven = true;
  }
  return true;
}

void parseBroadcast(const Token& value, AddressLine& out, Diagnostics& diagnostics) {
  if (!out.address.address.isV4()) {
    diagnostics.error(value.where, "brd is only for IPv4 addresses");
    out.failed = true;
  } else if (value.text == "+" || value.text == "-") {
    out.broadcastWord = &value;
  } else if (auto address = util::IpAddress::parse(value.text); address && address->isV4()) {
    out.address.broadcast = address;
  } else {
    diagnostics.error(value.where,
                      "brd expects an IPv4 address, '+' or '-', got '" + value.text + "'");
    out.failed = true;
  }
}

void parseScope(const Token& value, AddressLine& out, Diagnostics& diagnostics) {
  for (const ScopeName& scope : kScopes) {
    if (scope.name == value.text) {
      out.address.scope = scope.scope;
      return;
    }
  }
  if (value.text.find_first_not_of("0123456789") == std::string::npos) {
    if (auto number = readUnsigned(value, 0, 255, "scope", diagnostics)) {
      out.address.scope = static_cast<AddressScope>(*number);
      return;
    }
  } else {
    diagnostics.error(value.where,
                      "scope expects global, site, link, host, nowhere or "
                      "0..255, got '" +
                          value.text + "'");
  }
  out.failed = true;
}

void parsePeer(const Token& value, AddressLine& out, Diagnostics& diagnostics) {
  const auto peer = util::IpAddress::parse(value.text);
  if (out.address.peer) {
    diagnostics.error(value.where, "peer given twice");
    out.failed = true;
  } else if (!peer || peer->family() != out.address.address.family()) {
    diagnostics.error(value.where,
                      "peer expects an address of the same family, got '" + value.text + "'");
    out.failed = true;
  } else {
    out.address.peer = peer;
  }
}

/// One option word (and its value); false if the word is not an option.
bool parseAddressOption(const Line& line, std::size_t& at, AddressLine& out,
                        Diagnostics& diagnostics) {
  const std::string& word = line.tokens[at].text;
  static constexpr std::array kFlags = {"home",          "-nodad",   "mngtmpaddr",
                                        "noprefixroute", "autojoin", "no_track"};
  bool* const flags[] = {&out.address.home,           &out.address.noDad,
                         &out.address.manageTempAddr, &out.address.noPrefixRoute,
                         &out.address.autoJoin,       &out.address.noTrack};
  for (std::size_t i = 0; i < kFlags.size(); ++i) {
    if (word == kFlags[i]) {
      *flags[i] = true;
      return true;
    }
  }
  if (word != "dev" && word != "scope" && word != "brd" && word != "broadcast" && word != "label" &&
      word != "peer" && word != "preferred_lft") {
    return false;
  }
  const Token* value = optionValue(line, at, diagnostics);
  if (value == nullptr) {
    out.failed = true;
  } else if (word == "dev") {
    if (out.address.device) {
      diagnostics.error(value->where, "dev given twice");
      out.failed = true;
    }
    out.address.device = readInterfaceName(*value, "dev", diagnostics);
    out.failed |= !out.address.device;
  } else if (word == "scope") {
    parseScope(*value, out, diagnostics);
  } else if (word == "brd" || word == "broadcast") {
    parseBroadcast(*value, out, diagnostics);
  } else if (word == "label") {
    out.address.label = readInterfaceName(*value, "label", diagnostics);
    out.failed |= !out.address.label;
  } else if (word == "peer") {
    parsePeer(*value, out, diagnostics);
  } else if (value->text == "forever") {
    out.address.preferredLifetime = VirtualAddress::kForever;
  } else if (auto lifetime =
                 readUnsigned(*value, 0, VirtualAddress::kForever, "preferred_lft", diagnostics)) {
    out.address.preferredLifetime = static_cast<std::uint32_t>(*lifetime);
  } else {
    out.failed = true;
  }
  return true;
}

/// Cross-option rules [SRC vrrp_ipaddress.c:alloc_ipaddress, after the loop].
void finishAddress(const Line& line, AddressLine& out, Diagnostics& diagnostics) {
  VirtualAddress& a = out.address;
  if (a.peer) {
    if (out.prefixGiven) {
      diagnostics.warning(line.tokens[0].where,
                          "a prefix length cannot be combined with peer; ignored");
    }
    a.prefixLength = a.address.isV4() ? 32 : 128;
    if (a.broadcast || out.broadcastWord) {
      diagnostics.error(line.tokens[0].where, "brd and peer cannot both be given");
      out.failed = true;
    }
  }
  if (out.broadcastWord != nullptr) {
    if (a.prefixLength > 30) {
      diagnostics.error(out.broadcastWord->where,
                        "brd " + out.broadcastWord->text + " needs a prefix of /30 or shorter");
      out.failed = true;
    } else {
      const auto bytes = a.address.bytes();
      std::uint32_t base = (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
                           (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
      const std::uint32_t hostMask = 0xffffffffU >> a.prefixLength;
      base = out.broadcastWord->text == "+" ? (base | hostMask) : (base & ~hostMask);
      a.broadcast = util::IpAddress::v4(
          {static_cast<std::uint8_t>(base >> 24), static_cast<std::uint8_t>(base >> 16),
           static_cast<std::uint8_t>(base >> 8), static_cast<std::uint8_t>(base)});
    }
  }
  if (a.address.isV6()) {
    if (a.scope) diagnostics.error(line.tokens[0].where, "scope is only for IPv4 addresses");
    if (a.label) diagnostics.error(line.tokens[0].where, "label is only for IPv4 addresses");
    out.failed |= a.scope.has_value() || a.label.has_value();
    // A /128 is deprecated (preferred_lft 0) unless told otherwise.
    if (!a.preferredLifetime) {
      a.preferredLifetime = a.prefixLength == 128 ? 0 : VirtualAddress::kForever;
    }
  }
}

}  // namespace

std::optional<VirtualAddress> parseVirtualAddress(const Line& line, Diagnostics& diagnostics,
                                                  AddressBlock block) {
  AddressLine out;
  out.address.where = line.tokens[0].where;
  if (!parseAddressWord(line.tokens[0], out, diagnostics)) return std::nullopt;
  for (std::size_t at = 1; at < line.tokens.size(); ++at) {
    const Token& word = line.tokens[at];
    if (parseAddressOption(line, at, out, diagnostics)) continue;
    out.failed = true;
    if (word.text == "use_vmac") {
      diagnostics.error(word.where,
                        "use_vmac on an address (a VMAC per address) is not supported by vipd; "
                        "use 'use_vmac' in the vrrp_instance");
    } else if (word.text == "track_group") {
      diagnostics.error(word.where, block == AddressBlock::Static
                                        ? "track_group is not supported by vipd yet"
                                        : "track_group is only for static_ipaddress");
      ++at;  // its group name is not an option
    } else {
      diagnostics.error(word.where, "unknown address option '" + word.text +
                                        "' (expected brd, dev, scope, label, peer, home, -nodad, "
                                        "mngtmpaddr, noprefixroute, autojoin, no_track or "
                                        "preferred_lft)");
    }
  }
  finishAddress(line, out, diagnostics);
  if (out.failed) return std::nullopt;
  return out.address;
}

// [SRC vrrp_data.c:alloc_vrrp_unicast_peer]
std::optional<UnicastPeer> parseUnicastPeer(const Line& line, Diagnostics& diagnostics) {
  UnicastPeer peer;
  peer.where = line.tokens[0].where;
  const auto address = readAddress(line.tokens[0], "unicast_peer", diagnostics);
  if (!address) return std::nullopt;
  peer.address = *address;
  bool failed = false;
  for (std::size_t at = 1; at < line.tokens.size(); ++at) {
    const Token& word = line.tokens[at];
    if (word.text != "min_ttl" && word.text != "max_ttl") {
      diagnostics.error(word.where, "unknown unicast_peer option '" + word.text +
                                        "' (expected min_ttl or max_ttl)");
      failed = true;
      break;
    }
    const Token* value = optionValue(line, at, diagnostics);
    const auto ttl = value ? readUnsigned(*value, 0, 255, word.text, diagnostics) : std::nullopt;
    if (!ttl) {
      failed = true;
      continue;
    }
    (word.text == "min_ttl" ? peer.minTtl : peer.maxTtl) = static_cast<std::uint8_t>(*ttl);
  }
  if (peer.minTtl > peer.maxTtl) {
    diagnostics.error(peer.where, "unicast_peer min_ttl is greater than max_ttl");
    failed = true;
  }
  if (failed) return std::nullopt;
  return peer;
}

std::optional<TrackedObject> parseTracked(const Line& line, std::int32_t minWeight,
                                          std::int32_t maxWeight, std::string_view block,
                                          Diagnostics& diagnostics) {
  TrackedObject tracked{line.tokens[0].text, std::nullopt, false, line.tokens[0].where};
  std::size_t at = 1;
  if (at < line.tokens.size() && line.tokens[at].text == "weight") {
    const Token* value = optionValue(line, at, diagnostics);
    if (value == nullptr) return std::nullopt;
    const auto weight =
        readInteger(*value, minWeight, maxWeight, std::string(block) + " weight", diagnostics);
    if (!weight) return std::nullopt;
    tracked.weight = static_cast<std::int32_t>(*weight);
    ++at;
    if (at < line.tokens.size()) {
      const std::string& word = line.tokens[at].text;
      if (word == "reverse" || word == "noreverse" || word == "no_reverse") {
        tracked.reverse = word == "reverse";
        ++at;
      }
    }
  }
  if (at < line.tokens.size()) {
    diagnostics.error(line.tokens[at].where, "unexpected '" + line.tokens[at].text + "' in " +
                                                 std::string(block) +
                                                 " (expected NAME [weight N [reverse]])");
    return std::nullopt;
  }
  return tracked;
}

namespace {

// [SRC lib/notify.c:notify_script_init, set_script_params_array]: the line is
// split again with the quote-and-escape rules; word 1 is the command, which is
// split once more into argv, and up to `maxWords` words are used.
std::optional<NotifyScript> parseScriptLine(const Line& line, std::size_t maxWords,
                                            std::string_view extraWarning,
                                            Diagnostics& diagnostics) {
  const auto words = splitQuotedEscaped(line, 0, diagnostics);
  if (!words) return std::nullopt;
  const Token& keyword = line.tokens[0];
  if (words->size() < 2) {
    diagnostics.error(keyword.where, "'" + keyword.text + "' needs a command");
    return std::nullopt;
  }
  if (words->size() > maxWords) {
    diagnostics.warning((*words)[maxWords].where,
                        "extra words after '" + keyword.text + "' " + std::string(extraWarning));
  }
  NotifyScript script;
  script.command = (*words)[1].text;
  script.where = (*words)[1].where;
  const auto argv = splitQuotedEscaped(script.command);
  if (!argv || argv->empty()) {
    diagnostics.error(script.where, "cannot split '" + keyword.text + "' command '" +
                                        script.command + "' into words");
    return std::nullopt;
  }
  script.argv = *argv;
  if (maxWords > 2 && words->size() > 2) script.user = (*words)[2].text;
  if (maxWords > 3 && words->size() > 3) script.group = (*words)[3].text;
  return script;
}

}  // namespace

std::optional<NotifyScript> parseNotifyScript(const Line& line, Diagnostics& diagnostics) {
  return parseScriptLine(line, 4, "COMMAND USER GROUP ignored", diagnostics);
}

// keepalived drops the extra words silently, which loses the arguments of an
// unquoted `script /bin/check arg`.
std::optional<NotifyScript> parseCommand(const Line& line, Diagnostics& diagnostics) {
  return parseScriptLine(line, 2, "COMMAND ignored (quote the command to give it arguments)",
                         diagnostics);
}

// The first script of each kind wins, as in keepalived.
void parseNotifyLine(const Line& line, NotifyScripts& scripts, Diagnostics& diagnostics) {
  const std::string& keyword = line.tokens[0].text;
  std::optional<NotifyScript>& slot = keyword == "notify_master"    ? scripts.master
                                      : keyword == "notify_backup"  ? scripts.backup
                                      : keyword == "notify_fault"   ? scripts.fault
                                      : keyword == "notify_stop"    ? scripts.stop
                                      : keyword == "notify_deleted" ? scripts.deleted
                                      : keyword == "notify_master_rx_lower_pri"
                                          ? scripts.masterRxLowerPri
                                          : scripts.generic;
  auto script = parseNotifyScript(line, diagnostics);
  if (!script) return;
  if (slot) {
    diagnostics.warning(line.tokens[0].where, "'" + keyword + "' was already given at " +
                                                  toString(slot->where) + "; ignored");
    return;
  }
  slot = std::move(script);
}

std::optional<std::chrono::seconds> parseNotifyTimeout(ParseContext& context, const Line& line) {
  const auto value =
      readUnsignedArg(context, line, 1, static_cast<std::uint64_t>(kMaxNotifyTimeout.count()));
  if (!value) return std::nullopt;
  return std::chrono::seconds(*value);
}

}  // namespace vipd::config::detail
