// Loading the SSH vectors of tests/vectors/ssh for the unit tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
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

/// Every row of messages.tsv, in capture order.
inline std::vector<CapturedMessage> captured_messages() {
  std::istringstream lines(vector_text("messages.tsv"));
  std::string line;
  std::vector<CapturedMessage> out;
  bool header = true;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::istringstream cells(line);
    CapturedMessage m;
    std::string session, number, hex;
    std::getline(cells, session, '\t');
    std::getline(cells, m.kex, '\t');
    std::getline(cells, m.direction, '\t');
    std::getline(cells, number, '\t');
    std::getline(cells, hex, '\t');
    m.session = std::stoi(session);
    m.number = std::stoi(number);
    m.payload = from_hex(hex).value_or(ByteVec{});
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace sd::ssh::testing
