#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace vipd::daemon {

/// keepalived's signal functions (keepalived(8) SIGNALS, `--signum=NAME`):
/// tooling sends `kill -s $(keepalived --signum=JSON) PID`, so vipd answers
/// the same signals and prints the same numbers.
enum class SignalFunction { Stop, Reload, Data, Stats, StatsClear, Json };

inline constexpr std::array kAllSignalFunctions = {
    SignalFunction::Stop,  SignalFunction::Reload,     SignalFunction::Data,
    SignalFunction::Stats, SignalFunction::StatsClear, SignalFunction::Json,
};

/// keepalived's names: "STOP", "RELOAD", "DATA", "STATS", "STATS_CLEAR", "JSON".
std::string_view toString(SignalFunction function);

/// The function named `name`, case-sensitive as keepalived's get_signum()
/// ("json" is unknown there too). TDUMP is not offered: Debian's
/// keepalived 2.2.7 does not know it either.
std::optional<SignalFunction> parseSignalFunction(std::string_view name);

/// The signal that triggers `function`, as keepalived 2.2.7 defines it
/// [SRC lib/signals.h]: STOP SIGTERM, RELOAD SIGHUP, DATA SIGUSR1, STATS
/// SIGUSR2, STATS_CLEAR SIGRTMAX-1, JSON SIGRTMIN+2. The realtime ones are
/// read from the C library at run time (63 and 36 with glibc on Linux), as
/// keepalived does, so both print the same number on the same host.
int signalNumber(SignalFunction function);

}  // namespace vipd::daemon
