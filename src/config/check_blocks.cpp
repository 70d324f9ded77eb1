// The TCP_CHECK and HTTP_GET blocks of a vipd_check: keepalived's checker
// syntax [K5 §Virtual server(s), CHECKER_TYPE, HTTP_GET; SRC check/check_api.c,
// check/check_http.c], minus what only makes sense for a real_server.

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

#include "draft.h"
#include "values.h"

namespace vipd::config::detail {

namespace {

using std::chrono::microseconds;
using std::chrono::seconds;

constexpr std::uint64_t kMaxRetry = std::numeric_limits<std::int32_t>::max();
/// Like the vrrp_script times: µs in an unsigned 32-bit.
constexpr seconds kMaxProbeSeconds{std::numeric_limits<std::uint32_t>::max() / 1'000'000};
constexpr std::uint16_t kMinStatus = 100;
constexpr std::uint16_t kMaxStatus = 599;
constexpr std::size_t kDigestLength = 32;

struct ProbeDraft {
  NativeProbe probe;
  std::optional<SourceLocation> connectIp;
  std::optional<SourceLocation> connectPort;
  bool delayGiven = false;
};

struct UrlDraft {
  HttpUrl url;
  bool pathGiven = false;
};

/// keepalived's checker keywords that vipd reads but does not act on.
constexpr std::string_view kNotForVipdCheck = "not supported in a vipd_check, ignored";

void onConnectIp(ProbeDraft& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  auto address = readAddress(*token, "connect_ip", c.diagnostics);
  if (!address) return;
  // A link-local address needs an interface (keepalived's bind_if), which a
  // vipd_check does not take.
  if (address->isV6() && address->isLinkLocal()) {
    c.diagnostics.error(token->where, "connect_ip " + token->text +
                                          " is link-local, which needs an interface; "
                                          "not supported in a vipd_check");
    return;
  }
  d.probe.connectIp = *address;
  d.connectIp = token->where;
}

void onConnectPort(ProbeDraft& d, const Line& line, ParseContext& c) {
  if (auto port = readUnsignedArg(c, line, 1, 65535)) {
    d.probe.connectPort = static_cast<std::uint16_t>(*port);
    d.connectPort = line.tokens[1].where;
  }
}

void onBindTo(ProbeDraft& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  if (auto address = readAddress(*token, "bindto", c.diagnostics)) d.probe.bindTo = *address;
}

std::optional<microseconds> probeSeconds(ParseContext& c, const Line& line, microseconds min) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return std::nullopt;
  return readSeconds(*token, min, kMaxProbeSeconds, line.tokens[0].text, c.diagnostics);
}

void onConnectTimeout(ProbeDraft& d, const Line& line, ParseContext& c) {
  if (auto value = probeSeconds(c, line, microseconds(1))) d.probe.connectTimeout = *value;
}

void onRetry(ProbeDraft& d, const Line& line, ParseContext& c) {
  if (auto value = readUnsignedArg(c, line, 0, kMaxRetry)) {
    d.probe.retry = static_cast<std::uint32_t>(*value);
  }
}

void onDelayBeforeRetry(ProbeDraft& d, const Line& line, ParseContext& c) {
  if (auto value = probeSeconds(c, line, microseconds(0))) {
    d.probe.delayBeforeRetry = *value;
    d.delayGiven = true;
  }
}

void onVirtualHost(std::optional<std::string>& slot, const Line& line, ParseContext& c) {
  if (const Token* token = singleArg(c, line)) slot = token->text;
}

void onCheckVirtualHost(ProbeDraft& d, const Line& line, ParseContext& c) {
  onVirtualHost(d.probe.virtualHost, line, c);
}

// url { path, status_code, digest, virtualhost } [SRC check_http.c:url_handler etc.]

void onPath(UrlDraft& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  if (token->text.empty() || token->text[0] != '/') {
    c.diagnostics.error(
        token->where, "path expects an absolute path starting with '/', got '" + token->text + "'");
    return;
  }
  if (token->text.find_first_of(" \t\r\n") != std::string::npos) {
    c.diagnostics.error(token->where, "path cannot contain blanks or line breaks");
    return;
  }
  d.url.path = token->text;
  d.pathGiven = true;
}

std::optional<std::uint16_t> statusNumber(const Token& token, std::string_view text,
                                          Diagnostics& diagnostics) {
  Token part = token;
  part.text = std::string(text);
  const auto value = readUnsigned(part, kMinStatus, kMaxStatus, "status_code", diagnostics);
  if (!value) return std::nullopt;
  return static_cast<std::uint16_t>(*value);
}

// `status_code 200 300-399 …`: codes and ranges, as keepalived's bitmap.
void onStatusCode(UrlDraft& d, const Line& line, ParseContext& c) {
  if (!checkArgs(c, line, 1, line.tokens.size())) return;
  for (std::size_t at = 1; at < line.tokens.size(); ++at) {
    const Token& word = line.tokens[at];
    const std::string_view text = word.text;
    const std::size_t dash = text.find('-');
    const auto min = statusNumber(word, text.substr(0, dash), c.diagnostics);
    if (!min) continue;
    std::optional<std::uint16_t> max = min;
    if (dash != std::string_view::npos)
      max = statusNumber(word, text.substr(dash + 1), c.diagnostics);
    if (!max) continue;
    if (*max < *min) {
      c.diagnostics.error(word.where, "status_code range " + word.text + " runs backwards");
      continue;
    }
    d.url.statusCodes.push_back(StatusRange{*min, *max});
  }
}

// [SRC check_http.c:digest_handler]: 32 hex digits; kept in lower case.
void onDigest(UrlDraft& d, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  std::string digest = token->text;
  const bool hex = std::all_of(digest.begin(), digest.end(), [](char ch) {
    return std::isxdigit(static_cast<unsigned char>(ch));
  });
  if (digest.size() != kDigestLength || !hex) {
    c.diagnostics.error(token->where, "digest expects the MD5 of the body as 32 hex digits, got '" +
                                          token->text + "'");
    return;
  }
  std::transform(digest.begin(), digest.end(), digest.begin(), [](char ch) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  });
  d.url.digest = std::move(digest);
}

