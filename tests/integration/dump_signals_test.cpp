// keepalived's signal functions answered by a running vipd: the test sends
// them as keepalived tooling does (`kill -s $(vipd --signum=JSON) PID`) and
// reads the dumps from the directory it gave with --dump-dir.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pair_lab.h"

namespace vipd::lab {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// VRRPv2 with a password: the dumps must not carry it. Priority 250 takes
// over after 3 s and a bit.
const char* kConfig = R"(vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    version 2
    priority 250
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass secret12
    }
    virtual_ipaddress {
        192.0.2.100/24
    }
}
)";

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  return out;
}

std::string readFile(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class DumpSignalsTest : public PairLabTest {
 protected:
  DumpSignalsTest() : PairLabTest("dmp") {}

  void SetUp() override {
    PairLabTest::SetUp();
    if (IsSkipped()) return;
    dumps_ = lab_->dir() / "dumps";
    fs::create_directory(dumps_);
    const auto conf = path("vipd.conf");
    std::ofstream(conf) << kConfig;
    c1_ = lab_->spawn(*h1_,
                      {vipdBinary(), "-n", "-l", "-f", conf, "--pid-file", path("vipd.pid"),
                       "--control-socket", path("vipd.sock"), "--dump-dir", dumps_.string()},
                      "h1-vipd");
    ASSERT_TRUE(logShows(c1_, "entering MASTER state")) << "h1 never became master";
  }

  /// keepalived's way: the number from --signum, sent with kill(1) to the PID.
  /// Returns the dump once it appears (it is renamed into place whole).
  std::string signal(const std::string& function, const char* file) {
    const auto dump = dumps_ / file;
    fs::remove(dump);
    const auto command =
        "kill -s $(" + vipdBinary() + " --signum=" + function + ") " + std::to_string(c1_.pid);
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    EXPECT_TRUE(waitFor([&] { return fs::exists(dump); }, 5s)) << file << " never appeared";
    return readFile(dump);
  }

  nlohmann::json json() { return nlohmann::json::parse(signal("JSON", "vipd.json")); }

  fs::path dumps_;
};

// No lab needed: the numbers keepalived tooling will get.
TEST(SignumTest, PrintsKeepalivedsNumbers) {
  for (const char* name : {"STOP", "RELOAD", "DATA", "STATS", "STATS_CLEAR", "JSON"}) {
    EXPECT_EQ(run(vipdBinary() + " --signum=" + name),
              run(std::string("keepalived --signum=") + name))
        << name;
  }
  EXPECT_EQ(run(vipdBinary() + " --signum=JSON"), "36\n");
  EXPECT_EQ(std::system((vipdBinary() + " --signum=TDATA 2>/dev/null").c_str()) >> 8, 1)
      << "an unknown name exits 1, as keepalived";
}

TEST_F(DumpSignalsTest, JsonDumpHasKeepalivedsLayoutAndNoPassword) {
  const auto doc = json();
  ASSERT_TRUE(doc.is_array()) << doc.dump();
  ASSERT_EQ(doc.size(), 1u);
  const auto& data = doc[0]["data"];
  EXPECT_EQ(data["iname"], "VI_1");
  EXPECT_EQ(data["ifp_ifname"], "eth0");
  EXPECT_EQ(data["vrid"], 51);
  EXPECT_EQ(data["state"], 2) << "MASTER";
  EXPECT_EQ(data["vipset"], true);
  EXPECT_EQ(data["vips"][0], "192.0.2.100/24 dev eth0 scope global set");
  EXPECT_EQ(data["auth_type"], 1);
  EXPECT_FALSE(data.contains("auth_data"));
  EXPECT_EQ(doc[0]["stats"]["become_master"], 1);
  EXPECT_GE(doc[0]["stats"]["advert_sent"].get<int>(), 1);
  EXPECT_EQ(doc.dump().find("secret12"), std::string::npos);

  struct stat st {};
  ASSERT_EQ(::stat((dumps_ / "vipd.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dumps_), {}), 1) << "no temporary file left";
}

TEST_F(DumpSignalsTest, DataAndStatsDumps) {
  const auto data = signal("DATA", "vipd.data");
  EXPECT_NE(data.find(" VRRP Instance = VI_1\n"), std::string::npos) << data;
  EXPECT_NE(data.find("   State = MASTER\n"), std::string::npos) << data;
  EXPECT_NE(data.find("   Virtual Router ID = 51\n"), std::string::npos) << data;
  EXPECT_NE(data.find("     192.0.2.100/24 dev eth0 scope global set\n"), std::string::npos);
  EXPECT_EQ(data.find("secret12"), std::string::npos);

  const auto stats = signal("STATS", "vipd.stats");
  EXPECT_EQ(stats.rfind("VRRP Instance: VI_1\n  Advertisements:\n", 0), 0u) << stats;
  EXPECT_NE(stats.find("  Became master: 1\n"), std::string::npos) << stats;
}

TEST_F(DumpSignalsTest, StatsClearWritesTheStatsThenZeroesThem) {
  // A few adverts first, so that "zeroed" is visible against them.
  ASSERT_TRUE(waitFor([&] { return json()[0]["stats"]["advert_sent"].get<int>() >= 3; }, 10s));
  const auto before = signal("STATS_CLEAR", "vipd.stats");
  EXPECT_NE(before.find("  Became master: 1\n"), std::string::npos) << before;
  const auto after = json()[0]["stats"];
  EXPECT_EQ(after["become_master"], 0) << after.dump();
  EXPECT_LE(after["advert_sent"].get<int>(), 1) << "at most the one sent since";
  EXPECT_TRUE(logShows(c1_, "vipd.stats")) << "the write is logged";
}

}  // namespace
}  // namespace vipd::lab
