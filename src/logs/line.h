// One raw log line split into the prefix most logs share (time, host, program[pid]) and the message after it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sd::logs {

/// A raw line and what the common prefixes (syslog, journald, ISO, ctime) said about it.
struct Line {
  std::string_view raw;                 ///< the whole line, without the newline
  std::string_view message;             ///< the text after any recognised prefix (raw when none)
  std::string_view host;                ///< syslog host, when present
  std::string_view program;             ///< syslog tag without the pid, e.g. "sshd", "charon"
  std::string_view pid;                 ///< digits inside "[...]" after the tag, when present
  std::optional<std::int64_t> time_ms;  ///< time from the prefix, if any
  bool syslog = false;                  ///< true when a syslog/journald header was recognised
  std::string_view context;             ///< the format that dominates the input so far ("" when unknown)
};

/// Splits a raw line into its common prefix and message. Never fails; unknown shapes keep message == raw.
Line split_line(std::string_view raw);

/// Parses a time at the start of text: ISO 8601, "Mon DD HH:MM:SS", ctime "Www Mon DD HH:MM:SS YYYY" or
/// "HH:MM:SS[.frac]". Sets consumed to the characters used. Milliseconds since the epoch, or since midnight
/// (plus the day of year when only month and day are known).
std::optional<std::int64_t> parse_time(std::string_view text, std::size_t& consumed);

/// True when text starts with prefix.
inline bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
/// True when needle occurs in text.
inline bool contains(std::string_view text, std::string_view needle) { return text.find(needle) != std::string_view::npos; }
/// True when text[at..] holds n ASCII digits.
bool digits_at(std::string_view text, std::size_t at, std::size_t n);
/// Text without leading and trailing blanks.
std::string_view trim(std::string_view text);

}  // namespace sd::logs
