// global_defs keywords about scripts and notify FIFOs [K5 §Global
// definitions; SRC global_parser.c, lib/notify.c; reference §2.2, §2.4].

#include <limits>

#include "draft.h"
#include "values.h"

namespace vipd::config::detail {

namespace {

using std::chrono::microseconds;
using std::chrono::seconds;

/// keepalived keeps the delay as µs in an unsigned.
constexpr std::int64_t kMaxStartupDelaySeconds =
    std::numeric_limits<std::uint32_t>::max() / 1'000'000;

bool isVrrpOnly(const Line& line) { return line.tokens[0].text.rfind("vrrp_", 0) == 0; }

std::optional<RunAs> runAs(const Line& line, std::size_t at) {
  if (line.tokens.size() <= at) return std::nullopt;
  RunAs who{line.tokens[at].text, std::nullopt};
  if (line.tokens.size() > at + 1) who.group = line.tokens[at + 1].text;
  return who;
}

}  // namespace

void onScriptUser(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (checkArgs(c, line, 1, 2)) g.defs.scriptUser = runAs(line, 1);
}

void onScriptSecurity(GlobalDraft& g, const Line& line, ParseContext& c) {
  checkArgs(c, line, 0, 0);
  g.defs.scriptSecurity = true;
}

// `notify_fifo PATH [USER [GROUP]]`: the first one wins.
void onNotifyFifo(GlobalDraft& g, const Line& line, ParseContext& c) {
  if (!checkArgs(c, line, 1, 3)) return;
  std::optional<NotifyFifo>& slot = isVrrpOnly(line) ? g.defs.vrrpNotifyFifo : g.defs.notifyFifo;
  if (slot) {
    c.diagnostics.warning(line.tokens[0].where, "'" + line.tokens[0].text +
                                                    "' was already given at " +
                                                    toString(slot->where) + "; ignored");
    return;
  }
  slot = NotifyFifo{line.tokens[1].text, runAs(line, 2), {}, std::nullopt, line.tokens[1].where};
}

void onNotifyFifoScript(GlobalDraft& g, const Line& line, ParseContext& c) {
  auto script = parseNotifyScript(line, c.diagnostics);
  if (!script) return;
  std::optional<NotifyScript>& slot = isVrrpOnly(line) ? g.vrrpFifoReader : g.fifoReader;
  if (slot) {
    c.diagnostics.warning(line.tokens[0].where, "'" + line.tokens[0].text +
                                                    "' was already given at " +
                                                    toString(slot->where) + "; ignored");
    return;
  }
  slot = std::move(script);
}

// [SRC global_parser.c:vrrp_startup_delay_handler]
void onStartupDelay(GlobalDraft& g, const Line& line, ParseContext& c) {
  const Token* token = singleArg(c, line);
  if (token == nullptr) return;
  const auto value = readSeconds(*token, microseconds(0), seconds(kMaxStartupDelaySeconds),
                                 "vrrp_startup_delay", c.diagnostics);
  if (!value) return;
  if (*value >= seconds(60)) {
    c.diagnostics.warning(token->where, "vrrp_startup_delay is very large: " + token->text +
                                            " seconds");
  }
  reportNotRunYet(c.diagnostics, line.tokens[0]);
  g.defs.startupDelay = *value;
}

void completeFifos(const GlobalDraft& draft, GlobalDefs& global, Diagnostics& diagnostics) {
  const auto join = [&](const std::optional<NotifyScript>& reader, std::optional<NotifyFifo>& fifo,
                        const char* fifoKeyword) {
    if (!reader) return;
    if (!fifo) {
      diagnostics.warning(reader->where, std::string(fifoKeyword) + "_script without " +
                                             fifoKeyword + "; ignored");
      return;
    }
    fifo->readerArgv = reader->argv;
    if (reader->user) fifo->readerUser = RunAs{*reader->user, reader->group};
  };
  join(draft.fifoReader, global.notifyFifo, "notify_fifo");
  join(draft.vrrpFifoReader, global.vrrpNotifyFifo, "vrrp_notify_fifo");
}

}  // namespace vipd::config::detail
