#pragma once

#include <unistd.h>

#include <utility>

namespace vipd::net {

/// Owns one file descriptor and closes it on destruction (STYLE.md point 15).
///
/// NOTE: move-only; a moved-from PacketFd holds -1. Not thread-safe, like the
/// sockets that hold it: each is used from the event-loop thread only.
class PacketFd {
 public:
  PacketFd() = default;
  /// Takes ownership of `fd` (may be -1, meaning "none").
  explicit PacketFd(int fd) : fd_(fd) {}
  ~PacketFd() { reset(); }

  PacketFd(const PacketFd&) = delete;
  PacketFd& operator=(const PacketFd&) = delete;
  PacketFd(PacketFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  PacketFd& operator=(PacketFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }

  /// The descriptor, or -1; ownership stays here.
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }

  /// Closes the held descriptor (if any) and holds `fd` instead.
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

  /// Gives up ownership without closing; returns the descriptor.
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_ = -1;
};

}  // namespace vipd::net
