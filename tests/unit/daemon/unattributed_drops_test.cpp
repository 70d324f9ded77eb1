#include "vipd/daemon/unattributed_drops.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <string>
#include <vector>

#include "fakes/fake_scheduler.h"
#include "vipd/daemon/instance.h"

namespace vipd::daemon {
namespace {

using namespace std::chrono_literals;
using proto::DropReason;

class UnattributedDropsTest : public ::testing::Test {
 protected:
  static std::shared_ptr<spdlog::logger> loggerInto(std::ostringstream& out) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
    sink->set_pattern("%l %v");
    return std::make_shared<spdlog::logger>("vrrp", sink);
  }

  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    std::istringstream in(log_.str());
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  static util::IpAddress ip(const char* text) { return *util::IpAddress::parse(text); }

  fakes::FakeScheduler clock_;
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> logger_ = loggerInto(log_);
  UnattributedDrops drops_{clock_, logger_};
};

TEST_F(UnattributedDropsTest, DecodeDropsAreCountedByReason) {
  drops_.onDecodeDrop(DropReason::BadChecksum, ip("192.0.2.66"), "eth0");
  drops_.onDecodeDrop(DropReason::BadChecksum, ip("192.0.2.66"), "eth0");
  drops_.onDecodeDrop(DropReason::Truncated, ip("192.0.2.67"), "eth1");
  EXPECT_EQ(drops_.count(DropReason::BadChecksum), 2u);
  EXPECT_EQ(drops_.count(DropReason::Truncated), 1u);
  EXPECT_EQ(drops_.count(DropReason::TtlNot255), 0u);
  std::uint64_t total = 0;
  for (auto n : drops_.counts()) total += n;
  EXPECT_EQ(total, 3u);
}

TEST_F(UnattributedDropsTest, FirstDecodeDropOfAReasonIsLoggedWithSourceInterfaceAndReason) {
  drops_.onDecodeDrop(DropReason::TtlNot255, ip("192.0.2.66"), "eth0");
  ASSERT_EQ(lines().size(), 1u);
  EXPECT_EQ(lines()[0],
            "warning dropped advert from 192.0.2.66 on eth0: ttl_not_255 "
            "(0 more since the last report)");
}

TEST_F(UnattributedDropsTest, AFloodLogsOneLinePerReasonPerIntervalWithTheCount) {
  // 50,000 packets a second for 25 s, alternating two reasons.
  const auto start = clock_.now();
  for (int i = 0; i < 25 * 50'000; ++i) {
    clock_.advanceTo(start + i * 20us);
    drops_.onDecodeDrop(i % 2 == 0 ? DropReason::BadChecksum : DropReason::UnknownType,
                        ip("198.51.100.7"), "eth0");
  }
  const auto all = lines();
  // 25 s at one line per 10 s: at 0, 10 and 20 s, per reason.
  ASSERT_EQ(all.size(), 6u);
  std::size_t checksumLines = 0;
  for (const auto& line : all) {
    if (line.find(": bad_checksum (") != std::string::npos) ++checksumLines;
  }
  EXPECT_EQ(checksumLines, 3u);
  EXPECT_NE(all[2].find("bad_checksum (249999 more since the last report)"), std::string::npos)
      << all[2];
  EXPECT_EQ(drops_.count(DropReason::BadChecksum), 625'000u) << "every drop is counted";
  EXPECT_EQ(drops_.count(DropReason::UnknownType), 625'000u);
  EXPECT_EQ(kDropLogInterval, 10s) << "the figures above assume it";
}

TEST_F(UnattributedDropsTest, UnknownVridsAreCountedButNeverLogged) {
  for (int i = 0; i < 1000; ++i) {
    drops_.onUnknownVrid();
    clock_.advance(1s);
  }
  EXPECT_EQ(drops_.count(DropReason::VridMismatch), 1000u);
  EXPECT_TRUE(log_.str().empty()) << log_.str();
}

TEST_F(UnattributedDropsTest, ClearZeroesTheCountsButNotTheRateLimit) {
  drops_.onDecodeDrop(DropReason::BadChecksum, ip("192.0.2.66"), "eth0");
  drops_.onUnknownVrid();
  drops_.clear();
  EXPECT_EQ(drops_.count(DropReason::BadChecksum), 0u);
  EXPECT_EQ(drops_.count(DropReason::VridMismatch), 0u);
  drops_.onDecodeDrop(DropReason::BadChecksum, ip("192.0.2.66"), "eth0");
  EXPECT_EQ(drops_.count(DropReason::BadChecksum), 1u);
  EXPECT_EQ(lines().size(), 1u) << "a clear-stats cannot be used to reopen the log";
}

}  // namespace
}  // namespace vipd::daemon
