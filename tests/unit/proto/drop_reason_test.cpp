#include "vipd/proto/drop_reason.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>

namespace vipd::proto {
namespace {

TEST(DropReasonTest, EveryReasonHasADistinctSnakeCaseName) {
  std::set<std::string_view> names;
  for (DropReason reason : kAllDropReasons) {
    const std::string_view name = toString(reason);
    SCOPED_TRACE(name);
    EXPECT_NE(name, "unknown");
    for (char c : name) {
      EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) ||
                  std::isdigit(static_cast<unsigned char>(c)) || c == '_');
    }
    names.insert(name);
  }
  EXPECT_EQ(names.size(), kAllDropReasons.size());
}

TEST(DropReasonTest, ListCoversEveryEnumerator) {
  // The enum is dense from 0; the list must end with the last enumerator.
  for (std::size_t i = 0; i < kAllDropReasons.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(kAllDropReasons[i]), i);
  }
  EXPECT_EQ(kAllDropReasons.back(), DropReason::AddressListMismatch);
}

}  // namespace
}  // namespace vipd::proto
