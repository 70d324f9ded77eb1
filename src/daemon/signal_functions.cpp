// keepalived's signal functions and their numbers; see signal_functions.h.
#include "vipd/daemon/signal_functions.h"

#include <csignal>

namespace vipd::daemon {

std::string_view toString(SignalFunction function) {
  switch (function) {
    case SignalFunction::Stop:
      return "STOP";
    case SignalFunction::Reload:
      return "RELOAD";
    case SignalFunction::Data:
      return "DATA";
    case SignalFunction::Stats:
      return "STATS";
    case SignalFunction::StatsClear:
      return "STATS_CLEAR";
    case SignalFunction::Json:
      return "JSON";
  }
  return "?";
}

std::optional<SignalFunction> parseSignalFunction(std::string_view name) {
  for (auto function : kAllSignalFunctions) {
    if (toString(function) == name) return function;
  }
  return std::nullopt;
}

int signalNumber(SignalFunction function) {
  switch (function) {
    case SignalFunction::Stop:
      return SIGTERM;
    case SignalFunction::Reload:
      return SIGHUP;
    case SignalFunction::Data:
      return SIGUSR1;
    case SignalFunction::Stats:
      return SIGUSR2;
    case SignalFunction::StatsClear:
      return SIGRTMAX - 1;
    case SignalFunction::Json:
      return SIGRTMIN + 2;
  }
  return 0;
}

}  // namespace vipd::daemon
