#include "vipd/daemon/process_watch.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <variant>

#include "vipd/track/process_match.h"
#include "vipd/util/unique_fd.h"

namespace vipd::daemon {

namespace {

/// Up to `limit` bytes of a /proc file; nullopt if it cannot be read (the
/// process is gone).
std::optional<std::string> readProcFile(const std::string& path, std::size_t limit) {
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  std::string content(limit, '\0');
  std::size_t got = 0;
  while (got < limit) {
    const ssize_t n = ::read(fd.get(), content.data() + got, limit - got);
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  content.resize(got);
  return content;
}

bool isPid(const char* name) {
  if (*name == '\0') return false;
  for (const char* c = name; *c != '\0'; ++c) {
    if (!std::isdigit(static_cast<unsigned char>(*c))) return false;
  }
  return true;
}

/// /proc/PID/stat holds "PID (COMM) STATE" first; the comm is at most 15 bytes.
constexpr std::size_t kStatHead = 128;
/// /proc/PID/comm: 15 bytes and a newline.
constexpr std::size_t kCommFile = 17;

}  // namespace

// keepalived reads /proc/PID/stat here, for the state: zombies do not count
// [SRC core/track_process.c:read_procs].
std::vector<track::ScannedProcess> ProcFs::scan(std::size_t cmdlineBytes) {
  std::vector<track::ScannedProcess> processes;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(root_.c_str()), ::closedir);
  if (!dir) return processes;
  while (const dirent* entry = ::readdir(dir.get())) {
    if (!isPid(entry->d_name)) continue;
    const std::string base = root_ + "/" + entry->d_name;
    const auto stat = readProcFile(base + "/stat", kStatHead);
    const auto parsed = stat ? track::parseProcStat(*stat) : std::nullopt;
    if (!parsed || parsed->state == 'Z') continue;
    track::ScannedProcess p{std::stoi(entry->d_name), {parsed->comm, {}}};
    if (cmdlineBytes > 0) {
      const auto cmdline = readProcFile(base + "/cmdline", cmdlineBytes);
      if (!cmdline) continue;
      p.identity.cmdline = *cmdline;
    }
    processes.push_back(std::move(p));
  }
  return processes;
}

std::optional<track::ProcessIdentity> ProcFs::identity(std::int32_t pid, std::size_t cmdlineBytes) {
  const std::string base = root_ + "/" + std::to_string(pid);
  const auto comm = readProcFile(base + "/comm", kCommFile);
  if (!comm) return std::nullopt;
  track::ProcessIdentity identity{track::commFromFile(*comm), {}};
  if (cmdlineBytes > 0) {
    const auto cmdline = readProcFile(base + "/cmdline", cmdlineBytes);
    if (!cmdline) return std::nullopt;
    identity.cmdline = *cmdline;
  }
  return identity;
}

ProcessWatch::ProcessWatch(std::vector<config::TrackProcess> trackers, Scheduler& scheduler,
                           ProcessSource& source, OnQuorum onQuorum,
                           std::shared_ptr<spdlog::logger> log)
    : table_(std::move(trackers)),
      scheduler_(scheduler),
      source_(source),
      onQuorum_(std::move(onQuorum)),
      log_(std::move(log)) {
  const auto& t = table_.trackers();
  cmdlineBytes_ = track::needsCmdline(t) ? track::cmdlineReadLimit(t) : 0;
  table_.start(source_.scan(cmdlineBytes_));
  ++scans_;
  for (const auto& tracker : t) {
    log_->info("track_process {}: {} matching process(es), quorum {}", tracker.name,
               table_.count(tracker.name), table_.hasQuorum(tracker.name) ? "held" : "not held");
  }
}

ProcessWatch::~ProcessWatch() {
  if (delayTimer_) scheduler_.cancelTimer(*delayTimer_);
  if (rescanTimer_) scheduler_.cancelTimer(*rescanTimer_);
}

void ProcessWatch::onEvents(const std::vector<net::ProcEvent>& events) {
  for (const auto& event : events) handle(event);
  rearmDelays();
}

// Only whole processes count: a thread's events have pid != tgid
// [SRC core/track_process.c:handle_proc_ev].
void ProcessWatch::handle(const net::ProcEvent& event) {
  const auto now = scheduler_.now();
  if (const auto* fork = std::get_if<net::ProcForked>(&event)) {
    if (fork->childPid == fork->childTgid) {
      deliver(table_.forked(fork->parentTgid, fork->childTgid, now));
    }
  } else if (const auto* exec = std::get_if<net::ProcExec>(&event)) {
    if (exec->pid != exec->tgid) return;
    // Gone already: its exit event follows and there is nothing to count.
    if (const auto identity = source_.identity(exec->tgid, cmdlineBytes_)) {
      deliver(table_.exec(exec->tgid, *identity, now));
    }
  } else if (const auto* renamed = std::get_if<net::ProcRenamed>(&event)) {
    if (renamed->pid == renamed->tgid) deliver(table_.renamed(renamed->tgid, renamed->comm, now));
  } else if (const auto* exited = std::get_if<net::ProcExited>(&event)) {
    if (exited->pid == exited->tgid) deliver(table_.exited(exited->tgid, now));
  } else if (const auto* ack = std::get_if<net::ProcListenAck>(&event)) {
    if (ack->error != 0)
      log_->warn("track_process: the kernel refused process events error={}", ack->error);
  } else if (std::holds_alternative<net::ProcEventsLost>(event)) {
    scheduleRescan();
  }
}

void ProcessWatch::deliver(const std::vector<track::QuorumChange>& changes) {
  for (const auto& change : changes) {
    log_->info("track_process {}: quorum {} ({} matching process(es))", change.tracker,
               change.quorum ? "gained" : "lost", table_.count(change.tracker));
    if (onQuorum_) onQuorum_(change.tracker, change.quorum);
  }
}

// One timer, at the earliest pending fork/terminate delay.
void ProcessWatch::rearmDelays() {
  const auto next = table_.nextDeadline();
  if (next == delayDeadline_) return;
  if (delayTimer_) scheduler_.cancelTimer(*delayTimer_);
  delayTimer_.reset();
  delayDeadline_ = next;
  if (!next) return;
  delayTimer_ = scheduler_.armTimer(*next, [this] {
    delayTimer_.reset();
    delayDeadline_.reset();
    deliver(table_.expire(scheduler_.now()));
    rearmDelays();
  });
}

// Events keep being applied meanwhile; the rescan then replaces the counts.
void ProcessWatch::scheduleRescan() {
  if (rescanTimer_) scheduler_.cancelTimer(*rescanTimer_);
  log_->warn("track_process: process events were lost; re-reading /proc in {} s",
             kRescanDelay.count());
  rescanTimer_ = scheduler_.armTimer(scheduler_.now() + kRescanDelay, [this] {
    rescanTimer_.reset();
    rescan();
  });
}

void ProcessWatch::rescan() {
  ++scans_;
  deliver(table_.rescan(source_.scan(cmdlineBytes_), scheduler_.now()));
  rearmDelays();
}

}  // namespace vipd::daemon
