#pragma once

#include <map>
#include <memory>

#include "vipd/daemon/event_loop.h"
#include "vipd/daemon/prober.h"

namespace vipd::daemon {

/// Prober on the event loop: a non-blocking connect (SOCK_NONBLOCK |
/// SOCK_CLOEXEC) watched for writability, then for HTTP_GET the request
/// written and the response read as the socket allows, parsed by
/// HttpResponseReader. Each connection has a timer at connect_timeout (or the
/// attempt's deadline, if sooner). Nothing blocks and nothing forks.
///
/// NOTE: single-threaded; every call from the loop thread. The loop must
/// outlive the prober. Destroying it closes every connection without calling
/// the callbacks.
class LoopProber final : public Prober {
 public:
  struct Limits {
    /// A response (headers and body) larger than this fails the url.
    std::size_t maxResponseBytes = 1024 * 1024;
  };

  explicit LoopProber(EventLoop& loop) : LoopProber(loop, Limits{}) {}
  LoopProber(EventLoop& loop, Limits limits);
  ~LoopProber() override;
  LoopProber(const LoopProber&) = delete;
  LoopProber& operator=(const LoopProber&) = delete;

  ProbeId start(const config::NativeProbe& probe, Scheduler::Clock::time_point deadline,
                DoneCallback onDone) override;
  void cancel(ProbeId id) override;

  /// Attempts started and not yet reported or cancelled.
  std::size_t active() const { return attempts_.size(); }

 private:
  struct Attempt;
  enum class Watch : std::uint8_t { Read, Write };

  void connect(ProbeId id, Attempt& attempt);
  void watch(ProbeId id, Attempt& attempt, Watch what);
  void onWritable(ProbeId id);
  void onReadable(ProbeId id);
  void onTimeout(ProbeId id);
  void sendRequest(ProbeId id, Attempt& attempt);
  void urlDone(ProbeId id, Attempt& attempt);
  /// Closes the connection and reports `outcome` from the loop, later.
  void finish(ProbeId id, Attempt& attempt, ProbeStatus status, std::string detail);
  void closeConnection(Attempt& attempt);
  Attempt* find(ProbeId id);

  EventLoop& loop_;
  Limits limits_;
  std::map<ProbeId, std::unique_ptr<Attempt>> attempts_;
  ProbeId nextId_ = 1;
};

}  // namespace vipd::daemon
