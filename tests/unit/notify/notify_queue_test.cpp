#include "vipd/notify/notify_queue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "fakes/fake_process_runner.h"
#include "log_capture.h"

namespace vipd::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

exec::Command command(std::string name) {
  exec::Command c;
  c.name = name;
  c.argv = {"/x/" + name};
  return c;
}

std::vector<exec::Command> commands(std::initializer_list<const char*> names) {
  std::vector<exec::Command> out;
  for (const char* name : names) out.push_back(command(name));
  return out;
}

class NotifyQueueTest : public ::testing::Test {
 protected:
  std::vector<std::string> started() const {
    std::vector<std::string> names;
    for (const auto& run : runner_.runs()) names.push_back(run.command.name);
    return names;
  }

  testing::LogCapture log_;
  fakes::FakeProcessRunner runner_;
  NotifyQueue queue_{runner_, "VI_1"};
};

TEST_F(NotifyQueueTest, FirstCommandStartsAtOnceTheRestWait) {
  queue_.enqueue(NotifyState::Master, commands({"notify_master", "notify"}));
  EXPECT_THAT(started(), ElementsAre("notify_master"));
  EXPECT_EQ(queue_.pending(), 1u);
  EXPECT_FALSE(queue_.idle());
}

TEST_F(NotifyQueueTest, RunsNeverOverlapAndFollowTransitionOrder) {
  queue_.enqueue(NotifyState::Backup, commands({"notify_backup", "notify"}));
  queue_.enqueue(NotifyState::Master, commands({"notify_master", "notify"}));
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    ASSERT_EQ(runner_.running(), 1u);
    runner_.exitWith(runner_.last().id, 0);
  }
  EXPECT_EQ(runner_.running(), 0u);
  EXPECT_THAT(started(), ElementsAre("notify_backup", "notify", "notify_master", "notify"));
  EXPECT_TRUE(queue_.idle());
}

TEST_F(NotifyQueueTest, AFailingOrTimedOutScriptDoesNotStopTheQueue) {
  queue_.enqueue(NotifyState::Fault, commands({"notify_fault", "notify"}));
  runner_.timeOut(runner_.last().id);
  ASSERT_EQ(runner_.runs().size(), 2u);
  runner_.exitWith(runner_.last().id, 3);
  EXPECT_TRUE(queue_.idle());
  EXPECT_THAT(log_.text(), HasSubstr("seq=1 owner=VI_1 script=\"notify_fault\" state=FAULT "
                                     "result=\"timed out\""));
  EXPECT_THAT(log_.text(), HasSubstr("seq=2 owner=VI_1 script=\"notify\" state=FAULT "
                                     "result=\"exited code=3\" runtime_ms=0"));
}

TEST_F(NotifyQueueTest, EveryRunGetsTheTimeoutNotifyStopIncluded) {
  NotifyQueue queue(runner_, "VI_2", NotifyQueue::Options{2500ms});
  auto stop = command("notify_stop");
  stop.timeout = 1s;  // whatever the command says, the queue decides
  queue.enqueue(NotifyState::Stop, {stop});
  EXPECT_EQ(runner_.last().command.timeout, 2500ms);
  EXPECT_EQ(NotifyQueue::Options{}.timeout, 10s);
}

// A reload changing notify_timeout reaches the runs queued after it.
TEST_F(NotifyQueueTest, ANewTimeoutAppliesToRunsQueuedAfterIt) {
  NotifyQueue queue(runner_, "VI_2", NotifyQueue::Options{2s});
  queue.enqueue(NotifyState::Backup, commands({"notify_backup"}));
  queue.setTimeout(30s);
  queue.enqueue(NotifyState::Master, commands({"notify_master"}));
  EXPECT_EQ(runner_.runs()[0].command.timeout, 2s);
  runner_.exitWith(runner_.last().id, 0);
  EXPECT_EQ(runner_.last().command.timeout, 30s);
  EXPECT_EQ(queue.timeout(), 30s);
}

