#include "vipd/daemon/http_probe.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace vipd::daemon {

namespace {

constexpr std::string_view kHttpPrefix = "HTTP/";
/// Enough for any Content-Length a check can read, and no overflow.
constexpr std::size_t kMaxLengthDigits = 18;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool digitsOnly(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), isDigit);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

/// A response line for a log message: at most 60 printable bytes.
std::string printable(std::string_view line) {
  std::string out;
  for (const char c : line.substr(0, 60)) {
    out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
  }
  return out;
}

std::string hostHeader(const config::NativeProbe& probe, const config::HttpUrl& url) {
  if (url.virtualHost) return *url.virtualHost;
  if (probe.virtualHost) return *probe.virtualHost;
  std::string host = probe.connectIp.toString();
  if (probe.connectIp.isV6()) host = "[" + host + "]";
  if (probe.connectPort != 80) host += ":" + std::to_string(probe.connectPort);
  return host;
}

}  // namespace

std::string httpRequest(const config::NativeProbe& probe, const config::HttpUrl& url) {
  return "GET " + url.path + " HTTP/1.0\r\nUser-Agent: vipd\r\nHost: " + hostHeader(probe, url) +
         "\r\nConnection: close\r\n\r\n";
}

bool statusAccepted(const config::HttpUrl& url, int status) {
  return std::any_of(
      url.statusCodes.begin(), url.statusCodes.end(),
      [&](const config::StatusRange& r) { return status >= r.min && status <= r.max; });
}

void HttpResponseReader::EvpFree::operator()(evp_md_ctx_st* context) const {
  EVP_MD_CTX_free(context);
}

HttpResponseReader::HttpResponseReader(bool hashBody, std::size_t maxBytes)
    : hashBody_(hashBody), maxBytes_(maxBytes) {}

HttpResponseReader::~HttpResponseReader() = default;
HttpResponseReader::HttpResponseReader(HttpResponseReader&&) noexcept = default;
HttpResponseReader& HttpResponseReader::operator=(HttpResponseReader&&) noexcept = default;

HttpResponseReader::State HttpResponseReader::fail(std::string why) {
  state_ = State::Failed;
  error_ = std::move(why);
  buffer_.clear();
  return state_;
}

// A status-only check (no digest) accepts a response too long to read
// whole: its status line is all that matters. With a digest, it fails.
HttpResponseReader::State HttpResponseReader::feed(std::string_view bytes) {
  if (state_ != State::Reading) return state_;
  const bool over = bytes.size() > maxBytes_ - seen_;
  if (over) bytes = bytes.substr(0, maxBytes_ - seen_);
  seen_ += bytes.size();
  if (part_ == Part::Body) {
    body(bytes);
  } else {
    buffer_.append(bytes);
    takeLines();
  }
  if (!over || state_ != State::Reading) return state_;
  if (!hashBody_ && part_ != Part::StatusLine) return complete();
  return fail("the response is larger than " + std::to_string(maxBytes_) + " bytes");
}

bool HttpResponseReader::takeLines() {
  while (state_ == State::Reading && part_ != Part::Body) {
    const std::size_t end = buffer_.find('\n');
    if (end == std::string::npos) return false;
    std::string_view line(buffer_.data(), end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (part_ == Part::StatusLine) {
      parseStatusLine(line);
    } else if (line.empty()) {
      part_ = Part::Body;
    } else {
      parseHeaderLine(line);
    }
    if (state_ != State::Reading) return true;
    buffer_.erase(0, end + 1);
    if (part_ == Part::Body) {
      const std::string rest = std::move(buffer_);
      buffer_.clear();
      body(rest);
    }
  }
  return true;
}

// RFC 9112 §4: HTTP-version SP 3DIGIT SP [reason-phrase]. Only the status
// line is trusted to be there; anything else is "not a web server".
void HttpResponseReader::parseStatusLine(std::string_view line) {
  const auto malformed = [&] { fail("malformed status line '" + printable(line) + "'"); };
  if (line.substr(0, kHttpPrefix.size()) != kHttpPrefix) return malformed();
  const std::size_t space = line.find(' ');
  const std::string_view version = line.substr(kHttpPrefix.size(), space - kHttpPrefix.size());
  const std::size_t dot = version.find('.');
  if (space == std::string_view::npos || dot == std::string_view::npos ||
      !digitsOnly(version.substr(0, dot)) || !digitsOnly(version.substr(dot + 1))) {
    return malformed();
  }
  const std::string_view code = line.substr(space + 1, 3);
  if (code.size() != 3 || !digitsOnly(code)) return malformed();
  if (line.size() > space + 4 && line[space + 4] != ' ') return malformed();
  status_ = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
  part_ = Part::Headers;
}

void HttpResponseReader::parseHeaderLine(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;  // tolerated, as browsers do
  if (!equalsIgnoringCase(trim(line.substr(0, colon)), "Content-Length")) return;
  const std::string_view value = trim(line.substr(colon + 1));
  if (!digitsOnly(value) || value.size() > kMaxLengthDigits) {
    fail("malformed Content-Length '" + printable(value) + "'");
    return;
  }
  std::uint64_t length = 0;
  for (const char c : value) length = length * 10 + static_cast<std::uint64_t>(c - '0');
  contentLength_ = length;
}

// The body ends at Content-Length, else when the server closes (HTTP/1.0).
// Read whole even without a digest, so the server can close gracefully.
void HttpResponseReader::body(std::string_view bytes) {
  if (contentLength_) {
    bytes = bytes.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(
                                bytes.size(), *contentLength_ - bodyBytes_)));
  }
  if (hashBody_ && !hash(bytes)) return;
  bodyBytes_ += bytes.size();
  if (contentLength_ && bodyBytes_ == *contentLength_) complete();
}

bool HttpResponseReader::hash(std::string_view bytes) {
  if (!md5Context_) {
    md5Context_.reset(EVP_MD_CTX_new());
    if (!md5Context_ || EVP_DigestInit_ex(md5Context_.get(), EVP_md5(), nullptr) != 1) {
      fail("MD5 is not available from OpenSSL");
      return false;
    }
  }
  if (!bytes.empty() && EVP_DigestUpdate(md5Context_.get(), bytes.data(), bytes.size()) != 1) {
    fail("MD5 of the body failed");
    return false;
  }
  return true;
}

HttpResponseReader::State HttpResponseReader::complete() {
  state_ = State::Complete;
  buffer_.clear();
  if (!hashBody_) return state_;
  if (!md5Context_ && !hash({})) return state_;  // an empty body
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(md5Context_.get(), digest.data(), &size) != 1) {
    return fail("MD5 of the body failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  md5_ = std::move(hex);
  return state_;
}

HttpResponseReader::State HttpResponseReader::finish() {
  if (state_ != State::Reading) return state_;
  switch (part_) {
    case Part::StatusLine:
      return fail(seen_ == 0 ? "the connection closed without a response"
                             : "the connection closed inside the status line");
    case Part::Headers:
      return fail("the connection closed inside the headers");
    case Part::Body:
      if (contentLength_ && bodyBytes_ < *contentLength_) {
        return fail("the connection closed after " + std::to_string(bodyBytes_) + " of " +
                    std::to_string(*contentLength_) + " body bytes");
      }
      return complete();
  }
  return state_;
}

}  // namespace vipd::daemon
