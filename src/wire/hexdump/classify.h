// The per-line half of dump recovery: what one line of text is, and the bytes it carries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/bytes.h"

namespace sd::hexdump::detail {

/// What a line is, as far as dumps go.
enum class LineKind {
  text,         ///< anything that is not part of a dump
  blank,        ///< empty or only blanks
  offset_bytes, ///< an offset followed by hex groups (xxd, z/OS, od, hexdump -C, tcpdump, Wireshark)
  offset_only,  ///< a bare offset: the total that od and hexdump -C print last
  repeat,       ///< a lone '*': od, hexdump and xxd -a left out lines equal to the one before
  plain,        ///< only hex: one unbroken run, or groups separated by blanks
  msg_header,   ///< an OpenSSL -msg line: ">>> TLS 1.2, Handshake [length 00c4], ClientHello"
};

/// How a dump line writes its offset; all lines of one dump share it.
enum class OffsetStyle { none, colon, java, bio, tcpdump, hexdump_c, wireshark, od };

/// Bits of LineInfo::offset_bases.
inline constexpr unsigned kBase8 = 1, kBase10 = 2, kBase16 = 4;

/// Which letter case a line writes its hex digits in; a dump never mixes them.
enum class Letters { none, lower, upper };

/// The classification of one line.
struct LineInfo {
  LineKind kind = LineKind::text;
  OffsetStyle style = OffsetStyle::none;
  std::string_view format;       ///< Dump::format of a dump this line belongs to
  std::string_view offset;       ///< the offset digits of offset_bytes / offset_only lines
  unsigned offset_bases = 0;     ///< the bases (kBase8 | kBase10 | kBase16) the offset may be written in
  unsigned group_digits = 0;     ///< hex digits in the first group of the line
  bool continuous = false;       ///< plain: a single unbroken run of hex digits
  Letters letters = Letters::none;  ///< case of the a-f digits (offset and groups)
  std::string_view direction;    ///< msg_header: "sent" for >>>, "received" for <<<
  std::string_view text;         ///< the line without surrounding blanks (for labels)
};

/// Classifies one line (without its newline) and appends the bytes it carries to `bytes`
/// (for an offset_only line that is also plain hex, its plain reading).
LineInfo classify(std::string_view line, ByteVec& bytes);

/// The value of offset digits written in the given base (8, 10 or 16); nullopt when a digit does not fit.
std::optional<std::uint64_t> read_offset(std::string_view digits, unsigned base);

}  // namespace sd::hexdump::detail
