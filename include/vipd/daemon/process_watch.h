#pragma once

#include <spdlog/logger.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/daemon/scheduler.h"
#include "vipd/net/proc_events.h"
#include "vipd/track/process_table.h"

namespace vipd::daemon {

/// What track_process reads about processes. ProcFs reads /proc; tests
/// give a fake.
class ProcessSource {
 public:
  virtual ~ProcessSource() = default;
  /// Every process but zombies, with its comm and, when `cmdlineBytes` > 0,
  /// the first bytes of its command line.
  virtual std::vector<track::ScannedProcess> scan(std::size_t cmdlineBytes) = 0;
  /// One process, just after it exec'd; nullopt when it is gone already.
  virtual std::optional<track::ProcessIdentity> identity(std::int32_t pid,
                                                         std::size_t cmdlineBytes) = 0;
};

/// /proc (or another mount of it): /proc/PID/stat for the scan (its comm and
/// state, as keepalived), /proc/PID/comm after an exec, /proc/PID/cmdline
/// when asked.
class ProcFs final : public ProcessSource {
 public:
  explicit ProcFs(std::string root = "/proc") : root_(std::move(root)) {}
  std::vector<track::ScannedProcess> scan(std::size_t cmdlineBytes) override;
  std::optional<track::ProcessIdentity> identity(std::int32_t pid,
                                                 std::size_t cmdlineBytes) override;

 private:
  std::string root_;
};

/// The vrrp_track_process blocks at run time: a full scan of the processes
/// at start (and reload), then the kernel's process events (a
/// net::ProcConnector, which the owner reads and passes to onEvents()) keep
/// a track::ProcessTable current — never a periodic scan. After an exec the
/// process's comm (and command line, if a tracker needs it) is read once;
/// an exit only drops the PID. Threads are ignored. When events were lost,
/// /proc is scanned again a second later, as keepalived
/// [SRC core/track_process.c:handle_proc_ev, reinitialise_track_processes].
/// Delays run on the Scheduler.
///
/// NOTE: single-threaded, on the loop's thread; the scheduler and the
/// source must outlive it. Cancels its timers on destruction.
class ProcessWatch {
 public:
  using OnQuorum = std::function<void(const std::string& tracker, bool quorum)>;

  /// How long after lost events the rescan runs (keepalived: TIMER_HZ).
  static constexpr std::chrono::seconds kRescanDelay{1};

  /// Scans at once; `onQuorum` is called for every later change.
  ProcessWatch(std::vector<config::TrackProcess> trackers, Scheduler& scheduler,
               ProcessSource& source, OnQuorum onQuorum, std::shared_ptr<spdlog::logger> log);
  ~ProcessWatch();
  ProcessWatch(const ProcessWatch&) = delete;
  ProcessWatch& operator=(const ProcessWatch&) = delete;

  /// Events from the connector, in the order the kernel sent them.
  void onEvents(const std::vector<net::ProcEvent>& events);

  bool hasQuorum(const std::string& tracker) const { return table_.hasQuorum(tracker); }
  const track::ProcessTable& table() const { return table_; }
  /// Scans of /proc since start, the first included.
  std::uint64_t scans() const { return scans_; }

 private:
  void handle(const net::ProcEvent& event);
  void deliver(const std::vector<track::QuorumChange>& changes);
  void rearmDelays();
  void scheduleRescan();
  void rescan();

  track::ProcessTable table_;
  Scheduler& scheduler_;
  ProcessSource& source_;
  OnQuorum onQuorum_;
  std::shared_ptr<spdlog::logger> log_;
  std::size_t cmdlineBytes_;
  std::uint64_t scans_ = 0;
  std::optional<Scheduler::TimerId> delayTimer_;
  std::optional<Scheduler::Clock::time_point> delayDeadline_;
  std::optional<Scheduler::TimerId> rescanTimer_;
};

}  // namespace vipd::daemon
