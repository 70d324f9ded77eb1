// The pure half of HTTP_GET: the request a url sends and the reading of the
// answer, fed as the network would deliver it (whole, byte by byte, cut short).
#include "vipd/daemon/http_probe.h"

#include <gtest/gtest.h>

#include <string>

#include "daemon_test_support.h"

namespace vipd::daemon {
namespace {

using ReaderState = HttpResponseReader::State;
using testing::kHelloMd5;
using testing::url;

// md5(""), as `printf '' | md5sum` prints it.
constexpr const char* kEmptyMd5 = "d41d8cd98f00b204e9800998ecf8427e";

config::NativeProbe probe(const char* ip, std::uint16_t port) {
  config::NativeProbe p;
  p.kind = config::ProbeKind::Http;
  p.connectIp = *util::IpAddress::parse(ip);
  p.connectPort = port;
  return p;
}

TEST(HttpRequestTest, IsAnHttp10GetThatAsksTheServerToClose) {
  EXPECT_EQ(httpRequest(probe("192.0.2.10", 80), url("/health")),
            "GET /health HTTP/1.0\r\nUser-Agent: vipd\r\nHost: 192.0.2.10\r\n"
            "Connection: close\r\n\r\n");
}

TEST(HttpRequestTest, HostNamesThePortUnless80AndBracketsIpv6) {
  EXPECT_NE(httpRequest(probe("192.0.2.10", 8080), url("/")).find("\r\nHost: 192.0.2.10:8080\r\n"),
            std::string::npos);
  EXPECT_NE(httpRequest(probe("2001:db8::10", 80), url("/")).find("\r\nHost: [2001:db8::10]\r\n"),
            std::string::npos);
}

TEST(HttpRequestTest, UrlVirtualHostWinsOverTheChecks) {
  auto p = probe("192.0.2.10", 8080);
  p.virtualHost = "example.com";
  auto u = url("/");
  EXPECT_NE(httpRequest(p, u).find("\r\nHost: example.com\r\n"), std::string::npos);
  u.virtualHost = "www.example.com";
  EXPECT_NE(httpRequest(p, u).find("\r\nHost: www.example.com\r\n"), std::string::npos);
}

TEST(HttpStatusTest, AcceptsOnlyCodesInTheRanges) {
  auto u = url("/");
  u.statusCodes = {{200, 200}, {300, 399}};
  EXPECT_TRUE(statusAccepted(u, 200));
  EXPECT_FALSE(statusAccepted(u, 204));
  EXPECT_TRUE(statusAccepted(u, 301));
  EXPECT_TRUE(statusAccepted(u, 399));
  EXPECT_FALSE(statusAccepted(u, 500));
}

TEST(HttpResponseReaderTest, ReadsTheStatusAndTheBodyToTheEndOfTheConnection) {
  HttpResponseReader reader(false, 4096);
  EXPECT_EQ(reader.feed("HTTP/1.0 204 No Content\r\nServer: x\r\n\r\nbody"), ReaderState::Reading);
  EXPECT_EQ(reader.status(), 204);
  EXPECT_EQ(reader.finish(), ReaderState::Complete);
  EXPECT_FALSE(reader.bodyMd5()) << "no digest wanted";
}

TEST(HttpResponseReaderTest, HashesTheBodyDeliveredByteByByte) {
  HttpResponseReader reader(true, 4096);
  for (const char c : std::string("HTTP/1.1 200 OK\nContent-Type: text/plain\n\nhello")) {
    ASSERT_EQ(reader.feed(std::string_view(&c, 1)), ReaderState::Reading);
  }
  EXPECT_EQ(reader.finish(), ReaderState::Complete);
  EXPECT_EQ(reader.status(), 200);
  EXPECT_EQ(reader.bodyMd5(), kHelloMd5);
}

TEST(HttpResponseReaderTest, ContentLengthEndsTheBodyBeforeTheConnection) {
  HttpResponseReader reader(true, 4096);
  EXPECT_EQ(reader.feed("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhelloEXTRA"),
            ReaderState::Complete);
  EXPECT_EQ(reader.bodyMd5(), kHelloMd5) << "bytes after Content-Length are not the body";
}

TEST(HttpResponseReaderTest, EmptyBodyHasTheMd5OfNothing) {
  HttpResponseReader reader(true, 4096);
  EXPECT_EQ(reader.feed("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"), ReaderState::Complete);
  EXPECT_EQ(reader.bodyMd5(), kEmptyMd5);
}

TEST(HttpResponseReaderTest, ConnectionClosedBeforeContentLengthFails) {
  HttpResponseReader reader(true, 4096);
  reader.feed("HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nhello");
  EXPECT_EQ(reader.finish(), ReaderState::Failed);
  EXPECT_EQ(reader.error(), "the connection closed after 5 of 10 body bytes");
}

TEST(HttpResponseReaderTest, ConnectionClosedEarlyFails) {
  HttpResponseReader nothing(false, 4096);
  EXPECT_EQ(nothing.finish(), ReaderState::Failed);
  EXPECT_EQ(nothing.error(), "the connection closed without a response");
  HttpResponseReader half(false, 4096);
  half.feed("HTTP/1.0 2");
  EXPECT_EQ(half.finish(), ReaderState::Failed);
  EXPECT_EQ(half.error(), "the connection closed inside the status line");
  HttpResponseReader headers(false, 4096);
  headers.feed("HTTP/1.0 200 OK\r\nServer: x\r\n");
  EXPECT_EQ(headers.finish(), ReaderState::Failed);
  EXPECT_EQ(headers.error(), "the connection closed inside the headers");
}

TEST(HttpResponseReaderTest, GarbageIsAMalformedStatusLine) {
  for (const char* line :
       {"SSH-2.0-OpenSSH_9.2\r\n", "HTTP/1.0 20 OK\r\n", "HTTP/1.0 2000 OK\r\n",
        "HTTP/x.0 200 OK\r\n", "HTTP/1.0\r\n", "http/1.0 200 OK\r\n", "HTTP/1.0 2O0 OK\r\n"}) {
    HttpResponseReader reader(false, 4096);
    EXPECT_EQ(reader.feed(line), ReaderState::Failed) << line;
    EXPECT_EQ(reader.error().rfind("malformed status line '", 0), 0u) << reader.error();
  }
  HttpResponseReader binary(false, 4096);
  binary.feed(std::string("\x16\x03\x01\x02\0\n", 6));
  EXPECT_EQ(binary.error(), "malformed status line '" + std::string(5, '?') + "'")
      << "non-printable bytes are masked";
}

TEST(HttpResponseReaderTest, StatusWithoutReasonIsWellFormed) {
  HttpResponseReader reader(false, 4096);
  reader.feed("HTTP/1.1 503\r\n\r\n");
  EXPECT_EQ(reader.finish(), ReaderState::Complete);
  EXPECT_EQ(reader.status(), 503);
}

TEST(HttpResponseReaderTest, MalformedContentLengthFails) {
  HttpResponseReader reader(true, 4096);
  EXPECT_EQ(reader.feed("HTTP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n"), ReaderState::Failed);
  EXPECT_EQ(reader.error(), "malformed Content-Length '-1'");
}

TEST(HttpResponseReaderTest, TooLargeFailsWithADigestButNotWithoutOne) {
  const std::string response = "HTTP/1.0 200 OK\r\n\r\n" + std::string(100, 'x');
  HttpResponseReader hashed(true, 64);
  EXPECT_EQ(hashed.feed(response), ReaderState::Failed);
  EXPECT_EQ(hashed.error(), "the response is larger than 64 bytes");
  HttpResponseReader statusOnly(false, 64);
  EXPECT_EQ(statusOnly.feed(response), ReaderState::Complete) << "the status line is all it needs";
  EXPECT_EQ(statusOnly.status(), 200);
  HttpResponseReader endless(false, 64);
  EXPECT_EQ(endless.feed(std::string(100, 'H')), ReaderState::Failed)
      << "no status line in 64 bytes";
}

}  // namespace
}  // namespace vipd::daemon
