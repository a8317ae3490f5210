#include "wire/hexdump/column.h"

#include <algorithm>

namespace sd::hexdump::detail {
namespace {

/// Whether one column character can show this byte: '.' for any byte (tcpdump dots spaces, Java dots
/// everything above 'z'), graphic ASCII and space as themselves, anything above 0x7e as the tool chose.
bool shows(char c, std::uint8_t b) {
  if (c == '.' || b > 0x7e) return true;
  return b >= 0x20 && static_cast<unsigned char>(c) == b;
}

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

/// Characters in a column, counting a UTF-8 sequence (how some tools show bytes above 0x7e) as one.
std::size_t characters(std::string_view column) {
  return static_cast<std::size_t>(std::count_if(column.begin(), column.end(), [](char c) { return !is_utf8_continuation(c); }));
}

/// Whether the column renders the first characters(column) of the bytes, one character each.
bool renders(std::string_view column, Bytes bytes) {
  auto ch = column.begin();
  for (const std::uint8_t b : bytes) {
    if (ch == column.end()) return true;
    if (!shows(*ch, b)) return false;
    ch = std::find_if_not(ch + 1, column.end(), is_utf8_continuation);
  }
  return ch == column.end();
}

std::size_t leading_spaces(Bytes bytes) {
  return static_cast<std::size_t>(std::find_if(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b != 0x20; }) -
                                  bytes.begin());
}

std::size_t trailing_spaces(Bytes bytes) {
  return static_cast<std::size_t>(
      std::find_if(bytes.rbegin(), bytes.rend(), [](std::uint8_t b) { return b != 0x20; }) - bytes.rbegin());
}

/// A bare column loses the spaces it starts with to the gap before it, and those it ends with to the
/// end of the line: try each number of lost leading spaces the gap could hold.
bool bare_column_matches(std::string_view column, Bytes bytes, std::size_t gap) {
  const std::size_t shown_chars = characters(column);
  const std::size_t lead = std::min(leading_spaces(bytes), gap > 0 ? gap - 1 : 0);
  for (std::size_t eaten = 0; eaten <= lead; ++eaten) {
    const Bytes shown = bytes.subspan(eaten);
    const std::size_t least = shown.size() - std::min(shown.size(), trailing_spaces(shown));
    if (shown_chars >= least && shown_chars <= shown.size() && renders(column, shown)) return true;
  }
  return false;
}

}  // namespace

std::optional<Column> read_column(std::string_view rest, std::size_t gap, OffsetStyle style) {
  if (rest.empty()) return Column{};
  const auto delimited = [&](char open, char close, Column::Kind kind) -> std::optional<Column> {
    if (rest.size() < 2 || !rest.starts_with(open) || !rest.ends_with(close)) return std::nullopt;
    return Column{kind, rest.substr(1, rest.size() - 2)};
  };
  if (gap == 1) {
    return style == OffsetStyle::colon ? delimited('*', '*', Column::Kind::star) : std::nullopt;
  }
  if (style == OffsetStyle::hexdump_c) return delimited('|', '|', Column::Kind::pipe);
  if (style == OffsetStyle::od) return delimited('>', '<', Column::Kind::angle);
  return Column{Column::Kind::bare, rest};
}

bool column_matches(const Column& col, Bytes line_bytes, std::size_t gap) {
  switch (col.kind) {
    case Column::Kind::none: return true;
    case Column::Kind::star: return characters(col.inner) >= line_bytes.size();
    case Column::Kind::pipe:
    case Column::Kind::angle: return characters(col.inner) == line_bytes.size() && renders(col.inner, line_bytes);
    case Column::Kind::bare: return bare_column_matches(col.inner, line_bytes, gap);
  }
  return false;
}

}  // namespace sd::hexdump::detail
