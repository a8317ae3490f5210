// Runs the built `shakedown` binary from the source tree and returns what it printed on stdout.
#pragma once

#include <array>
#include <cstdio>
#include <string>

namespace sd::test {

/// stdout of `shakedown <args>` run in SD_SOURCE_DIR (args are passed to the shell as written).
inline std::string run_shakedown(const std::string& args) {
  const std::string cmd =
      "cd '" + std::string(SD_SOURCE_DIR) + "' && '" + std::string(SD_BINARY_DIR) + "/shakedown' " + args;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  if (!p) return out;
  std::array<char, 4096> buf{};
  while (const std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  pclose(p);
  return out;
}

}  // namespace sd::test
