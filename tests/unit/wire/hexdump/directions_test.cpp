// The directions table (src/wire/hexdump/directions.tsv): every row is complete and sourced.
#include <gtest/gtest.h>

#include "wire/hexdump/label.h"

namespace sd::hexdump::detail {
namespace {

TEST(Directions, EveryRowHasTextADirectionAndASource) {
  const auto& words = direction_words();
  ASSERT_EQ(words.size(), 9u);
  for (const auto& w : words) {
    SCOPED_TRACE(w.text);
    EXPECT_FALSE(w.text.empty());
    EXPECT_TRUE(w.direction == "sent" || w.direction == "received");
    EXPECT_GE(w.source.size(), 10u);
  }
  EXPECT_EQ(words.front().text, "write to 0x");
  EXPECT_FALSE(words.front().in_routine);
  EXPECT_EQ(words.back().text, "read");
  EXPECT_TRUE(words.back().in_routine);
}

TEST(Directions, ParsesByHeaderNameAndSkipsComments) {
  const auto rows = parse_directions("# note\nsource\tdirection\ttext\tmatch\nsomewhere\tsent\tPUT\tphrase\n\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text, "PUT");
  EXPECT_EQ(rows[0].direction, "sent");
  EXPECT_EQ(rows[0].source, "somewhere");
  EXPECT_FALSE(rows[0].in_routine);
}

TEST(Directions, TheNearestLineThatSaysWins) {
  const std::vector<ContextLine> above{
      {"Job SJP1 Process 0501028D Thread 00000001 gsk_read_v3_record", 1},
      {"[Raw write]: length = 5", 2},
      {"some other line", 3},
  };
  EXPECT_EQ(direction_hint(above), "sent");
  EXPECT_EQ(direction_hint(std::span(above).first(1)), "received");
  EXPECT_EQ(direction_hint(std::span(above).last(1)), "");
}

}  // namespace
}  // namespace sd::hexdump::detail
