// use_vmac on a running pair (RFC 5798 §7.3, keepalived's VMAC): the VIP
// lives on the macvlan vrrp.51 with the virtual router MAC, the adverts and
// gratuitous ARPs on the wire come from that MAC, the backup takes the VIP
// over on its own vrrp.51, and nothing is left after a stop; after a SIGKILL
// the next start reuses the leftover.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <string>

#include "pair_lab.h"

namespace vipd::lab {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 4s;
constexpr const char* kVmac4 = "00:00:5e:00:01:33";  // VRID 51
constexpr const char* kVmac6 = "00:00:5e:00:02:33";

class VmacTest : public PairLabTest {
 protected:
  VmacTest() : PairLabTest("vmac") {}

  void TearDown() override {
    if (capture_ > 0) ::kill(capture_, SIGTERM);
    PairLabTest::TearDown();
  }

  /// VRRPv3 at 100 ms with use_vmac; `extra` goes inside the instance.
  static std::string config(int priority, const std::string& vip, const std::string& extra = "") {
    return "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority " +
           std::to_string(priority) + "\n    version 3\n    advert_int 0.1\n    use_vmac\n" +
           extra + "    virtual_ipaddress {\n        " + vip + "\n    }\n}\n";
  }

  static bool vipOnVmac(const Host& h, const std::string& vip) {
    const auto out = h.ns->exec("ip -o addr show dev vrrp.51 2>/dev/null || true");
    return out.find(" " + vip + "/") != std::string::npos;
  }
  static bool vipOnEth0(const Host& h, const std::string& vip) {
    return h.ns->exec("ip -o addr show dev eth0").find(" " + vip + "/") != std::string::npos;
  }
  static bool hasVmac(const Host& h) {
    return h.ns->exec("ip -o link show 2>/dev/null").find("vrrp.51@eth0") != std::string::npos;
  }
  static std::string sysctl(const Host& h, const std::string& path) {
    return h.ns->exec("cat " + path);
  }

  /// Starts tcpdump on the client: link-level headers of ARP, NA and VRRP.
  void startCapture(const std::string& filter) {
    const auto file = path("capture.txt");
    const auto pidFile = path("capture.pid");
    lab_->host("client").ns->exec("(tcpdump -l -e -n -i eth0 '" + filter + "' > " + file + " 2>" +
                                  file + ".err & echo $! > " + pidFile + ")");
    std::ifstream(pidFile) >> capture_;
    // tcpdump says so once its socket is attached.
    ASSERT_TRUE(waitFor(
        [&] {
          std::stringstream err;
          err << std::ifstream(file + ".err").rdbuf();
          return err.str().find("listening on") != std::string::npos;
        },
        5s));
  }
  /// What tcpdump (line-buffered) wrote so far.
  std::string captured() const {
    std::stringstream s;
    s << std::ifstream(path("capture.txt")).rdbuf();
    return s.str();
  }
  /// Waits until the capture has a line with every one of `needles`.
  bool captures(std::initializer_list<std::string> needles) const {
    return waitFor([&] { return linesWith(captured(), needles) > 0; }, kSettle);
  }

  std::string stopCapture() {
    if (capture_ > 0) ::kill(capture_, SIGTERM);
    // Not our child (the namespace's shell started it): gone when kill(0) fails.
    waitFor([&] { return capture_ <= 0 || ::kill(capture_, 0) != 0; }, 5s);
    capture_ = -1;
    std::ifstream in(path("capture.txt"));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  /// The capture's lines that contain every one of `needles`.
  static std::size_t linesWith(const std::string& capture,
                               std::initializer_list<std::string> needles) {
    std::istringstream in(capture);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
      bool all = true;
      for (const auto& needle : needles) all = all && line.find(needle) != std::string::npos;
      n += all ? 1 : 0;
    }
    return n;
  }

