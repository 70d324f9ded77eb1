#include "packet_time.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>

namespace vipd::lab {

void enableReceiveTimestamps(int fd) {
  const int on = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0) {
    throw std::runtime_error(std::string("SO_TIMESTAMPNS: ") + strerror(errno));
  }
}

ssize_t receiveStamped(int fd, void* buf, std::size_t len, int flags,
                       std::chrono::steady_clock::time_point& arrival) {
  iovec iov{buf, len};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  const ssize_t n = recvmsg(fd, &msg, flags);
  const auto steadyNow = std::chrono::steady_clock::now();
  arrival = steadyNow;
  if (n < 0) return n;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec stamp{};
    std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
    timespec realNow{};
    clock_gettime(CLOCK_REALTIME, &realNow);
    const auto age = std::chrono::seconds(realNow.tv_sec - stamp.tv_sec) +
                     std::chrono::nanoseconds(realNow.tv_nsec - stamp.tv_nsec);
    // A negative age would mean a stepped clock: keep the read time then.
    if (age.count() >= 0) {
      arrival = steadyNow - std::chrono::duration_cast<std::chrono::steady_clock::duration>(age);
    }
  }
  return n;
}

}  // namespace vipd::lab
