#include "vipd/notify/notifier.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "fakes/fake_process_runner.h"
#include "fakes/fake_script_env.h"
#include "log_capture.h"
#include "notify_script.h"

namespace vipd::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Argv = std::vector<std::string>;

using testing::script;

class NotifierTest : public ::testing::Test {
 protected:
  NotifierTest() {
    files_.dir("/x").file("/x/notify.sh").file("/x/master.sh").file("/x/backup.sh");
    files_.file("/x/fault.sh").file("/x/stop.sh");
    files_.dir("/open", 0777).file("/open/evil.sh");
    accounts_.user(exec::kDefaultScriptUser, 990, 991).user("alice", 1000, 1000);
    accounts_.user("root", 0, 0);
    scripts_.master = script({"/x/master.sh", "master_script", "A"});
    scripts_.backup = script({"/x/backup.sh"});
    scripts_.fault = script({"/x/fault.sh"});
    scripts_.stop = script({"/x/stop.sh"});
    scripts_.generic = script({"/x/notify.sh"});
  }

  Notifier make(Subject subject, std::string name, ScriptPolicy policy = {}) {
    ScriptResolver resolver(std::move(policy), files_, accounts_);
    return Notifier(subject, std::move(name), scripts_, resolver, runner_, {});
  }

  /// Lets every run end, in order, and returns the argvs that ran.
  std::vector<Argv> drain() {
    std::vector<Argv> argvs;
    for (std::size_t i = 0; i < runner_.runs().size(); ++i) {
      argvs.push_back(runner_.runs()[i].command.argv);
      if (runner_.runs()[i].active()) runner_.exitWith(runner_.runs()[i].id, 0);
    }
    return argvs;
  }

  testing::LogCapture log_;
  fakes::FakeFileLookup files_;
  fakes::FakeAccountLookup accounts_;
  fakes::FakeProcessRunner runner_;
  config::NotifyScripts scripts_;
};

TEST_F(NotifierTest, EachStateRunsItsScriptThenTheGenericOneWithFourArguments) {
  const std::pair<NotifyState, std::vector<Argv>> table[] = {
      {NotifyState::Master,
       {{"/x/master.sh", "master_script", "A"},
        {"/x/notify.sh", "INSTANCE", "VI_1", "MASTER", "150"}}},
      {NotifyState::Backup,
       {{"/x/backup.sh"}, {"/x/notify.sh", "INSTANCE", "VI_1", "BACKUP", "150"}}},
      {NotifyState::Fault, {{"/x/fault.sh"}, {"/x/notify.sh", "INSTANCE", "VI_1", "FAULT", "150"}}},
      {NotifyState::Stop, {{"/x/stop.sh"}, {"/x/notify.sh", "INSTANCE", "VI_1", "STOP", "150"}}},
      // No notify_deleted in the model: keepalived reports FAULT.
      {NotifyState::Deleted,
       {{"/x/fault.sh"}, {"/x/notify.sh", "INSTANCE", "VI_1", "FAULT", "150"}}},
  };
  for (const auto& [state, expected] : table) {
    SCOPED_TRACE(stateName(state));
    fakes::FakeProcessRunner fresh;
    std::swap(runner_, fresh);
    auto notifier = make(Subject::Instance, "VI_1");
    notifier.notify(state, 150);
    EXPECT_EQ(drain(), expected);
    EXPECT_TRUE(notifier.queue().idle());
  }
}

TEST_F(NotifierTest, GroupReportsGroupAndPriorityZero) {
  auto notifier = make(Subject::Group, "G1");
  notifier.notify(NotifyState::Master, 150);
  EXPECT_EQ(drain(), (std::vector<Argv>{{"/x/master.sh", "master_script", "A"},
                                        {"/x/notify.sh", "GROUP", "G1", "MASTER", "0"}}));
}

TEST_F(NotifierTest, ArgumentsWithSpacesStayOneArgument) {
  scripts_.master = script({"/x/master.sh", "two words", "it's"});
  scripts_.generic = script({"/x/notify.sh", "--tag", "a b"});
  auto notifier = make(Subject::Instance, "VI_1");
  notifier.notify(NotifyState::Master, 100);
  EXPECT_EQ(drain(), (std::vector<Argv>{
                         {"/x/master.sh", "two words", "it's"},
                         {"/x/notify.sh", "--tag", "a b", "INSTANCE", "VI_1", "MASTER", "100"}}));
}

TEST_F(NotifierTest, ScriptsRunAsTheirResolvedUsers) {
  scripts_.master = script({"/x/master.sh"}, "alice");
  auto notifier = make(Subject::Instance, "VI_1");
  notifier.notify(NotifyState::Master, 100);
  ASSERT_EQ(runner_.runs().size(), 1u);
  EXPECT_EQ(runner_.last().command.uid, 1000u);
  EXPECT_EQ(runner_.last().command.name, "notify_master VI_1");
  runner_.exitWith(runner_.last().id, 0);
  EXPECT_EQ(runner_.last().command.uid, 990u);  // generic: the default script user
  EXPECT_EQ(runner_.last().command.gid, 991u);
  EXPECT_EQ(runner_.last().command.name, "notify VI_1");
}