  pid_t capture_ = -1;
};

TEST_F(VmacTest, Ipv4VipAdvertsAndGarpsUseTheVmacAndMoveWithFailover) {
  // Strict reverse-path filtering, as many distributions set it: the VMACs
  // must still hear the adverts.
  for (const Host* h : {h1_, h2_}) h->ns->exec("echo 1 > /proc/sys/net/ipv4/conf/all/rp_filter");
  // The client learns addresses from gratuitous ARPs (the lab has no ping).
  lab_->host("client").ns->exec("echo 1 > /proc/sys/net/ipv4/conf/eth0/arp_accept");
  c1_ = startVipd(*lab_, *h1_, config(150, "192.0.2.100/24"), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return vipOnVmac(*h1_, "192.0.2.100"); }, kSettle));
  c2_ = startVipd(*lab_, *h2_, config(100, "192.0.2.100/24"), "h2-vipd");
  ASSERT_TRUE(waitFor([&] { return hasVmac(*h2_); }, kSettle));

  const std::string link = h1_->ns->exec("ip -d link show vrrp.51");
  EXPECT_NE(link.find("vrrp.51@eth0"), std::string::npos) << link;
  EXPECT_NE(link.find(std::string("link/ether ") + kVmac4), std::string::npos) << link;
  EXPECT_NE(link.find("macvlan mode private"), std::string::npos) << link;
  EXPECT_FALSE(vipOnEth0(*h1_, "192.0.2.100"));
  EXPECT_FALSE(vipOnVmac(*h2_, "192.0.2.100")) << "the backup's VMAC is up but empty";
  EXPECT_EQ(sysctl(*h1_, "/proc/sys/net/ipv4/conf/vrrp.51/arp_ignore"), "1\n");
  EXPECT_EQ(sysctl(*h1_, "/proc/sys/net/ipv4/conf/eth0/arp_filter"), "1\n");
  EXPECT_EQ(sysctl(*h1_, "/proc/sys/net/ipv4/conf/all/rp_filter"), "0\n");
  EXPECT_EQ(sysctl(*h1_, "/proc/sys/net/ipv4/conf/eth0/rp_filter"), "1\n");

  // The client learns the VMAC for the VIP from the gratuitous ARPs.
  EXPECT_TRUE(waitFor(
      [&] {
        return lab_->host("client").ns->exec("ip neigh show 192.0.2.100").find(kVmac4) !=
               std::string::npos;
      },
      kSettle));

  startCapture("arp or ip proto 112");
  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  ASSERT_TRUE(waitFor([&] { return vipOnVmac(*h2_, "192.0.2.100"); }, kSettle));
  captures({std::string(kVmac4) + " > 01:00:5e:00:00:12", "192.0.2.2 > 224.0.0.18"});
  const std::string wire = stopCapture();

  EXPECT_GE(linesWith(wire, {std::string(kVmac4) + " > 01:00:5e:00:00:12", "192.0.2.2 > 224.0.0.18",
                             "VRRPv3"}),
            1u)
      << "the new master's adverts leave from the VMAC\n"
      << wire;
  EXPECT_GE(linesWith(wire, {std::string(kVmac4) + " > ff:ff:ff:ff:ff:ff", "ARP", "192.0.2.100"}),
            1u)
      << "its gratuitous ARPs announce the VMAC\n"
      << wire;
  EXPECT_EQ(
      linesWith(wire, {"192.0.2.2 > 224.0.0.18",
                       lab_->host("h2").ns->exec("cat /sys/class/net/eth0/address").substr(0, 17)}),
      0u)
      << "no advert from the interface's own MAC\n"
      << wire;
  EXPECT_NE(lab_->host("client").ns->exec("ip neigh show 192.0.2.100").find(kVmac4),
            std::string::npos)
      << "the client's ARP entry did not need to change";

  EXPECT_FALSE(hasVmac(*h1_)) << "a stopped vipd leaves no VMAC";
  EXPECT_EQ(sysctl(*h1_, "/proc/sys/net/ipv4/conf/eth0/arp_ignore"), "0\n");
  EXPECT_EQ(sysctl(*h1_, "/proc/sys/net/ipv4/conf/eth0/arp_filter"), "0\n");
  EXPECT_EQ(sysctl(*h1_, "/proc/sys/net/ipv4/conf/all/rp_filter"), "1\n");

  lab_->signal(c2_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c2_, 10s));
  EXPECT_FALSE(hasVmac(*h2_));
}