void onUrlVirtualHost(UrlDraft& d, const Line& line, ParseContext& c) {
  onVirtualHost(d.url.virtualHost, line, c);
}

constexpr std::array kUrlKeywords = {
    Keyword<UrlDraft>{"path", false, onPath},
    Keyword<UrlDraft>{"status_code", false, onStatusCode},
    Keyword<UrlDraft>{"digest", false, onDigest},
    Keyword<UrlDraft>{"virtualhost", false, onUrlVirtualHost},
};

constexpr std::array kIgnoredUrlKeywords = {
    IgnoredKeyword{"regex", kNotForVipdCheck},
    IgnoredKeyword{"regex_no_match", kNotForVipdCheck},
    IgnoredKeyword{"regex_options", kNotForVipdCheck},
    IgnoredKeyword{"regex_stack", kNotForVipdCheck},
    IgnoredKeyword{"regex_min_offset", kNotForVipdCheck},
    IgnoredKeyword{"regex_max_offset", kNotForVipdCheck},
};

// [SRC check_http.c:url_check]: a url needs a path; no status_code means 200-299.
void onUrl(ProbeDraft& d, const Line& line, ParseContext& c) {
  UrlDraft draft;
  parseBlock<UrlDraft>(c, line, kUrlKeywords, kIgnoredUrlKeywords, "url", draft);
  if (!draft.pathGiven) {
    c.diagnostics.error(line.tokens[0].where, "url needs a path");
    return;
  }
  if (draft.url.statusCodes.empty()) draft.url.statusCodes.push_back(StatusRange{200, 299});
  d.probe.urls.push_back(std::move(draft.url));
}

constexpr std::array kTcpKeywords = {
    Keyword<ProbeDraft>{"connect_ip", false, onConnectIp},
    Keyword<ProbeDraft>{"connect_port", false, onConnectPort},
    Keyword<ProbeDraft>{"bindto", false, onBindTo},
    Keyword<ProbeDraft>{"connect_timeout", false, onConnectTimeout},
    Keyword<ProbeDraft>{"retry", false, onRetry},
    Keyword<ProbeDraft>{"delay_before_retry", false, onDelayBeforeRetry},
};

