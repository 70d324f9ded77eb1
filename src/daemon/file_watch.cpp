#include "vipd/daemon/file_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "vipd/daemon/logging.h"
#include "vipd/track/track_file_value.h"

namespace vipd::daemon {

namespace {

// Watching the directory, not the file, sees a file created after start and
// one replaced by rename(2), which a watch on the old inode would miss.
constexpr std::uint32_t kDirectoryEvents =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB;

std::optional<std::string> readHead(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string content(track::kTrackFileReadLimit, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(in.gcount()));
  return content;
}

}  // namespace

FileWatch::FileWatch(const std::vector<config::TrackFile>& files, bool atStart, OnValue onValue)
    : inotify_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)), onValue_(std::move(onValue)) {
  if (!inotify_) throw std::system_error(errno, std::generic_category(), "inotify_init1");
  for (const auto& file : files) {
    if (atStart) initialise(file);
    watchDirectory(std::filesystem::path(file.path).parent_path().string());
    files_.push_back({file, 0});
    reread(files_.back());
  }
}

void FileWatch::initialise(const config::TrackFile& file) {
  if (!file.init) return;
  std::error_code ec;
  if (std::filesystem::exists(file.path, ec) && !file.init->overwrite) return;
  std::ofstream(file.path, std::ios::trunc) << file.init->value << '\n';
}

void FileWatch::watchDirectory(const std::string& directory) {
  for (const auto& [wd, dir] : directories_) {
    if (dir == directory) return;
  }
  const int wd = ::inotify_add_watch(inotify_.get(), directory.c_str(), kDirectoryEvents);
  if (wd < 0) {
    logger("vrrp")->error("track_file: cannot watch {}: {}; its files are read only at start",
                          directory, std::error_code(errno, std::generic_category()).message());
    return;
  }
  directories_[wd] = directory;
}

void FileWatch::onReadable() {
  alignas(inotify_event) std::array<char, 4096> buffer;
  for (;;) {
    const ssize_t n = ::read(inotify_.get(), buffer.data(), buffer.size());
    if (n <= 0) return;
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      if (event->len == 0 || directories_.count(event->wd) == 0) continue;
      const auto path = (std::filesystem::path(directories_[event->wd]) / event->name).string();
      for (auto& watched : files_) {
        if (std::filesystem::path(watched.config.path).lexically_normal() == path) reread(watched);
      }
    }
  }
}

void FileWatch::reread(Watched& watched) {
  const auto content = readHead(watched.config.path);
  const auto value = track::parseTrackFileValue(
      content ? std::optional<std::string_view>(*content) : std::nullopt);
  if (!value) {
    logger("vrrp")->warn("track_file {}: {} holds a number out of range; keeping {}",
                         watched.config.name, watched.config.path, watched.value);
    return;
  }
  if (*value == watched.value) return;
  watched.value = *value;
  logger("vrrp")->info("track_file {}: {} now reads {}", watched.config.name,
                       watched.config.path, *value);
  if (onValue_) onValue_(watched.config.name, *value);
}

std::int32_t FileWatch::value(const std::string& trackFile) const {
  for (const auto& watched : files_) {
    if (watched.config.name == trackFile) return watched.value;
  }
  return 0;
}

}  // namespace vipd::daemon
