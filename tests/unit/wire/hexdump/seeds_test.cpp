// The seed cases: the z/OS System SSL trace of seed 002 holds two dumps; the other seeds hold none.
#include <gtest/gtest.h>

#include "support.h"
#include "wire/hexdump/hexdump.h"

namespace sd::hexdump {
namespace {

using test::hex;
using test::seed_text;

TEST(Seed002, FindsTheClientHelloBodyAndTheFtpReplyHeader) {
  const std::string text = seed_text("002");
  ASSERT_FALSE(text.empty());
  const auto dumps = recover(text);
  ASSERT_EQ(dumps.size(), 2u);

  const Dump& hello = dumps[0];
  EXPECT_EQ(hello.format, "zos-systemssl");
  EXPECT_EQ(hello.label, "V3 CLIENT-HELLO message");
  EXPECT_EQ(hello.direction, "sent");
  EXPECT_EQ(hello.first_line, 32u);
  EXPECT_EQ(hello.last_line, 35u);
  EXPECT_EQ(hello.bytes, hex("01000035 03016038 53AEFEE4 0E3FA5C1 738D1174 97B11A6C 48D50A52 9ED8C9F6"
                             "19AF4C56 C20D0000 0E00FF00 35003800 39002F00 32003301 00"));
  EXPECT_EQ(hello.bytes.size(), 57u);
  ASSERT_EQ(hello.byte_lines.size(), 57u);
  EXPECT_EQ(hello.byte_lines[0], 32u);
  EXPECT_EQ(hello.byte_lines[15], 32u);
  EXPECT_EQ(hello.byte_lines[16], 33u);
  EXPECT_EQ(hello.byte_lines[47], 34u);
  EXPECT_EQ(hello.byte_lines[48], 35u);
  EXPECT_EQ(hello.byte_lines[56], 35u);

  const Dump& header = dumps[1];
  EXPECT_EQ(header.format, "zos-systemssl");
  EXPECT_EQ(header.label, "SSL record header");
  EXPECT_EQ(header.direction, "received");
  EXPECT_EQ(header.first_line, 54u);
  EXPECT_EQ(header.last_line, 54u);
  EXPECT_EQ(header.bytes, hex("3535302054"));
  EXPECT_EQ(header.byte_lines, (std::vector<std::uint32_t>{54, 54, 54, 54, 54}));
  EXPECT_FALSE(hello.truncated || header.truncated);
}

class SeedWithoutDump : public ::testing::TestWithParam<const char*> {};

TEST_P(SeedWithoutDump, GivesNoDumps) {
  const std::string text = seed_text(GetParam());
  ASSERT_FALSE(text.empty());
  const auto dumps = recover(text);
  EXPECT_EQ(dumps.size(), 0u) << (dumps.empty() ? "" : dumps.front().label);
}

INSTANTIATE_TEST_SUITE_P(Seeds, SeedWithoutDump, ::testing::Values("000", "001", "003", "004"));

}  // namespace
}  // namespace sd::hexdump
