#include "vipd/track/instance_tracking.h"

#include <gtest/gtest.h>

#include "config_builder.h"

namespace vipd::track {
namespace {

using namespace testing;
using K = TrackerKind;

ResolvedTracker resolved(K kind, std::string name, std::int32_t weight, bool reverse = false,
                         bool fromGroup = false) {
  ResolvedTracker t{kind, std::move(name), weight, reverse};
  t.fromGroup = fromGroup;
  return t;
}

// --- weight resolution -------------------------------------------------------

TEST(ResolveTrackersTest, ReferenceWeightOverridesDefinition) {
  config::Config c;
  c.scripts = {script("chk", -20, true), script("plain", 15)};
  c.trackFiles = {trackFile("f", 3)};
  auto vi = instance("VI_1");
  vi.trackInterfaces = {ref("eth1"), ref("eth2", -10, true)};
  vi.trackScripts = {ref("chk", 30), ref("plain")};
  vi.trackFiles = {ref("f")};
  c.instances = {vi};
  EXPECT_EQ(resolveTrackers(c, vi),
            (std::vector<ResolvedTracker>{
                resolved(K::Interface, "eth1", 0), resolved(K::Interface, "eth2", -10, true),
                // "weight 30" without reverse: the reference's flag (false)
                resolved(K::Script, "chk", 30), resolved(K::Script, "plain", 15),
                resolved(K::File, "f", 3)}));
}

TEST(ResolveTrackersTest, ReferenceWithoutWeightInheritsDefinitionReverse) {
  config::Config c;
  c.scripts = {script("chk", -20, true)};
  auto vi = instance("VI_1");
  vi.trackScripts = {ref("chk")};
  c.instances = {vi};
  EXPECT_EQ(resolveTrackers(c, vi),
            (std::vector<ResolvedTracker>{resolved(K::Script, "chk", -20, true)}));
}

TEST(ResolveTrackersTest, DuplicateReferenceIsIgnored) {
  config::Config c;
  auto vi = instance("VI_1");
  vi.trackInterfaces = {ref("eth1", 5), ref("eth1", 7)};
  c.instances = {vi};
  EXPECT_EQ(resolveTrackers(c, vi),
            (std::vector<ResolvedTracker>{resolved(K::Interface, "eth1", 5)}));
}

TEST(ResolveTrackersTest, SyncMemberWithoutTrackingWeightLosesWeights) {
  config::Config c;
  c.scripts = {script("weighted", -20), script("unweighted")};
  c.trackFiles = {trackFile("default_weight"), trackFile("heavy", 5)};
  auto vi = instance("VI_1");
  vi.trackInterfaces = {ref("eth1", -10)};
  vi.trackScripts = {ref("weighted"), ref("unweighted")};
  vi.trackFiles = {ref("default_weight"), ref("heavy")};
  c.instances = {vi, instance("VI_2")};
  c.syncGroups = {group("G", {"VI_1", "VI_2"})};
  // [SRC vrrp.c:vrrp_complete_instance]: interface weight → 0, weighted script
  // dropped, file weight 1 → 0, other weighted file dropped.
  EXPECT_EQ(resolveTrackers(c, vi),
            (std::vector<ResolvedTracker>{resolved(K::Interface, "eth1", 0),
                                          resolved(K::Script, "unweighted", 0),
                                          resolved(K::File, "default_weight", 0)}));
}

TEST(ResolveTrackersTest, SyncGroupTrackingWeightKeepsWeights) {
  config::Config c;
  c.scripts = {script("weighted", -20)};
  auto vi = instance("VI_1");
  vi.trackInterfaces = {ref("eth1", -10)};
  vi.trackScripts = {ref("weighted")};
  c.instances = {vi, instance("VI_2")};
  c.syncGroups = {group("G", {"VI_1", "VI_2"}, true)};
  EXPECT_EQ(resolveTrackers(c, vi),
            (std::vector<ResolvedTracker>{resolved(K::Interface, "eth1", -10),
                                          resolved(K::Script, "weighted", -20)}));
}

TEST(ResolveTrackersTest, OwnerDropsWeightedTrackers) {
  config::Config c;
  c.scripts = {script("weighted", -20)};
  c.trackFiles = {trackFile("f")};
  auto vi = instance("VI_1", 255);
  vi.trackInterfaces = {ref("eth1", -10), ref("eth2")};
  vi.trackScripts = {ref("weighted")};
  vi.trackFiles = {ref("f")};
  c.instances = {vi};
  EXPECT_EQ(resolveTrackers(c, vi), (std::vector<ResolvedTracker>{resolved(K::Interface, "eth2", 0),
                                                                  resolved(K::File, "f", 0)}));
}

TEST(ResolveTrackersTest, GroupTrackersApplyToMembersWithTheirWeights) {
  config::Config c;
  c.scripts = {script("gchk", 0)};
  auto vi = instance("VI_1");
  c.instances = {vi, instance("VI_2")};
  auto g = group("G", {"VI_1", "VI_2"});
  g.trackInterfaces = {ref("eth9", 25)};
  g.trackScripts = {ref("gchk")};
  c.syncGroups = {g};
  EXPECT_EQ(resolveTrackers(c, vi),
            (std::vector<ResolvedTracker>{resolved(K::Interface, "eth9", 25, false, true),
                                          resolved(K::Script, "gchk", 0, false, true)}));
}

TEST(ResolveTrackersTest, GroupWithOwnerMemberClearsGroupWeights) {
  config::Config c;
  auto vi = instance("VI_1");
  c.instances = {vi, instance("VI_2", 255)};
  auto g = group("G", {"VI_1", "VI_2"}, true);
  g.trackInterfaces = {ref("eth9", 25)};
  c.syncGroups = {g};
  EXPECT_EQ(resolveTrackers(c, vi),
            (std::vector<ResolvedTracker>{resolved(K::Interface, "eth9", 0, false, true)}));
}

TEST(ResolveTrackersTest, GroupWeightWinsUnlessInstanceWeightIsZero) {
  config::Config c;
  c.trackFiles = {trackFile("a"), trackFile("b")};
  auto vi = instance("VI_1");
  vi.trackFiles = {ref("a", 0), ref("b", 4)};
  c.instances = {vi, instance("VI_2")};
  auto g = group("G", {"VI_1", "VI_2"}, true);
  g.trackFiles = {ref("a", 7), ref("b", 9, true)};
  c.syncGroups = {g};
  EXPECT_EQ(
      resolveTrackers(c, vi),
      (std::vector<ResolvedTracker>{resolved(K::File, "a", 0), resolved(K::File, "b", 9, true)}));
}

// keepalived does not restrict track_process weights on sync members
// [SRC vrrp.c:vrrp_complete_instance lists interfaces, scripts, files, bfd].
TEST(ResolveTrackersTest, SyncMemberWithoutTrackingWeightKeepsProcessWeights) {
  config::Config c;
  c.trackProcesses = {trackProcess("nginx", -20), trackProcess("sshd")};
  auto vi = instance("VI_1");
  vi.trackProcesses = {ref("nginx"), ref("sshd", 5, true)};
  c.instances = {vi, instance("VI_2")};
  c.syncGroups = {group("G", {"VI_1", "VI_2"})};
  EXPECT_EQ(resolveTrackers(c, vi),
            (std::vector<ResolvedTracker>{resolved(K::Process, "nginx", -20),
                                          resolved(K::Process, "sshd", 5, true)}));
}

TEST(ResolveTrackersTest, UndefinedProcessIsLeftOut) {
  config::Config c;
  auto vi = instance("VI_1");
  vi.trackProcesses = {ref("gone")};
  c.instances = {vi};
  EXPECT_TRUE(resolveTrackers(c, vi).empty());
}

// [SRC vrrp.c:add_vrrp_to_track_process] copies the group's weight but not
// its reverse flag.
TEST(ResolveTrackersTest, GroupProcessWeightWinsButNotItsReverse) {
  config::Config c;
  c.trackProcesses = {trackProcess("a"), trackProcess("b")};
  auto vi = instance("VI_1");
  vi.trackProcesses = {ref("a", 0), ref("b", 4)};
  c.instances = {vi, instance("VI_2")};
  auto g = group("G", {"VI_1", "VI_2"}, true);
  g.trackProcesses = {ref("a", 7), ref("b", 9, true)};
  c.syncGroups = {g};
  EXPECT_EQ(resolveTrackers(c, vi), (std::vector<ResolvedTracker>{resolved(K::Process, "a", 0),
                                                                  resolved(K::Process, "b", 9)}));
}

TEST(ResolveTrackersTest, GroupProcessWeightIsClearedByAnOwnerMember) {
  config::Config c;
  c.trackProcesses = {trackProcess("a", 10)};
  c.instances = {instance("VI_1"), instance("VI_2", 255)};
  auto g = group("G", {"VI_1", "VI_2"}, true);
  g.trackProcesses = {ref("a")};
  c.syncGroups = {g};
  EXPECT_EQ(resolveTrackers(c, c.instances[0]),
            (std::vector<ResolvedTracker>{resolved(K::Process, "a", 0, false, true)}));
}

// --- InstanceTracking ----------------------------------------------------------

// [SRC vrrp_track.c:process_update_track_process_status]
TEST(InstanceTrackingTest, ProcessWithWeightZeroFaultsWithoutQuorum) {
  InstanceTracking t(100, {resolved(K::Process, "web", 0)});
  EXPECT_EQ(t.processChanged("web", false), (TrackingUpdate{std::nullopt, {1}, {}}));
  EXPECT_EQ(t.processChanged("web", true), (TrackingUpdate{std::nullopt, {}, {1}}));
}

TEST(InstanceTrackingTest, ReverseProcessWithWeightZeroFaultsWithQuorum) {
  InstanceTracking t(100, {resolved(K::Process, "web", 0, true)});
  EXPECT_EQ(t.initial().raised, (std::vector<core::FaultId>{1}));
  EXPECT_EQ(t.processChanged("web", false), (TrackingUpdate{std::nullopt, {}, {1}}));
}

TEST(InstanceTrackingTest, ProcessWeightsAddWhenUpAndSubtractWhenDown) {
  InstanceTracking plus(100, {resolved(K::Process, "web", 10)});
  EXPECT_EQ(plus.priority(), 110);
  EXPECT_EQ(plus.processChanged("web", false), (TrackingUpdate{100, {}, {}}));
  InstanceTracking minus(100, {resolved(K::Process, "web", -10)});
  EXPECT_EQ(minus.priority(), 100);
  EXPECT_EQ(minus.processChanged("web", false), (TrackingUpdate{90, {}, {}}));
  InstanceTracking reversed(100, {resolved(K::Process, "web", 10, true)});
  EXPECT_EQ(reversed.priority(), 90);  // `weight 10 reverse` subtracts while up
  EXPECT_EQ(reversed.processChanged("web", false), (TrackingUpdate{100, {}, {}}));
}

TEST(InstanceTrackingTest, ProcessUpdatesNeedAProcessTracker) {
  InstanceTracking t(100, {resolved(K::Script, "web", 0)});
  EXPECT_TRUE(t.processChanged("web", false).empty());
}

TEST(InstanceTrackingTest, InitialScriptWithWeightZeroHoldsInstanceInFault) {
  InstanceTracking t(100, {resolved(K::Script, "chk", 0)});
  EXPECT_EQ(t.initial(), (TrackingUpdate{100, {1}, {}}));
  EXPECT_EQ(t.scriptChanged("chk", true), (TrackingUpdate{std::nullopt, {}, {1}}));
  EXPECT_TRUE(t.faults().empty());
}

TEST(InstanceTrackingTest, InitFailStartsBad) {
  auto tracker = resolved(K::Script, "chk", -30);
  tracker.initFail = true;
  InstanceTracking t(100, {tracker});
  EXPECT_EQ(t.priority(), 70);
}

TEST(InstanceTrackingTest, ScriptWeightChangesPriority) {
  InstanceTracking t(100, {resolved(K::Script, "chk", -30)});
  EXPECT_EQ(t.priority(), 100);
  EXPECT_EQ(t.scriptChanged("chk", false), (TrackingUpdate{70, {}, {}}));
  EXPECT_TRUE(t.scriptChanged("chk", false).empty());
  EXPECT_EQ(t.scriptChanged("chk", true), (TrackingUpdate{100, {}, {}}));
}

TEST(InstanceTrackingTest, InterfaceWithoutWeightFaultsWhenDown) {
  InstanceTracking t(100, {resolved(K::Interface, "eth1", 0)});
  EXPECT_TRUE(t.initial().raised.empty());
  EXPECT_EQ(t.interfaceChanged("eth1", false), (TrackingUpdate{std::nullopt, {1}, {}}));
  EXPECT_EQ(t.interfaceChanged("eth1", true), (TrackingUpdate{std::nullopt, {}, {1}}));
}

TEST(InstanceTrackingTest, FileValueFaultsBelowMinus253) {
  InstanceTracking t(200, {resolved(K::File, "f", 2)});
  EXPECT_EQ(t.fileValue("f", -100), (TrackingUpdate{1, {}, {}}));  // 200-200 → 1
  // -254: FAULT, and the product no longer counts [SRC trackers/track_file.c:
  // process_update_vrrp_track_file_status subtracts the previous status].
  EXPECT_EQ(t.fileValue("f", -127), (TrackingUpdate{200, {1}, {}}));
  // Leaving the fault: the product is counted again.
  EXPECT_EQ(t.fileValue("f", 10), (TrackingUpdate{220, {}, {1}}));
}

TEST(InstanceTrackingTest, UnknownNamesChangeNothing) {
  InstanceTracking t(100, {resolved(K::Script, "chk", -30)});
  EXPECT_TRUE(t.scriptChanged("other", false).empty());
  EXPECT_TRUE(t.interfaceChanged("chk", false).empty());  // a script, not an interface
  EXPECT_TRUE(t.fileValue("chk", 5).empty());
}

TEST(InstanceTrackingTest, OwnerPriorityNeverChanges) {
  InstanceTracking t(255, {resolved(K::Script, "chk", -30), resolved(K::Interface, "eth1", 0)});
  EXPECT_TRUE(t.scriptChanged("chk", false).empty());
  EXPECT_EQ(t.priority(), 255);
  EXPECT_EQ(t.interfaceChanged("eth1", false), (TrackingUpdate{std::nullopt, {2}, {}}));
}

TEST(InstanceTrackingTest, FaultIdsAreStableAndNeverZero) {
  const std::vector<ResolvedTracker> trackers = {
      resolved(K::Interface, "eth1", 0), resolved(K::Script, "eth1", 0), resolved(K::File, "f", 0)};
  InstanceTracking a(100, trackers);
  InstanceTracking b(100, trackers);
  EXPECT_EQ(a.faultId(K::Interface, "eth1"), 1U);
  EXPECT_EQ(a.faultId(K::Script, "eth1"), 2U);
  EXPECT_EQ(a.faultId(K::File, "f"), 3U);
  EXPECT_EQ(a.faultId(K::File, "g"), std::nullopt);
  // Same config, same ids, whatever the states went through.
  a.interfaceChanged("eth1", false);
  a.fileValue("f", 4);
  EXPECT_EQ(a.faults(), (std::vector<core::FaultId>{1, 2, 3}));
  EXPECT_EQ(b.faultId(K::File, "f"), a.faultId(K::File, "f"));
  EXPECT_EQ(a.tracker(3)->name, "f");
  EXPECT_EQ(a.tracker(0), nullptr);  // reserved for the instance's own interface
  EXPECT_EQ(a.tracker(4), nullptr);
}

TEST(InstanceTrackingTest, EventsPutPriorityBeforeFaults) {
  const TrackingUpdate u{90, {2}, {1}};
  const auto events = u.events();
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(std::get<core::PriorityChanged>(events[0]).priority, 90);
  EXPECT_EQ(std::get<core::FaultRaised>(events[1]).id, 2U);
  EXPECT_EQ(std::get<core::FaultCleared>(events[2]).id, 1U);
}

TEST(InstanceTrackingTest, FromConfigAppliesSyncGroupForcing) {
  config::Config c;
  auto vi = instance("VI_1");
  vi.trackInterfaces = {ref("eth1", -10)};
  c.instances = {vi, instance("VI_2")};
  c.syncGroups = {group("G", {"VI_1", "VI_2"})};
  auto t = InstanceTracking::fromConfig(c, vi);
  // Weight forced to 0: down is a FAULT, not a priority drop.
  EXPECT_EQ(t.interfaceChanged("eth1", false), (TrackingUpdate{std::nullopt, {1}, {}}));
}

}  // namespace
}  // namespace vipd::track
