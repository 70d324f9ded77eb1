#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace vipd::net {

/// PROC_EVENT_FORK: a process or thread was created. A new process has
/// childPid == childTgid; its parent process is parentTgid.
struct ProcForked {
  std::int32_t parentPid = 0;
  std::int32_t parentTgid = 0;
  std::int32_t childPid = 0;
  std::int32_t childTgid = 0;
  friend bool operator==(const ProcForked&, const ProcForked&) = default;
};

/// PROC_EVENT_EXEC: a process started another program.
struct ProcExec {
  std::int32_t pid = 0;
  std::int32_t tgid = 0;
  friend bool operator==(const ProcExec&, const ProcExec&) = default;
};

/// PROC_EVENT_COMM: a thread changed its name (prctl PR_SET_NAME, or a
/// write to /proc/PID/comm).
struct ProcRenamed {
  std::int32_t pid = 0;
  std::int32_t tgid = 0;
  /// The new name, at most 15 bytes.
  std::string comm;
  friend bool operator==(const ProcRenamed&, const ProcRenamed&) = default;
};

/// PROC_EVENT_EXIT: a thread exited; pid == tgid for a process's main thread.
struct ProcExited {
  std::int32_t pid = 0;
  std::int32_t tgid = 0;
  friend bool operator==(const ProcExited&, const ProcExited&) = default;
};

/// The kernel's answer to PROC_CN_MCAST_LISTEN (PROC_EVENT_NONE with ack
/// set); error is 0 on success.
struct ProcListenAck {
  std::uint32_t error = 0;
  friend bool operator==(const ProcListenAck&, const ProcListenAck&) = default;
};

/// Events were lost (the socket overran, a datagram was truncated or could
/// not be parsed): whoever counts processes must read /proc again.
struct ProcEventsLost {
  friend bool operator==(const ProcEventsLost&, const ProcEventsLost&) = default;
};

using ProcEvent =
    std::variant<ProcForked, ProcExec, ProcRenamed, ProcExited, ProcListenAck, ProcEventsLost>;

/// "ProcExec pid=42 tgid=42", for logs and tests.
std::string toString(const ProcEvent& event);

/// Parses one datagram of the process connector (netlink messages, each a
/// struct cn_msg for CN_IDX_PROC/CN_VAL_PROC carrying a struct proc_event)
/// and appends its fork, exec, comm and exit events and listen acks to
/// `out`, in order. Pure: every length is checked before a byte is read
/// and fixed structures are copied out (memcpy): proc_event sits 36 bytes
/// into the datagram, not 8-byte aligned [SRC core/track_process.c:handle_proc_ev].
///
/// Ignored: netlink ERROR/NOOP messages, other connector ids, the events
/// nobody tracks (uid, gid, sid, ptrace, coredump), and messages whose ack
/// flag does not fit their event (keepalived's check). A message too short
/// for what it claims is skipped and counted; if any was, one
/// ProcEventsLost is appended. Returns the number of such messages.
std::size_t parseProcEvents(std::span<const std::byte> datagram, std::vector<ProcEvent>& out);

/// The message that subscribes to (`listen`) or unsubscribes from the
/// process events: a netlink message from `portId` holding a cn_msg for
/// CN_IDX_PROC/CN_VAL_PROC with PROC_CN_MCAST_LISTEN or _IGNORE, built with
/// libmnl.
std::vector<std::byte> buildProcListenMessage(bool listen, std::uint32_t portId);

}  // namespace vipd::net
