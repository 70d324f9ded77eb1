// Issue 10 items 2 and 10 at the daemon level: the answer to a lower-priority master (counted,
// and kept back by lower_prio_no_advert), and the preemption decision said once in the log.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "daemon_test_support.h"
#include "fakes/fake_address_manager.h"
#include "fakes/fake_packet_io.h"
#include "fakes/fake_route_manager.h"
#include "fakes/fake_scheduler.h"
#include "vipd/daemon/instance.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using testing::ip;
using testing::kIfindex;
using testing::kMac;

// Priority 150 on 192.0.2.1, VRRPv3, advert_int 1: Master_Down_Interval 3 s + 41 cs skew.
std::string preemptionBody(const std::string& extra) {
  return "interface eth0\nvirtual_router_id 51\npriority 150\nadvert_int 1\n" + extra +
         "virtual_ipaddress {\n  192.0.2.100/24\n}\n";
}

std::size_t occurrencesIn(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class InstancePreemptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kernel_.setLink(net::LinkInfo{kIfindex, "eth0", kMac, true, true, 1500});
    kernel_.takeEvents();
  }

  void make(const std::string& extra, const std::string& globals = "") {
    auto in = testing::parseInstance(preemptionBody(extra),
                                     "global_defs {\n vrrp_version 3\n" + globals + "}\n");
    ResolvedInterface itf{"eth0", kIfindex, kMac, ip("192.0.2.1"), false};
    auto settings = resolveInstance(in, config::GlobalDefs{}, itf,
                                    [](const std::string&) { return std::optional<int>(); });
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(log_);
    sink->set_pattern("%v");
    instance_ = std::make_unique<Instance>(
        std::move(settings), Instance::Deps{clock_, kernel_, announcer_, transport_, routes_},
        std::make_shared<spdlog::logger>("test", sink));
  }

  proto::ReceivedAdvertisement advertFrom(const char* from, std::uint8_t priority) {
    proto::ReceivedAdvertisement r;
    r.advert.version = proto::Version::V3;
    r.advert.vrid = 51;
    r.advert.priority = priority;
    r.advert.intervalCs = 100;
    r.advert.addresses = {ip("192.0.2.100")};
    r.meta = {ip(from), ip("224.0.0.18"), 255, proto::Delivery::Multicast};
    r.checksumForm = proto::ChecksumForm::Ipv4PseudoHeader;
    return r;
  }

  /// Started, no master heard: MASTER after its Master_Down_Interval.
  void becomeMaster() {
    instance_->start(true);
    clock_.advance(3410ms);
    ASSERT_EQ(instance_->state(), core::State::Master);
  }

  std::string log() const { return log_.str(); }

  std::ostringstream log_;
  fakes::FakeScheduler clock_;
  fakes::FakeAddressManager kernel_;
  fakes::FakeRouteManager routes_;
  fakes::FakeAnnouncer announcer_;
  fakes::FakeTransport transport_;
  std::unique_ptr<Instance> instance_;
};

// ---- Item 10: nopreempt and preempt_delay explained -----------------------------------------

TEST_F(InstancePreemptionTest, NopreemptBackupSaysOnceWhyItLetsALowerPriorityMasterBe) {
  make("state BACKUP\nnopreempt\n");
  instance_->start(true);
  for (int i = 0; i < 10; ++i) {
    clock_.advance(1s);
    instance_->onAdvert(advertFrom("192.0.2.2", 100));
  }
  EXPECT_EQ(instance_->state(), core::State::Backup);
  const std::string line = "(VI_1) not preempting 192.0.2.2 (priority 100 < ours 150): nopreempt";
  EXPECT_EQ(occurrencesIn(log(), line), 1u) << log();
  ASSERT_TRUE(instance_->declinedPreemption());
  EXPECT_EQ(instance_->declinedPreemption()->master, ip("192.0.2.2"));

  // Another master is another decision: one more line.
  clock_.advance(1s);
  instance_->onAdvert(advertFrom("192.0.2.3", 90));
  EXPECT_EQ(occurrencesIn(log(), "not preempting 192.0.2.3 (priority 90 < ours 150): nopreempt"),
            1u);
  EXPECT_EQ(occurrencesIn(log(), "not preempting"), 2u);
}

