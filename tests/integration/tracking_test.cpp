// Health checks and notifications on a running pair, observed from outside:
// who holds the VIP, what the operator's notify scripts and FIFO reader
// received (they write it to files), and the adverts on the wire.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "pair_lab.h"
#include "vipd/util/unique_fd.h"

namespace vipd::lab {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kSettle = 3s;

class TrackingTest : public PairLabTest {
 protected:
  TrackingTest() : PairLabTest("track") {}

  /// VRRPv3 at 100 ms; `extra` goes inside the instance, `outside` before it.
  static std::string config(int priority, const std::string& extra,
                            const std::string& outside = "") {
    return "global_defs {\n    vrrp_version 3\n}\n" + outside +
           "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority " +
           std::to_string(priority) +
           "\n    advert_int 0.1\n    virtual_ipaddress {\n        192.0.2.100/24\n    }\n" +
           extra + "}\n";
  }

  bool holds(const Host& h) { return lab_->hasAddress(h, "192.0.2.100"); }
  bool soleHolder(const Host& h, const Host& other) { return holds(h) && !holds(other); }
};

// keepalived's contract (reference §2.1): the specific script gets exactly
// its configured words, the generic one those plus TYPE NAME STATE PRIORITY;
// every instance starts in BACKUP; a stopped one reports STOP. vipd runs
// them one after another, in transition order.
TEST_F(TrackingTest, NotifyScriptsGetKeepalivedsArgumentsInTransitionOrder) {
  std::map<std::string, std::string> notifyConfig;
  for (const char* host : {"h1", "h2"}) {
    const auto log = path(std::string(host) + "-notify.log");
    const auto sh = script(std::string(host) + "-notify.sh", "echo \"$*\" >> " + log);
    notifyConfig[host] = "    notify_master \"" + sh + " master_script\"\n    notify_backup \"" +
                         sh + " backup_script\"\n    notify_fault \"" + sh +
                         " fault_script\"\n    notify_stop \"" + sh +
                         " stop_script\"\n    notify " + sh + "\n";
  }
  c1_ = startVipd(*lab_, *h1_, config(150, notifyConfig["h1"]), "h1-vipd");
  // h1 first: h2 started within the skew difference would be master for a
  // moment (and notify it) before h1 preempts it.
  ASSERT_TRUE(waitFor([&] { return holds(*h1_); }, kSettle));
  c2_ = startVipd(*lab_, *h2_, config(100, notifyConfig["h2"]), "h2-vipd");
  ASSERT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, kSettle));
  EXPECT_EQ(waitForLines(path("h1-notify.log"), 4),
            (Lines{"backup_script", "INSTANCE VI_1 BACKUP 150", "master_script",
                   "INSTANCE VI_1 MASTER 150"}));
  EXPECT_EQ(waitForLines(path("h2-notify.log"), 2),
            (Lines{"backup_script", "INSTANCE VI_1 BACKUP 100"}));

  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_EQ(readLines(path("h1-notify.log")),
            (Lines{"backup_script", "INSTANCE VI_1 BACKUP 150", "master_script",
                   "INSTANCE VI_1 MASTER 150", "stop_script", "INSTANCE VI_1 STOP 150"}))
      << "STOP notifies run before vipd exits";
  EXPECT_TRUE(waitFor([&] { return holds(*h2_); }, kSettle));
  EXPECT_EQ(waitForLines(path("h2-notify.log"), 4),
            (Lines{"backup_script", "INSTANCE VI_1 BACKUP 100", "master_script",
                   "INSTANCE VI_1 MASTER 100"}));
}

