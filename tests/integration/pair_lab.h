#pragma once

// The fixture of the two-router lab tests: hosts h1 (192.0.2.1) and h2
// (192.0.2.2) and a client (192.0.2.200) on one segment, a bystander advert
// tap on the client, the two agents, and the files tests give them (scripts,
// notify logs) in the lab directory. Logs of both agents are printed when a
// test fails.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "advert_tap.h"
#include "agents.h"
#include "lab.h"
#include "netns.h"

namespace vipd::lab {

using Lines = std::vector<std::string>;

class PairLabTest : public ::testing::Test {
 protected:
  explicit PairLabTest(std::string tag) : tag_(std::move(tag)) {}

  void SetUp() override {
    if (!testing::canCreateNamespaces()) GTEST_SKIP() << "needs root for network namespaces";
    lab_ = std::make_unique<Lab>(tag_);
    h1_ = &lab_->addHost("h1", {"192.0.2.1/24", "2001:db8::1/64"});
    h2_ = &lab_->addHost("h2", {"192.0.2.2/24", "2001:db8::2/64"});
    auto& client = lab_->addHost("client", {"192.0.2.200/24", "2001:db8::200/64"});
    tap_ = std::make_unique<AdvertTap>(*client.ns, client.ifname);
  }

  void TearDown() override {
    if (HasFailure()) {
      for (const auto* c : {&c1_, &c2_}) {
        if (c->pid > 0) std::cout << "---- " << c->name << "\n" << readLog(*c);
      }
    }
    tap_.reset();
    lab_.reset();
  }

  std::string path(const std::string& name) const { return (lab_->dir() / name).string(); }

  /// An executable shell script in the lab directory; returns its path.
  std::string script(const std::string& name, const std::string& body) {
    const auto file = path(name);
    std::ofstream(file) << "#!/bin/sh\n" << body << "\n";
    ::chmod(file.c_str(), 0755);
    return file;
  }

  static Lines readLines(const std::string& file) {
    Lines out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  /// Waits until `file` has at least `count` lines; returns them.
  static Lines waitForLines(const std::string& file, std::size_t count,
                            std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    waitFor([&] { return readLines(file).size() >= count; }, timeout);
    return readLines(file);
  }

  static std::size_t countInLog(const Child& child, const std::string& text) {
    const auto log = readLog(child);
    std::size_t n = 0;
    for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) ++n;
    return n;
  }

  /// Waits until the log of `child` has `count` lines containing `text`.
  static bool logShows(const Child& child, const std::string& text, std::size_t count = 1) {
    return waitFor([&] { return countInLog(child, text) >= count; }, std::chrono::seconds(5));
  }

  std::string tag_;
  std::unique_ptr<Lab> lab_;
  Host* h1_ = nullptr;
  Host* h2_ = nullptr;
  std::unique_ptr<AdvertTap> tap_;
  Child c1_;
  Child c2_;
};

}  // namespace vipd::lab
