// Notes for `vipd -t` (ParseOptions::explainDefaults) on the defaults that
// surprise keepalived users (reference §7 item 2, §1.3, §1.7, §1.10): the
// configuration is valid, but it may not do what its author expects.

#include "draft.h"

namespace vipd::config::detail {

namespace {

class InstanceExplainer {
 public:
  InstanceExplainer(const InstanceDraft& d, const VrrpInstance& i, const GlobalDraft& g,
                    Diagnostics& diagnostics)
      : d_(d), i_(i), g_(g), diagnostics_(diagnostics) {}

  void explain() {
    priorityAndState();
    version();
    preemption();
    timers();
    acceptMode();
    unicastSource();
  }

 private:
  void note(const SourceLocation& where, const std::string& message) {
    diagnostics_.note(where, "vrrp_instance " + i_.name + " " + message);
  }

  // [SRC vrrp.c:vrrp_complete_instance] derives each from the other.
  void priorityAndState() {
    if (d_.state && d_.state->value == InitialState::Master && !d_.priority) {
      note(d_.state->where,
           "has state MASTER without priority, which means priority 255: the address owner, "
           "which always preempts and which trackers cannot lower");
    } else if (!d_.state && i_.priority == 255) {
      note(d_.priority->where, "has priority 255 without state, so it starts as MASTER");
    }
  }

  void version() {
    if (i_.family == util::Family::V6 && !d_.version && g_.defs.vrrpVersion == 2) {
      note(i_.where, "is IPv6, so it uses VRRPv3 (vrrp_version 2 applies to IPv4 only)");
    }
  }

  void preemption() {
    if (i_.preempt) return;
    note(d_.nopreempt->where,
         "nopreempt holds only if every node of virtual_router_id " +
             std::to_string(i_.virtualRouterId) +
             " has state BACKUP; a node with state MASTER or priority 255 still preempts");
  }

  void timers() {
    if (!d_.advertInterval) note(i_.where, "sends an advert every second (advert_int default)");
    const bool delayGiven = d_.garpMasterDelay || g_.seen.count("vrrp_garp_master_delay") > 0;
    if (!delayGiven && i_.garpMasterDelay.count() > 0) {
      note(i_.where, "repeats its gratuitous ARPs/NAs " +
                         std::to_string(i_.garpMasterDelay.count()) +
                         " seconds after becoming MASTER (garp_master_delay default; 0 turns "
                         "it off)");
    }
  }

  void acceptMode() {
    if (d_.accept || !i_.accept || i_.priority == 255) return;
    note(i_.where,
         "accepts traffic to its VIPs as MASTER (keepalived's default; RFC 5798 defaults "
         "to no_accept)");
  }

  void unicastSource() {
    if (!i_.isUnicast() || i_.sourceAddress) return;
    note(i_.unicastPeers.front().where,
         "sends unicast adverts from the primary address of " + i_.interface.value_or("?") +
             " (no unicast_src_ip); its peers must list that address");
  }

  const InstanceDraft& d_;
  const VrrpInstance& i_;
  const GlobalDraft& g_;
  Diagnostics& diagnostics_;
};

}  // namespace

void explainInstance(const InstanceDraft& draft, const VrrpInstance& instance,
                     const GlobalDraft& global, Diagnostics& diagnostics) {
  InstanceExplainer(draft, instance, global, diagnostics).explain();
}

// [SRC vrrp_sync.c]: without sync_group_tracking_weight the members' tracker
// weights are forced to 0, so any tracker failure is a FAULT of the group.
void explainSyncGroup(const SyncGroup& group, Diagnostics& diagnostics) {
  if (group.trackingWeight) return;
  diagnostics.note(group.where, "vrrp_sync_group " + group.name +
                                    ": the weights of its members' track_* entries (except "
                                    "track_process) count as 0, so any tracker failure is a "
                                    "FAULT of the whole group, unless sync_group_tracking_weight "
                                    "is set");
}

}  // namespace vipd::config::detail