// keepalived reports an instance a reload deletes as FAULT, or as DELETED
// (running notify_deleted) when configured.
TEST_F(TrackingTest, AnInstanceDeletedByAReloadNotifiesDeleted) {
  const auto log = path("h1-notify.log");
  const auto sh = script("h1-notify.sh", "echo \"$*\" >> " + log);
  const std::string vi2 =
      "vrrp_instance VI_2 {\n    interface eth0\n    virtual_router_id 52\n    advert_int 0.1\n"
      "    virtual_ipaddress {\n        192.0.2.101/24\n    }\n}\n";
  const std::string notify =
      "    notify " + sh + "\n    notify_deleted \"" + sh + " deleted_script\"\n";
  c1_ = startVipd(*lab_, *h1_, config(150, notify) + vi2, "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return holds(*h1_); }, kSettle));
  waitForLines(log, 2);
  reloadWith(*lab_, c1_, "global_defs {\n    vrrp_version 3\n}\n" + vi2);
  EXPECT_EQ(waitForLines(log, 4), (Lines{"INSTANCE VI_1 BACKUP 150", "INSTANCE VI_1 MASTER 150",
                                         "deleted_script", "INSTANCE VI_1 DELETED 150"}));
  EXPECT_TRUE(waitFor([&] { return !holds(*h1_); }, kSettle)) << "its VIP is removed";
}

TEST_F(TrackingTest, FifoReaderGetsEveryTransitionIncludingStop) {
  const auto fifo = path("h1.fifo");
  const auto out = path("h1-fifo.log");
  const auto reader =
      script("reader.sh", "while read -r line; do echo \"$line\" >> " + out + "; done < \"$1\"");
  const std::string globals = "global_defs {\n    vrrp_notify_fifo " + fifo +
                              "\n    vrrp_notify_fifo_script " + reader + "\n}\n";
  c1_ = startVipd(*lab_, *h1_, config(150, "", globals), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return holds(*h1_); }, kSettle));
  EXPECT_EQ(waitForLines(out, 2),
            (Lines{"INSTANCE \"VI_1\" BACKUP 150", "INSTANCE \"VI_1\" MASTER 150"}));
  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_EQ(readLines(out), (Lines{"INSTANCE \"VI_1\" BACKUP 150", "INSTANCE \"VI_1\" MASTER 150",
                                   "INSTANCE \"VI_1\" STOP 150"}))
      << "keepalived kills its reader before the STOP line; vipd lets it read it";
  EXPECT_NE(readLog(c1_).find("notify fifo script ended at shutdown "
                              "script=\"vrrp_notify_fifo_script\" result=\"exited code=0\""),
            std::string::npos)
      << "the reader saw EOF and ended on its own";
}

// A reader that does not end at EOF gets keepalived's SIGTERM; vipd does not
// wait for it longer than about a second.
TEST_F(TrackingTest, FifoReaderThatIgnoresEofIsTerminated) {
  const auto fifo = path("h1.fifo");
  const auto reader = script("reader.sh", "exec sleep 600 < \"$1\"");
  const std::string globals = "global_defs {\n    vrrp_notify_fifo " + fifo +
                              "\n    vrrp_notify_fifo_script " + reader + "\n}\n";
  c1_ = startVipd(*lab_, *h1_, config(150, "", globals), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return holds(*h1_); }, kSettle));
  const auto stopAt = Clock::now();
  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_LT(Clock::now() - stopAt, 3s);
  EXPECT_NE(
      readLog(c1_).find("notify fifo script ended at shutdown "
                        "script=\"vrrp_notify_fifo_script\" result=\"killed signal=SIGTERM\""),
      std::string::npos)
      << readLog(c1_);
}

// vrrp_notify_priority_changes: the FIFO hears each effective priority change
// (MASTER_PRIORITY while master), and no notify script runs for it.
TEST_F(TrackingTest, FifoReportsPriorityChangesWhenAsked) {
  const auto fifo = path("h1.fifo");
  const auto out = path("h1-fifo.log");
  const auto file = path("prio");
  std::ofstream(file) << "0\n";
  const auto reader =
      script("reader.sh", "while read -r line; do echo \"$line\" >> " + out + "; done < \"$1\"");
  const std::string blocks = "global_defs {\n    vrrp_notify_fifo " + fifo +
                             "\n    vrrp_notify_fifo_script " + reader +
                             "\n    vrrp_notify_priority_changes\n}\n" +
                             "track_file prio {\n    file " + file + "\n    weight -10\n}\n";
  c1_ = startVipd(*lab_, *h1_, config(150, "    track_file {\n        prio\n    }\n", blocks),
                  "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return holds(*h1_); }, kSettle));
  const Lines started{"INSTANCE \"VI_1\" BACKUP 150", "INSTANCE \"VI_1\" MASTER 150"};
  EXPECT_EQ(waitForLines(out, 2), started);
  std::ofstream(file, std::ios::trunc) << "3\n";
  Lines expected = started;
  expected.push_back("INSTANCE \"VI_1\" MASTER_PRIORITY 120");
  EXPECT_EQ(waitForLines(out, 3), expected);
}

/// h1's health check fails while the flag file exists.
struct HealthCase {
  std::string name;
  std::string weight;  ///< "" = weight 0: a failure is FAULT
  bool nopreempt = false;
};

class HealthCheckTest : public TrackingTest, public ::testing::WithParamInterface<HealthCase> {};

// A failing check on the master moves the VIP to the backup: weight 0 puts
// the master in FAULT; a negative weight lowers it below the backup, which
// preempts. When the check recovers, preemption brings the VIP back, unless
// h1 has nopreempt: then the VIP stays where it is.
TEST_P(HealthCheckTest, FailingCheckMovesTheVipAndRecoveryBringsItBack) {
  const auto flag = path("h1-fail");
  const auto check = script("check.sh", "test ! -e " + flag);
  const std::string scriptBlock =
      "vrrp_script chk {\n    script " + check + "\n    interval 1\n" + GetParam().weight + "}\n";
  const std::string preempt = GetParam().nopreempt ? "    nopreempt\n" : "";
  c1_ = startVipd(*lab_, *h1_,
                  config(150, "    track_script {\n        chk\n    }\n" + preempt, scriptBlock),
                  "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, kSettle));
  // Started once h1 is master: else h2 could win the start-up election
  // while h1 waits for its first check result, and nopreempt would keep it.
  c2_ = startVipd(*lab_, *h2_, config(100, ""), "h2-vipd");

  std::ofstream(flag) << "down\n";
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h2_, *h1_); }, 5s)) << "the backup took over";
  const bool weighted = !GetParam().weight.empty();
  EXPECT_NE(readLog(c1_).find(weighted ? "effective priority 150 -> 90" : "entering FAULT"),
            std::string::npos);

  std::filesystem::remove(flag);
  if (!GetParam().nopreempt) {
    EXPECT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, 5s)) << "h1 preempted back";
    return;
  }
  ASSERT_TRUE(waitFor(
      [&] { return readLog(c1_).find("effective priority 90 -> 150") != std::string::npos; }, 5s))
      << "the check recovered";
  // Observing that nothing happens takes time: 20 advert intervals.
  std::this_thread::sleep_for(2s);
  EXPECT_TRUE(soleHolder(*h2_, *h1_)) << "nopreempt: h1 stays backup at a higher priority";
}

