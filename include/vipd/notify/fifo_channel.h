#pragma once

#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "vipd/config/model.h"
#include "vipd/exec/process_runner.h"
#include "vipd/notify/fifo_writer.h"
#include "vipd/notify/script_resolver.h"

namespace vipd::notify {

/// One configured `notify_fifo` or `vrrp_notify_fifo` with its optional
/// `*_fifo_script` reader: what the daemon builds once per FIFO and hands to
/// every Notifier as a FifoWriter*.
///
/// Ownership of a FIFO it creates (mode 0600): the configured owner, else the
/// reader's user, so that a reader that does not run as root can open it.
/// (keepalived creates it 0644 [SRC fifo_open], readable by everybody.)
///
/// NOTE: single-threaded; the runner must outlive it; the resolver is only
/// used by the constructor.
class FifoChannel {
 public:
  /// `keyword` ("notify_fifo", "vrrp_notify_fifo") labels log lines.
  FifoChannel(std::string keyword, const config::NotifyFifo& fifo, ScriptResolver& resolver,
              exec::ProcessRunner& runner,
              FifoWriter::OpenMode mode = FifoWriter::OpenMode::ReadWrite);

  /// Creates the FIFO if missing, then starts the reader and opens vipd's end
  /// (keepalived's order: the reader may open the FIFO before the first line;
  /// FifoWriter::openNow). On error (the path is not a FIFO) the reader is not
  /// started and lines are only counted.
  std::error_code start();
  /// Kills the reader, closes the FIFO and removes it if start() created it.
  void stop();
  /// The first step of a graceful stop: closes vipd's end, so that the reader
  /// reads what is left and then EOF. True while the reader still runs.
  bool finishWriting();

  FifoWriter& writer() { return writer_; }
  bool hasReader() const { return reader_ != nullptr; }
  FifoReader* reader() { return reader_.get(); }
  /// Why the configured reader was refused (empty: none configured or fine).
  const std::string& readerRefusal() const { return readerRefusal_; }
  /// The same for `vipctl status`; nullopt when nothing was refused.
  std::optional<RefusedScript> refusedReader() const;

 private:
  static FifoWriter::Options writerOptions(const std::string& keyword,
                                           const config::NotifyFifo& fifo, ScriptResolver& resolver,
                                           FifoWriter::OpenMode mode,
                                           const std::optional<exec::Command>& reader);

  std::string keyword_;
  std::string readerRefusal_;
  RefusalKind readerRefusalKind_ = RefusalKind::None;
  std::unique_ptr<FifoReader> reader_;
  FifoWriter writer_;
};

}  // namespace vipd::notify
