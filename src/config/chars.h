#pragma once

// Internal to the config area: the character classes of keepalived's parser.
// ASCII only, so the locale cannot change what a config file means.

namespace vipd::config::detail {

/// A blank between words: space or tab (keepalived's isblank in the C locale).
inline bool isBlank(char c) { return c == ' ' || c == '\t'; }

/// A decimal digit, 0-9.
inline bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace vipd::config::detail