TEST_F(NotifierTest, InsecureScriptIsLeftOutUnderScriptSecurity) {
  scripts_.master = script({"/open/evil.sh"}, "root");
  auto notifier = make(Subject::Instance, "VI_1", {std::nullopt, true});
  ASSERT_EQ(notifier.refusals().size(), 1u);
  EXPECT_EQ(notifier.refusals()[0].script, "notify_master VI_1");
  EXPECT_EQ(notifier.refusals()[0].kind, RefusalKind::Security);
  EXPECT_THAT(notifier.refusals()[0].reason, HasSubstr("notify_master VI_1 due to insecure"));
  notifier.notify(NotifyState::Master, 100);
  EXPECT_EQ(drain(), (std::vector<Argv>{{"/x/notify.sh", "INSTANCE", "VI_1", "MASTER", "100"}}));
  EXPECT_THAT(log_.text(), HasSubstr("Unsafe permissions found for script '/open/evil.sh'"));
}

TEST_F(NotifierTest, TransitionsQueueBehindARunningScript) {
  auto notifier = make(Subject::Instance, "VI_1");
  notifier.notify(NotifyState::Backup, 100);
  notifier.notify(NotifyState::Master, 100);
  EXPECT_EQ(runner_.running(), 1u);
  EXPECT_EQ(notifier.queue().pending(), 3u);
  EXPECT_EQ(drain(), (std::vector<Argv>{{"/x/backup.sh"},
                                        {"/x/notify.sh", "INSTANCE", "VI_1", "BACKUP", "100"},
                                        {"/x/master.sh", "master_script", "A"},
                                        {"/x/notify.sh", "INSTANCE", "VI_1", "MASTER", "100"}}));
}

TEST_F(NotifierTest, NoScriptsConfiguredRunsNothing) {
  scripts_ = {};
  auto notifier = make(Subject::Instance, "VI_1");
  notifier.notify(NotifyState::Master, 100);
  EXPECT_TRUE(runner_.runs().empty());
  EXPECT_THAT(notifier.refusals(), IsEmpty());
}

TEST_F(NotifierTest, FifoLineGoesToEveryFifoAtOnce) {
  std::string pattern = (std::filesystem::temp_directory_path() / "vipd-notifier-XXXXXX").string();
  std::string dir = ::mkdtemp(pattern.data());
  FifoWriter a({dir + "/a", FifoWriter::OpenMode::ReadWrite, {}, {}});
  FifoWriter b({dir + "/b", FifoWriter::OpenMode::ReadWrite, {}, {}});
  ASSERT_FALSE(a.prepare());
  ASSERT_FALSE(b.prepare());
  {
    ScriptResolver resolver({}, files_, accounts_);
    Notifier notifier(Subject::Instance, "VI_1", scripts_, resolver, runner_, {&a, nullptr, &b});
    notifier.notify(NotifyState::Deleted, 150);
  }
  for (const auto& path : {dir + "/a", dir + "/b"}) {
    SCOPED_TRACE(path);
    util::UniqueFd reader(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    char buf[128];
    auto n = ::read(reader.get(), buf, sizeof buf);
    ASSERT_GT(n, 0);
    EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)), "INSTANCE \"VI_1\" FAULT 150\n");
  }
  std::filesystem::remove_all(dir);
}

// notify_priority_changes: a FIFO line only, MASTER_PRIORITY in MASTER and
// BACKUP_PRIORITY otherwise [SRC vrrp_notify.c:send_instance_priority_notifies].
TEST_F(NotifierTest, PriorityChangesWriteAFifoLineOnlyWhenReported) {
  std::string pattern = (std::filesystem::temp_directory_path() / "vipd-notifier-XXXXXX").string();
  std::string dir = ::mkdtemp(pattern.data());
  FifoWriter fifo({dir + "/f", FifoWriter::OpenMode::ReadWrite, {}, {}});
  ASSERT_FALSE(fifo.prepare());
  {
    ScriptResolver resolver({}, files_, accounts_);
    Notifier notifier(Subject::Instance, "VI_1", scripts_, resolver, runner_, {&fifo});
    notifier.priorityChanged(true, 140);  // not reported: the default
    notifier.setReportsPriorityChanges(true);
    notifier.priorityChanged(true, 130);
    notifier.priorityChanged(false, 120);
  }
  EXPECT_TRUE(runner_.runs().empty()) << "no notify script runs for a priority change";
  util::UniqueFd reader(::open((dir + "/f").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  char buf[256];
  auto n = ::read(reader.get(), buf, sizeof buf);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)),
            "INSTANCE \"VI_1\" MASTER_PRIORITY 130\nINSTANCE \"VI_1\" BACKUP_PRIORITY 120\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vipd::notify