INSTANTIATE_TEST_SUITE_P(
    Weights, HealthCheckTest,
    ::testing::Values(HealthCase{"Weight0Faults", ""},
                      HealthCase{"NegativeWeightLowersPriority", "    weight -60\n"},
                      HealthCase{"NopreemptKeepsTheBackupMaster", "    weight -60\n", true}),
    [](const auto& param) { return param.param.name; });

// track_interface without a weight: the tracked link going down is a
// FAULT; back up, the master preempts again.
TEST_F(TrackingTest, TrackedInterfaceDownFaultsTheMaster) {
  // A veth pair: the test machine may lack the dummy driver.
  h1_->ns->exec(
      "ip link add trk0 type veth peer name trk1 && ip link set dev trk1 up && "
      "ip link set dev trk0 up");
  c1_ = startVipd(*lab_, *h1_, config(150, "    track_interface {\n        trk0\n    }\n"),
                  "h1-vipd");
  c2_ = startVipd(*lab_, *h2_, config(100, ""), "h2-vipd");
  ASSERT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, kSettle));
  h1_->ns->exec("ip link set dev trk0 down");
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h2_, *h1_); }, 5s)) << "the backup took over";
  EXPECT_NE(readLog(c1_).find("tracker trk0 faults the instance"), std::string::npos);
  h1_->ns->exec("ip link set dev trk0 up");
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, 5s)) << "h1 preempted back";
}

// track_file: value × weight joins the priority, re-read through inotify
// the moment the file is written.
TEST_F(TrackingTest, TrackFileValueChangesThePriority) {
  const auto file = path("prio");
  std::ofstream(file) << "0\n";
  const std::string block = "track_file prio {\n    file " + file + "\n    weight -10\n}\n";
  c1_ = startVipd(*lab_, *h1_, config(150, "    track_file {\n        prio\n    }\n", block),
                  "h1-vipd");
  c2_ = startVipd(*lab_, *h2_, config(100, ""), "h2-vipd");
  ASSERT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, kSettle));
  std::ofstream(file, std::ios::trunc) << "6\n";  // 150 - 60 = 90 < 100
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h2_, *h1_); }, 5s)) << "h2 preempted";
  EXPECT_NE(readLog(c1_).find("effective priority 150 -> 90"), std::string::npos);
  std::ofstream(file, std::ios::trunc) << "0\n";
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, 5s)) << "h1 preempted back";
}

