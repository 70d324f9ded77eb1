// Pure parsing of process-connector datagrams into ProcEvents, and the
// subscription message (built with libmnl). Every header and structure is
// copied out (memcpy) after its length is checked, never cast onto the buffer.

#include <libmnl/libmnl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>

#include "vipd/net/proc_events.h"
#include "vipd/util/overloaded.h"

namespace vipd::net {
namespace {

/// Where a proc_event's event_data starts (after what, cpu, timestamp_ns).
constexpr std::size_t kEventDataOffset = offsetof(proc_event, event_data);

/// Bytes of event_data each event needs; 0 for events not parsed.
std::size_t dataSize(std::uint32_t what) {
  switch (what) {
    case proc_event::PROC_EVENT_NONE:
      return sizeof(proc_event::event_data.ack);
    case proc_event::PROC_EVENT_FORK:
      return sizeof(proc_event::event_data.fork);
    case proc_event::PROC_EVENT_EXEC:
      return sizeof(proc_event::event_data.exec);
    case proc_event::PROC_EVENT_COMM:
      return sizeof(proc_event::event_data.comm);
    case proc_event::PROC_EVENT_EXIT:
      // The 4.x fields (process, exit code and signal); newer kernels add
      // the parent, which is not read.
      return offsetof(proc_event, event_data.exit.exit_signal) + sizeof(__u32) - kEventDataOffset;
    default:
      return 0;
  }
}

ProcEvent toEvent(const proc_event& e) {
  const auto& d = e.event_data;
  switch (e.what) {
    case proc_event::PROC_EVENT_FORK:
      return ProcForked{d.fork.parent_pid, d.fork.parent_tgid, d.fork.child_pid, d.fork.child_tgid};
    case proc_event::PROC_EVENT_EXEC:
      return ProcExec{d.exec.process_pid, d.exec.process_tgid};
    case proc_event::PROC_EVENT_COMM:
      return ProcRenamed{d.comm.process_pid, d.comm.process_tgid,
                         std::string(d.comm.comm, strnlen(d.comm.comm, sizeof d.comm.comm))};
    case proc_event::PROC_EVENT_EXIT:
      return ProcExited{d.exit.process_pid, d.exit.process_tgid};
    default:
      return ProcListenAck{d.ack.err};
  }
}

enum class Parsed { Event, Ignored, Malformed };

/// One netlink message's connector payload.
Parsed parseMessage(std::uint16_t type, std::span<const std::byte> payload,
                    std::vector<ProcEvent>& out) {
  if (type == NLMSG_ERROR || type == NLMSG_NOOP) return Parsed::Ignored;
  cn_msg cn{};
  if (payload.size() < sizeof cn) return Parsed::Malformed;
  std::memcpy(&cn, payload.data(), sizeof cn);
  if (cn.id.idx != CN_IDX_PROC || cn.id.val != CN_VAL_PROC) return Parsed::Ignored;
  if (cn.len > payload.size() - sizeof cn || cn.len < kEventDataOffset) return Parsed::Malformed;
  proc_event event{};
  std::memcpy(&event, payload.data() + sizeof cn, std::min<std::size_t>(cn.len, sizeof event));
  const std::uint32_t what = event.what;
  const std::size_t needed = dataSize(what);
  if (needed == 0) return Parsed::Ignored;
  if (cn.len < kEventDataOffset + needed) return Parsed::Malformed;
  // PROC_EVENT_NONE is the kernel's ack and nothing else is [SRC handle_proc_ev].
  if ((what == proc_event::PROC_EVENT_NONE) != (cn.ack != 0)) return Parsed::Ignored;
  out.push_back(toEvent(event));
  return Parsed::Event;
}

}  // namespace

std::string toString(const ProcEvent& event) {
  const auto ids = [](const char* name, std::int32_t pid, std::int32_t tgid) {
    return std::string(name) + " pid=" + std::to_string(pid) + " tgid=" + std::to_string(tgid);
  };
  return std::visit(
      util::Overloaded{
          [&](const ProcForked& e) {
            return ids("ProcForked", e.childPid, e.childTgid) +
                   " parent=" + std::to_string(e.parentTgid);
          },
          [&](const ProcExec& e) { return ids("ProcExec", e.pid, e.tgid); },
          [&](const ProcRenamed& e) {
            return ids("ProcRenamed", e.pid, e.tgid) + " comm=" + e.comm;
          },
          [&](const ProcExited& e) { return ids("ProcExited", e.pid, e.tgid); },
          [](const ProcListenAck& e) { return "ProcListenAck error=" + std::to_string(e.error); },
          [](const ProcEventsLost&) { return std::string("ProcEventsLost"); },
      },
      event);
}

// The messages are walked here rather than with mnl_nlmsg_ok/next: those
// compare nlmsg_len as an int, so a length of 2^31 or more passes the check
// and sends the walk out of the buffer. The kernel never sends one, but the
// parser does not rely on that.
std::size_t parseProcEvents(std::span<const std::byte> datagram, std::vector<ProcEvent>& out) {
  std::size_t malformed = 0;
  std::size_t at = 0;
  while (datagram.size() - at >= sizeof(nlmsghdr)) {
    nlmsghdr header{};
    std::memcpy(&header, datagram.data() + at, sizeof header);
    if (header.nlmsg_len < sizeof header || header.nlmsg_len > datagram.size() - at) {
      ++malformed;
      at = datagram.size();
      break;
    }
    const auto payload = datagram.subspan(at + sizeof header, header.nlmsg_len - sizeof header);
    if (parseMessage(header.nlmsg_type, payload, out) == Parsed::Malformed) ++malformed;
    at += std::min<std::size_t>(NLMSG_ALIGN(header.nlmsg_len), datagram.size() - at);
  }
  // Bytes left that do not make a whole header are a lost message too.
  if (at < datagram.size()) ++malformed;
  if (malformed > 0) out.emplace_back(ProcEventsLost{});
  return malformed;
}

std::vector<std::byte> buildProcListenMessage(bool listen, std::uint32_t portId) {
  std::vector<std::byte> buffer(MNL_SOCKET_BUFFER_SIZE);
  nlmsghdr* nlh = mnl_nlmsg_put_header(buffer.data());
  nlh->nlmsg_type = NLMSG_DONE;  // what the connector expects [SRC set_proc_ev_listen]
  nlh->nlmsg_pid = portId;
  cn_msg cn{};
  cn.id.idx = CN_IDX_PROC;
  cn.id.val = CN_VAL_PROC;
  const std::uint32_t op = listen ? PROC_CN_MCAST_LISTEN : PROC_CN_MCAST_IGNORE;
  cn.len = sizeof op;
  auto* extra = static_cast<std::byte*>(mnl_nlmsg_put_extra_header(nlh, sizeof cn + sizeof op));
  std::memcpy(extra, &cn, sizeof cn);
  std::memcpy(extra + sizeof cn, &op, sizeof op);
  buffer.resize(nlh->nlmsg_len);
  return buffer;
}

}  // namespace vipd::net
