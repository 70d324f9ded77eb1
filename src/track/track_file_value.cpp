#include "vipd/track/track_file_value.h"

#include <limits>

namespace vipd::track {

namespace {

bool isCSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int digitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;  // not a digit in any base
}

// strtol's base 0: "0x"/"0X" followed by a hex digit is hex, a leading 0 is
// octal, anything else decimal. "0x" without a hex digit parses as "0".
int detectBase(std::string_view& text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') &&
      digitValue(text[2]) < 16) {
    text.remove_prefix(2);
    return 16;
  }
  return !text.empty() && text[0] == '0' ? 8 : 10;
}

// Magnitude of the leading digits; nullopt once it leaves int32 territory
// (strtol's ERANGE or the INT_MIN..INT_MAX check: both are ignored reads).
std::optional<std::int64_t> readMagnitude(std::string_view text, int base) {
  constexpr std::int64_t kLimit = std::int64_t{std::numeric_limits<std::int32_t>::max()} + 1;
  std::int64_t magnitude = 0;
  for (char c : text) {
    const int digit = digitValue(c);
    if (digit >= base) break;
    magnitude = magnitude * base + digit;
    if (magnitude > kLimit) return std::nullopt;
  }
  return magnitude;
}

}  // namespace

std::optional<std::int32_t> parseTrackFileValue(std::optional<std::string_view> content) {
  if (!content) return 0;  // open() failed: new_status stays 0
  std::string_view text = content->substr(0, kTrackFileReadLimit);
  text = text.substr(0, text.find('\0'));  // strtol stops at the NUL
  while (!text.empty() && isCSpace(text.front())) text.remove_prefix(1);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  const int base = detectBase(text);
  const auto magnitude = readMagnitude(text, base);
  if (!magnitude) return std::nullopt;
  const std::int64_t value = negative ? -*magnitude : *magnitude;
  if (value > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
  return static_cast<std::int32_t>(value);
}

}  // namespace vipd::track
