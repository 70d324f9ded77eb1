// One configuration file for keepalived and vipd (vipd.conf(5), "Conditional
// lines"): the vipd_check block and its track_script reference are behind
// `@vipd`, keepalived's replacement behind `@^vipd`. keepalived 2.2 (the Debian
// package) must accept the file with `-t`, vipd too, and keepalived must
// reject the vipd_check block once its prefixes are gone (so the recipe is
// what makes the file valid). Run in a lab host: keepalived's `-t` wants the
// instance's interface (eth0) to exist.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>

#include "agents.h"
#include "lab.h"
#include "netns.h"

namespace vipd::lab {
namespace {

const std::string kRecipe = VIPD_DUAL_CONFIG;

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class DualConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for network namespaces";
    // In CI a missing keepalived is a failure, not a skip (as the interop suite).
    ASSERT_NO_THROW(testing::shell("command -v keepalived")) << "keepalived 2.2 is not installed";
    lab_ = std::make_unique<Lab>("dual");
    host_ = &lab_->addHost("h1", {"192.0.2.1/24"});
  }

  /// Runs `command` in the host's namespace; returns its exit status. setsid:
  /// keepalived signals its process group when it ends, which must not be ours.
  int exitStatus(const std::string& command) {
    const std::string out = host_->ns->exec("setsid -w " + command + " >>" +
                                            (lab_->dir() / "out.log").string() + " 2>&1; echo $?");
    return std::stoi(out);
  }

  std::string write(const std::string& name, const std::string& text) {
    const auto file = (lab_->dir() / name).string();
    std::ofstream(file) << text;
    return file;
  }

  std::string output() const { return readFile((lab_->dir() / "out.log").string()); }

  std::unique_ptr<Lab> lab_;
  Host* host_ = nullptr;
};

TEST_F(DualConfigTest, KeepalivedAndVipdBothAcceptTheRecipe) {
  const auto file = write("dual.conf", readFile(kRecipe));
  EXPECT_EQ(exitStatus("keepalived -t --no-syslog -l -f " + file), 0) << output();
  EXPECT_EQ(exitStatus(vipdBinary() + " -t -f " + file), 0) << output();
}

// What vipd reads is the file without its @vipd prefixes and @^vipd lines;
// given that, keepalived stops at the vipd_check block (exit 5, config errors).
TEST_F(DualConfigTest, KeepalivedRejectsTheVipdCheckWithoutThePrefixes) {
  std::string vipdView =
      std::regex_replace(readFile(kRecipe), std::regex("(^|\n)@\\^vipd [^\n]*"), "$1");
  vipdView = std::regex_replace(vipdView, std::regex("(^|\n)@vipd "), "$1");
  const auto file = write("vipd-view.conf", vipdView);
  EXPECT_EQ(exitStatus("keepalived -t --no-syslog -l -f " + file), 5);
  EXPECT_NE(output().find("Unknown keyword 'vipd_check'"), std::string::npos) << output();
  EXPECT_EQ(exitStatus(vipdBinary() + " -t -f " + file), 0) << output();
}

TEST_F(DualConfigTest, VipdReadsTheVipdCheckAndKeepalivedsScriptIsNotThere) {
  const std::string dump = host_->ns->exec(vipdBinary() + " --dump-config -f " + kRecipe);
  EXPECT_NE(dump.find("vipd_check chk_web {\n    HTTP_GET {\n        connect_ip 192.0.2.10\n"),
            std::string::npos)
      << dump;
  EXPECT_EQ(dump.find("vrrp_script"), std::string::npos) << dump;
  EXPECT_NE(dump.find("track_script {\n        chk_web weight -60\n"), std::string::npos) << dump;
}

}  // namespace
}  // namespace vipd::lab