TEST_F(InstancePreemptionTest, NopreemptSaysItAgainWhenTheMasterComesBackAfterASilence) {
  make("state BACKUP\nnopreempt\npriority 150\n");
  instance_->start(true);
  clock_.advance(1s);
  instance_->onAdvert(advertFrom("192.0.2.2", 100));
  // Our own takeover ends the episode (a transition clears the record) ...
  clock_.advance(3410ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  EXPECT_FALSE(instance_->declinedPreemption());
  // ... and as Master there is nothing to decline.
  instance_->onAdvert(advertFrom("192.0.2.2", 100));
  EXPECT_EQ(occurrencesIn(log(), "not preempting"), 1u);
}

TEST_F(InstancePreemptionTest, PreemptDelaySaysTheTimeLeftOnceThenPreemptsAndSaysWhy) {
  make("state BACKUP\npreempt_delay 3\n");
  instance_->start(true);  // the delay runs from start: until +3 s
  for (int i = 0; i < 3; ++i) {
    clock_.advance(i == 0 ? 500ms : 1s);
    instance_->onAdvert(advertFrom("192.0.2.2", 100));
  }
  EXPECT_EQ(occurrencesIn(log(),
                          "(VI_1) not preempting 192.0.2.2 (priority 100 < ours 150): "
                          "preempt_delay: 2.5 s left"),
            1u)
      << log();
  EXPECT_EQ(occurrencesIn(log(), "not preempting"), 1u);
  // From +3 s the adverts are discarded; the down timer armed at +2.5 s fires at +5.91 s.
  for (int i = 0; i < 3; ++i) {
    clock_.advance(1s);
    instance_->onAdvert(advertFrom("192.0.2.2", 100));
  }
  clock_.advance(500ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  const std::string why =
      "why=\"preempted 192.0.2.2 (priority 100 < ours 150): preempt_delay 3 s passed\"";
  EXPECT_NE(log().find("entering MASTER state: cause=Preempted"), std::string::npos) << log();
  EXPECT_NE(log().find(why), std::string::npos) << log();
  ASSERT_TRUE(instance_->preemptedWhy());
  EXPECT_EQ(*instance_->preemptedWhy(),
            "preempted 192.0.2.2 (priority 100 < ours 150): preempt_delay 3 s passed");
}

TEST_F(InstancePreemptionTest, StateMasterPreemptsAndTheLogLineSaysSo) {
  make("state MASTER\n");
  instance_->start(true);
  clock_.advance(1s);
  instance_->onAdvert(advertFrom("192.0.2.2", 100));
  clock_.advance(2410ms);
  ASSERT_EQ(instance_->state(), core::State::Master);
  EXPECT_NE(log().find("why=\"preempted 192.0.2.2 (priority 100 < ours 150): state MASTER always "
                       "preempts (nopreempt needs state BACKUP)\""),
            std::string::npos)
      << log();
}

// keepalived GH#2174: nopreempt on the master does not keep a returning higher priority out.
TEST_F(InstancePreemptionTest, AMasterWithNopreemptThatIsPreemptedSaysWhereNopreemptBelongs) {
  make("state BACKUP\nnopreempt\n");
  becomeMaster();
  instance_->onAdvert(advertFrom("192.0.2.2", 200));
  ASSERT_EQ(instance_->state(), core::State::Backup);
  EXPECT_NE(log().find("entering BACKUP state: cause=HigherPriorityAdvert priority=150 from=MASTER "
                       "why=\"192.0.2.2 (priority 200 > ours 150) took over although nopreempt "
                       "is set here: nopreempt holds only on the router that would preempt (set "
                       "it there, with state BACKUP)\""),
            std::string::npos)
      << log();
}

TEST_F(InstancePreemptionTest, AnOrdinaryYieldHasNoWhy) {
  make("");
  becomeMaster();
  instance_->onAdvert(advertFrom("192.0.2.2", 200));
  EXPECT_NE(log().find("cause=HigherPriorityAdvert priority=150 from=MASTER\n"), std::string::npos)
      << log();
}

// ---- Item 2: the answer to a lower-priority master ------------------------------------------

TEST_F(InstancePreemptionTest, EachLowerPriorityAdvertIsAnsweredAndCounted) {
  make("");
  becomeMaster();
  const auto sent = transport_.sent.size();
  const auto announced = announcer_.announced.size();
  for (int i = 0; i < 3; ++i) instance_->onAdvert(advertFrom("192.0.2.2", 100));
  EXPECT_EQ(transport_.sent.size(), sent + 3) << "one advert at once per lower-priority advert";
  EXPECT_EQ(announcer_.announced.size(), announced + 3 * 5) << "garp_lower_prio_repeat 5";
  EXPECT_EQ(instance_->stats().lowerPriorityAnswers, 3u);
  EXPECT_EQ(occurrencesIn(log(),
                          "(VI_1) received advert from 192.0.2.2 with lower priority 100, "
                          "ours 150: forcing new election"),
            3u);
}

TEST_F(InstancePreemptionTest, LowerPrioNoAdvertKeepsTheAdvertBackButStillAnnounces) {
  make("lower_prio_no_advert\n");
  becomeMaster();
  const auto sent = transport_.sent.size();
  const auto announced = announcer_.announced.size();
  instance_->onAdvert(advertFrom("192.0.2.2", 100));
  EXPECT_EQ(transport_.sent.size(), sent);
  EXPECT_EQ(announcer_.announced.size(), announced + 5);
  EXPECT_EQ(instance_->stats().lowerPriorityAnswers, 1u);
}

// vrrp_strict forces lower_prio_no_advert and garp_lower_prio_repeat 0: nothing answers.
TEST_F(InstancePreemptionTest, StrictModeAnswersALowerPriorityMasterWithNothing) {
  make("", " vrrp_strict\n");
  becomeMaster();
  const auto sent = transport_.sent.size();
  const auto announced = announcer_.announced.size();
  instance_->onAdvert(advertFrom("192.0.2.2", 100));
  EXPECT_EQ(transport_.sent.size(), sent);
  EXPECT_EQ(announcer_.announced.size(), announced);
  EXPECT_EQ(instance_->stats().lowerPriorityAnswers, 0u);
  EXPECT_NE(log().find("with lower priority 100, ours 150; not answered (lower_prio_no_advert)"),
            std::string::npos)
      << log();
  EXPECT_EQ(instance_->state(), core::State::Master);
}

}  // namespace
}  // namespace vipd::daemon
