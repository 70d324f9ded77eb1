#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace vipd::core::sim {

/// Outcome of one seeded simulator run.
struct RunResult {
  std::optional<std::string> failure;  ///< First violated property or invariant.
  bool exercised = false;              ///< The run reached the case the property is about.
  std::uint64_t events = 0;
};

/// Every run also checks the network's invariants at every step: VIPs held
/// iff Master, never Master while faulted, timers armed as the state needs,
/// notifications continuous and along legal edges.

/// (1) Random disruptions, then a quiet network (no loss, partition, crash,
/// restart, or tracking change): from settle time on, exactly one master per
/// VRID that has an eligible router. Exercised: split brain was seen.
RunResult runOneMasterWhenQuiet(std::uint64_t seed, std::ostream* trace);

/// (2) As (1) with preemption everywhere: the master has the highest
/// effective priority among eligible routers, and is the one with it when it
/// is unique. Exercised: a backup preempted a lower-priority master.
RunResult runHighestPriorityWins(std::uint64_t seed, std::ostream* trace);

/// (3) A settled cluster; the master shuts down gracefully. Within Skew_Time
/// + one advert interval of the next-best router, that router is the only
/// master. Exercised: at least one handover was checked.
RunResult runGracefulHandover(std::uint64_t seed, std::ostream* trace);

/// (4) Disruptions dominated by faults: no router is ever Master while a
/// fault is active (checked at every step), and (1) holds once quiet.
/// Exercised: a fault hit a router while it was Master.
RunResult runFaultedNeverMaster(std::uint64_t seed, std::ostream* trace);

/// (5) Hosts with one sync group each (two VRIDs, see Profile::syncGroups),
/// random disruptions (faults on single members), then a quiet network: from
/// settle time on, every host's running members are in one state and (1)
/// holds. Exercised: a member followed its group to Master and one to Fault.
RunResult runSyncGroupsAgree(std::uint64_t seed, std::ostream* trace);

}  // namespace vipd::core::sim
