#include "vipd/notify/fifo_channel.h"

#include <utility>

namespace vipd::notify {

namespace {

std::optional<exec::Command> resolveReader(const std::string& keyword,
                                           const config::NotifyFifo& fifo, ScriptResolver& resolver,
                                           std::string& refusal, RefusalKind& kind) {
  if (fifo.readerArgv.empty()) return std::nullopt;
  auto resolution = resolver.resolve(keyword + "_script", fifo.readerArgv, fifo.readerUser);
  refusal = std::move(resolution.refusal);
  kind = resolution.refusalKind;
  return std::move(resolution.command);
}

}  // namespace

FifoChannel::FifoChannel(std::string keyword, const config::NotifyFifo& fifo,
                         ScriptResolver& resolver, exec::ProcessRunner& runner,
                         FifoWriter::OpenMode mode)
    : keyword_(std::move(keyword)),
      // The reader decides the FIFO's owner, so it is resolved first; reader_
      // and readerRefusal_ are declared (so constructed) before writer_.
      writer_([&] {
        auto reader = resolveReader(keyword_, fifo, resolver, readerRefusal_, readerRefusalKind_);
        auto options = writerOptions(keyword_, fifo, resolver, mode, reader);
        if (reader) reader_ = std::make_unique<FifoReader>(runner, *reader, fifo.path);
        return options;
      }()) {}

std::optional<RefusedScript> FifoChannel::refusedReader() const {
  if (readerRefusal_.empty()) return std::nullopt;
  return RefusedScript{keyword_ + "_script", readerRefusal_, readerRefusalKind_};
}

FifoWriter::Options FifoChannel::writerOptions(const std::string& keyword,
                                               const config::NotifyFifo& fifo,
                                               ScriptResolver& resolver, FifoWriter::OpenMode mode,
                                               const std::optional<exec::Command>& reader) {
  FifoWriter::Options options{fifo.path, mode, {}, {}};
  if (fifo.owner) {
    if (auto owner = resolver.identityOf(keyword + " owner", *fifo.owner)) {
      options.uid = owner->uid;
      options.gid = owner->gid;
    }
  } else if (reader) {
    options.uid = reader->uid;
    options.gid = reader->gid;
  }
  return options;
}

std::error_code FifoChannel::start() {
  if (auto error = writer_.prepare()) return error;
  if (reader_) reader_->start();
  writer_.openNow();
  return {};
}

bool FifoChannel::finishWriting() {
  writer_.close();
  if (!reader_ || !reader_->running()) return false;
  reader_->expectExit();
  return true;
}

void FifoChannel::stop() {
  if (reader_) reader_->stop();
  writer_.close();
  writer_.removeIfCreated();
}

}  // namespace vipd::notify
