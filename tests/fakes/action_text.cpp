#include "fakes/action_text.h"

#include <chrono>
#include <cstdio>

#include "vipd/util/overloaded.h"

namespace vipd::fakes {
namespace {

std::string num(long long value) { return std::to_string(value); }

}  // namespace

std::string formatAt(core::TimePoint at) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  if (us % 1000 == 0) return "@" + num(us / 1000) + "ms";
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "@%lld.%03lldms", static_cast<long long>(us / 1000),
                static_cast<long long>(us % 1000));
  return buffer;
}

std::string describe(const core::Action& action) {
  using namespace core;
  return std::visit(
      util::Overloaded{
          [](const SendAdvert& a) {
            return "SendAdvert prio=" + num(a.priority) + " int=" + num(a.interval.count()) +
                   "cs " + std::string(toString(a.reason));
          },
          [](const AddVips& a) {
            return std::string(a.accept ? "AddVips accept" : "AddVips no_accept");
          },
          [](const RemoveVips&) { return std::string("RemoveVips"); },
          [](const SendGratuitous& a) {
            return "SendGratuitous " + std::string(toString(a.reason));
          },
          [](const MasterRxLowerPriority& a) {
            return "MasterRxLowerPriority from=" + a.from.toString() +
                   " theirs=" + num(a.theirPriority) + " ours=" + num(a.ourPriority);
          },
          [](const PreemptDeclined& a) {
            return "PreemptDeclined from=" + a.master.toString() +
                   " theirs=" + num(a.theirPriority) + " ours=" + num(a.ourPriority) + " " +
                   std::string(toString(a.hold)) + (a.until ? " until " + formatAt(*a.until) : "");
          },
          [](const ArmTimer& a) {
            return "ArmTimer " + std::string(toString(a.timer)) + " " + formatAt(a.deadline);
          },
          [](const CancelTimer& a) { return "CancelTimer " + std::string(toString(a.timer)); },
          [](const NotifyTransition& a) {
            return "Notify " + std::string(toString(a.from)) + "->" + std::string(toString(a.to)) +
                   " " + std::string(toString(a.cause)) + " prio=" + num(a.priority);
          },
      },
      action);
}

std::vector<std::string> describe(const core::Actions& actions) {
  std::vector<std::string> lines;
  lines.reserve(actions.size());
  for (const auto& action : actions) lines.push_back(describe(action));
  return lines;
}

std::string describe(const core::Event& event) {
  using namespace core;
  return std::visit(
      util::Overloaded{
          [](const Start&) { return std::string("Start"); },
          [](const Shutdown&) { return std::string("Shutdown"); },
          [](const AdvertReceived& e) {
            return "Advert from=" + e.source.toString() + " prio=" + num(e.priority) +
                   " int=" + num(e.intervalCs) + "cs";
          },
          [](const TimerExpired& e) {
            return "TimerExpired " + std::string(toString(e.timer)) +
                   " gen=" + num(static_cast<long long>(e.generation));
          },
          [](const PriorityChanged& e) { return "PriorityChanged " + num(e.priority); },
          [](const FaultRaised& e) { return "FaultRaised " + num(e.id); },
          [](const FaultCleared& e) { return "FaultCleared " + num(e.id); },
          [](const SyncForceMaster&) { return std::string("SyncForceMaster"); },
          [](const SyncForceBackup&) { return std::string("SyncForceBackup"); },
          [](const SyncFault&) { return std::string("SyncFault"); },
          [](const SyncFaultCleared&) { return std::string("SyncFaultCleared"); },
          [](const Maintenance& m) {
            return std::string(m.on ? "MaintenanceOn" : "MaintenanceOff") + (m.act ? "" : " mark");
          },
      },
      event);
}

}  // namespace vipd::fakes
