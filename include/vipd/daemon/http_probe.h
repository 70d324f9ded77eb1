#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vipd/config/model.h"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace vipd::daemon {

/// The request of an HTTP_GET url: HTTP/1.0 with `Connection: close`, so the
/// server ends the body by closing. Host is the url's virtualhost, else the
/// HTTP_GET's, else connect_ip (with `:port` unless 80), as keepalived's
/// request_template [SRC check_http.c:http_request_thread].
std::string httpRequest(const config::NativeProbe& probe, const config::HttpUrl& url);

/// Whether the url's status_code ranges hold `status`.
bool statusAccepted(const config::HttpUrl& url, int status);

/// Reads an HTTP/1.x response from bytes as they arrive: the status line, the
/// headers (only Content-Length matters) and the body, which ends at
/// Content-Length or when the server closes the connection (HTTP/1.0). The
/// body's MD5 (for a `digest`) comes from OpenSSL's EVP interface. Pure: no I/O.
///
/// Untrusted input: reading stops at `maxBytes` (a failure with a digest; without
/// one the status line is all that counts) and anything that is not a
/// well-formed status line fails the read, never the daemon.
class HttpResponseReader {
 public:
  enum class State : std::uint8_t { Reading, Complete, Failed };

  /// `hashBody`: compute the body's MD5 (bodyMd5()).
  HttpResponseReader(bool hashBody, std::size_t maxBytes);
  ~HttpResponseReader();
  HttpResponseReader(HttpResponseReader&&) noexcept;
  HttpResponseReader& operator=(HttpResponseReader&&) noexcept;

  /// Consumes the next bytes; bytes after completion are ignored.
  State feed(std::string_view bytes);
  /// The peer closed the connection: the end of an HTTP/1.0 body.
  State finish();

  State state() const { return state_; }
  /// Valid once the status line is read.
  int status() const { return status_; }
  /// 32 lower-case hex digits; set when Complete with hashBody.
  const std::optional<std::string>& bodyMd5() const { return md5_; }
  /// Why the read failed.
  const std::string& error() const { return error_; }

 private:
  struct EvpFree {
    void operator()(evp_md_ctx_st* context) const;
  };
  enum class Part : std::uint8_t { StatusLine, Headers, Body };

  State fail(std::string why);
  void parseStatusLine(std::string_view line);
  void parseHeaderLine(std::string_view line);
  /// Consumes complete lines of `buffer_`; false while a line is incomplete.
  bool takeLines();
  void body(std::string_view bytes);
  bool hash(std::string_view bytes);
  State complete();

  bool hashBody_;
  std::size_t maxBytes_;
  std::size_t seen_ = 0;
  State state_ = State::Reading;
  Part part_ = Part::StatusLine;
  std::string buffer_;
  int status_ = 0;
  std::optional<std::uint64_t> contentLength_;
  std::uint64_t bodyBytes_ = 0;
  std::unique_ptr<evp_md_ctx_st, EvpFree> md5Context_;
  std::optional<std::string> md5_;
  std::string error_;
};

}  // namespace vipd::daemon
