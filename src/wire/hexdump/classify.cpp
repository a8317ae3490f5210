#include "wire/hexdump/classify.h"

#include <algorithm>

#include "wire/hexdump/column.h"
#include "wire/hexdump/line_scan.h"

namespace sd::hexdump::detail {
namespace {

constexpr std::size_t kMaxGroupDigits = 16;   // xxd -g8 is the widest grouping in use
constexpr std::size_t kMaxOffsetDigits = 16;  // a 64-bit offset
constexpr std::size_t kMinOffsetDigits = 4;   // Wireshark and tcpdump write four

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n\f\v");
  return s.substr(first, last - first + 1);
}

/// Which letter cases the hex digits of a line used; a dump line never mixes them.
struct LetterCase {
  bool lower = false;
  bool upper = false;
  void add(std::string_view digits) {
    for (const char c : digits) add(c);
  }
  void add(char c) {
    lower = lower || (c >= 'a' && c <= 'f');
    upper = upper || (c >= 'A' && c <= 'F');
  }
  bool mixed() const { return lower && upper; }
  Letters which() const { return upper ? Letters::upper : lower ? Letters::lower : Letters::none; }
};

/// Appends the bytes of a word of hex digits in one pass, noting its letter case; false (and nothing
/// appended) when the word is empty, of odd length or holds a character that is not a hex digit.
bool append_hex(std::string_view word, ByteVec& out, LetterCase& letters) {
  if (word.empty() || word.size() % 2 != 0) return false;
  const std::size_t mark = out.size();
  LetterCase seen;
  int high = -1;
  for (const char c : word) {
    const int v = hex_value(c);
    if (v < 0) {
      out.resize(mark);
      return false;
    }
    seen.add(c);
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>((high << 4) | v));
      high = -1;
    }
  }
  letters.lower = letters.lower || seen.lower;
  letters.upper = letters.upper || seen.upper;
  return true;
}

/// The bases an od offset may be written in (od -A o, -A d, -A x); every other dump writes hex.
unsigned bases_of(std::string_view digits, bool may_be_od) {
  if (!may_be_od) return kBase16;
  unsigned bases = kBase16;
  bool octal = true;
  bool decimal = true;
  for (const char c : digits) {
    octal = octal && c >= '0' && c <= '7';
    decimal = decimal && c >= '0' && c <= '9';
  }
  if (decimal) bases |= kBase10;
  if (octal) bases |= kBase8;
  return bases;
}

/// The hex groups after an offset, and what follows them.
struct Groups {
  std::size_t count = 0;
  unsigned digits = 0;        ///< digits of the first group
  std::size_t gap_after = 0;  ///< blanks between the last group and the rest
  std::string_view rest;      ///< the character column, if any
  bool mid_gap_used = false;  ///< a double blank after eight bytes was read as part of the hex area
};

/// How a style sets the middle of a sixteen-byte line apart, beyond the single blank between groups.
struct Middle {
  std::size_t gap = 0;  ///< blanks after the eighth one-byte group: 2 (hexdump -C, Wireshark), 3 (Java), 0
  bool dash = false;    ///< the eighth and ninth bytes joined by '-' as in "00-b3" (OpenSSL BIO_dump)
};

/// Splits a BIO_dump middle word "00-b3" into its two bytes, or "1d-" (a line of exactly eight bytes)
/// into its one; nullopt when the word is not one.
std::optional<std::pair<std::string_view, std::string_view>> dash_pair(std::string_view word) {
  if ((word.size() != 5 && word.size() != 3) || word.substr(2, 1) != "-") return std::nullopt;
  return std::pair{word.substr(0, 2), word.substr(3)};
}