// vrrp_track_process with weight 0: the master's tracked process dying
// (killed by PID) is a FAULT and the backup takes over; started again, it
// brings mastership back. Processes are host-wide, not per namespace, so the
// program is a copy of sleep under a name unique to this run; the process
// connector reports it although vipd runs inside a network namespace.
TEST_F(TrackingTest, TrackedProcessDyingFaultsTheMasterAndItsRestartBringsItBack) {
  const std::string name = "vipdtp" + std::to_string(::getpid());
  const auto program = path(name);
  std::filesystem::copy_file("/bin/sleep", program);
  Child tracked = lab_->spawn(*h1_, {program, "300"}, "tracked-1");
  const std::string block = "vrrp_track_process tp {\n    process " + name + "\n    weight 0\n}\n";
  c1_ = startVipd(*lab_, *h1_, config(150, "    track_process {\n        tp\n    }\n", block),
                  "h1-vipd");
  // h1 first, as in sync_group_test: a backup started within the skew
  // difference would be master for a moment.
  ASSERT_TRUE(waitFor([&] { return holds(*h1_); }, kSettle));
  c2_ = startVipd(*lab_, *h2_, config(100, ""), "h2-vipd");
  ASSERT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, kSettle));
  EXPECT_TRUE(logShows(c1_, "track_process tp: 1 matching process(es), quorum held"));

  lab_->signal(tracked, SIGKILL);
  ASSERT_TRUE(lab_->waitExit(tracked, 5s));
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h2_, *h1_); }, 5s)) << "the backup took over";
  EXPECT_TRUE(logShows(c1_, "track_process tp: quorum lost"));
  EXPECT_TRUE(logShows(c1_, "tracker tp faults the instance"));

  Child again = lab_->spawn(*h1_, {program, "300"}, "tracked-2");
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, 5s)) << "h1 preempted back";
  EXPECT_TRUE(logShows(c1_, "track_process tp: quorum gained"));
  lab_->stop(again);
}

// A check that hangs is killed at its timeout (a failure), and the loop that
// sends adverts never waits for it: the spacing on the wire stays at 100 ms.
TEST_F(TrackingTest, HangingCheckIsKilledAtItsTimeoutAndAdvertsStayOnTime) {
  const auto check = script("hang.sh", "sleep 100");
  const std::string scriptBlock = "vrrp_script hang {\n    script " + check +
                                  "\n    interval 2\n    timeout 1\n    weight -10\n}\n";
  c1_ = startVipd(*lab_, *h1_,
                  config(150, "    track_script {\n        hang\n    }\n", scriptBlock), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return holds(*h1_); }, kSettle));
  tap_->clear();
  ASSERT_TRUE(waitFor([&] { return readLog(c1_).find("timed out") != std::string::npos; }, 5s))
      << "the hanging check was not reported as timed out";
  std::this_thread::sleep_for(2500ms);
  const auto seen = tap_->seen();
  ASSERT_GE(seen.size(), 20u);
  Clock::duration widest{};
  for (std::size_t i = 1; i < seen.size(); ++i)
    widest = std::max(widest, seen[i].at - seen[i - 1].at);
  EXPECT_LT(widest, 150ms) << "an advert was late while a check hung";
  EXPECT_NE(readLog(c1_).find("vrrp_script hang is now BAD"), std::string::npos);
}

/// A TCP listener on `address`:`port` inside the host's namespace, opened by
/// the test itself (the kernel completes handshakes without accept()), so
/// closing it makes the port refuse connections.
util::UniqueFd listenIn(const Host& host, const char* address, std::uint16_t port) {
  const testing::EnterNetNs inside(*host.ns);
  util::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const int on = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  ::inet_pton(AF_INET, address, &sa.sin_addr);
  EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0)
      << std::strerror(errno);
  EXPECT_EQ(::listen(fd.get(), SOMAXCONN), 0);
  return fd;
}

// vipd_check: a TCP_CHECK on h1's own service, probed by vipd itself (no
// process forked). The service going away faults the master (weight 0) and
// the backup takes over; the service coming back brings the VIP back.
TEST_F(TrackingTest, NativeTcpCheckMovesTheVipWhenTheServiceStops) {
  util::UniqueFd service = listenIn(*h1_, "192.0.2.1", 8080);
  const std::string check =
      "vipd_check chk_svc {\n    TCP_CHECK {\n        connect_ip 192.0.2.1\n"
      "        connect_port 8080\n        connect_timeout 1\n        retry 0\n    }\n"
      "    interval 1\n}\n";
  c1_ = startVipd(*lab_, *h1_, config(150, "    track_script {\n        chk_svc\n    }\n", check),
                  "h1-vipd");
  c2_ = startVipd(*lab_, *h2_, config(100, ""), "h2-vipd");
  ASSERT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, kSettle));
  EXPECT_TRUE(logShows(c1_, "vipd_check chk_svc is now GOOD"));

  service.reset();
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h2_, *h1_); }, 5s)) << "the backup took over";
  EXPECT_NE(readLog(c1_).find("vipd_check chk_svc is now BAD (last run: connect to "
                              "192.0.2.1:8080: Connection refused)"),
            std::string::npos);
  EXPECT_NE(readLog(c1_).find("entering FAULT"), std::string::npos);

  service = listenIn(*h1_, "192.0.2.1", 8080);
  EXPECT_TRUE(waitFor([&] { return soleHolder(*h1_, *h2_); }, 5s)) << "h1 preempted back";
  EXPECT_EQ(countInLog(c1_, "vipd_check chk_svc is now GOOD"), 2u);
}

}  // namespace
}  // namespace vipd::lab
