// Labels for recovered dumps: the nearest descriptive line above, and the direction a trace header names.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sd::hexdump::detail {

/// A text line seen since the last dump, kept as a possible label for the next one.
struct ContextLine {
  std::string_view text;  ///< without surrounding blanks
  std::size_t line = 0;   ///< 1-based
};

/// One row of directions.tsv: words that tell which way the bytes of the dump below went.
struct DirectionWord {
  bool in_routine = false;  ///< match "routine": inside a trace header's routine name; "phrase": anywhere
  std::string text;
  std::string direction;    ///< "sent" or "received"
  std::string source;       ///< where the wording comes from
};

/// Reads a directions table (tab-separated, by header names; '#' starts a comment line).
std::vector<DirectionWord> parse_directions(std::string_view tsv);

/// The directions table compiled into the binary (src/wire/hexdump/directions.tsv), read once.
const std::vector<DirectionWord>& direction_words();

/// The label for a dump from the text lines above it (oldest first): the nearest descriptive line,
/// passing over trace record headers when a better line is there; "" when there is none.
std::string pick_label(std::span<const ContextLine> above);

/// "sent" or "received" when a line above says so: the nearest System SSL trace header's routine
/// (send_…, …_read_…) or a JSSE debug phrase ("Raw write", "Raw read"); else "".
std::string_view direction_hint(std::span<const ContextLine> above);

/// True for trace record headers ("Job SJP1 Process 0501028D Thread 00000001 …", "S0W1 DUMP 00000020 …").
bool is_trace_header(std::string_view line);

}  // namespace sd::hexdump::detail
