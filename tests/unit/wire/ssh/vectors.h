// Loading the SSH vectors of tests/vectors/ssh for the unit tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/bytes.h"

namespace sd::ssh::testing {

/// The text of a file under tests/vectors/ssh.
inline std::string vector_text(const std::string& name) {
  std::ifstream in(std::string(SD_SOURCE_DIR) + "/tests/vectors/ssh/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The bytes of a .hex vector: hex lines, '#' lines are comments.
inline ByteVec vector_bytes(const std::string& name) {
  std::istringstream lines(vector_text(name));
  std::string line, hex;
  while (std::getline(lines, line)) {
    if (!line.empty() && line[0] != '#') hex += line;
  }
  return from_hex(hex).value_or(ByteVec{});
}

/// One captured message payload of messages.tsv.
struct CapturedMessage {
  int session = 0;
  std::string kex;
  std::string direction;  ///< "client" or "server"
  int number = 0;
  ByteVec payload;
};

/// The data rows of a TSV vector file, split on tabs: '#' lines and the header row skipped.
inline std::vector<std::vector<std::string>> vector_rows(const std::string& name) {
  std::istringstream lines(vector_text(name));
  std::string line;
  std::vector<std::vector<std::string>> out;
  bool header = true;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!std::exchange(header, false)) {
      std::istringstream cells(line);
      std::vector<std::string> row;
      for (std::string cell; std::getline(cells, cell, '\t');) row.push_back(cell);
      out.push_back(std::move(row));
    }
  }
  return out;
}

/// Every row of messages.tsv, in capture order.
inline std::vector<CapturedMessage> captured_messages() {
  std::vector<CapturedMessage> out;
  for (const auto& row : vector_rows("messages.tsv")) {
    if (row.size() < 5) continue;
    out.push_back({std::stoi(row[0]), row[1], row[2], std::stoi(row[3]), from_hex(row[4]).value_or(ByteVec{})});
  }
  return out;
}

}  // namespace sd::ssh::testing
