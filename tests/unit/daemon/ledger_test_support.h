#pragma once

// A LedgerStore in memory for the ledger tests, a logger into a string, with an optional shared
// list of events, so that a test can check what reached the store before what reached the (fake)
// kernel.

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "vipd/daemon/install_ledger.h"

namespace vipd::daemon::testing {

/// A logger writing "LEVEL message" lines into `out`.
inline std::shared_ptr<spdlog::logger> loggerInto(std::ostringstream& out) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
  sink->set_pattern("%l %v");
  return std::make_shared<spdlog::logger>("test", sink);
}

class MemoryStore final : public LedgerStore {
 public:
  /// Where save/discard append "save N" (N items) and "discard"; may be null.
  explicit MemoryStore(std::vector<std::string>* events = nullptr) : events_(events) {}

  std::error_code save(const std::string& content) override {
    if (failure) return failure;
    text = content;
    discarded = false;
    ++saves;
    if (events_ != nullptr) {
      auto parsed = parseLedgerText(content);
      events_->push_back("save " + std::to_string(parsed ? parsed.value().size() : 0));
    }
    return {};
  }
  std::error_code discard() override {
    if (failure) return failure;
    text.clear();
    discarded = true;
    ++discards;
    if (events_ != nullptr) events_->push_back("discard");
    return {};
  }
  std::string name() const override { return "memory store"; }

  std::string text;
  bool discarded = false;
  int saves = 0;
  int discards = 0;
  /// Every save and discard fails with it while set.
  std::error_code failure;

 private:
  std::vector<std::string>* events_;
};

}  // namespace vipd::daemon::testing
