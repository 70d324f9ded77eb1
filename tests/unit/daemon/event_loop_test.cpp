#include "vipd/daemon/event_loop.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace vipd::daemon {
namespace {

using std::chrono::milliseconds;

// These tests never wait on the clock: timers are armed in the past, so they
// are due on the first iteration, and descriptors are made readable first.

TEST(EventLoopTest, DueTimersFireInDeadlineThenArmingOrder) {
  EventLoop loop;
  std::vector<std::string> fired;
  auto past = loop.now() - milliseconds(10);
  loop.armTimer(past, [&] { fired.push_back("b"); });
  loop.armTimer(past - milliseconds(5), [&] { fired.push_back("a"); });
  loop.armTimer(past, [&] { fired.push_back("c"); });
  loop.runOnce(milliseconds(1000));
  EXPECT_EQ(fired, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(loop.pendingTimers(), 0u);
}

TEST(EventLoopTest, CancelledTimerDoesNotFire) {
  EventLoop loop;
  bool fired = false, other = false;
  auto id = loop.armTimer(loop.now() - milliseconds(1), [&] { fired = true; });
  loop.armTimer(loop.now() - milliseconds(1), [&] { other = true; });
  loop.cancelTimer(id);
  loop.cancelTimer(id);  // twice is harmless
  loop.runOnce(milliseconds(1000));
  EXPECT_FALSE(fired);
  EXPECT_TRUE(other);
}

TEST(EventLoopTest, FutureTimerStaysPending) {
  EventLoop loop;
  bool fired = false;
  loop.armTimer(loop.now() + std::chrono::hours(1), [&] { fired = true; });
  loop.armTimer(loop.now() - milliseconds(1), [] {});
  loop.runOnce(milliseconds(1000));
  EXPECT_FALSE(fired);
  EXPECT_EQ(loop.pendingTimers(), 1u);
}

TEST(EventLoopTest, TimerArmedByCallbackForNowRunsNextIteration) {
  EventLoop loop;
  int count = 0;
  loop.armTimer(loop.now() - milliseconds(1), [&] {
    ++count;
    loop.armTimer(loop.now() - milliseconds(1), [&] { ++count; });
  });
  loop.runOnce(milliseconds(1000));
  EXPECT_EQ(count, 1);
  loop.runOnce(milliseconds(1000));
  EXPECT_EQ(count, 2);
}

// A timer due 2 s ago stands for a loop that was stopped (SIGSTOP) or
// starved: the observer hears how late, once per dispatch.
TEST(EventLoopTest, LateTimersAreReportedAboveTheThresholdOnly) {
  EventLoop loop;
  std::vector<EventLoop::Clock::duration> reports;
  loop.onLateTimers(milliseconds(500), [&](auto late) { reports.push_back(late); });
  loop.armTimer(loop.now() - milliseconds(100), [] {});
  loop.runOnce(milliseconds(1000));
  EXPECT_TRUE(reports.empty()) << "100 ms late is under the threshold";

  loop.armTimer(loop.now() - milliseconds(2000), [] {});
  loop.armTimer(loop.now() - milliseconds(1500), [] {});
  loop.runOnce(milliseconds(1000));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_GE(reports[0], milliseconds(2000));
  EXPECT_LT(reports[0], milliseconds(3000));
}

TEST(EventLoopTest, ReaderCalledWhenReadableAndRemovable) {
  EventLoop loop;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  int calls = 0;
  loop.addReader(fds[0], [&] {
    char c;
    ASSERT_EQ(read(fds[0], &c, 1), 1);
    ++calls;
    loop.removeReader(fds[0]);
  });
  ASSERT_EQ(write(fds[1], "xy", 2), 2);
  loop.runOnce(milliseconds(1000));
  loop.runOnce(milliseconds(0));  // still readable, but removed
  EXPECT_EQ(calls, 1);
  close(fds[0]);
  close(fds[1]);
}

TEST(EventLoopTest, WriterCalledWhileWritableAndRemovableWithoutTheReader) {
  EventLoop loop;
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
  int writes = 0;
  int reads = 0;
  loop.addReader(fds[0], [&] {
    char c;
    while (read(fds[0], &c, 1) == 1) ++reads;
  });
  loop.addWriter(fds[0], [&] {
    ASSERT_EQ(write(fds[0], "x", 1), 1);
    if (++writes == 2) loop.removeWriter(fds[0]);
  });
  loop.runOnce(milliseconds(1000));
  loop.runOnce(milliseconds(1000));
  loop.runOnce(milliseconds(0));  // still writable, but the writer is gone
  EXPECT_EQ(writes, 2);
  char buf[4];
  ASSERT_EQ(read(fds[1], buf, sizeof buf), 2);
  ASSERT_EQ(write(fds[1], "ab", 2), 2);
  loop.runOnce(milliseconds(1000));
  EXPECT_EQ(reads, 2) << "the reader stays after its writer is removed";
  loop.removeReader(fds[0]);
  close(fds[0]);
  close(fds[1]);
}

TEST(EventLoopTest, HangUpWakesBothReaderAndWriter) {
  EventLoop loop;
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
  // Fill the socket so it is not writable: only the hang-up can wake the writer.
  const std::string chunk(4096, 'x');
  while (write(fds[0], chunk.data(), chunk.size()) > 0) {
  }
  bool readerWoke = false;
  bool writerWoke = false;
  loop.addReader(fds[0], [&] {
    readerWoke = true;
    loop.removeReader(fds[0]);
  });
  loop.addWriter(fds[0], [&] {
    writerWoke = true;
    loop.removeWriter(fds[0]);
  });
  close(fds[1]);
  loop.runOnce(milliseconds(1000));
  EXPECT_TRUE(readerWoke);
  EXPECT_TRUE(writerWoke);
  close(fds[0]);
}

TEST(EventLoopTest, SignalDeliveredThroughLoopAndStopsRun) {
  EventLoop loop;
  int got = 0;
  loop.onSignal(SIGUSR2, [&] {
    ++got;
    loop.stop();
  });
  ASSERT_EQ(kill(getpid(), SIGUSR2), 0);  // blocked, so it queues on the signalfd
  loop.run();
  EXPECT_EQ(got, 1);
}

}  // namespace
}  // namespace vipd::daemon