/// Reads groups of hex digits separated by one blank; a group shorter than the first ends the run.
Groups read_groups(LineScan& s, std::size_t gap, Middle middle, ByteVec& out, LetterCase& letters) {
  Groups g;
  bool short_seen = false;
  for (;;) {
    const std::string_view word = s.peek_word();
    if (word.empty() || short_seen) break;
    if (g.count > 0 && gap != 1) {
      if (!(middle.gap != 0 && gap == middle.gap && g.count == 8 && g.digits == 2)) break;
      g.mid_gap_used = true;
    }
    const auto pair = middle.dash && g.count == 7 && g.digits == 2 ? dash_pair(word) : std::nullopt;
    if (pair) {
      const std::size_t mark = out.size();
      const bool first_ok = append_hex(pair->first, out, letters);
      if (!first_ok || !(pair->second.empty() || append_hex(pair->second, out, letters))) {
        out.resize(mark);
        break;
      }
      g.count += pair->second.empty() ? 1 : 2;
      s.skip(word.size());
      gap = s.skip_blanks();
      continue;
    }
    if (word.size() > kMaxGroupDigits || (g.count > 0 && word.size() > g.digits)) break;
    if (!append_hex(word, out, letters)) break;
    if (g.count == 0) g.digits = static_cast<unsigned>(word.size());
    short_seen = word.size() < g.digits;
    ++g.count;
    s.skip(word.size());
    gap = s.skip_blanks();
  }
  g.gap_after = gap;
  g.rest = s.rest();
  return g;
}

/// The style of an offset-led line from how the offset is written and the blanks after it.
OffsetStyle style_of(bool hex_prefix, bool colon, std::size_t offset_digits, std::size_t gap) {
  if (hex_prefix) return colon ? OffsetStyle::tcpdump : OffsetStyle::none;
  if (colon) return offset_digits == 4 && gap == 1 ? OffsetStyle::java : OffsetStyle::colon;
  if (gap == 1) return offset_digits >= 6 ? OffsetStyle::od : OffsetStyle::none;
  return offset_digits == 8 && gap == 2 ? OffsetStyle::hexdump_c : OffsetStyle::wireshark;
}

/// Whether the first group width suits the style (the byte-per-group tools write two digits).
bool groups_fit(OffsetStyle style, unsigned digits) {
  switch (style) {
    case OffsetStyle::od:
    case OffsetStyle::java:
    case OffsetStyle::bio:
    case OffsetStyle::hexdump_c:
    case OffsetStyle::wireshark: return digits == 2;
    case OffsetStyle::tcpdump: return digits == 2 || digits == 4;
    default: return true;
  }
}

/// How a style sets the middle of its lines apart.
Middle middle_of(OffsetStyle style) {
  switch (style) {
    case OffsetStyle::hexdump_c:
    case OffsetStyle::wireshark: return Middle{2, false};
    case OffsetStyle::java: return Middle{3, false};
    case OffsetStyle::bio: return Middle{0, true};
    default: return Middle{};
  }
}

std::string_view format_name(OffsetStyle style, Column::Kind column) {
  switch (style) {
    case OffsetStyle::colon: return column == Column::Kind::star ? "zos-systemssl" : "xxd";
    case OffsetStyle::java: return "java";
    case OffsetStyle::bio: return "openssl-debug";
    case OffsetStyle::tcpdump: return "tcpdump";
    case OffsetStyle::hexdump_c: return "hexdump-C";
    case OffsetStyle::wireshark: return "wireshark";
    case OffsetStyle::od: return "od";
    default: return "";
  }
}

/// The hex area of an offset-led line and the column beside it.
struct Body {
  Groups groups;
  Column column;
};

/// Reads the hex area and its column, and checks that they agree. When reading the style's wider mid gap
/// as part of the hex made them disagree, reads again without it. nullopt (and no bytes) when nothing fits.
std::optional<Body> read_body(const LineScan& start, std::size_t gap, OffsetStyle style, ByteVec& bytes,
                              LetterCase& letters) {
  const std::size_t mark = bytes.size();
  for (const Middle middle : {middle_of(style), Middle{0, middle_of(style).dash}}) {
    LineScan s = start;
    LetterCase seen = letters;
    const Groups g = read_groups(s, gap, middle, bytes, seen);
    const auto column = read_column(g.rest, g.gap_after, style);
    if (column && column_matches(*column, Bytes(bytes).subspan(mark), g.gap_after)) {
      letters = seen;
      return Body{g, *column};
    }
    bytes.resize(mark);
    if (!g.mid_gap_used) break;
  }
  return std::nullopt;
}

/// A bare offset line: what od and hexdump -C print after the last bytes.
bool read_offset_only(std::string_view offset, LineInfo& info, ByteVec& bytes) {
  info.kind = LineKind::offset_only;
  info.offset = offset;
  info.offset_bases = bases_of(offset, true);
  info.group_digits = static_cast<unsigned>(offset.size());
  info.continuous = true;
  LetterCase letters;
  letters.add(offset);
  if (letters.mixed()) return false;
  info.letters = letters.which();
  LetterCase ignored;
  append_hex(offset, bytes, ignored);  // its plain reading, when it has an even number of digits
  return true;
}