constexpr std::array kHttpKeywords = {
    Keyword<ProbeDraft>{"connect_ip", false, onConnectIp},
    Keyword<ProbeDraft>{"connect_port", false, onConnectPort},
    Keyword<ProbeDraft>{"bindto", false, onBindTo},
    Keyword<ProbeDraft>{"connect_timeout", false, onConnectTimeout},
    Keyword<ProbeDraft>{"retry", false, onRetry},
    Keyword<ProbeDraft>{"delay_before_retry", false, onDelayBeforeRetry},
    Keyword<ProbeDraft>{"virtualhost", false, onCheckVirtualHost},
    Keyword<ProbeDraft>{"url", true, onUrl},
};

constexpr std::array kIgnoredCheckerKeywords = {
    IgnoredKeyword{"bind_port", kNotForVipdCheck},
    IgnoredKeyword{"bind_if", kNotForVipdCheck},
    IgnoredKeyword{"fwmark", kNotForVipdCheck},
    IgnoredKeyword{"alpha", kNotForVipdCheck},
    IgnoredKeyword{"warmup", kNotForVipdCheck},
    IgnoredKeyword{"log_all_failures", kNotForVipdCheck},
    IgnoredKeyword{"delay_loop",
                   "not used in a vipd_check (its 'interval' sets the period), ignored"},
    IgnoredKeyword{"http_protocol",
                   "not supported in a vipd_check (it sends HTTP/1.0 with "
                   "Connection: close), ignored"},
    IgnoredKeyword{"fast_recovery", kNotForVipdCheck},
    IgnoredKeyword{"nb_get_retry", "not supported in a vipd_check (use retry), ignored"},
};

}  // namespace

void listCheckBlockKeywords(std::vector<SupportedKeyword>& out) {
  appendKeywords<ProbeDraft>(out, "vipd_check TCP_CHECK", kTcpKeywords);
  appendKeywords<ProbeDraft>(out, "vipd_check HTTP_GET", kHttpKeywords);
  appendKeywords<UrlDraft>(out, "vipd_check HTTP_GET url", kUrlKeywords);
}

// [SRC check_api.c:check_conn_opts, check_http.c:http_get_check_end]
std::optional<NativeProbe> parseProbeBlock(ParseContext& context, const Line& opener,
                                           ProbeKind kind) {
  const Token& keyword = opener.tokens[0];
  const std::size_t errorsBefore = context.diagnostics.errorCount();
  ProbeDraft draft;
  draft.probe.kind = kind;
  if (kind == ProbeKind::Http) {
    parseBlock<ProbeDraft>(context, opener, kHttpKeywords, kIgnoredCheckerKeywords, keyword.text,
                           draft);
  } else {
    parseBlock<ProbeDraft>(context, opener, kTcpKeywords, kIgnoredCheckerKeywords, keyword.text,
                           draft);
  }
  // keepalived inherits both from the real_server, which a vipd_check lacks.
  if (!draft.connectIp)
    context.diagnostics.error(keyword.where, keyword.text + " needs a connect_ip");
  if (!draft.connectPort) {
    context.diagnostics.error(keyword.where, keyword.text + " needs a connect_port (1..65535)");
  }
  if (kind == ProbeKind::Http && draft.probe.urls.empty() &&
      context.diagnostics.errorCount() == errorsBefore) {
    context.diagnostics.error(keyword.where, "HTTP_GET needs at least one url block");
  }
  if (draft.probe.bindTo && draft.connectIp &&
      draft.probe.bindTo->family() != draft.probe.connectIp.family()) {
    context.diagnostics.error(keyword.where,
                              "bindto " + draft.probe.bindTo->toString() + " and connect_ip " +
                                  draft.probe.connectIp.toString() + " are of different families");
  }
  // [SRC check_http.c:http_get_handler] default_delay_before_retry = 3 s.
  if (!draft.delayGiven && kind == ProbeKind::Http) draft.probe.delayBeforeRetry = seconds(3);
  if (context.diagnostics.errorCount() != errorsBefore) return std::nullopt;
  return std::move(draft.probe);
}

}  // namespace vipd::config::detail
