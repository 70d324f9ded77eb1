#pragma once

// Internal to the config area: reading keyword arguments, with a diagnostic
// naming the keyword, the expected form and the word found.

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "parse_context.h"
#include "vipd/util/ip_address.h"

namespace vipd::config::detail {

/// Checks the number of words after the keyword: fewer than `min` is an error
/// ("'priority' needs a value"), more than `max` a warning (they are ignored).
bool checkArgs(ParseContext& context, const Line& line, std::size_t min, std::size_t max);

/// The one argument of `keyword VALUE`, or nullptr (after a diagnostic).
const Token* singleArg(ParseContext& context, const Line& line);

/// Decimal digits only (keepalived's read_unsigned without sign or blanks).
std::optional<std::uint64_t> readUnsigned(const Token& token, std::uint64_t min, std::uint64_t max,
                                          std::string_view what, Diagnostics& diagnostics);
/// The one argument of `keyword N`, an integer min..max, or nullopt (after a
/// diagnostic naming the keyword).
std::optional<std::uint64_t> readUnsignedArg(ParseContext& context, const Line& line,
                                             std::uint64_t min, std::uint64_t max);
std::optional<std::int64_t> readInteger(const Token& token, std::int64_t min, std::int64_t max,
                                        std::string_view what, Diagnostics& diagnostics);
/// The GARP delays: keepalived stores them as µs in an unsigned, so at most
/// UINT_MAX / TIMER_HZ seconds.
inline constexpr std::uint64_t kMaxGarpSeconds =
    std::numeric_limits<std::uint32_t>::max() / 1'000'000;

/// Seconds with up to 6 decimals ("0.01", "3"), as keepalived's
/// read_decimal_unsigned with TIMER_HZ_DIGITS; finer digits are rounded.
std::optional<std::chrono::microseconds> readSeconds(const Token& token,
                                                     std::chrono::microseconds min,
                                                     std::chrono::microseconds max,
                                                     std::string_view what,
                                                     Diagnostics& diagnostics);
/// on|off|true|false|yes|no [SRC lib/parser.c:check_true_false].
std::optional<bool> readBool(const Token& token, std::string_view what, Diagnostics& diagnostics);
/// `keyword [BOOL]`: true when the value is omitted.
std::optional<bool> readOptionalBool(ParseContext& context, const Line& line);
std::optional<util::IpAddress> readAddress(const Token& token, std::string_view what,
                                           Diagnostics& diagnostics);
/// An interface name: 1..15 bytes (IFNAMSIZ - 1), no '/' or blank.
std::optional<std::string> readInterfaceName(const Token& token, std::string_view what,
                                             Diagnostics& diagnostics);

/// "0.01", "1", "40.95": microseconds as a short decimal number of seconds.
std::string formatSeconds(std::chrono::microseconds value);

}  // namespace vipd::config::detail
