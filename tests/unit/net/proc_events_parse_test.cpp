// parseProcEvents() on datagrams laid out as the kernel's cn_proc sends them
// (nlmsghdr, cn_msg, proc_event), and the subscription message.

#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <cstring>
#include <random>
#include <vector>

#include "vipd/net/proc_events.h"

namespace vipd::net {
namespace {

using Events = std::vector<ProcEvent>;

/// One connector message as the kernel sends it: 16 + 20 + 40 bytes.
class Datagram {
 public:
  Datagram& add(const proc_event& event, std::uint32_t ack = 0, std::uint32_t idx = CN_IDX_PROC,
                std::uint16_t cnLen = sizeof(proc_event)) {
    std::vector<std::byte> message(MNL_SOCKET_BUFFER_SIZE);
    nlmsghdr* nlh = mnl_nlmsg_put_header(message.data());
    nlh->nlmsg_type = NLMSG_DONE;
    cn_msg cn{};
    cn.id.idx = idx;
    cn.id.val = CN_VAL_PROC;
    cn.ack = ack;
    cn.len = cnLen;
    auto* payload =
        static_cast<std::byte*>(mnl_nlmsg_put_extra_header(nlh, sizeof cn + sizeof event));
    std::memcpy(payload, &cn, sizeof cn);
    std::memcpy(payload + sizeof cn, &event, sizeof event);
    message.resize(nlh->nlmsg_len);
    bytes_.insert(bytes_.end(), message.begin(), message.end());
    return *this;
  }
  std::vector<std::byte>& bytes() { return bytes_; }

