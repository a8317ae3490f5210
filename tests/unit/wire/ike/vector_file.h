// Loads a captured IKE datagram from tests/vectors/ike/<name>.hex (lines starting with '#' are comments).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "core/bytes.h"

namespace sd::ike::test {

/// The bytes of one vector file; empty when the file is missing or not hex.
inline ByteVec load_vector(const std::string& name) {
  std::ifstream in(std::string(SD_SOURCE_DIR) + "/tests/vectors/ike/" + name + ".hex");
  std::string line, hex;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') hex += line;
  return from_hex(hex).value_or(ByteVec{});
}

}  // namespace sd::ike::test
