#include "vipd/util/unique_fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <utility>

namespace vipd::util {
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

TEST(UniqueFdTest, ClosesItsDescriptorOnDestruction) {
  Pipe p;
  ASSERT_GE(p.read, 0);
  {
    UniqueFd owner(p.read);
    EXPECT_TRUE(owner.valid());
  }
  EXPECT_FALSE(isOpen(p.read));
  ::close(p.write);
}

TEST(UniqueFdTest, MoveTransfersOwnershipAndLeavesSourceEmpty) {
  Pipe p;
  UniqueFd a(p.read);
  UniqueFd b(std::move(a));
  EXPECT_EQ(a.get(), -1);  // NOLINT(bugprone-use-after-move): documented state
  EXPECT_EQ(b.get(), p.read);
  UniqueFd c;
  c = std::move(b);
  EXPECT_EQ(c.get(), p.read);
  EXPECT_TRUE(isOpen(p.read));
  ::close(p.write);
}

TEST(UniqueFdTest, MoveAssignmentClosesThePreviousDescriptor) {
  Pipe first;
  Pipe second;
  UniqueFd a(first.read);
  a = UniqueFd(second.read);
  EXPECT_FALSE(isOpen(first.read));
  EXPECT_TRUE(isOpen(second.read));
  ::close(first.write);
  ::close(second.write);
}

TEST(UniqueFdTest, ReleaseGivesUpOwnershipWithoutClosing) {
  Pipe p;
  int fd = -1;
  {
    UniqueFd owner(p.read);
    fd = owner.release();
    EXPECT_FALSE(owner.valid());
  }
  EXPECT_TRUE(isOpen(fd));
  ::close(fd);
  ::close(p.write);
}

}  // namespace
}  // namespace vipd::util
