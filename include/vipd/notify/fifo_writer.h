#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "vipd/exec/command.h"
#include "vipd/exec/process_runner.h"
#include "vipd/util/unique_fd.h"

namespace vipd::notify {

/// Writes notify lines to a `notify_fifo` / `vrrp_notify_fifo` without ever
/// blocking the loop or throwing.
///
/// How keepalived does it [SRC fifo_open at keepalived commit 04f2d328 (2018), the
/// newest found; 2.2.7 not seen; SRC vrrp_notify.c:notify_fifo]:
/// mkfifo if missing, start the reader script,
/// then open the FIFO O_RDWR|O_NONBLOCK|O_CLOEXEC and write() each line,
/// ignoring every error. Because keepalived itself holds a read end, opening
/// never fails with ENXIO and writing never gets EPIPE: lines written before
/// the reader opens the FIFO (the startup BACKUP line, written just after the
/// reader is forked) wait in the pipe, and once the pipe (64 KiB) is full new
/// lines are silently lost. OpenMode::ReadWrite (the default) keeps exactly
/// that, so a reader sees the same lines as under keepalived; vipd counts the
/// drops. OpenMode::WriteOnly opens O_WRONLY instead: no stale lines for a
/// late reader, but lines written with no reader are lost (ENXIO, counted;
/// retried at the next line) and a reader that goes away gets the FIFO
/// reopened at the next line (EPIPE).
///
/// A line longer than PIPE_BUF is dropped: only shorter writes are atomic,
/// and a torn line would corrupt the reader's stream.
///
/// NOTE: single-threaded. SIGPIPE must be ignored by the process (the daemon
/// does), else EPIPE in WriteOnly mode kills it. Owns the descriptor; does not
/// remove the FIFO on destruction (a reload may recreate the writer while the
/// reader keeps reading): call removeIfCreated() at shutdown.
class FifoWriter {
 public:
  enum class OpenMode { ReadWrite, WriteOnly };

  struct Options {
    std::string path;
    OpenMode mode = OpenMode::ReadWrite;
    /// Owner of a FIFO this writer creates (`notify_fifo PATH USER [GROUP]`);
    /// unset: the daemon's. An existing FIFO is never chowned.
    std::optional<uid_t> uid;
    std::optional<gid_t> gid;
  };

  struct Stats {
    std::uint64_t written = 0;
    std::uint64_t droppedFull = 0;      ///< EAGAIN: the pipe is full (slow or dead reader)
    std::uint64_t droppedNoReader = 0;  ///< WriteOnly: ENXIO at open, EPIPE at write
    std::uint64_t droppedOther = 0;     ///< unusable path, too long, other errno
    std::uint64_t opens = 0;            ///< successful opens (more than 1: reopened)
  };

  explicit FifoWriter(Options options);

  /// Creates the FIFO (mode 0600) if the path does not exist. A path that
  /// exists and is not a FIFO (or is a symlink) is an error and is left
  /// untouched; write() then only counts. Call once at start, before the reader.
  std::error_code prepare();

  /// ReadWrite mode: opens the FIFO now, as keepalived does right after
  /// starting the reader, rather than at the first line. The descriptor then
  /// lasts until close(), so lines still get through once the daemon has
  /// dropped the capabilities that let root open a FIFO owned by the
  /// reader's user (mode 0600). WriteOnly mode: nothing (no reader yet).
  void openNow();

  /// Writes one whole line (with its '\n'), opening the FIFO first if needed.
  void write(std::string_view line);

  /// Closes the descriptor; the next write() opens it again.
  void close();
  /// Unlinks the FIFO if prepare() created it (keepalived fifo_close does too).
  void removeIfCreated();

  const std::string& path() const { return options_.path; }
  bool isOpen() const { return fd_.valid(); }
  bool created() const { return created_; }
  const Stats& stats() const { return stats_; }

 private:
  bool openFifo();
  void dropped(std::uint64_t& counter, std::string_view why, int error);

  Options options_;
  util::UniqueFd fd_;
  bool usable_ = false;  // prepare() succeeded
  bool created_ = false;
  bool degraded_ = false;  // a drop was logged; log again only after a success
  Stats stats_;
};

/// The optional reader of a FIFO (`notify_fifo_script CMD [USER [GROUP]]`),
/// run with the FIFO path appended as its last argument, no timeout.
///
/// keepalived starts it once before opening the FIFO and logs its exit; it is
/// not restarted (as far as could be checked) and vipd does the same, with the
/// exit status in the log line. At shutdown keepalived SIGTERMs every script
/// [SRC vrrp_daemon.c:vrrp_terminate_phase1]. vipd first closes its end so the
/// reader reads the last lines and then EOF, and ends on its own; the daemon
/// then SIGTERMs what is left (ProcessRunner::killAll) and finally stop()s it
/// (SIGKILL, ProcessRunner::cancel: the exec API has no per-run signal).
///
/// NOTE: single-threaded; the runner must outlive the reader. Destruction stops it.
class FifoReader {
 public:
  /// `command` is resolved (ScriptResolver) and does not yet contain the path.
  FifoReader(exec::ProcessRunner& runner, exec::Command command, std::string fifoPath);
  ~FifoReader();
  FifoReader(const FifoReader&) = delete;
  FifoReader& operator=(const FifoReader&) = delete;

  /// Starts the reader unless it is running.
  void start();
  /// Kills the reader's process group; its end is not reported.
  void stop();
  /// The daemon is stopping: the reader's own exit is expected (info, not a warning).
  void expectExit() { exitExpected_ = true; }
  bool running() const { return run_ != 0; }
  /// How often the reader ended on its own.
  std::uint64_t exits() const { return exits_; }

 private:
  exec::ProcessRunner& runner_;
  exec::Command command_;
  exec::ProcessRunner::RunId run_ = 0;
  std::uint64_t exits_ = 0;
  bool exitExpected_ = false;
};

}  // namespace vipd::notify
