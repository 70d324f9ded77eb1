// keepalived's own sample configurations (tests/data/config/keepalived-samples,
// from Debian's keepalived 2.2.7): each parses, and every warning is either
// about a feature vipd does not support or listed here with its reason.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "config_test_support.h"

namespace vipd::config {
namespace {

const std::string kSamplesDir = std::string(VIPD_CONFIG_TEST_DATA) + "/keepalived-samples";

/// A warning that is not DiagnosticCode::Unsupported, expected in one sample.
struct ExpectedWarning {
  std::string message;
  std::string reason;
};

struct Sample {
  std::string file;
  /// keepalived -i: the conditional sample is meant for "-i high" / "-i low".
  std::string configId = "lb1";
  std::vector<ExpectedWarning> otherWarnings = {};
  std::size_t instances = 0;
};

void PrintTo(const Sample& sample, std::ostream* os) { *os << sample.file; }

std::vector<Sample> samples() {
  return {
      {"keepalived.conf.vrrp", "lb1", {}, 4},
      {"keepalived.conf.vrrp.scripts", "lb1", {}, 3},
      {"keepalived.conf.vrrp.sync", "lb1", {}, 9},
      {"keepalived.conf.vrrp.localcheck", "lb1", {}, 9},
      {"keepalived.conf.vrrp.routes", "lb1", {}, 1},
      {"keepalived.conf.vrrp.rules",
       "lb1",
       {{"expected an IP address[/prefix], got '192.168.100./24'; the rule is skipped, as "
         "keepalived does",
         "the sample's typo in static_rules"},
        {"expected an IP address[/prefix], got '192.168.200./24'; the rule is skipped, as "
         "keepalived does",
         "the same typo in virtual_rules"}},
       1},
      {"keepalived.conf.vrrp.static_ipaddress", "lb1", {}, 1},
      {"keepalived.conf.IPv6",
       "lb1",
       {{"no vrrp_instance is configured",
         "an LVS-only sample: virtual_server_group and virtual_server, no VRRP"}},
       0},
      {"keepalived.conf.track_interface", "lb1", {}, 1},
      {"keepalived.conf.conditional_conf", "high", {}, 1},
      {"keepalived.conf.conditional_conf", "low", {}, 1},
      // Any other id leaves a vrrp_script without its script line: keepalived
      // removes it with a log line and starts; so does vipd.
      {"keepalived.conf.conditional_conf",
       "lb1",
       {{"vrrp_script check_VI_0 has no 'script'; removed, as keepalived does",
         "no @high/@low line applies"},
        {"vrrp_instance VI_0 track_script check_VI_0 names no vrrp_script or vipd_check; ignored",
         "the script was removed"}},
       1},
      {"keepalived.conf.sample", "lb1", {}, 1},
  };
}

std::vector<const Diagnostic*> ofCode(const ParseResult& result, DiagnosticCode code) {
  std::vector<const Diagnostic*> out;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.code == code) out.push_back(&d);
  }
  return out;
}

class KeepalivedSampleTest : public ::testing::TestWithParam<Sample> {
 protected:
  ParseResult parse(bool strict) const {
    ParseOptions o = testing::options(GetParam().configId);
    o.strict = strict;
    return parseFile(kSamplesDir + "/" + GetParam().file, o);
  }
};

TEST_P(KeepalivedSampleTest, ParsesWithoutErrors) {
  const ParseResult result = parse(false);
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(testing::messages(result));
  EXPECT_EQ(result.errorCount(), 0u);
  EXPECT_EQ(result.config->instances.size(), GetParam().instances);
}

TEST_P(KeepalivedSampleTest, WarnsOnlyAboutUnsupportedFeaturesOrListedOnes) {
  const ParseResult result = parse(false);
  std::vector<std::string> other;
  for (const Diagnostic& d : result.diagnostics) {
    EXPECT_EQ(d.severity, Severity::Warning) << format(d);
    if (d.code != DiagnosticCode::Unsupported) other.push_back(d.message);
  }
  std::vector<std::string> expected;
  for (const ExpectedWarning& w : GetParam().otherWarnings) expected.push_back(w.message);
  EXPECT_EQ(other, expected);
}

TEST_P(KeepalivedSampleTest, StrictModeTurnsExactlyTheUnsupportedWarningsIntoErrors) {
  const ParseResult lenient = parse(false);
  const ParseResult strict = parse(true);
  const auto unsupported = ofCode(lenient, DiagnosticCode::Unsupported);
  std::vector<std::string> expectedErrors;
  for (const Diagnostic* d : unsupported) {
    expectedErrors.push_back(toString(d->where) + ": error: " + d->message);
  }
  EXPECT_EQ(testing::errors(strict), expectedErrors);
  EXPECT_EQ(strict.ok(), unsupported.empty());
  // The other warnings stay warnings (the "no vrrp_instance" one needs a
  // config without errors, so strict mode may drop it).
  std::vector<std::string> otherWarnings;
  for (const Diagnostic& d : lenient.diagnostics) {
    if (d.code != DiagnosticCode::Unsupported) otherWarnings.push_back(format(d));
  }
  for (const std::string& warning : testing::warnings(strict)) {
    EXPECT_NE(std::find(otherWarnings.begin(), otherWarnings.end(), warning), otherWarnings.end())
        << warning;
  }
}

INSTANTIATE_TEST_SUITE_P(Debian, KeepalivedSampleTest, ::testing::ValuesIn(samples()),
                         [](const ::testing::TestParamInfo<Sample>& param) {
                           std::string name = param.param.file + "_" + param.param.configId;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

// The samples' features that vipd implements come through with their values.
TEST(KeepalivedSampleValuesTest, ConditionalSampleSelectsThePriorityOfItsConfigId) {
  for (const auto& [id, priority] : {std::pair{"high", 170}, std::pair{"low", 85}}) {
    SCOPED_TRACE(id);
    const ParseResult result =
        parseFile(kSamplesDir + "/keepalived.conf.conditional_conf", testing::options(id));
    ASSERT_TRUE(result.ok());
    const VrrpInstance& vi = result.config->instances.at(0);
    EXPECT_EQ(vi.priority, priority);
    EXPECT_EQ(vi.version, 3);
    EXPECT_EQ(vi.advertInterval, Centiseconds(1200));
    ASSERT_EQ(vi.trackInterfaces.size(), 2u);
    EXPECT_EQ(vi.trackInterfaces[1].weight, 20);
  }
}

TEST(KeepalivedSampleValuesTest, VrrpSampleKeepsItsLabelAndAuthentication) {
  const ParseResult result = parseFile(kSamplesDir + "/keepalived.conf.vrrp", testing::options());
  ASSERT_TRUE(result.ok());
  const VrrpInstance& vi1 = result.config->instances.at(0);
  EXPECT_EQ(vi1.priority, 100);
  EXPECT_EQ(vi1.initialState, InitialState::Master);
  EXPECT_EQ(vi1.garpMasterDelay, std::chrono::seconds(10));
  ASSERT_EQ(vi1.virtualAddresses.size(), 4u);
  EXPECT_EQ(vi1.virtualAddresses[3].label, "eth0:1");
  ASSERT_TRUE(vi1.authentication);
  EXPECT_EQ(vi1.authentication->password, "1111");
}

}  // namespace
}  // namespace vipd::config
