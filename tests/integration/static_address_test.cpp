// static_ipaddress in the lab (issue 9): the addresses are on the host from
// the daemon's start to its stop, whatever its instance does (here it is
// BACKUP: a peer with a higher priority holds the VIP), and gone after a
// graceful stop. After SIGKILL they stay, as keepalived's do; the next
// vipd adopts them and removes them at its stop. A reload applies the
// difference.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "agents.h"
#include "lab.h"
#include "netns.h"

namespace vipd::lab {
namespace {

using namespace std::chrono_literals;

constexpr auto kWait = 5s;
const std::string kStatic4 = "198.51.100.1";
const std::string kStatic6 = "2001:db8:5::1";
const std::string kVip = "192.0.2.100";

std::string config(int priority, bool withStatics) {
  std::string text = "global_defs {\n    router_id r" + std::to_string(priority) + "\n}\n";
  if (withStatics) {
    text += "static_ipaddress {\n    " + kStatic4 + "/24 dev eth0\n    " + kStatic6 +
            "/64 dev eth0\n}\n";
  }
  return text +
         "vrrp_instance VI_1 {\n"
         "    interface eth0\n"
         "    virtual_router_id 51\n"
         "    priority " +
         std::to_string(priority) +
         "\n"
         "    advert_int 0.1\n"
         "    version 3\n"
         "    virtual_ipaddress {\n        " +
         kVip + "/24\n    }\n}\n";
}

class StaticAddressTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for network namespaces";
    lab_ = std::make_unique<Lab>("static");
    h1_ = &lab_->addHost("h1", {"192.0.2.1/24", "2001:db8::1/64"});
    h2_ = &lab_->addHost("h2", {"192.0.2.2/24", "2001:db8::2/64"});
  }

  void TearDown() override {
    if (HasFailure()) {
      for (const auto* c : {&withStatics_, &peer_}) {
        if (c->pid > 0 || !c->log.empty()) std::cout << "---- " << c->name << "\n" << readLog(*c);
      }
    }
    lab_.reset();
  }

  bool staticsOnH1() const {
    return lab_->hasAddress(*h1_, kStatic4) && lab_->hasAddress(*h1_, kStatic6);
  }
  bool noStaticsOnH1() const {
    return !lab_->hasAddress(*h1_, kStatic4) && !lab_->hasAddress(*h1_, kStatic6);
  }

  std::unique_ptr<Lab> lab_;
  Host* h1_ = nullptr;
  Host* h2_ = nullptr;
  Child withStatics_;
  Child peer_;
};

TEST_F(StaticAddressTest, PresentFromStartToStopWhileTheInstanceIsBackup) {
  // h2 wins the election; h1 stays BACKUP and still carries its statics.
  peer_ = startVipd(*lab_, *h2_, config(200, false), "h2");
  ASSERT_TRUE(waitFor([&] { return lab_->hasAddress(*h2_, kVip); }, kWait));
  withStatics_ = startVipd(*lab_, *h1_, config(100, true), "h1");
  ASSERT_TRUE(waitFor([&] { return staticsOnH1(); }, kWait)) << "statics not added at start";
  // Longer than a Master_Down_Interval: h1 has settled as BACKUP.
  std::this_thread::sleep_for(1s);
  EXPECT_FALSE(lab_->hasAddress(*h1_, kVip)) << "h1 should be BACKUP";
  EXPECT_TRUE(lab_->hasAddress(*h2_, kVip));
  EXPECT_TRUE(staticsOnH1()) << "statics must not follow the instance's state";

  lab_->signal(withStatics_, SIGTERM);
  int status = 0;
  ASSERT_TRUE(lab_->waitExit(withStatics_, kWait, &status));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status;
  EXPECT_TRUE(noStaticsOnH1()) << "statics left behind after stop";
  // h1's own addresses are untouched.
  EXPECT_TRUE(lab_->hasAddress(*h1_, "192.0.2.1"));
  EXPECT_TRUE(lab_->hasAddress(*h1_, "2001:db8::1"));
}

TEST_F(StaticAddressTest, AfterSigkillTheNextDaemonAdoptsAndRemovesThem) {
  withStatics_ = startVipd(*lab_, *h1_, config(100, true), "h1");
  ASSERT_TRUE(waitFor([&] { return staticsOnH1(); }, kWait));
  lab_->signal(withStatics_, SIGKILL);
  ASSERT_TRUE(lab_->waitExit(withStatics_, kWait));
  EXPECT_TRUE(staticsOnH1()) << "SIGKILL gives no chance to remove them";

  withStatics_ = startVipd(*lab_, *h1_, config(100, true), "h1");
  ASSERT_TRUE(waitFor([&] { return lab_->hasAddress(*h1_, kVip); }, kWait));
  EXPECT_TRUE(staticsOnH1());
  lab_->signal(withStatics_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(withStatics_, kWait));
  EXPECT_TRUE(noStaticsOnH1()) << "adopted statics left behind after stop";
}

TEST_F(StaticAddressTest, AReloadRemovesTheUnlistedAndAddsTheNew) {
  withStatics_ = startVipd(*lab_, *h1_, config(100, true), "h1");
  ASSERT_TRUE(waitFor([&] { return staticsOnH1(); }, kWait));
  // The IPv4 one goes, the IPv6 one stays, 198.51.100.9 comes.
  auto next = config(100, false);
  next.insert(next.find("vrrp_instance"), "static_ipaddress {\n    " + kStatic6 +
                                              "/64 dev eth0\n    198.51.100.9/24 dev eth0\n}\n");
  reloadWith(*lab_, withStatics_, next);
  EXPECT_TRUE(waitFor(
      [&] {
        return !lab_->hasAddress(*h1_, kStatic4) && lab_->hasAddress(*h1_, "198.51.100.9") &&
               lab_->hasAddress(*h1_, kStatic6);
      },
      kWait))
      << "after reload: " << h1_->ns->exec("ip -o addr show dev eth0");
  lab_->signal(withStatics_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(withStatics_, kWait));
  EXPECT_FALSE(lab_->hasAddress(*h1_, "198.51.100.9"));
  EXPECT_FALSE(lab_->hasAddress(*h1_, kStatic6));
}

}  // namespace
}  // namespace vipd::lab
