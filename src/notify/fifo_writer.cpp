#include "vipd/notify/fifo_writer.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "notify_log.h"

namespace vipd::notify {

namespace {

std::error_code lastError() { return {errno, std::generic_category()}; }

}  // namespace

FifoWriter::FifoWriter(Options options) : options_(std::move(options)) {}

std::error_code FifoWriter::prepare() {
  struct stat st {};
  if (::lstat(options_.path.c_str(), &st) == 0) {
    if (S_ISFIFO(st.st_mode)) {
      usable_ = true;
      return {};
    }
    // Never replace or write into something that is not ours to touch.
    notifyLog()->error("notify fifo path exists and is not a FIFO, not touching it path={}",
                       options_.path);
    return std::make_error_code(std::errc::file_exists);
  }
  if (errno != ENOENT) return lastError();
  if (::mkfifo(options_.path.c_str(), 0600) != 0) {
    auto error = lastError();
    notifyLog()->error("cannot create notify fifo path={} error=\"{}\"", options_.path,
                       error.message());
    return error;
  }
  created_ = true;
  usable_ = true;
  if (options_.uid || options_.gid) {
    uid_t uid = options_.uid.value_or(static_cast<uid_t>(-1));
    gid_t gid = options_.gid.value_or(static_cast<gid_t>(-1));
    if (::lchown(options_.path.c_str(), uid, gid) != 0) {
      notifyLog()->warn("cannot set the owner of notify fifo path={} error=\"{}\"", options_.path,
                        std::strerror(errno));
    }
  }
  notifyLog()->info("notify fifo created path={}", options_.path);
  return {};
}

void FifoWriter::openNow() {
  if (options_.mode == OpenMode::ReadWrite && usable_ && !fd_.valid()) openFifo();
}

void FifoWriter::write(std::string_view line) {
  if (!usable_) return dropped(stats_.droppedOther, "unusable path", 0);
  if (line.size() > PIPE_BUF) return dropped(stats_.droppedOther, "line too long", 0);
  if (!fd_.valid() && !openFifo()) return;
  auto n = ::write(fd_.get(), line.data(), line.size());
  if (n == static_cast<ssize_t>(line.size())) {
    ++stats_.written;
    if (std::exchange(degraded_, false)) {
      notifyLog()->info("notify fifo writable again path={}", options_.path);
    }
    return;
  }
  int error = n < 0 ? errno : EIO;  // a short write of <= PIPE_BUF cannot happen
  if (error == EAGAIN) return dropped(stats_.droppedFull, "pipe full", error);
  fd_.reset();  // EPIPE or worse: reopen at the next line
  if (error == EPIPE) return dropped(stats_.droppedNoReader, "reader gone", error);
  dropped(stats_.droppedOther, "write failed", error);
}

bool FifoWriter::openFifo() {
  int access = options_.mode == OpenMode::ReadWrite ? O_RDWR : O_WRONLY;
  // O_NOFOLLOW: the path may have been swapped for a symlink since prepare().
  util::UniqueFd fd(::open(options_.path.c_str(), access | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) {
    int error = errno;
    if (error == ENXIO)
      dropped(stats_.droppedNoReader, "no reader", error);
    else
      dropped(stats_.droppedOther, "open failed", error);
    return false;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISFIFO(st.st_mode)) {
    dropped(stats_.droppedOther, "not a FIFO any more", 0);
    return false;
  }
  fd_ = std::move(fd);
  ++stats_.opens;
  return true;
}

void FifoWriter::dropped(std::uint64_t& counter, std::string_view why, int error) {
  ++counter;
  if (std::exchange(degraded_, true)) return;  // one line per degraded period
  notifyLog()->warn("notify fifo line dropped path={} reason=\"{}\" error=\"{}\"", options_.path,
                    why, error != 0 ? std::strerror(error) : "-");
}

void FifoWriter::close() { fd_.reset(); }

void FifoWriter::removeIfCreated() {
  if (!created_) return;
  created_ = false;
  if (::unlink(options_.path.c_str()) != 0 && errno != ENOENT) {
    notifyLog()->warn("cannot remove notify fifo path={} error=\"{}\"", options_.path,
                      std::strerror(errno));
  }
}

FifoReader::FifoReader(exec::ProcessRunner& runner, exec::Command command, std::string fifoPath)
    : runner_(runner), command_(std::move(command)) {
  command_.argv.push_back(std::move(fifoPath));
  command_.timeout = std::chrono::milliseconds(0);  // runs for the daemon's lifetime
}

FifoReader::~FifoReader() { stop(); }

void FifoReader::start() {
  if (run_ != 0) return;
  run_ = runner_.run(command_, [this](const exec::Outcome& outcome) {
    run_ = 0;
    ++exits_;
    if (exitExpected_) {
      notifyLog()->info("notify fifo script ended at shutdown script=\"{}\" result=\"{}\"",
                        command_.name, exec::describe(outcome));
      return;
    }
    notifyLog()->warn("notify fifo script terminated script=\"{}\" result=\"{}\" (not restarted)",
                      command_.name, exec::describe(outcome));
  });
}

void FifoReader::stop() {
  if (run_ != 0) runner_.cancel(std::exchange(run_, 0));
}

}  // namespace vipd::notify
