#include "vipd/core/transition_table.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <stdexcept>

#include "router_harness.h"

namespace vipd::core::testing {
namespace {

constexpr State kStates[] = {State::Initialize, State::Backup, State::Master, State::Fault};

// RFC 5798 §6.4 plus keepalived's FAULT, without Initialize → Master:
// keepalived starts every instance in Backup, owners included.
const std::set<std::pair<State, State>> kLegalEdges = {
    {State::Initialize, State::Backup}, {State::Initialize, State::Fault},
    {State::Backup, State::Master},     {State::Backup, State::Fault},
    {State::Backup, State::Initialize}, {State::Master, State::Backup},
    {State::Master, State::Fault},      {State::Master, State::Initialize},
    {State::Fault, State::Backup},      {State::Fault, State::Initialize},
};

std::string rowText(const TransitionRow& row) {
  return std::string(toString(row.state)) + " x " + std::string(toString(row.trigger));
}

TEST(TransitionTableTest, EveryRowFollowsALegalEdge) {
  for (const TransitionRow& row : transitionTable()) {
    SCOPED_TRACE(rowText(row));
    if (row.next != row.state) {
      EXPECT_TRUE(kLegalEdges.count({row.state, row.next}));
    }
  }
}

TEST(TransitionTableTest, OnlyBackupLeadsToMaster) {
  for (const TransitionRow& row : transitionTable()) {
    SCOPED_TRACE(rowText(row));
    if (row.next == State::Master && row.state != State::Master) {
      EXPECT_EQ(row.state, State::Backup);
      EXPECT_EQ(row.procedure, Procedure::BecomeMaster);
    }
  }
}

TEST(TransitionTableTest, FaultNeverLeadsToMaster) {
  for (const TransitionRow& row : transitionTable()) {
    if (row.state == State::Fault) {
      EXPECT_NE(row.next, State::Master) << rowText(row);
    }
  }
}

TEST(TransitionTableTest, RowsHaveACauseExactlyWhenTheyChangeState) {
  for (const TransitionRow& row : transitionTable()) {
    EXPECT_EQ(row.cause.has_value(), row.next != row.state) << rowText(row);
  }
}

TEST(TransitionTableTest, EveryRowCitesItsRule) {
  for (const TransitionRow& row : transitionTable()) {
    EXPECT_FALSE(row.reference.empty()) << rowText(row);
  }
}

TEST(TransitionTableTest, FindRowReturnsTheRowForEachKey) {
  std::size_t found = 0;
  for (State state : kStates) {
    for (std::size_t i = 0; i < kTriggerCount; ++i) {
      const auto trigger = static_cast<Trigger>(i);
      if (const TransitionRow* row = findRow(state, trigger)) {
        EXPECT_EQ(row->state, state);
        EXPECT_EQ(row->trigger, trigger);
        ++found;
      }
    }
  }
  EXPECT_EQ(found, transitionTable().size());
  EXPECT_EQ(toString(static_cast<Trigger>(kTriggerCount - 1)), "FaultsCleared");
}

// The router throws std::logic_error when it meets a (state, trigger) pair
// without a row. Drive every kind of event in every state, under every
// configuration that changes classification, and require that never happens.
using Stimulus = std::function<void(RouterHarness&)>;

const std::vector<std::pair<const char*, Stimulus>> kStimuli = {
    {"start", [](RouterHarness& h) { h.start(); }},
    {"shutdown", [](RouterHarness& h) { h.shutdown(); }},
    {"advert prio 0", [](RouterHarness& h) { h.advert("10.0.0.9", 0); }},
    {"advert higher", [](RouterHarness& h) { h.advert("10.0.0.9", 254); }},
    {"advert equal, higher address", [](RouterHarness& h) { h.advert("10.0.0.9", 100); }},
    {"advert equal, lower address", [](RouterHarness& h) { h.advert("10.0.0.1", 100); }},
    {"advert equal, our address", [](RouterHarness& h) { h.advert("10.0.0.2", 100); }},
    {"advert lower", [](RouterHarness& h) { h.advert("10.0.0.9", 1); }},
    {"advert 255", [](RouterHarness& h) { h.advert("10.0.0.9", 255); }},
    {"fire advert timer", [](RouterHarness& h) { h.fire(TimerId::Advert); }},
    {"fire down timer", [](RouterHarness& h) { h.fire(TimerId::MasterDown); }},
    {"stale timers",
     [](RouterHarness& h) {
       h.handle(TimerExpired{TimerId::Advert, 12345});
       h.handle(TimerExpired{TimerId::MasterDown, 0});
     }},
    {"priority change", [](RouterHarness& h) { h.setPriority(200); }},
    {"fault raised", [](RouterHarness& h) { h.raiseFault(3); }},
    {"fault cleared", [](RouterHarness& h) { h.clearFault(1); }},
    {"unknown fault cleared", [](RouterHarness& h) { h.clearFault(42); }},
    {"maintenance on", [](RouterHarness& h) { h.handle(Maintenance{true}); }},
    {"maintenance on, then off",
     [](RouterHarness& h) {
       h.handle(Maintenance{true});
       h.handle(Maintenance{false});
     }},
};

const std::vector<std::pair<const char*, void (*)(RouterConfig&)>> kConfigs = {
    {"default", [](RouterConfig&) {}},
    {"nopreempt", [](RouterConfig& c) { c.preempt = false; }},
    {"preempt_delay", [](RouterConfig& c) { c.preemptDelay = std::chrono::seconds{2}; }},
    {"owner", [](RouterConfig& c) { c.priority = 255; }},
    {"v2", [](RouterConfig& c) { c.version = Version::V2; }},
};

// Drives a fresh router towards `state` from t = 1 s; the configuration
// decides whether it gets there (an owner starts as Master).
void driveTowards(RouterHarness& h, State state) {
  h.advanceTo(1s);
  if (state == State::Initialize) return;
  h.start();
  if (state == State::Master && h.router().state() == State::Backup) h.fire(TimerId::MasterDown);
  if (state == State::Fault) h.raiseFault(1);
}

TEST(TransitionTableTest, EveryEventInEveryStateHasARow) {
  for (const auto& [configName, configure] : kConfigs) {
    for (State state : kStates) {
      for (const auto& [stimulusName, stimulus] : kStimuli) {
        SCOPED_TRACE(std::string(configName) + ", " + std::string(toString(state)) + ", " +
                     stimulusName);
        RouterConfig config = defaultConfig();
        configure(config);
        RouterHarness h(config);
        driveTowards(h, state);
        if (!(config.priority == 255 && state == State::Backup)) {
          ASSERT_EQ(h.router().state(), state);
        }
        EXPECT_NO_THROW(stimulus(h));
        EXPECT_NO_THROW(h.fire(TimerId::MasterDown));  // and whatever follows
        EXPECT_NO_THROW(h.fire(TimerId::Advert));
      }
    }
  }
}

}  // namespace
}  // namespace vipd::core::testing
