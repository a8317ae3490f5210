// Helpers shared by the hex-dump recovery tests: reading vectors and seeds, hex to bytes.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/bytes.h"

namespace sd::hexdump::test {

/// The whole file as text ("" when it cannot be read, which the tests then notice).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A file under tests/vectors/hexdump/.
inline std::string vector_text(const std::string& name) {
  return slurp(std::string(SD_SOURCE_DIR) + "/tests/vectors/hexdump/" + name);
}

/// A seed case, copied from the shared seeds folder into the vectors as seed-NNN.txt.
inline std::string seed_text(const std::string& number) { return vector_text("seed-" + number + ".txt"); }

/// Bytes from hex text (blanks ignored); empty on bad hex.
inline ByteVec hex(const std::string& text) { return from_hex(text).value_or(ByteVec{}); }

/// One byte string per line of a .hex vector file.
inline std::vector<ByteVec> hex_lines(const std::string& name) {
  std::vector<ByteVec> out;
  std::istringstream in(vector_text(name));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(hex(line));
  }
  return out;
}

}  // namespace sd::hexdump::test
