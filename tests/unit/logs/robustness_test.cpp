// Hostile text through every reader: random bytes, cut records, huge lines. Nothing may crash or hang, and every
// line is accounted for.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <sstream>

#include "logs/format.h"

namespace sd::logs {
namespace {

std::string random_text(std::mt19937& rng, std::size_t n) {
  static const std::string kAlphabet = "0123456789ABCDEFabcdef :[]()<>\"'\\n\\r\\t-*|#.,=/S0W1MESSAGEDUMPSSL_Job";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    const auto pick = rng() % 5;
    s += pick == 0 ? static_cast<char>(rng() % 256) : kAlphabet[rng() % kAlphabet.size()];
    if (rng() % 40 == 0) s += '\n';
  }
  return s;
}

TEST(Robustness, RandomTextInEveryFormatCountsEveryLine) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    const std::string text = random_text(rng, 1 + rng() % 3000);
    const std::size_t newlines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    const std::size_t expected = newlines + (text.empty() || text.back() == '\n' ? 0 : 1);
    for (std::size_t f = 0; f <= formats().size(); ++f) {
      ReadOptions o;
      if (f < formats().size()) o.forced_format = std::string(formats()[f].name);
      std::istringstream in(text);
      std::size_t covered = 0;
      const auto stats = read_events(in, "r", o, [&](const Event& e) { covered += e.last_line - e.line + 1; });
      ASSERT_EQ(stats.lines, expected) << "round " << round;
      ASSERT_EQ(covered, expected) << "round " << round << " format " << o.forced_format;
    }
  }
}

TEST(Robustness, CutSystemSslRecordsAndDumps) {
  const std::string records =
      "S0W1 DUMP 00000020 01:49:34.380878 SSL_ASCII_DUMP\n"
      "Job SJP1 Process 0501028D Thread 00000001 send_v3_client_hello\n"
      "V3 CLIENT-HELLO message\n"
      "00000000: 01000035 0301\n"
      "S0W1 MESSAGE 00000004 01:49:34.467943 SSL_ERROR\n";
  for (std::size_t cut = 0; cut <= records.size(); ++cut) {
    const auto evs = read_text(records.substr(0, cut), "c");
    for (const auto& e : evs) EXPECT_LE(e.line, e.last_line);
  }
}

}  // namespace
}  // namespace sd::logs
