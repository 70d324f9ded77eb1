// Issue 10 item 11: the VRRPv3/IPv4 checksum form, learned and reported per peer.
//
// Router vendors (Cisco, Juniper) and RFC 9568 checksum VRRPv3/IPv4 without the pseudo-header;
// keepalived and FRR include it by default. keepalived 2.2.7 accepts only its own form (and its
// pre-1.3.6 unicast one), has no `v3_checksum_as_v2` (2.2.8+), and a mismatch is silent split
// brain: each side drops the other's adverts with "Invalid VRRPv3 checksum" and both are
// master (keepalived GH#2324, GH#642, GH#1175, GH#1490; reference §5 item 13). vipd accepts
// every form, says in `vipctl stats` and the log which one each peer uses, and with
// `v3_checksum_follow_peers` answers each peer in its own form.
//
// The vendor router is played by vipd with `v3_checksum_as_v2`.
#include <gtest/gtest.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "agents.h"
#include "scenario.h"

namespace vipd::lab {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

::testing::AssertionResult ok(const Verdict& verdict) {
  if (verdict) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << verdict.detail;
}

constexpr std::size_t kVendor = 0;  // h1: vipd sending the message-only form
constexpr std::size_t kPeer = 1;    // h2: keepalived 2.2.7 or vipd

// The node's configuration with `line` added inside its vrrp_instance.
std::string withLine(const Scenario& s, std::size_t i, const std::string& line) {
  std::string text = s.configText(i);
  const std::string anchor = "    version 3\n";
  const auto at = text.find(anchor);
  if (at == std::string::npos) throw std::logic_error("no version line");
  return text.insert(at + anchor.size(), "    " + line + "\n");
}

// The checksum form node i reports for the peer at `address` ("" when not heard).
std::string formReported(const Scenario& s, std::size_t i, const std::string& address) {
  const json doc = json::parse(s.vipctl(i, "--json stats"), nullptr, false);
  if (doc.is_discarded() || !doc.contains("instances") || doc["instances"].empty()) return "";
  for (const auto& p : doc["instances"][0].value("peers", json::array())) {
    if (p.value("peer", "") == address) return p.value("checksum_form", "");
  }
  return "";
}

class ChecksumFormTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for network namespaces";
  }
  void TearDown() override {
    if (HasFailure() && scenario_) std::cout << scenario_->allLogs();
  }
  Scenario& make(int vendorPriority, int peerPriority, Agent peer) {
    scenario_ = std::make_unique<Scenario>(
        "ck", VrrpSetup{Family::V4, Transport::Multicast, 3, milliseconds(200), true},
        std::vector<NodeSpec>{{"h1", vendorPriority, Agent::Vipd}, {"h2", peerPriority, peer}});
    return *scenario_;
  }
  std::unique_ptr<Scenario> scenario_;
};

// keepalived 2.2.7 as the backup of a vendor master: it rejects every advert and becomes
// master as well (GH#2324). Recorded here so a keepalived upgrade that changes it shows.
TEST_F(ChecksumFormTest, Keepalived227BackupOfAMessageOnlyMasterBecomesMasterToo) {
  auto& s = make(150, 100, Agent::Keepalived);
  s.startWith(kVendor, withLine(s, kVendor, "v3_checksum_as_v2"));
  ASSERT_TRUE(ok(s.waitForSoleHolder(kVendor, s.takeoverTimeout())));
  s.start(kPeer);
  ASSERT_TRUE(waitFor([&] { return s.holders().size() == 2; }, s.takeoverTimeout()))
      << "keepalived 2.2.7 was expected to drop the vendor's adverts and take the VIP too";
  bool checksumComplaint = false;
  for (const auto& line : s.complaints(kPeer)) {
    if (line.find("checksum") != std::string::npos) checksumComplaint = true;
  }
  EXPECT_TRUE(checksumComplaint) << "keepalived's log does not name the checksum";
  EXPECT_EQ(formReported(s, kVendor, s.addressOf(kPeer)), "ipv4_pseudo_header")
      << "the vendor stand-in (vipd) accepts keepalived's form and says which it is";
}

// vipd as the backup of the same vendor master: it accepts the adverts, stays BACKUP, and
// reports the vendor's form.
TEST_F(ChecksumFormTest, VipdBackupOfAMessageOnlyMasterStaysBackupAndReportsTheForm) {
  auto& s = make(150, 100, Agent::Vipd);
  s.startWith(kVendor, withLine(s, kVendor, "v3_checksum_as_v2"));
  ASSERT_TRUE(ok(s.waitForSoleHolder(kVendor, s.takeoverTimeout())));
  s.start(kPeer);
  ASSERT_TRUE(ok(s.soleHolderThroughout(kVendor, 4 * s.masterDownInterval())));
  EXPECT_EQ(formReported(s, kPeer, s.addressOf(kVendor)), "message_only");
  EXPECT_NE(s.log(kPeer).find("peer " + s.addressOf(kVendor) + " uses checksum form message_only"),
            std::string::npos);
  EXPECT_EQ(s.complaints(kPeer), std::vector<std::string>{});
}

// With v3_checksum_follow_peers, vipd learns the vendor's form while it is backup and, once it
// preempts, advertises in that form: the vendor (which reports what it receives) sees
// message_only from it. Without the keyword it would send the pseudo-header form.
TEST_F(ChecksumFormTest, FollowingPeersAnswersTheVendorInItsForm) {
  auto& s = make(100, 150, Agent::Vipd);
  s.startWith(kVendor, withLine(s, kVendor, "v3_checksum_as_v2"));
  ASSERT_TRUE(ok(s.waitForSoleHolder(kVendor, s.takeoverTimeout())));
  s.startWith(kPeer, withLine(s, kPeer, "v3_checksum_follow_peers"));
  ASSERT_TRUE(ok(s.settlesOn(kPeer)));
  EXPECT_TRUE(
      waitFor([&] { return formReported(s, kVendor, s.addressOf(kPeer)) == "message_only"; },
              s.takeoverTimeout()))
      << "the vendor saw " << formReported(s, kVendor, s.addressOf(kPeer));
  EXPECT_NE(s.log(kPeer).find("ours to it: message_only"), std::string::npos);
}

}  // namespace
}  // namespace vipd::lab
