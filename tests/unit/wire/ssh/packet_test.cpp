#include <gtest/gtest.h>

#include "wire/ssh/packet.h"
#include "wire/ssh/transcript.h"
#include "wire/ssh/writer.h"

namespace sd::ssh {
namespace {

ByteVec hex(const char* s) { return *from_hex(s); }

TEST(Packet, ParsesAnUnencryptedPacket) {
  // packet_length 12, padding_length 10, payload 0x15 (NEWKEYS), ten bytes of padding.
  const ByteVec bytes = hex("0000000c 0a 15 00000000000000000000");
  const auto p = parse_packet(bytes, 40);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->packet_length.value, 12u);
  EXPECT_EQ(p->padding_length.value, 10u);
  EXPECT_EQ(p->padding_length.offset, 44u);
  EXPECT_EQ(p->payload.value, ByteVec{0x15});
  EXPECT_EQ(p->payload.offset, 45u);
  EXPECT_EQ(p->padding.value.size(), 10u);
  EXPECT_EQ(p->length, 16u);
  EXPECT_EQ(p->offset, 40u);
}

TEST(Packet, IncompletePacketNeedsMore) {
  const ByteVec bytes = hex("0000000c 0a 15 0000");
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const auto p = parse_packet(std::span(bytes).first(n));
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().status, ParseStatus::need_more) << n;
  }
}

TEST(Packet, FourGigabyteLengthIsOversizedAtOnce) {
  const ByteVec bytes = hex("ffffffff");
  const auto p = parse_packet(bytes);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().status, ParseStatus::malformed);
  EXPECT_EQ(p.error().code, "oversized");
  EXPECT_EQ(p.error().path, "packet.packet_length");
  EXPECT_EQ(p.error().offset, 0u);
}

TEST(Packet, CapIsInclusiveAndConfigurable) {
  const ByteVec at_cap = hex("0003fffc");  // 262140 + 4 = 256 KiB
  EXPECT_TRUE(parse_packet(at_cap).error().need_more());
  EXPECT_EQ(parse_packet(hex("00040004")).error().code, "oversized");
  EXPECT_EQ(parse_packet(at_cap, 0, PacketLimits{1024}).error().code, "oversized");
}

TEST(Packet, HeaderRulesAreMalformed) {
  EXPECT_EQ(parse_packet(hex("00000004 00000000")).error().code, "too_short");
  EXPECT_EQ(parse_packet(hex("0000000d 04 00 00 00 00 00 00 00 00 00 00 00 00")).error().code, "bad_alignment");
  const auto small_pad = parse_packet(hex("0000000c 03 15 00 00 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(small_pad.error().code, "bad_padding");
  EXPECT_EQ(small_pad.error().offset, 4u);
  EXPECT_EQ(parse_packet(hex("0000000c 0c 15 00 00 00 00 00 00 00 00 00 00")).error().code, "bad_padding");
}

TEST(Packet, MacBytesAreKeptWhenAsked) {
  const ByteVec bytes = hex("0000000c 0a 15 00000000000000000000 aabbccdd");
  const auto p = parse_packet(bytes, 0, PacketLimits{256 * 1024, 8, 4});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->mac.value, hex("aabbccdd"));
  EXPECT_EQ(p->length, 20u);
}

TEST(Packet, FrameRoundTripsEveryPayloadSize) {
  for (std::size_t n = 1; n < 80; ++n) {
    const ByteVec payload(n, 0x42);
    const ByteVec framed = frame_packet(payload);
    ASSERT_EQ(framed.size() % 8, 0u) << n;
    const auto p = parse_packet(framed);
    ASSERT_TRUE(p.ok()) << n;
    EXPECT_EQ(p->payload.value, payload);
    EXPECT_GE(p->padding_length.value, 4u);
  }
  const ByteVec wide = frame_packet(ByteVec(5, 1), FrameOptions{16, 2, 0});
  EXPECT_EQ(wide.size() % 16, 0u);
  EXPECT_TRUE(parse_packet(wide, 0, PacketLimits{256 * 1024, 16, 0}).ok());
}

TEST(Transcript, ReadsBannerAndPacketsAndStopsAtNewkeys) {
  ByteVec bytes = write_identification("test");
  for (const ByteVec& payload : {write_ignore(ByteVec{1, 2}), write_message(msg::newkeys), write_ignore({})}) {
    const ByteVec framed = frame_packet(payload);
    bytes.insert(bytes.end(), framed.begin(), framed.end());
  }
  const Transcript t = read_transcript(bytes);
  EXPECT_FALSE(t.error.has_value());
  ASSERT_EQ(t.messages.size(), 2u);
  EXPECT_EQ(t.messages[1].name, "NEWKEYS");
  EXPECT_TRUE(t.newkeys_seen);
  EXPECT_EQ(t.consumed, 14u + 16u + 16u);  // "SSH-2.0-test\r\n", IGNORE, NEWKEYS
}

TEST(Transcript, GarbageAfterBannerIsMalformed) {
  const std::string text = "SSH-2.0-x\r\nHTTP/1.1 400 Bad Request\r\n\r\n";
  const Transcript t = read_transcript(ByteVec(text.begin(), text.end()));
  ASSERT_TRUE(t.error.has_value());
  EXPECT_EQ(t.error->code, "oversized");
  EXPECT_EQ(t.error->offset, 11u);
}

TEST(Transcript, CutShortMeansNeedMore) {
  ByteVec bytes = write_identification("test");
  const ByteVec framed = frame_packet(write_service_request("ssh-userauth"));
  bytes.insert(bytes.end(), framed.begin(), framed.end() - 3);
  const Transcript t = read_transcript(bytes);
  ASSERT_TRUE(t.error.has_value());
  EXPECT_TRUE(t.error->need_more());
  EXPECT_EQ(t.consumed, 14u);
}

}  // namespace
}  // namespace sd::ssh
