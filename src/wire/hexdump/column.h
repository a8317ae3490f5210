// The character column beside the hex of a dump line: finding it, and checking that it shows the bytes
// read from the same line (so that a column is never read as hex, nor hex as a column).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/bytes.h"
#include "wire/hexdump/classify.h"

namespace sd::hexdump::detail {

/// The character column beside the hex, with its delimiters taken off.
struct Column {
  enum class Kind { none, star, pipe, angle, bare } kind = Kind::none;
  std::string_view inner;
};

/// Splits the text after the hex (`rest`, `gap` blanks after it) into its column; nullopt when it cannot
/// be one for this style. z/OS puts '*…*' one blank after the hex; hexdump -C uses '|…|', od -z '>…<',
/// the rest a bare column.
std::optional<Column> read_column(std::string_view rest, std::size_t gap, OffsetStyle style);

/// Whether the column shows these bytes; gap is the number of blanks before it.
bool column_matches(const Column& col, Bytes line_bytes, std::size_t gap);

}  // namespace sd::hexdump::detail
