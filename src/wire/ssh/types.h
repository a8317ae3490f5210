// SSH data types (RFC 4251 §5) as values tied to the bytes they came from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.h"

namespace sd::ssh {

/// A decoded value and where its bytes sit in the outermost input.
template <class T>
struct At {
  T value{};
  std::size_t offset = 0;  ///< absolute offset of the first byte (the length prefix, for strings)
  std::size_t length = 0;  ///< bytes covered, prefix included
};

using Text = At<std::string>;               ///< an SSH string read as text
using Blob = At<ByteVec>;                   ///< an SSH string (or run of bytes) kept as bytes
using Names = At<std::vector<std::string>>; ///< an SSH name-list
using U32 = At<std::uint32_t>;
using Flag = At<bool>;

/// True when the list holds exactly this name.
bool contains(const Names& list, std::string_view name);

}  // namespace sd::ssh