TEST_F(NotifyQueueTest, CountsRunsFailuresAndTimeoutsWithTheLastRuntime) {
  queue_.enqueue(NotifyState::Fault, commands({"a", "b", "c"}));
  runner_.exitWith(runner_.last().id, 0);
  runner_.timeOut(runner_.last().id);
  exec::Outcome failed;
  failed.kind = exec::OutcomeKind::Exited;
  failed.exitCode = 2;
  failed.runtime = 1500ms;
  runner_.complete(runner_.last().id, failed);
  const NotifyStats& stats = queue_.stats();
  EXPECT_EQ(stats.runs, 3u);
  EXPECT_EQ(stats.failures, 2u) << "the timeout is a failure too";
  EXPECT_EQ(stats.timeouts, 1u);
  ASSERT_TRUE(stats.lastRuntime);
  EXPECT_EQ(*stats.lastRuntime, 1500ms);
  queue_.clearStats();
  EXPECT_EQ(queue_.stats().runs, 0u);
  EXPECT_FALSE(queue_.stats().lastRuntime);
}

TEST_F(NotifyQueueTest, CancelledRunsAreNotCountedAndCountersCanContinue) {
  NotifyStats previous;
  previous.runs = 7;
  previous.failures = 1;
  queue_.continueStats(previous);
  queue_.enqueue(NotifyState::Master, commands({"notify_master"}));
  queue_.cancelAll();
  EXPECT_EQ(queue_.stats().runs, 7u);
  EXPECT_EQ(queue_.stats().failures, 1u);
}

TEST_F(NotifyQueueTest, SequenceNumbersCountRunsAcrossTransitions) {
  EXPECT_EQ(queue_.lastSequence(), 0u);
  queue_.enqueue(NotifyState::Backup, commands({"a", "b"}));
  queue_.enqueue(NotifyState::Master, commands({"c"}));
  EXPECT_EQ(queue_.lastSequence(), 3u);
  runner_.exitWith(runner_.last().id, 0);
  runner_.exitWith(runner_.last().id, 0);
  runner_.exitWith(runner_.last().id, 0);
  auto text = log_.text();
  EXPECT_THAT(text, HasSubstr("seq=1 owner=VI_1 script=\"a\" state=BACKUP"));
  EXPECT_THAT(text, HasSubstr("seq=2 owner=VI_1 script=\"b\" state=BACKUP"));
  EXPECT_THAT(text, HasSubstr("seq=3 owner=VI_1 script=\"c\" state=MASTER"));
}

TEST_F(NotifyQueueTest, OnIdleIsCalledWhenTheLastRunEnds) {
  int idleCalls = 0;
  queue_.onIdle([&] { ++idleCalls; });
  queue_.enqueue(NotifyState::Stop, commands({"notify_stop", "notify"}));
  runner_.exitWith(runner_.last().id, 0);
  EXPECT_EQ(idleCalls, 0);
  runner_.exitWith(runner_.last().id, 0);
  EXPECT_EQ(idleCalls, 1);
}

TEST_F(NotifyQueueTest, CancelAllKillsTheRunningScriptAndDropsTheRest) {
  int idleCalls = 0;
  queue_.onIdle([&] { ++idleCalls; });
  queue_.enqueue(NotifyState::Master, commands({"notify_master", "notify"}));
  auto running = runner_.last().id;
  queue_.cancelAll();
  EXPECT_THAT(runner_.cancelled(), ElementsAre(running));
  EXPECT_TRUE(queue_.idle());
  EXPECT_EQ(runner_.runs().size(), 1u);
  EXPECT_EQ(idleCalls, 0);
  // The queue still works afterwards.
  queue_.enqueue(NotifyState::Backup, commands({"notify_backup"}));
  EXPECT_EQ(runner_.last().command.name, "notify_backup");
}

TEST_F(NotifyQueueTest, DestroyingTheQueueCancelsItsRunningScript) {
  exec::ProcessRunner::RunId id = 0;
  {
    NotifyQueue queue(runner_, "VI_3");
    queue.enqueue(NotifyState::Master, commands({"notify_master"}));
    id = runner_.last().id;
  }
  EXPECT_THAT(runner_.cancelled(), ElementsAre(id));
}

TEST_F(NotifyQueueTest, EmptyTransitionDoesNothing) {
  queue_.enqueue(NotifyState::Master, {});
  EXPECT_TRUE(queue_.idle());
  EXPECT_TRUE(runner_.runs().empty());
}

}  // namespace
}  // namespace vipd::notify