/// Reads "offset[:] groups [column]"; false when the line is not one.
bool read_offset_line(LineInfo& info, ByteVec& bytes) {
  LineScan s(info.text);
  const bool hex_prefix = s.take("0x") || s.take("0X");
  const std::string_view offset = s.take_hex(kMaxOffsetDigits + 1);
  if (offset.size() < kMinOffsetDigits || offset.size() > kMaxOffsetDigits) return false;
  const bool colon = s.take(":");
  if (s.at_end()) return !hex_prefix && !colon && read_offset_only(offset, info, bytes);
  std::size_t gap = s.skip_blanks();
  const bool dash = !hex_prefix && !colon && gap == 1 && s.take("- ");
  const OffsetStyle style = dash ? OffsetStyle::bio : style_of(hex_prefix, colon, offset.size(), gap);
  if (dash) gap += 1 + s.skip_blanks();
  if (gap == 0 || gap > 4 || style == OffsetStyle::none) return false;

  LetterCase letters;
  letters.add(offset);
  const auto body = read_body(s, gap, style, bytes, letters);
  if (!body || body->groups.count == 0 || !groups_fit(style, body->groups.digits) || letters.mixed()) return false;

  info.kind = LineKind::offset_bytes;
  info.style = style;
  info.format = format_name(style, body->column.kind);
  info.offset = offset;
  info.offset_bases = bases_of(offset, style == OffsetStyle::od);
  info.group_digits = body->groups.digits;
  info.letters = letters.which();
  return true;
}

/// True for the column ruler "00 01 02 … 0F" that PowerShell Format-Hex prints above its dump.
bool is_ruler(Bytes line_bytes, std::size_t digits) {
  if (digits != 2 || line_bytes.size() < 8) return false;
  std::uint8_t expected = 0;
  return std::all_of(line_bytes.begin(), line_bytes.end(), [&](std::uint8_t b) { return b == expected++; });
}

/// Reads a line made only of hex: one run, or groups of one width (the last may be shorter).
bool read_plain_line(LineInfo& info, ByteVec& bytes) {
  const std::size_t mark = bytes.size();
  LineScan s(info.text);
  std::size_t count = 0;
  std::size_t digits = 0;
  bool short_seen = false;
  LetterCase letters;
  for (std::string_view word = s.peek_word(); !word.empty(); word = s.peek_word()) {
    if (short_seen || (count > 0 && (word.size() > digits || digits > kMaxGroupDigits))) return false;
    if (!append_hex(word, bytes, letters)) return false;
    if (count == 0) digits = word.size();
    short_seen = word.size() < digits;
    ++count;
    s.skip(word.size());
    s.skip_blanks();
  }
  if (count == 0 || letters.mixed() || is_ruler(Bytes(bytes).subspan(mark), digits)) return false;
  info.kind = LineKind::plain;
  info.format = "plain";
  info.group_digits = static_cast<unsigned>(digits);
  info.continuous = count == 1;
  info.letters = letters.which();
  return true;
}

}  // namespace

std::optional<std::uint64_t> read_offset(std::string_view digits, unsigned base) {
  std::uint64_t value = 0;
  for (const char c : digits) {
    const int v = hex_value(c);
    if (v < 0 || static_cast<unsigned>(v) >= base) return std::nullopt;
    value = value * base + static_cast<unsigned>(v);
  }
  return value;
}

LineInfo classify(std::string_view line, ByteVec& bytes) {
  LineInfo info;
  info.text = trim(line);
  if (info.text.empty()) {
    info.kind = LineKind::blank;
    return info;
  }
  if (info.text == "*") {
    info.kind = LineKind::repeat;
    return info;
  }
  if (info.text.starts_with(">>> ") || info.text.starts_with("<<< ")) {
    info.kind = LineKind::msg_header;
    info.direction = info.text.starts_with('>') ? "sent" : "received";
    return info;
  }
  const std::size_t mark = bytes.size();
  if (read_offset_line(info, bytes)) return info;
  bytes.resize(mark);
  const std::string_view text = info.text;
  info = LineInfo{};
  info.text = text;
  if (read_plain_line(info, bytes)) return info;
  bytes.resize(mark);
  info.kind = LineKind::text;
  info.format = {};
  return info;
}

}  // namespace sd::hexdump::detail
