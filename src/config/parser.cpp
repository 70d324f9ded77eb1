// The top level of keepalived.conf and the public parse API.

#include "vipd/config/parser.h"

#include <sys/utsname.h>

#include <algorithm>
#include <array>

#include "draft.h"
#include "values.h"
#include "vipd/config/lexer.h"

namespace vipd::config {

namespace detail {

namespace {

/// Root keywords of keepalived 2.2.7 [SRC vrrp_parser.c:init_vrrp_keywords,
/// global_parser.c, check_parser.c, bfd_parser.c] that vipd skips.
constexpr std::array kIgnoredRoot = {
    IgnoredKeyword{"track_group", kNotSupportedYet},
    IgnoredKeyword{"linkbeat_interfaces", kNotSupportedYet},
    IgnoredKeyword{"net_namespace", kNotSupportedYet},
    IgnoredKeyword{"instance", kNotSupportedYet},
    IgnoredKeyword{"use_pid_dir", kNotSupportedYet},
    IgnoredKeyword{"child_wait_time", kNotSupportedYet},
    IgnoredKeyword{"linkbeat_use_polling", kNotSupportedYet},
    IgnoredKeyword{"net_namespace_ipvs"},
    IgnoredKeyword{"namespace_with_ipsets"},
    IgnoredKeyword{"virtual_server"},
    IgnoredKeyword{"virtual_server_group"},
    IgnoredKeyword{"bfd_instance"},
};

using RootBlockParser = void (*)(ParseContext&, const Line&, Document&);

/// `static_ipaddress { ADDR ... }`: the virtual_ipaddress syntax, addresses
/// the daemon keeps from start to stop whatever the instances do
/// [SRC vrrp_parser.c:static_addresses_handler]. Several blocks add up.
void parseStaticAddresses(ParseContext& context, const Line& line, Document& document) {
  if (!openBlock(context, line)) return;
  auto& list = document.global.defs.staticAddresses;
  forEachBlockLine(context, line, [&](const Line& entry) {
    if (auto address = parseVirtualAddress(entry, context.diagnostics, AddressBlock::Static)) {
      list.push_back(*address);
    }
  });
}

struct RootBlock {
  std::string_view keyword;
  RootBlockParser parse;
};

constexpr std::array kRootBlocks = {
    RootBlock{"vrrp_script", parseVrrpScript},
    // vipd's extension; keepalived rejects it (see vipd.conf(5) for a config both read).
    RootBlock{"vipd_check", parseVipdCheck},
    RootBlock{"track_file", parseTrackFile},
    // Deprecated synonym since 2.0.20 [SRC track_file.c:add_track_file_keywords].
    RootBlock{"vrrp_track_file", parseTrackFile},
    RootBlock{"vrrp_track_process", parseTrackProcess},
    RootBlock{"vrrp_sync_group", parseSyncGroup},
    RootBlock{"garp_group", parseGarpGroup},
    RootBlock{"interface_up_down_delays", parseInterfaceDelays},
    RootBlock{"static_ipaddress", parseStaticAddresses},
    RootBlock{"static_routes", parseStaticRoutes},
    RootBlock{"static_rules", parseStaticRules},
};

RootBlockParser findRootBlock(std::string_view keyword) {
  for (const RootBlock& block : kRootBlocks) {
    if (block.keyword == keyword) return block.parse;
  }
  return nullptr;
}

void parseInstance(ParseContext& context, const Line& line, Document& document) {
  if (line.tokens.size() < 2) {
    context.diagnostics.error(line.tokens[0].where, "vrrp_instance needs a name");
    skipStatement(context);
    return;
  }
  const Token& name = line.tokens[1];
  if (!openBlock(context, line, 1)) return;
  const auto same = [&](const InstanceDraft& d) { return d.name == name.text; };
  if (const auto other = std::find_if(document.instances.begin(), document.instances.end(), same);
      other != document.instances.end()) {
    context.diagnostics.error(name.where, "vrrp_instance " + name.text + " is already defined at " +
                                              toString(other->where));
    skipToBlockEnd(context, line);
    return;
  }
  InstanceDraft& draft = document.instances.emplace_back();
  draft.name = name.text;
  draft.where = line.tokens[0].where;
  parseBlock(context, line, instanceKeywords(), ignoredInstanceKeywords(), "vrrp_instance", draft);
}

}  // namespace

void listRootKeywords(std::vector<SupportedKeyword>& out) {
  out.push_back({"", "global_defs"});
  out.push_back({"", "vrrp_instance"});
  for (const RootBlock& block : kRootBlocks) out.push_back({"", block.keyword});
}

namespace {

void parseRoot(ParseContext& context, Document& document) {
  while (!context.lines.atEnd()) {
    const Line& line = context.lines.next();
    if (line.isCloseBrace()) {
      context.diagnostics.error(line.where, "unexpected '}' (no block is open)");
      continue;
    }
    if (line.isOpenBrace()) {
      skipStrayBlock(context, line);
      continue;
    }
    const std::string& keyword = line.tokens[0].text;
    if (keyword == "global_defs") {
      if (openBlock(context, line)) {
        parseBlock(context, line, globalDefsKeywords(), ignoredGlobalDefsKeywords(), "global_defs",
                   document.global);
      }
    } else if (keyword == "vrrp_instance") {
      parseInstance(context, line, document);
    } else if (const auto block = findRootBlock(keyword)) {
      block(context, line, document);
    } else if (!skipIgnored(context, line, kIgnoredRoot)) {
      skipUnknown(context, line, "the top level");
    }
  }
}

ParseResult parseLines(const std::vector<Line>& lines, const std::string& fileName,
                       Diagnostics& diagnostics) {
  LineCursor cursor(lines);
  ParseContext context{cursor, diagnostics};
  Document document;
  parseRoot(context, document);
  std::optional<Config> config = complete(document, diagnostics);
  if (config && config->instances.empty()) {
    diagnostics.warning(SourceLocation{fileName, 0, 0}, "no vrrp_instance is configured");
  }
  ParseResult result;
  if (!diagnostics.hasErrors()) result.config = std::move(config);
  result.diagnostics = diagnostics.release();
  return result;
}

LexOptions lexOptions(const ParseOptions& options) {
  return LexOptions{options.configId, options.randomSeed, options.maxIncludeDepth};
}

}  // namespace

}  // namespace detail

std::size_t ParseResult::errorCount() const {
  return static_cast<std::size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

ParseResult parseFile(const std::string& path, const ParseOptions& options) {
  Diagnostics diagnostics(options.strict, options.explainDefaults);
  const std::vector<Line> lines = lexFile(path, detail::lexOptions(options), diagnostics);
  return detail::parseLines(lines, path, diagnostics);
}

ParseResult parseString(std::string_view text, const std::string& fileName,
                        const ParseOptions& options) {
  Diagnostics diagnostics(options.strict, options.explainDefaults);
  const std::vector<Line> lines =
      lexString(text, fileName, detail::lexOptions(options), diagnostics);
  return detail::parseLines(lines, fileName, diagnostics);
}

std::string defaultConfigId() {
  struct utsname name {};
  if (::uname(&name) != 0) return {};
  const std::string node = name.nodename;
  return node.substr(0, node.find('.'));
}

namespace {

std::string describe(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const Diagnostic& diagnostic : diagnostics) {
    if (!text.empty()) text += '\n';
    text += format(diagnostic);
  }
  return text;
}

}  // namespace

ConfigError::ConfigError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(describe(diagnostics)), diagnostics_(std::move(diagnostics)) {}

Config loadConfig(const std::string& path, const ParseOptions& options,
                  std::vector<Diagnostic>* warnings) {
  ParseResult result = parseFile(path, options);
  if (!result.ok()) throw ConfigError(std::move(result.diagnostics));
  if (warnings != nullptr) *warnings = std::move(result.diagnostics);
  return std::move(*result.config);
}

}  // namespace vipd::config