TEST_F(VmacTest, VmacXmitBaseSendsAdvertsFromTheInterfaceAndGarpsFromTheVmac) {
  const std::string h1Mac = h1_->ns->exec("cat /sys/class/net/eth0/address").substr(0, 17);
  startCapture("arp or ip proto 112");
  c1_ = startVipd(*lab_, *h1_, config(150, "192.0.2.100/24", "    vmac_xmit_base\n"), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return vipOnVmac(*h1_, "192.0.2.100"); }, kSettle));
  captures({std::string(kVmac4) + " > ff:ff:ff:ff:ff:ff", "ARP"});
  const std::string wire = stopCapture();

  EXPECT_GE(linesWith(wire, {h1Mac + " > 01:00:5e:00:00:12", "192.0.2.1 > 224.0.0.18"}), 1u)
      << wire;
  EXPECT_EQ(linesWith(wire, {std::string(kVmac4) + " > 01:00:5e:00:00:12"}), 0u) << wire;
  EXPECT_GE(linesWith(wire, {std::string(kVmac4) + " > ff:ff:ff:ff:ff:ff", "ARP"}), 1u) << wire;
}

TEST_F(VmacTest, AfterSigkillTheLeftoverVmacIsReusedAndRemovedOnStop) {
  c1_ = startVipd(*lab_, *h1_, config(150, "192.0.2.100/24"), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return vipOnVmac(*h1_, "192.0.2.100"); }, kSettle));
  const std::string before = h1_->ns->exec("cat /sys/class/net/vrrp.51/ifindex");
  lab_->signal(c1_, SIGKILL);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  ASSERT_TRUE(hasVmac(*h1_)) << "SIGKILL leaves the VMAC";

  c1_ = startVipd(*lab_, *h1_, config(150, "192.0.2.100/24"), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return vipOnVmac(*h1_, "192.0.2.100"); }, kSettle));
  EXPECT_EQ(h1_->ns->exec("cat /sys/class/net/vrrp.51/ifindex"), before) << "reused, not recreated";
  EXPECT_TRUE(logShows(c1_, "vmac reused name=vrrp.51"));

  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_FALSE(hasVmac(*h1_));
  // The killed run's arp_ignore=1 was put back from the state file before
  // the new run set it again, so this one's stop restores the original.
  EXPECT_EQ(sysctl(*h1_, "/proc/sys/net/ipv4/conf/eth0/arp_ignore"), "0\n");
  EXPECT_EQ(sysctl(*h1_, "/proc/sys/net/ipv4/conf/eth0/arp_filter"), "0\n");
}

TEST_F(VmacTest, Ipv6VipAndNeighbourAdvertsUseTheVmac) {
  const std::string vip = "2001:db8::100/64";
  const std::string linkLocal =
      h1_->ns->exec("ip -6 -o addr show dev eth0 scope link | awk '{print $4}' | cut -d/ -f1");
  const auto cfg = [&](int prio) {
    return "vrrp_instance VI_6 {\n    interface eth0\n    virtual_router_id 51\n    priority " +
           std::to_string(prio) +
           "\n    advert_int 0.1\n    use_vmac\n    virtual_ipaddress {\n        " + vip +
           "\n    }\n}\n";
  };
  startCapture("icmp6 or ip6 proto 112");
  c1_ = startVipd(*lab_, *h1_, cfg(150), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return vipOnVmac(*h1_, "2001:db8::100"); }, kSettle));
  c2_ = startVipd(*lab_, *h2_, cfg(100), "h2-vipd");
  ASSERT_TRUE(waitFor([&] { return hasVmac(*h2_); }, kSettle));
  captures({std::string(kVmac6) + " >", "neighbor advertisement"});
  const std::string wire = stopCapture();

  const std::string link = h1_->ns->exec("ip -d link show vrrp.51");
  EXPECT_NE(link.find(std::string("link/ether ") + kVmac6), std::string::npos) << link;
  EXPECT_NE(link.find("addrgenmode none"), std::string::npos) << link;
  const std::string addrs = h1_->ns->exec("ip -6 -o addr show dev vrrp.51");
  EXPECT_NE(addrs.find(" " + linkLocal.substr(0, linkLocal.find('\n')) + "/64"), std::string::npos)
      << "the interface's link-local address, to send adverts from\n"
      << addrs;
  EXPECT_GE(linesWith(wire, {std::string(kVmac6) + " > 33:33:00:00:00:12", "VRRPv3"}), 1u) << wire;
  EXPECT_GE(
      linesWith(wire, {std::string(kVmac6) + " >", "neighbor advertisement", "2001:db8::100"}), 1u)
      << wire;
  EXPECT_FALSE(vipOnVmac(*h2_, "2001:db8::100"));

  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_TRUE(waitFor([&] { return vipOnVmac(*h2_, "2001:db8::100"); }, kSettle));
  EXPECT_FALSE(hasVmac(*h1_));
}

