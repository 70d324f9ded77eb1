#include "values.h"

#include <limits>

#include "chars.h"

namespace vipd::config::detail {

namespace {

/// Parses a run of digits; nullopt if empty, non-digit or above `limit`.
std::optional<std::uint64_t> digits(std::string_view text, std::uint64_t limit) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (!isDigit(c)) return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (limit - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::string got(const Token& token) { return ", got '" + token.text + "'"; }

}  // namespace

bool checkArgs(ParseContext& context, const Line& line, std::size_t min, std::size_t max) {
  const std::size_t count = line.tokens.size() - 1;
  const Token& keyword = line.tokens[0];
  if (count < min) {
    context.diagnostics.error(
        keyword.where, "'" + keyword.text + "' needs " +
                           (min == 1 ? std::string("a value") : std::to_string(min) + " values"));
    return false;
  }
  if (count > max) {
    context.diagnostics.warning(line.tokens[max + 1].where, "extra words after '" + keyword.text +
                                                                "' ignored, starting at '" +
                                                                line.tokens[max + 1].text + "'");
  }
  return true;
}

const Token* singleArg(ParseContext& context, const Line& line) {
  return checkArgs(context, line, 1, 1) ? &line.tokens[1] : nullptr;
}

std::optional<std::uint64_t> readUnsigned(const Token& token, std::uint64_t min, std::uint64_t max,
                                          std::string_view what, Diagnostics& diagnostics) {
  const auto value = digits(token.text, std::numeric_limits<std::uint64_t>::max());
  if (!value || *value < min || *value > max) {
    diagnostics.error(token.where, std::string(what) + " expects an integer " +
                                       std::to_string(min) + ".." + std::to_string(max) +
                                       got(token));
    return std::nullopt;
  }
  return value;
}

std::optional<std::uint64_t> readUnsignedArg(ParseContext& context, const Line& line,
                                             std::uint64_t min, std::uint64_t max) {
  const Token* token = singleArg(context, line);
  if (token == nullptr) return std::nullopt;
  return readUnsigned(*token, min, max, line.tokens[0].text, context.diagnostics);
}

std::optional<std::int64_t> readInteger(const Token& token, std::int64_t min, std::int64_t max,
                                        std::string_view what, Diagnostics& diagnostics) {
  std::string_view text = token.text;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  const auto magnitude = digits(text, static_cast<std::uint64_t>(1) << 62);
  const auto value =
      magnitude
          ? std::optional<std::int64_t>(static_cast<std::int64_t>(*magnitude) * (negative ? -1 : 1))
          : std::nullopt;
  if (!value || *value < min || *value > max) {
    diagnostics.error(token.where, std::string(what) + " expects an integer " +
                                       std::to_string(min) + ".." + std::to_string(max) +
                                       got(token));
    return std::nullopt;
  }
  return value;
}

std::optional<std::chrono::microseconds> readSeconds(const Token& token,
                                                     std::chrono::microseconds min,
                                                     std::chrono::microseconds max,
                                                     std::string_view what,
                                                     Diagnostics& diagnostics) {
  const std::string_view text = token.text;
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  std::optional<std::uint64_t> seconds = whole.empty() ? 0 : digits(whole, 1'000'000'000);
  bool valid = seconds && !(whole.empty() && fraction.empty()) &&
               (dot == std::string_view::npos || !fraction.empty());
  std::uint64_t micros = 0;
  if (valid) {
    std::uint64_t scale = 100000;
    for (std::size_t i = 0; i < fraction.size() && valid; ++i) {
      valid = isDigit(fraction[i]);
      if (!valid) break;
      const auto digit = static_cast<std::uint64_t>(fraction[i] - '0');
      if (i < 6) {
        micros += digit * scale;
        scale /= 10;
      } else if (i == 6 && digit >= 5) {
        ++micros;  // round to the microsecond
      }
    }
  }
  const auto total =
      valid ? std::chrono::microseconds(static_cast<std::int64_t>(*seconds * 1'000'000 + micros))
            : std::chrono::microseconds(-1);
  if (!valid || total < min || total > max) {
    diagnostics.error(token.where, std::string(what) + " expects seconds " + formatSeconds(min) +
                                       ".." + formatSeconds(max) + got(token));
    return std::nullopt;
  }
  return total;
}

std::optional<bool> readBool(const Token& token, std::string_view what, Diagnostics& diagnostics) {
  const std::string& t = token.text;
  if (t == "true" || t == "on" || t == "yes") return true;
  if (t == "false" || t == "off" || t == "no") return false;
  diagnostics.error(token.where,
                    std::string(what) + " expects one of on|off|true|false|yes|no" + got(token));
  return std::nullopt;
}

std::optional<bool> readOptionalBool(ParseContext& context, const Line& line) {
  checkArgs(context, line, 0, 1);
  if (line.tokens.size() < 2) return true;
  return readBool(line.tokens[1], line.tokens[0].text, context.diagnostics);
}

std::optional<util::IpAddress> readAddress(const Token& token, std::string_view what,
                                           Diagnostics& diagnostics) {
  std::optional<util::IpAddress> address = util::IpAddress::parse(token.text);
  if (!address) {
    diagnostics.error(token.where, std::string(what) + " expects an IP address" + got(token));
  }
  return address;
}

std::optional<std::string> readInterfaceName(const Token& token, std::string_view what,
                                             Diagnostics& diagnostics) {
  const std::string& name = token.text;
  const bool valid = !name.empty() && name.size() < 16 && name != "." && name != ".." &&
                     name.find_first_of("/ \t\n\r\f\v") == std::string::npos;
  if (!valid) {
    diagnostics.error(
        token.where,
        std::string(what) + " expects an interface name of 1..15 characters" + got(token));
    return std::nullopt;
  }
  return name;
}

std::string formatSeconds(std::chrono::microseconds value) {
  const auto count = value.count();
  std::string out = std::to_string(count / 1'000'000);
  std::int64_t fraction = count % 1'000'000;
  if (fraction == 0) return out;
  std::string decimals = std::to_string(fraction);
  decimals.insert(0, 6 - decimals.size(), '0');
  while (decimals.back() == '0') decimals.pop_back();
  return out + "." + decimals;
}

}  // namespace vipd::config::detail
