#include "vipd/net/packet_fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <utility>

namespace vipd::net {
namespace {

bool isOpen(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    if (::pipe(fds) == 0) {
      read = fds[0];
      write = fds[1];
    }
  }
};

TEST(PacketFdTest, ClosesItsDescriptorOnDestruction) {
  Pipe p;
  ASSERT_GE(p.read, 0);
  {
    PacketFd owner(p.read);
    EXPECT_TRUE(owner.valid());
  }
  EXPECT_FALSE(isOpen(p.read));
  ::close(p.write);
}

TEST(PacketFdTest, MoveTransfersOwnershipAndLeavesSourceEmpty) {
  Pipe p;
  PacketFd a(p.read);
  PacketFd b(std::move(a));
  EXPECT_EQ(a.get(), -1);  // NOLINT(bugprone-use-after-move): documented state
  EXPECT_EQ(b.get(), p.read);
  PacketFd c;
  c = std::move(b);
  EXPECT_EQ(c.get(), p.read);
  EXPECT_TRUE(isOpen(p.read));
  ::close(p.write);
}

TEST(PacketFdTest, MoveAssignmentClosesThePreviousDescriptor) {
  Pipe first;
  Pipe second;
  PacketFd a(first.read);
  a = PacketFd(second.read);
  EXPECT_FALSE(isOpen(first.read));
  EXPECT_TRUE(isOpen(second.read));
  ::close(first.write);
  ::close(second.write);
}

TEST(PacketFdTest, ReleaseGivesUpOwnershipWithoutClosing) {
  Pipe p;
  int fd = -1;
  {
    PacketFd owner(p.read);
    fd = owner.release();
    EXPECT_FALSE(owner.valid());
  }
  EXPECT_TRUE(isOpen(fd));
  ::close(fd);
  ::close(p.write);
}

}  // namespace
}  // namespace vipd::net
