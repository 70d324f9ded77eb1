// vipd_check NAME { TCP_CHECK|HTTP_GET { ... } ... }: vipd's native health
// checks, with keepalived's checker syntax and defaults inside and the
// vrrp_script keywords outside; tracked by track_script like a vrrp_script.

#include <gtest/gtest.h>

#include "config_test_support.h"

namespace vipd::config {
namespace {

using namespace std::chrono_literals;
using testing::messages;
using testing::parse;
using testing::parseBlocks;
using Messages = std::vector<std::string>;

util::IpAddress ip(const char* text) { return *util::IpAddress::parse(text); }

TEST(ConfigVipdCheckTest, TcpCheckTakesKeepalivedsDefaults) {
  const ParseResult result = parseBlocks(
      "vipd_check chk {\n TCP_CHECK {\n  connect_ip 192.0.2.10\n  connect_port 80\n }\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_TRUE(result.diagnostics.empty());
  ASSERT_EQ(result.config->scripts.size(), 1u);
  const VrrpScript& s = result.config->scripts[0];
  EXPECT_EQ(s.name, "chk");
  EXPECT_TRUE(s.argv.empty()) << "a vipd_check runs no command";
  EXPECT_EQ(s.interval, 1s);
  EXPECT_EQ(s.timeout, 1s);
  EXPECT_EQ(s.weight, 0);
  EXPECT_EQ(s.where, (SourceLocation{"vipd.conf", 1, 1}));
  ASSERT_TRUE(s.native);
  NativeProbe expected;
  expected.kind = ProbeKind::Tcp;
  expected.connectIp = ip("192.0.2.10");
  expected.connectPort = 80;
  expected.connectTimeout = 5s;
  expected.retry = 1;
  expected.delayBeforeRetry = 1s;
  EXPECT_EQ(*s.native, expected);
}

TEST(ConfigVipdCheckTest, HttpGetReadsEveryKeyword) {
  const ParseResult result = parseBlocks(R"(vipd_check chk_web {
  HTTP_GET {
    url {
      path /health
      status_code 200 300-399
      digest 9B3A0C85A887A256D6939DA88AABD8CD
      virtualhost www.example.com
    }
    url {
      path "/ready?full=1"
    }
    virtualhost example.com
    connect_ip 2001:db8::10
    connect_port 8080
    bindto 2001:db8::1
    connect_timeout 0.5
    retry 3
    delay_before_retry 0.25
  }
  interval 2
  timeout 3
  rise 2
  fall 3
  weight -20 reverse
  init_fail
}
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_TRUE(result.diagnostics.empty()) << ::testing::PrintToString(messages(result));
  const VrrpScript& s = result.config->scripts.at(0);
  EXPECT_EQ(s.interval, 2s);
  EXPECT_EQ(s.timeout, 3s);
  EXPECT_EQ(s.rise, 2u);
  EXPECT_EQ(s.fall, 3u);
  EXPECT_EQ(s.weight, -20);
  EXPECT_TRUE(s.reverse);
  EXPECT_TRUE(s.initFail);
  ASSERT_TRUE(s.native);
  const NativeProbe& p = *s.native;
  EXPECT_EQ(p.kind, ProbeKind::Http);
  EXPECT_EQ(p.connectIp, ip("2001:db8::10"));
  EXPECT_EQ(p.connectPort, 8080);
  EXPECT_EQ(p.bindTo, ip("2001:db8::1"));
  EXPECT_EQ(p.connectTimeout, 500ms);
  EXPECT_EQ(p.retry, 3u);
  EXPECT_EQ(p.delayBeforeRetry, 250ms);
  EXPECT_EQ(p.virtualHost, "example.com");
  ASSERT_EQ(p.urls.size(), 2u);
  EXPECT_EQ(p.urls[0].path, "/health");
  EXPECT_EQ(p.urls[0].statusCodes, (std::vector<StatusRange>{{200, 200}, {300, 399}}));
  EXPECT_EQ(p.urls[0].digest, "9b3a0c85a887a256d6939da88aabd8cd") << "kept in lower case";
  EXPECT_EQ(p.urls[0].virtualHost, "www.example.com");
  EXPECT_EQ(p.urls[1].path, "/ready?full=1");
  EXPECT_EQ(p.urls[1].statusCodes, (std::vector<StatusRange>{{200, 299}}))
      << "keepalived's default";
  EXPECT_FALSE(p.urls[1].digest);
}

// [SRC check_http.c:http_get_handler]: HTTP_GET retries after 3 s by default.
TEST(ConfigVipdCheckTest, HttpGetRetriesAfterThreeSecondsByDefault) {
  const ParseResult result = parseBlocks(
      "vipd_check chk {\n HTTP_GET {\n  url {\n   path /\n  }\n  connect_ip 192.0.2.10\n"
      "  connect_port 80\n }\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  EXPECT_EQ(result.config->scripts.at(0).native->delayBeforeRetry, 3s);
}

TEST(ConfigVipdCheckTest, TrackScriptRefersToItLikeAVrrpScript) {
  const ParseResult result = parse(
      "vipd_check chk {\n TCP_CHECK {\n  connect_ip 192.0.2.10\n  connect_port 80\n }\n"
      " weight -20\n}\n" +
      testing::instance("track_script {\n  chk weight -30\n}") +
      "vrrp_sync_group SG {\n group {\n  VI_1\n }\n track_script {\n  chk\n }\n}\n");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(messages(result));
  const VrrpInstance& vi = result.config->instances.at(0);
  ASSERT_EQ(vi.trackScripts.size(), 1u);
  EXPECT_EQ(vi.trackScripts[0].name, "chk");
  EXPECT_EQ(vi.trackScripts[0].weight, -30);
  ASSERT_EQ(result.config->syncGroups.at(0).trackScripts.size(), 1u);
  EXPECT_EQ(result.config->syncGroups.at(0).trackScripts[0].name, "chk");
}

// A reload compares probes: the same check moved to other lines is unchanged.
TEST(ConfigVipdCheckTest, ProbesCompareWithoutTheirLocations) {
  const std::string check =
      "vipd_check chk {\n HTTP_GET {\n  url {\n   path /\n  }\n  connect_ip 192.0.2.10\n"
      "  connect_port 80\n }\n}\n";
  const ParseResult before = parseBlocks(check);
  const ParseResult after = parseBlocks("# a new comment\n\n" + check);
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(before.config->scripts.at(0).native, after.config->scripts.at(0).native);
}

constexpr const char* kTcp = " TCP_CHECK {\n  connect_ip 192.0.2.10\n  connect_port 80\n }\n";

struct CheckCase {
  const char* name;
  std::string config;
  Messages expected;
  bool ok;
};

std::string tcpCheck(const std::string& inner) {
  return "vipd_check chk {\n TCP_CHECK {\n" + inner + " }\n}\n";
}

/// An HTTP_GET whose url block holds `url` (line 3 on is the url's body).
std::string httpCheck(const std::string& url) {
  return "vipd_check chk {\n HTTP_GET {\n  url {\n" + url +
         "  }\n  connect_ip 192.0.2.10\n  connect_port 80\n }\n}\n";
}

const CheckCase kCheckCases[] = {
    {"ConnectIpMissing",
     tcpCheck("  connect_port 80\n"),
     {"vipd.conf:2:2: error: TCP_CHECK needs a connect_ip"},
     false},
    {"ConnectPortMissing",
     tcpCheck("  connect_ip 192.0.2.10\n"),
     {"vipd.conf:2:2: error: TCP_CHECK needs a connect_port (1..65535)"},
     false},
    {"ConnectPortZero",
     tcpCheck("  connect_ip 192.0.2.10\n  connect_port 0\n"),
     {"vipd.conf:4:16: error: connect_port expects an integer 1..65535, got '0'",
      "vipd.conf:2:2: error: TCP_CHECK needs a connect_port (1..65535)"},
     false},
    {"ConnectPortTooLarge",
     tcpCheck("  connect_ip 192.0.2.10\n  connect_port 65536\n"),
     {"vipd.conf:4:16: error: connect_port expects an integer 1..65535, got '65536'",
      "vipd.conf:2:2: error: TCP_CHECK needs a connect_port (1..65535)"},
     false},
    {"ConnectIpNotAnAddress",
     tcpCheck("  connect_ip web1\n  connect_port 80\n"),
     {"vipd.conf:3:14: error: connect_ip expects an IP address, got 'web1'",
      "vipd.conf:2:2: error: TCP_CHECK needs a connect_ip"},
     false},
    {"ConnectTimeoutZero",
     tcpCheck("  connect_ip 192.0.2.10\n  connect_port 80\n  connect_timeout 0\n"),
     {"vipd.conf:5:19: error: connect_timeout expects seconds 0.000001..4294, got '0'"},
     false},
    {"DelayBeforeRetryNegative",
     tcpCheck("  connect_ip 192.0.2.10\n  connect_port 80\n  delay_before_retry -1\n"),
     {"vipd.conf:5:22: error: delay_before_retry expects seconds 0..4294, got '-1'"},
     false},
    {"ConnectIpLinkLocal",
     tcpCheck("  connect_ip fe80::1\n  connect_port 80\n"),
     {"vipd.conf:3:14: error: connect_ip fe80::1 is link-local, which needs an interface; not "
      "supported in a vipd_check",
      "vipd.conf:2:2: error: TCP_CHECK needs a connect_ip"},
     false},
    {"BindtoOfTheOtherFamily",
     tcpCheck("  connect_ip 192.0.2.10\n  connect_port 80\n  bindto 2001:db8::1\n"),
     {"vipd.conf:2:2: error: bindto 2001:db8::1 and connect_ip 192.0.2.10 are of different "
      "families"},
     false},
    {"PathNotAbsolute",
     httpCheck("   path health\n"),
     {"vipd.conf:4:9: error: path expects an absolute path starting with '/', got 'health'",
      "vipd.conf:3:3: error: url needs a path"},
     false},
    {"UrlWithoutPath",
     httpCheck("   status_code 200\n"),
     {"vipd.conf:3:3: error: url needs a path"},
     false},
    {"StatusCodeTooLow",
     httpCheck("   path /\n   status_code 99\n"),
     {"vipd.conf:5:16: error: status_code expects an integer 100..599, got '99'"},
     false},
    {"StatusCodeRangeTooHigh",
     httpCheck("   path /\n   status_code 200-600\n"),
     {"vipd.conf:5:16: error: status_code expects an integer 100..599, got '600'"},
     false},
    {"StatusCodeRangeBackwards",
     httpCheck("   path /\n   status_code 299-200\n"),
     {"vipd.conf:5:16: error: status_code range 299-200 runs backwards"},
     false},
    {"DigestTooShort",
     httpCheck("   path /\n   digest 9b3a0c85\n"),
     {"vipd.conf:5:11: error: digest expects the MD5 of the body as 32 hex digits, got "
      "'9b3a0c85'"},
     false},
    {"DigestNotHex",
     httpCheck("   path /\n   digest 9b3a0c85a887a256d6939da88aabd8cz\n"),
     {"vipd.conf:5:11: error: digest expects the MD5 of the body as 32 hex digits, got "
      "'9b3a0c85a887a256d6939da88aabd8cz'"},
     false},
    {"HttpGetWithoutUrl",
     "vipd_check chk {\n HTTP_GET {\n  connect_ip 192.0.2.10\n  connect_port 80\n }\n}\n",
     {"vipd.conf:2:2: error: HTTP_GET needs at least one url block"},
     false},
    {"NoProbeBlock",
     "vipd_check chk {\n interval 2\n}\n",
     {"vipd.conf:1:1: error: vipd_check chk needs a TCP_CHECK or HTTP_GET block"},
     false},
    {"TwoProbeBlocks",
     std::string("vipd_check chk {\n") + kTcp + kTcp + "}\n",
     {"vipd.conf:6:2: error: a vipd_check has one TCP_CHECK or HTTP_GET; the first is at "
      "vipd.conf:2:2"},
     false},
    {"IntervalZero",
     std::string("vipd_check chk {\n") + kTcp + " interval 0\n}\n",
     {"vipd.conf:6:11: error: interval expects an integer 1..4294, got '0'"},
     false},
    {"WeightOutOfRange",
     std::string("vipd_check chk {\n") + kTcp + " weight 254\n}\n",
     {"vipd.conf:6:9: error: vipd_check weight expects an integer -253..253, got '254'"},
     false},
    {"ScriptKeywordIsIgnored",
     std::string("vipd_check chk {\n") + kTcp + " script /bin/x\n}\n",
     {"vipd.conf:6:2: warning: 'script' is not used in a vipd_check, which runs no command (use a "
      "vrrp_script for one), ignored"},
     true},
    {"KeepalivedOnlyCheckerKeywordIsIgnored",
     tcpCheck("  connect_ip 192.0.2.10\n  connect_port 80\n  delay_loop 6\n"),
     {"vipd.conf:5:3: warning: 'delay_loop' is not used in a vipd_check (its 'interval' sets the "
      "period), ignored"},
     true},
    {"RegexIsIgnored",
     httpCheck("   path /\n   regex ok\n"),
     {"vipd.conf:5:4: warning: 'regex' is not supported in a vipd_check, ignored"},
     true},
    {"UrlIsNotATcpCheckKeyword",
     tcpCheck("  connect_ip 192.0.2.10\n  connect_port 80\n  url {\n   path /\n  }\n"),
     {"vipd.conf:5:3: warning: unknown keyword 'url' in TCP_CHECK"},
     true},
    {"SslGetIsNotSupported",
     "vipd_check chk {\n SSL_GET {\n }\n" + std::string(kTcp) + "}\n",
     {"vipd.conf:2:2: warning: 'SSL_GET' is not supported by vipd_check (TCP_CHECK and HTTP_GET "
      "are), ignored"},
     true},
    {"CheckDefinedTwice",
     std::string("vipd_check chk {\n") + kTcp + "}\nvipd_check chk {\n" + kTcp + "}\n",
     {"vipd.conf:7:12: error: vipd_check chk is already defined at vipd.conf:1:1"},
     false},
    {"CheckNamedLikeAScript",
     std::string("vrrp_script chk {\n script /bin/x\n}\nvipd_check chk {\n") + kTcp + "}\n",
     {"vipd.conf:4:12: error: vipd_check chk: the name is taken by the vrrp_script at "
      "vipd.conf:1:1 (track_script names both kinds, so names must differ)"},
     false},
    {"ScriptNamedLikeACheck",
     std::string("vipd_check chk {\n") + kTcp + "}\nvrrp_script chk {\n script /bin/x\n}\n",
     {"vipd.conf:7:13: error: vrrp_script chk: the name is taken by the vipd_check at "
      "vipd.conf:1:1 (track_script names both kinds, so names must differ)"},
     false},
};

class ConfigVipdCheckErrorTest : public ::testing::TestWithParam<CheckCase> {};

TEST_P(ConfigVipdCheckErrorTest, ReportsExactlyTheseDiagnostics) {
  const CheckCase& c = GetParam();
  const ParseResult result = parseBlocks(c.config);
  EXPECT_EQ(messages(result), c.expected) << c.config;
  EXPECT_EQ(result.ok(), c.ok);
}

INSTANTIATE_TEST_SUITE_P(Blocks, ConfigVipdCheckErrorTest, ::testing::ValuesIn(kCheckCases),
                         [](const auto& testCase) { return std::string(testCase.param.name); });

}  // namespace
}  // namespace vipd::config