 private:
  std::vector<std::byte> bytes_;
};

proc_event event(std::uint32_t what) {
  proc_event e{};
  e.what = static_cast<decltype(e.what)>(what);
  return e;
}

proc_event forkOf(int parentPid, int parentTgid, int childPid, int childTgid) {
  proc_event e = event(proc_event::PROC_EVENT_FORK);
  e.event_data.fork.parent_pid = parentPid;
  e.event_data.fork.parent_tgid = parentTgid;
  e.event_data.fork.child_pid = childPid;
  e.event_data.fork.child_tgid = childTgid;
  return e;
}

proc_event exec(int pid, int tgid) {
  proc_event e = event(proc_event::PROC_EVENT_EXEC);
  e.event_data.exec.process_pid = pid;
  e.event_data.exec.process_tgid = tgid;
  return e;
}

proc_event comm(int pid, const char* name) {
  proc_event e = event(proc_event::PROC_EVENT_COMM);
  e.event_data.comm.process_pid = pid;
  e.event_data.comm.process_tgid = pid;
  std::strncpy(e.event_data.comm.comm, name, sizeof e.event_data.comm.comm);
  return e;
}

proc_event exitOf(int pid, int tgid) {
  proc_event e = event(proc_event::PROC_EVENT_EXIT);
  e.event_data.exit.process_pid = pid;
  e.event_data.exit.process_tgid = tgid;
  e.event_data.exit.exit_code = 9;
  return e;
}

Events procEventsIn(std::span<const std::byte> bytes, std::size_t* malformed = nullptr) {
  Events out;
  const std::size_t n = parseProcEvents(bytes, out);
  if (malformed != nullptr) *malformed = n;
  return out;
}

TEST(ProcEventsParseTest, EachTrackedEventBecomesItsValue) {
  Datagram d;
  d.add(forkOf(10, 10, 11, 11)).add(exec(11, 11)).add(comm(11, "nginx")).add(exitOf(11, 11));
  EXPECT_EQ(procEventsIn(d.bytes()), (Events{ProcForked{10, 10, 11, 11}, ProcExec{11, 11},
                                             ProcRenamed{11, 11, "nginx"}, ProcExited{11, 11}}));
}

TEST(ProcEventsParseTest, AFifteenByteCommIsKeptWhole) {
  Datagram d;
  d.add(comm(5, "exactly15bytes!"));
  EXPECT_EQ(procEventsIn(d.bytes()), (Events{ProcRenamed{5, 5, "exactly15bytes!"}}));
}

TEST(ProcEventsParseTest, TheListenAckCarriesItsError) {
  proc_event ack = event(proc_event::PROC_EVENT_NONE);
  ack.event_data.ack.err = 1;
  Datagram d;
  d.add(ack, /*ack=*/1);
  EXPECT_EQ(procEventsIn(d.bytes()), (Events{ProcListenAck{1}}));
}

TEST(ProcEventsParseTest, AnAckFlagThatDoesNotFitTheEventIsIgnored) {
  Datagram d;
  d.add(event(proc_event::PROC_EVENT_NONE), /*ack=*/0).add(exec(1, 1), /*ack=*/1);
  EXPECT_EQ(procEventsIn(d.bytes()), Events{});
}

TEST(ProcEventsParseTest, UntrackedEventsAndOtherConnectorsAreIgnored) {
  Datagram d;
  d.add(event(proc_event::PROC_EVENT_UID))
      .add(event(proc_event::PROC_EVENT_COREDUMP))
      .add(exec(1, 1), 0, CN_IDX_CIFS);
  std::size_t malformed = 99;
  EXPECT_EQ(procEventsIn(d.bytes(), &malformed), Events{});
  EXPECT_EQ(malformed, 0u);
}

TEST(ProcEventsParseTest, AConnectorLengthBeyondTheMessageIsMalformed) {
  Datagram d;
  d.add(exec(1, 1), 0, CN_IDX_PROC, sizeof(proc_event) + 1).add(exec(2, 2));
  std::size_t malformed = 0;
  EXPECT_EQ(procEventsIn(d.bytes(), &malformed), (Events{ProcExec{2, 2}, ProcEventsLost{}}));
  EXPECT_EQ(malformed, 1u);
}

TEST(ProcEventsParseTest, AnEventShorterThanItsDataIsMalformed) {
  Datagram d;
  d.add(forkOf(1, 1, 2, 2), 0, CN_IDX_PROC, offsetof(proc_event, event_data) + 8);
  EXPECT_EQ(procEventsIn(d.bytes()), (Events{ProcEventsLost{}}));
}

TEST(ProcEventsParseTest, TrailingBytesCountAsALostMessage) {
  Datagram d;
  d.add(exec(3, 3));
  d.bytes().resize(d.bytes().size() + 7, std::byte{0x55});
  EXPECT_EQ(procEventsIn(d.bytes()), (Events{ProcExec{3, 3}, ProcEventsLost{}}));
}

TEST(ProcEventsParseTest, AnUnalignedBufferParsesAlike) {
  Datagram d;
  d.add(exitOf(7, 7));
  std::vector<std::byte> shifted(d.bytes().size() + 1);
  std::memcpy(shifted.data() + 1, d.bytes().data(), d.bytes().size());
  EXPECT_EQ(procEventsIn(std::span(shifted).subspan(1)), (Events{ProcExited{7, 7}}));
}

TEST(ProcEventsParseTest, EmptyAndTinyDatagramsGiveNothingOrALoss) {
  EXPECT_EQ(procEventsIn({}), Events{});
  const std::vector<std::byte> tiny(3, std::byte{1});
  EXPECT_EQ(procEventsIn(tiny), (Events{ProcEventsLost{}}));
}

// Robustness: any mutation of a valid datagram parses without crashing and
// never yields more events than messages (ProcEventsLost aside).
TEST(ProcEventsParseTest, MutatedDatagramsNeverCrash) {
  Datagram d;
  d.add(forkOf(10, 10, 11, 11)).add(comm(11, "x"));
  std::mt19937 rng(1);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::byte> bytes = d.bytes();
    for (int flips = 1 + static_cast<int>(rng() % 4); flips > 0; --flips) {
      bytes[rng() % bytes.size()] = static_cast<std::byte>(rng());
    }
    bytes.resize(rng() % (bytes.size() + 1));
    const Events events = procEventsIn(bytes);
    EXPECT_LE(events.size(), 3u);
  }
}

TEST(ProcListenMessageTest, IsTheConnectorSubscriptionKeepalivedSends) {
  const auto message = buildProcListenMessage(true, 1234);
  ASSERT_EQ(message.size(), sizeof(nlmsghdr) + sizeof(cn_msg) + sizeof(std::uint32_t));
  nlmsghdr nlh{};
  std::memcpy(&nlh, message.data(), sizeof nlh);
  EXPECT_EQ(nlh.nlmsg_len, message.size());
  EXPECT_EQ(nlh.nlmsg_type, NLMSG_DONE);
  EXPECT_EQ(nlh.nlmsg_pid, 1234u);
  cn_msg cn{};
  std::memcpy(&cn, message.data() + sizeof nlh, sizeof cn);
  EXPECT_EQ(cn.id.idx, static_cast<std::uint32_t>(CN_IDX_PROC));
  EXPECT_EQ(cn.id.val, static_cast<std::uint32_t>(CN_VAL_PROC));
  EXPECT_EQ(cn.len, sizeof(std::uint32_t));
  std::uint32_t op = 0;
  std::memcpy(&op, message.data() + sizeof nlh + sizeof cn, sizeof op);
  EXPECT_EQ(op, static_cast<std::uint32_t>(PROC_CN_MCAST_LISTEN));
  std::memcpy(&op, buildProcListenMessage(false, 1).data() + sizeof nlh + sizeof cn, sizeof op);
  EXPECT_EQ(op, static_cast<std::uint32_t>(PROC_CN_MCAST_IGNORE));
}

TEST(ProcEventsParseTest, EventsPrintForLogs) {
  EXPECT_EQ(toString(ProcEvent{ProcForked{1, 2, 3, 4}}), "ProcForked pid=3 tgid=4 parent=2");
  EXPECT_EQ(toString(ProcEvent{ProcRenamed{5, 5, "x"}}), "ProcRenamed pid=5 tgid=5 comm=x");
  EXPECT_EQ(toString(ProcEvent{ProcEventsLost{}}), "ProcEventsLost");
}

}  // namespace
}  // namespace vipd::net
