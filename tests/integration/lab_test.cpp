#include "lab.h"
#include "prober.h"

#include <gtest/gtest.h>

namespace vipd::lab {
namespace {

class LabTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for network namespaces";
  }
};

TEST_F(LabTest, HostsOnTheSwitchReachEachOtherAndTheProberCountsReplies) {
  Lab lab("labt");
  auto& a = lab.addHost("a", {"192.0.2.1/24", "2001:db8::1/64"});
  lab.addHost("b", {"192.0.2.2/24", "2001:db8::2/64"});
  EXPECT_TRUE(lab.hasAddress(a, "192.0.2.1"));
  EXPECT_FALSE(lab.hasAddress(a, "192.0.2.2"));

  for (const char* target : {"192.0.2.2", "2001:db8::2"}) {
    SCOPED_TRACE(target);
    Prober prober(a.ns->name(), target, std::chrono::microseconds(2000));
    prober.start();
    // Probing runs on its own thread; let it collect 100 ms of replies.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto report = prober.stop();
    EXPECT_GT(report.sent, 20u);
    EXPECT_GT(report.received, report.sent / 2);
    EXPECT_LT(report.longestGap, std::chrono::milliseconds(50));
  }
}

TEST_F(LabTest, ProberSeesTheOutageWhenTheTargetsLinkGoesDown) {
  Lab lab("labt");
  auto& a = lab.addHost("a", {"192.0.2.1/24"});
  auto& b = lab.addHost("b", {"192.0.2.2/24"});
  Prober prober(a.ns->name(), "192.0.2.2", std::chrono::microseconds(2000));
  prober.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  lab.setLink(b, false);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  lab.setLink(b, true);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto report = prober.stop();
  EXPECT_GE(report.longestGap, std::chrono::milliseconds(150));
  EXPECT_LT(report.longestGap, std::chrono::milliseconds(1000));
}

TEST_F(LabTest, SpawnedProcessRunsInTheHostNamespaceAndIsStoppedByPid) {
  Lab lab("labt");
  auto& a = lab.addHost("a", {"192.0.2.1/24"});
  auto child = lab.spawn(a, {"sh", "-c", "ip -o addr show dev eth0; exec sleep 60"}, "sh");
  ASSERT_GT(child.pid, 0);
  // The child prints before it sleeps; wait for the line (bounded).
  std::string log;
  for (int i = 0; i < 400 && log.find("192.0.2.1") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    log = testing::shell("cat " + child.log.string());
  }
  EXPECT_NE(log.find("192.0.2.1/24"), std::string::npos);
  lab.stop(child);
  EXPECT_EQ(child.pid, -1);
}

}  // namespace
}  // namespace vipd::lab
