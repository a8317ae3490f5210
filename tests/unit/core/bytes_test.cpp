#include "core/bytes.h"

#include <gtest/gtest.h>

namespace sd {
namespace {

ByteVec hex(const char* s) { return *from_hex(s); }

TEST(Reader, ReadsBigEndianIntegers) {
  const auto data = hex("01 0203 040506 0708090a 0b0c0d0e0f101112");
  auto r = Reader::bounded(data);
  EXPECT_EQ(r.u8(), 0x01);
  EXPECT_EQ(r.u16(), 0x0203);
  EXPECT_EQ(r.u24(), 0x040506u);
  EXPECT_EQ(r.u32(), 0x0708090au);
  EXPECT_EQ(r.u64(), 0x0b0c0d0e0f101112ull);
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.expect_end("x").has_value());
}

TEST(Reader, ShortReadOnStreamMeansNeedMore) {
  const auto data = hex("0001");
  auto r = Reader::stream(data);
  EXPECT_FALSE(r.u24().has_value());
  const auto e = r.fail("record.length");
  EXPECT_EQ(e.status, ParseStatus::need_more);
  EXPECT_EQ(e.path, "record.length");
  EXPECT_EQ(e.offset, 0u);
}

TEST(Reader, ShortReadInBoundedMeansMalformed) {
  const auto data = hex("0001");
  auto r = Reader::bounded(data);
  EXPECT_FALSE(r.u24().has_value());
  EXPECT_EQ(r.fail("x").status, ParseStatus::malformed);
}

TEST(Reader, PrefixedGivesBoundedChildWithAbsoluteOffsets) {
  const auto data = hex("aa 0003 010203 ff");
  auto r = Reader::stream(data, 100);
  ASSERT_EQ(r.u8(), 0xaa);
  auto child = r.prefixed(2);
  ASSERT_TRUE(child.has_value());
  EXPECT_EQ(child->offset(), 103u);
  EXPECT_TRUE(child->is_bounded());
  EXPECT_EQ(child->remaining(), 3u);
  EXPECT_EQ(child->u16(), 0x0102);
  EXPECT_FALSE(child->u16().has_value());
  EXPECT_EQ(child->fail("body").status, ParseStatus::malformed);
  EXPECT_EQ(r.u8(), 0xff);
}

TEST(Reader, PrefixLongerThanStreamIsNeedMoreAndLeavesCursor) {
  const auto data = hex("0010 0102");
  auto r = Reader::stream(data);
  EXPECT_FALSE(r.prefixed(2).has_value());
  EXPECT_EQ(r.fail("v").status, ParseStatus::need_more);
  EXPECT_EQ(r.offset(), 0u);
}

TEST(Reader, VecEnforcesBounds) {
  const auto data = hex("03 010203");
  auto r = Reader::bounded(data);
  EXPECT_FALSE(r.vec(1, 4, 10).has_value());
  const auto e = r.fail("suites");
  EXPECT_EQ(e.code, "length_out_of_range");
  EXPECT_EQ(e.status, ParseStatus::malformed);
  auto ok = r.vec(1, 1, 3);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->remaining(), 3u);
}

TEST(Reader, TrailingBytesAreReported) {
  const auto data = hex("0102");
  auto r = Reader::bounded(data, 7);
  r.u8();
  const auto e = r.expect_end("alert");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->code, "trailing_bytes");
  EXPECT_EQ(e->offset, 8u);
}

TEST(Writer, PatchesLengthPrefixes) {
  Writer w;
  w.u8(0x16);
  w.prefixed(2, [](Writer& in) {
    in.u16(0x0303);
    in.prefixed(1, [](Writer& inner) { inner.text("ab"); });
  });
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(to_hex(w.data()), "1600050303026162");
}

TEST(Writer, FlagsOverflowingPrefix) {
  Writer w;
  w.prefixed(1, [](Writer& in) {
    for (int i = 0; i < 300; ++i) in.u8(0);
  });
  EXPECT_FALSE(w.ok());
}

TEST(Hex, RoundTripsAndRejectsJunk) {
  EXPECT_EQ(to_hex(hex("DEADbeef")), "deadbeef");
  EXPECT_EQ(to_hex(hex("de:ad be\nef"), " "), "de ad be ef");
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
  EXPECT_EQ(printable(hex("35353020 54 00")), "550 T.");
}

}  // namespace
}  // namespace sd
