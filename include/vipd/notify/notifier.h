#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/exec/command.h"
#include "vipd/exec/process_runner.h"
#include "vipd/notify/fifo_writer.h"
#include "vipd/notify/notify_event.h"
#include "vipd/notify/notify_queue.h"
#include "vipd/notify/script_resolver.h"

namespace vipd::notify {

/// The notifies of one vrrp_instance or vrrp_sync_group: its scripts, resolved
/// once at construction (refused ones are logged and left out, as keepalived
/// drops them), its own NotifyQueue, and the FIFO writers shared by all.
///
/// notify() does what keepalived's send_instance_notifies/send_group_notifies
/// do, in the same order [SRC vrrp_notify.c]: the specific script, the generic
/// `notify` script (+ TYPE NAME STATE PRIORITY), then the FIFO line to every
/// FIFO. The scripts are queued (see NotifyQueue), the FIFO line is written at
/// once. Suppressing an instance's notifies because its sync group already
/// reported the state is the caller's decision [SRC send_instance_notifies].
///
/// NOTE: single-threaded. The runner and the FIFO writers must outlive it;
/// the resolver is only used during construction.
class Notifier {
 public:
  /// `fifos`: notify_fifo and vrrp_notify_fifo writers, if configured (both get
  /// every line, reference §2.2); null entries are skipped.
  Notifier(Subject subject, std::string name, const config::NotifyScripts& scripts,
           ScriptResolver& resolver, exec::ProcessRunner& runner, std::vector<FifoWriter*> fifos,
           NotifyQueue::Options queueOptions = {});

  /// Reports a transition to `state` with the instance's effective priority
  /// (ignored for groups: they report 0). Deleted is reported as FAULT
  /// unless notify_deleted is configured, as keepalived.
  void notify(NotifyState state, std::uint8_t priority);

  /// notify_priority_changes (resolved with reportsPriorityChanges()).
  void setReportsPriorityChanges(bool on) { reportsPriorityChanges_ = on; }
  /// The effective priority changed: when reporting, a MASTER_PRIORITY (in
  /// MASTER) or BACKUP_PRIORITY (any other state) FIFO line, and no script.
  void priorityChanged(bool master, std::uint8_t priority);

  Subject subject() const { return subject_; }
  const std::string& name() const { return name_; }
  /// Wait for it to drain at shutdown (idle()/onIdle()), or cancelAll().
  NotifyQueue& queue() { return queue_; }
  const NotifyQueue& queue() const { return queue_; }
  /// The configured scripts left out and why, for `vipctl status`.
  const std::vector<RefusedScript>& refusals() const { return refusals_; }

 private:
  std::optional<exec::Command> resolveOne(ScriptResolver& resolver, const char* keyword,
                                          const std::optional<config::NotifyScript>& script);
  std::vector<exec::Command> commandsFor(NotifyState state, std::uint8_t priority) const;
  void writeFifos(NotifyState state, std::uint8_t priority);

  Subject subject_;
  std::string name_;
  std::optional<exec::Command> master_, backup_, fault_, stop_, generic_, deleted_, rxLowerPri_;
  bool notifyDeleted_ = false;
  bool reportsPriorityChanges_ = false;
  std::vector<FifoWriter*> fifos_;
  NotifyQueue queue_;
  std::vector<RefusedScript> refusals_;
};

}  // namespace vipd::notify
