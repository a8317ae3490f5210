// A cursor over one line of untrusted text, built on sd::Reader: the dump classifier reads only through it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/bytes.h"

namespace sd::hexdump::detail {

/// True for the blanks that separate fields of a dump line.
constexpr bool is_blank(char c) { return c == ' ' || c == '\t'; }

/// Value of a hex digit, or -1.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Reads one line left to right; nothing here can step outside the line.
class LineScan {
 public:
  /// A cursor at the start of the line.
  explicit LineScan(std::string_view line)
      : reader_(Reader::bounded(Bytes(reinterpret_cast<const std::uint8_t*>(line.data()), line.size()))) {}

  /// True when every character has been read.
  bool at_end() const { return reader_.empty(); }
  /// The unread part of the line.
  std::string_view rest() const {
    const Bytes r = reader_.rest();
    return {reinterpret_cast<const char*>(r.data()), r.size()};
  }
  /// Skips spaces and tabs; returns how many were skipped.
  std::size_t skip_blanks() {
    const std::string_view r = rest();
    const auto n = static_cast<std::size_t>(std::find_if_not(r.begin(), r.end(), is_blank) - r.begin());
    reader_.skip(n);
    return n;
  }
  /// The next run of non-blank characters, not consumed.
  std::string_view peek_word() const {
    const std::string_view r = rest();
    return r.substr(0, static_cast<std::size_t>(std::find_if(r.begin(), r.end(), is_blank) - r.begin()));
  }
  /// The run of hex digits here, consumed; it stops after `limit` digits.
  std::string_view take_hex(std::size_t limit) {
    const std::string_view r = rest().substr(0, limit);
    const auto n = static_cast<std::size_t>(
        std::find_if(r.begin(), r.end(), [](char c) { return hex_value(c) < 0; }) - r.begin());
    reader_.skip(n);
    return r.substr(0, n);
  }
  /// Consumes the literal if the line continues with it.
  bool take(std::string_view literal) {
    if (!rest().starts_with(literal)) return false;
    reader_.skip(literal.size());
    return true;
  }
  /// Consumes n characters (fewer if the line is shorter).
  void skip(std::size_t n) { reader_.skip(std::min(n, reader_.remaining())); }

 private:
  Reader reader_;
};

}  // namespace sd::hexdump::detail
