#include "vipd/notify/notifier.h"

#include <fmt/format.h>

#include <utility>

namespace vipd::notify {

Notifier::Notifier(Subject subject, std::string name, const config::NotifyScripts& scripts,
                   ScriptResolver& resolver, exec::ProcessRunner& runner,
                   std::vector<FifoWriter*> fifos, NotifyQueue::Options queueOptions)
    : subject_(subject),
      name_(std::move(name)),
      fifos_(std::move(fifos)),
      queue_(runner, name_, queueOptions) {
  master_ = resolveOne(resolver, "notify_master", scripts.master);
  backup_ = resolveOne(resolver, "notify_backup", scripts.backup);
  fault_ = resolveOne(resolver, "notify_fault", scripts.fault);
  stop_ = resolveOne(resolver, "notify_stop", scripts.stop);
  generic_ = resolveOne(resolver, "notify", scripts.generic);
  deleted_ = resolveOne(resolver, "notify_deleted", scripts.deleted);
  rxLowerPri_ = resolveOne(resolver, "notify_master_rx_lower_pri", scripts.masterRxLowerPri);
  notifyDeleted_ = scripts.notifyDeleted;
}

std::optional<exec::Command> Notifier::resolveOne(
    ScriptResolver& resolver, const char* keyword,
    const std::optional<config::NotifyScript>& script) {
  if (!script) return std::nullopt;
  auto label = fmt::format("{} {}", keyword, name_);
  auto resolution = resolver.resolve(label, *script);
  if (!resolution.command) {
    refusals_.push_back({std::move(label), std::move(resolution.refusal), resolution.refusalKind});
  }
  return std::move(resolution.command);
}

void Notifier::notify(NotifyState state, std::uint8_t priority) {
  state = reportedState(state, notifyDeleted_);
  queue_.enqueue(state, commandsFor(state, priority));
  writeFifos(state, priority);
}

void Notifier::priorityChanged(bool master, std::uint8_t priority) {
  if (!reportsPriorityChanges_) return;
  writeFifos(master ? NotifyState::MasterPriority : NotifyState::BackupPriority, priority);
}

void Notifier::writeFifos(NotifyState state, std::uint8_t priority) {
  const auto line = fifoLine(subject_, name_, state, priority);
  for (auto* fifo : fifos_) {
    if (fifo) fifo->write(line);
  }
}

std::vector<exec::Command> Notifier::commandsFor(NotifyState state, std::uint8_t priority) const {
  // The same choice as notifyArgvs(), on the resolved commands.
  const std::optional<exec::Command>* specific = nullptr;
  switch (state) {
    case NotifyState::Master:
      specific = &master_;
      break;
    case NotifyState::Backup:
      specific = &backup_;
      break;
    case NotifyState::Fault:
      specific = &fault_;
      break;
    case NotifyState::Stop:
      specific = &stop_;
      break;
    case NotifyState::Deleted:
      specific = &deleted_;
      break;
    case NotifyState::MasterRxLowerPri:
      specific = &rxLowerPri_;
      break;
    case NotifyState::MasterPriority:
    case NotifyState::BackupPriority:
      break;
  }
  std::vector<exec::Command> commands;
  if (specific && *specific) commands.push_back(**specific);
  // Not a transition: keepalived runs only its own script [K5 §VRRP instance(s)].
  if (generic_ && isTransition(state)) {
    auto command = *generic_;
    auto extra = genericArgs(subject_, name_, state, priority);
    command.argv.insert(command.argv.end(), extra.begin(), extra.end());
    commands.push_back(std::move(command));
  }
  return commands;
}

}  // namespace vipd::notify
