#include "vipd/notify/notify_event.h"

namespace vipd::notify {

std::string_view stateName(NotifyState state) {
  switch (state) {
    case NotifyState::Master:
      return "MASTER";
    case NotifyState::Backup:
      return "BACKUP";
    case NotifyState::Fault:
      return "FAULT";
    case NotifyState::Stop:
      return "STOP";
    case NotifyState::Deleted:
      return "DELETED";
    case NotifyState::MasterRxLowerPri:
      return "MASTER_RX_LOWER_PRI";
    case NotifyState::MasterPriority:
      return "MASTER_PRIORITY";
    case NotifyState::BackupPriority:
      return "BACKUP_PRIORITY";
  }
  return "{UNKNOWN}";  // keepalived's word for an impossible state
}

bool isTransition(NotifyState state) {
  switch (state) {
    case NotifyState::MasterRxLowerPri:
    case NotifyState::MasterPriority:
    case NotifyState::BackupPriority:
      return false;
    default:
      return true;
  }
}

std::string_view subjectName(Subject subject) {
  return subject == Subject::Group ? "GROUP" : "INSTANCE";
}

std::uint8_t reportedPriority(Subject subject, std::uint8_t priority) {
  return subject == Subject::Group ? std::uint8_t{0} : priority;
}

std::string fifoLine(Subject subject, std::string_view name, NotifyState state,
                     std::uint8_t priority) {
  std::string line;
  line.reserve(name.size() + 32);
  line.append(subjectName(subject)).append(" \"").append(name).append("\" ");
  line.append(stateName(state)).append(" ");
  line.append(std::to_string(reportedPriority(subject, priority))).append("\n");
  return line;
}

std::vector<std::string> genericArgs(Subject subject, std::string_view name, NotifyState state,
                                     std::uint8_t priority) {
  return {std::string(subjectName(subject)), std::string(name), std::string(stateName(state)),
          std::to_string(reportedPriority(subject, priority))};
}

const config::NotifyScript* specificScript(const config::NotifyScripts& scripts,
                                           NotifyState state) {
  const std::optional<config::NotifyScript>* chosen = nullptr;
  switch (state) {
    case NotifyState::Master:
      chosen = &scripts.master;
      break;
    case NotifyState::Backup:
      chosen = &scripts.backup;
      break;
    case NotifyState::Fault:
      chosen = &scripts.fault;
      break;
    case NotifyState::Stop:
      chosen = &scripts.stop;
      break;
    case NotifyState::Deleted:
      chosen = &scripts.deleted;
      break;
    case NotifyState::MasterRxLowerPri:
      chosen = &scripts.masterRxLowerPri;
      break;
    case NotifyState::MasterPriority:
    case NotifyState::BackupPriority:
      break;
  }
  return chosen && *chosen ? &**chosen : nullptr;
}

std::vector<std::vector<std::string>> notifyArgvs(const config::NotifyScripts& scripts,
                                                  Subject subject, std::string_view name,
                                                  NotifyState state, std::uint8_t priority) {
  std::vector<std::vector<std::string>> argvs;
  if (const auto* specific = specificScript(scripts, state)) argvs.push_back(specific->argv);
  if (scripts.generic && isTransition(state)) {
    auto argv = scripts.generic->argv;
    auto extra = genericArgs(subject, name, state, priority);
    argv.insert(argv.end(), extra.begin(), extra.end());
    argvs.push_back(std::move(argv));
  }
  return argvs;
}

NotifyState reportedState(NotifyState state, bool notifyDeleted) {
  return state == NotifyState::Deleted && !notifyDeleted ? NotifyState::Fault : state;
}

bool reportsPriorityChanges(std::optional<bool> instance, std::optional<bool> group, bool global) {
  return instance.value_or(group.value_or(global));
}

std::chrono::seconds notifyTimeout(std::optional<std::chrono::seconds> instance,
                                   std::optional<std::chrono::seconds> group,
                                   std::chrono::seconds global) {
  return instance.value_or(group.value_or(global));
}

}  // namespace vipd::notify
