#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vipd/config/model.h"

/// What an operator's notify scripts and FIFO readers receive, exactly as
/// keepalived 2.2.7 sends it (reference §2.1, §2.2). Pure: no I/O.
namespace vipd::notify {

/// The states a notify reports; names are keepalived's uppercase words.
/// MasterRxLowerPri is not a transition: a master heard a lower priority
/// (its specific script and FIFO line only, no generic notify).
/// MasterPriority and BackupPriority are not transitions either: the
/// effective priority changed in MASTER or in any other state (a FIFO line
/// only, with notify_priority_changes) [SRC vrrp_notify.c:send_instance_priority_notifies].
enum class NotifyState {
  Master,
  Backup,
  Fault,
  Stop,
  Deleted,
  MasterRxLowerPri,
  MasterPriority,
  BackupPriority
};

/// Whether `state` is a transition (so the generic `notify` script runs).
bool isTransition(NotifyState state);

/// Whether a vrrp_instance or a vrrp_sync_group changed state.
enum class Subject { Instance, Group };

/// "MASTER", "BACKUP", "FAULT", "STOP", "DELETED", "MASTER_RX_LOWER_PRI",
/// "MASTER_PRIORITY", "BACKUP_PRIORITY".
std::string_view stateName(NotifyState state);
/// "INSTANCE", "GROUP".
std::string_view subjectName(Subject subject);

/// The priority a notify carries: groups always report 0
/// [SRC vrrp_notify.c:send_group_notifies, notify_group_fifo].
std::uint8_t reportedPriority(Subject subject, std::uint8_t priority);

/// The notify_fifo line: `INSTANCE "VI_1" MASTER 150\n`. The name is quoted
/// here (unescaped, as keepalived), but not in script arguments; a group line
/// carries 0 whatever `priority` says [SRC vrrp_notify.c:notify_fifo].
std::string fifoLine(Subject subject, std::string_view name, NotifyState state,
                     std::uint8_t priority);

/// The four arguments the generic `notify` script gets after its configured
/// ones: TYPE NAME STATE PRIORITY [SRC vrrp_notify.c:notify_script_exec].
std::vector<std::string> genericArgs(Subject subject, std::string_view name, NotifyState state,
                                     std::uint8_t priority);

/// The state-specific script for `state` (notify_master/backup/fault/stop/
/// deleted/master_rx_lower_pri), or null.
const config::NotifyScript* specificScript(const config::NotifyScripts& scripts, NotifyState state);

/// The argv lists to run for one transition, in keepalived's order
/// [SRC vrrp_notify.c:send_instance_notifies]: the specific script with
/// exactly its configured argv (nothing appended), then the generic `notify`
/// argv + genericArgs(). argv[0] is as configured (not yet resolved).
///
/// Deleted is passed through as given; keepalived reports FAULT instead
/// unless notify_deleted is configured (see reportedState(), which Notifier
/// applies first). MasterRxLowerPri runs its specific script only.
std::vector<std::vector<std::string>> notifyArgvs(const config::NotifyScripts& scripts,
                                                  Subject subject, std::string_view name,
                                                  NotifyState state, std::uint8_t priority);

/// The state keepalived reports: a deleted instance reports FAULT unless
/// `notifyDeleted` (keepalived's notify_deleted) is set [SRC vrrp.c:clear_diff_vrrp;
/// reference §2.3 "Reload"].
NotifyState reportedState(NotifyState state, bool notifyDeleted);

/// Whether an instance reports priority changes: its own
/// notify_priority_changes, else its sync group's, else the global
/// vrrp_notify_priority_changes. (keepalived 2.2.7 parses the sync group's
/// keyword; vipd makes it the default of the group's members.)
bool reportsPriorityChanges(std::optional<bool> instance, std::optional<bool> group, bool global);

/// How long an instance's (or a group's, with `instance` unset) notify
/// scripts may run: its own notify_timeout, else its sync group's, else the
/// global vrrp_notify_timeout (vipd's keywords; keepalived has none).
std::chrono::seconds notifyTimeout(std::optional<std::chrono::seconds> instance,
                                   std::optional<std::chrono::seconds> group,
                                   std::chrono::seconds global);

}  // namespace vipd::notify