// keepalived 2.2 with use_vmac on h1, vipd on h2: vipd hears adverts from
// keepalived's VMAC and stays backup, both VMACs look alike to the kernel
// (mode, MAC, sysctls), and vipd takes over when keepalived stops.
TEST_F(VmacTest, InteroperatesWithKeepalivedsVmac) {
  // Strict reverse-path filtering, as many distributions set it.
  for (const Host* h : {h1_, h2_}) h->ns->exec("echo 1 > /proc/sys/net/ipv4/conf/all/rp_filter");
  c1_ = startKeepalived(*lab_, *h1_, config(150, "192.0.2.100/24"), "h1-keepalived");
  ASSERT_TRUE(waitFor([&] { return vipOnVmac(*h1_, "192.0.2.100"); }, 3 * kSettle));
  c2_ = startVipd(*lab_, *h2_, config(100, "192.0.2.100/24"), "h2-vipd");
  ASSERT_TRUE(waitFor([&] { return hasVmac(*h2_); }, kSettle));
  startCapture("ip proto 112");
  ASSERT_TRUE(captures({std::string(kVmac4) + " > 01:00:5e:00:00:12", "192.0.2.1 > 224.0.0.18"}));
  EXPECT_TRUE(logShows(c2_, "entering BACKUP state"));
  EXPECT_FALSE(waitFor([&] { return vipOnVmac(*h2_, "192.0.2.100"); }, 1s))
      << "vipd hears keepalived's VMAC adverts and stays backup";
  stopCapture();

  // Strip what differs by host (ifindex, link-local) and compare the rest.
  const auto details = [](const Host& h) {
    std::string out = h.ns->exec("ip -d -o link show vrrp.51 | grep -o 'link/ether [^ ]*'") +
                      h.ns->exec("ip -d -o link show vrrp.51 | grep -o 'macvlan mode [a-z]*'");
    for (const char* name : {"arp_ignore", "accept_local", "rp_filter", "promote_secondaries"}) {
      out += std::string(name) + "=" +
             h.ns->exec(std::string("cat /proc/sys/net/ipv4/conf/vrrp.51/") + name);
    }
    out += "all/rp_filter=" + h.ns->exec("cat /proc/sys/net/ipv4/conf/all/rp_filter");
    out += "eth0/rp_filter=" + h.ns->exec("cat /proc/sys/net/ipv4/conf/eth0/rp_filter");
    out += "disable_ipv6=" + h.ns->exec("cat /proc/sys/net/ipv6/conf/vrrp.51/disable_ipv6");
    for (const char* name : {"arp_ignore", "arp_filter"}) {
      out += std::string("eth0 ") + name + "=" +
             h.ns->exec(std::string("cat /proc/sys/net/ipv4/conf/eth0/") + name);
    }
    return out;
  };
  EXPECT_EQ(details(*h2_), details(*h1_)) << "vipd's VMAC (left) against keepalived's (right)";

  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_TRUE(waitFor([&] { return vipOnVmac(*h2_, "192.0.2.100"); }, kSettle));
  // Removing the VMAC on stop is what keepalived does too. (keepalived 2.2.7
  // leaves arp_ignore=1 and arp_filter=1 on eth0 behind; vipd restores them,
  // see the first test.)
  EXPECT_FALSE(hasVmac(*h1_)) << "keepalived removes its VMAC on stop";
}

// The same for IPv6: both VMACs have addrgenmode none and only the
// interface's link-local address, and vipd stays backup to keepalived.
TEST_F(VmacTest, InteroperatesWithKeepalivedsIpv6Vmac) {
  const auto cfg = [](int prio) {
    return "vrrp_instance VI_6 {\n    interface eth0\n    virtual_router_id 51\n    priority " +
           std::to_string(prio) +
           "\n    advert_int 0.1\n    use_vmac\n    virtual_ipaddress {\n        "
           "2001:db8::100/64\n    }\n}\n";
  };
  c1_ = startKeepalived(*lab_, *h1_, cfg(150), "h1-keepalived");
  ASSERT_TRUE(waitFor([&] { return vipOnVmac(*h1_, "2001:db8::100"); }, 3 * kSettle));
  c2_ = startVipd(*lab_, *h2_, cfg(100), "h2-vipd");
  ASSERT_TRUE(waitFor([&] { return hasVmac(*h2_); }, kSettle));
  EXPECT_FALSE(waitFor([&] { return vipOnVmac(*h2_, "2001:db8::100"); }, 1500ms))
      << "vipd hears keepalived's VMAC adverts and stays backup";

  const auto details = [](const Host& h) {
    const auto linkLocal = h.ns->exec("ip -6 -o addr show dev eth0 scope link | awk '{print $4}'");
    // The VMAC's addresses, the interface's link-local replaced by a marker.
    std::string addrs =
        h.ns->exec("ip -6 -o addr show dev vrrp.51 scope link | awk '{$1=\"\"; $2=\"\"; print}'");
    if (auto at = addrs.find(linkLocal.substr(0, linkLocal.find('\n'))); at != std::string::npos) {
      addrs.replace(at, linkLocal.find('\n'), "LL");
    }
    return h.ns->exec("ip -d -o link show vrrp.51 | grep -o 'link/ether [^ ]*'") +
           h.ns->exec("ip -d -o link show vrrp.51 | grep -o 'macvlan mode [a-z]*'") +
           h.ns->exec("ip -d -o link show vrrp.51 | grep -o 'addrgenmode [a-z_]*'") + addrs;
  };
  EXPECT_EQ(details(*h2_), details(*h1_)) << "vipd's VMAC (left) against keepalived's (right)";

  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_TRUE(waitFor([&] { return vipOnVmac(*h2_, "2001:db8::100"); }, kSettle));
}

// A reload that turns use_vmac off restarts the instance on eth0 and deletes
// the VMAC; turning it on again brings it back.
TEST_F(VmacTest, ReloadAddsAndRemovesTheVmac) {
  const std::string plain =
      "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 150\n"
      "    version 3\n    advert_int 0.1\n    virtual_ipaddress {\n        192.0.2.100/24\n"
      "    }\n}\n";
  c1_ = startVipd(*lab_, *h1_, config(150, "192.0.2.100/24"), "h1-vipd");
  ASSERT_TRUE(waitFor([&] { return vipOnVmac(*h1_, "192.0.2.100"); }, kSettle));

  reloadWith(*lab_, c1_, plain);
  EXPECT_TRUE(waitFor([&] { return !hasVmac(*h1_) && vipOnEth0(*h1_, "192.0.2.100"); }, kSettle))
      << h1_->ns->exec("ip -o addr show");
  EXPECT_EQ(sysctl(*h1_, "/proc/sys/net/ipv4/conf/eth0/arp_ignore"), "0\n");

  reloadWith(*lab_, c1_, config(150, "192.0.2.100/24"));
  EXPECT_TRUE(waitFor(
      [&] { return vipOnVmac(*h1_, "192.0.2.100") && !vipOnEth0(*h1_, "192.0.2.100"); }, kSettle))
      << h1_->ns->exec("ip -o addr show");
  lab_->signal(c1_, SIGTERM);
  ASSERT_TRUE(lab_->waitExit(c1_, 10s));
  EXPECT_FALSE(hasVmac(*h1_));
}

}  // namespace
}  // namespace vipd::lab
