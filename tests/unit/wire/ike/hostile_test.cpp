// Hostile and broken shapes: each ends in a clear malformed (or need-more) answer with offset and path.
#include <gtest/gtest.h>

#include "wire/ike/write.h"

namespace sd::ike {
namespace {

ByteVec hex(std::string_view text) { return from_hex(text).value(); }

// A 28-byte IKE_SA_INIT request header with the given first payload and length, followed by body.
ByteVec message(std::uint8_t first, std::uint32_t length, const ByteVec& body) {
  Writer w;
  w.u64(0x0102030405060708ull);
  w.u64(0);
  w.u8(first);
  w.u8(0x20);
  w.u8(34);
  w.u8(kFlagInitiator);
  w.u32(0);
  w.u32(length);
  w.bytes(body);
  return w.take();
}

ParseError error_of(const ByteVec& datagram) {
  const auto m = parse_datagram(datagram);
  EXPECT_FALSE(m.ok());
  return m.ok() ? ParseError{} : m.error();
}

TEST(IkeHostile, TruncatedChainAnnouncesAPayloadThatIsNotThere) {
  const auto e = error_of(message(kSA, 28, {}));
  EXPECT_EQ(e.status, ParseStatus::malformed);
  EXPECT_EQ(e.code, "chain_past_message");
  EXPECT_EQ(e.offset, 28u);
  EXPECT_EQ(e.path, "ike.payload[0](SA)");
}

TEST(IkeHostile, ChainEndsInsideAPayloadHeader) {
  const auto e = error_of(message(kNotify, 30, hex("0000")));
  EXPECT_EQ(e.status, ParseStatus::malformed);
  EXPECT_EQ(e.path, "ike.payload[0](N).header");
  EXPECT_EQ(e.offset, 30u);
}

TEST(IkeHostile, HeaderLengthPastTheDatagram) {
  const auto e = error_of(message(kNotify, 100, hex("00000008 0000400e")));
  EXPECT_EQ(e.code, "length_past_datagram");
  EXPECT_EQ(e.offset, 24u);
  EXPECT_EQ(e.path, "ike.header.length");
}

TEST(IkeHostile, HeaderLengthShorterThanTheDatagram) {
  const auto e = error_of(message(kNotify, 36, hex("00000008 0000400e ffff")));
  EXPECT_EQ(e.code, "trailing_bytes");
}

TEST(IkeHostile, HeaderLengthBelowTheHeader) {
  const auto e = error_of(message(kNoNext, 20, {}));
  EXPECT_EQ(e.code, "length_too_small");
}

TEST(IkeHostile, PayloadLengthPastTheMessage) {
  const auto e = error_of(message(kNotify, 36, hex("000000c8 0000400e")));
  EXPECT_EQ(e.code, "payload_length_past_message");
  EXPECT_EQ(e.offset, 30u);
  EXPECT_EQ(e.path, "ike.payload[0](N).length");
  EXPECT_EQ(e.message, "payload length 200 runs 192 bytes past the end of the message");
}

TEST(IkeHostile, ZeroLengthPayloadCannotStallTheChain) {
  const auto e = error_of(message(kVendor, 36, hex("2b000000 00000000")));
  EXPECT_EQ(e.code, "payload_length_too_small");
  EXPECT_EQ(e.offset, 30u);
}

TEST(IkeHostile, NextPayloadLoopRunsIntoTheEndOfTheMessage) {
  // Three notifies that each name another notify as next: the chain has no end inside the message.
  ByteVec body;
  for (int i = 0; i < 3; ++i) {
    const ByteVec n = hex("29000008 0000400e");
    body.insert(body.end(), n.begin(), n.end());
  }
  const auto e = error_of(message(kNotify, 28 + 24, body));
  EXPECT_EQ(e.code, "chain_past_message");
  EXPECT_EQ(e.offset, 52u);
  EXPECT_EQ(e.path, "ike.payload[3](N)");
}

TEST(IkeHostile, TooManyPayloads) {
  std::vector<OutPayload> many(kMaxPayloads + 1, notify(kFragmentationSupported));
  Header h;
  h.exchange_type = 34;
  const auto e = error_of(write_message(h, many));
  EXPECT_EQ(e.code, "too_many_payloads");
  EXPECT_EQ(e.path, "ike.payload[64](N)");
  EXPECT_EQ(e.offset, 28u + 64 * 8);
}

TEST(IkeHostile, BytesAfterTheLastPayload) {
  const auto e = error_of(message(kNotify, 40, hex("00000008 0000400e deadbeef")));
  EXPECT_EQ(e.code, "trailing_bytes");
  EXPECT_EQ(e.offset, 36u);
  EXPECT_EQ(e.path, "ike.payloads");
}

TEST(IkeHostile, ProposalAnnouncesMoreTransformsThanItHolds) {
  // SA: one proposal (last), IKE, no SPI, announces 2 transforms, holds one (marked last).
  const auto e = error_of(message(kSA, 28 + 4 + 8 + 8, hex("00000014 00000010 01010002 00000008 01000003")));
  EXPECT_EQ(e.code, "transform_count_mismatch");
  EXPECT_EQ(e.path, "ike.payload[0](SA).proposal[0].transform[0].last_substruc");
}

TEST(IkeHostile, ProposalSaysMoreFollowButTheSaEnds) {
  const auto e = error_of(message(kSA, 28 + 4 + 8 + 8, hex("00000014 02000010 01010001 00000008 01000003")));
  EXPECT_EQ(e.code, "missing_proposal");
  EXPECT_EQ(e.path, "ike.payload[0](SA).proposal[1]");
}

TEST(IkeHostile, TransformLengthPastItsProposal) {
  const auto e = error_of(message(kSA, 28 + 4 + 8 + 8, hex("00000014 00000010 01010001 00000040 01000003")));
  EXPECT_EQ(e.code, "transform_length_past_container");
  EXPECT_EQ(e.offset, 42u);
}

TEST(IkeHostile, InvalidKeWithoutAGroup) {
  const auto e = error_of(message(kNotify, 37, hex("00000009 00000011 0e")));
  EXPECT_EQ(e.code, "bad_notify_data");
  EXPECT_EQ(e.offset, 36u);
}

TEST(IkeHostile, UnknownMajorVersion) {
  ByteVec m = message(kNoNext, 28, {});
  m[17] = 0x30;
  const auto e = error_of(m);
  EXPECT_EQ(e.code, "unsupported_major_version");
  EXPECT_EQ(e.offset, 17u);
}

TEST(IkeHostile, BrokenIkeV1ChainStillSaysIkeV1) {
  ByteVec m = message(kIkev1VendorId, 36, hex("0d000008 01020304"));  // the VID names another VID that is not there
  m[17] = 0x10;
  const auto parsed = parse_datagram(m);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->ikev1());
  ASSERT_TRUE(parsed->ikev1_error.has_value());
  EXPECT_EQ(parsed->ikev1_error->code, "chain_past_message");
  EXPECT_EQ(parsed->ikev1_error->offset, 36u);
  EXPECT_EQ(parsed->ikev1_payloads.size(), 1u);
}

TEST(IkeHostile, EncryptedIkeV1PayloadsStayOpaque) {
  ByteVec m = message(8, 36, hex("deadbeef cafebabe"));
  m[17] = 0x10;
  m[19] = kIkev1FlagEncrypted;
  const auto parsed = parse_datagram(m);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->ikev1_payloads.empty());
  EXPECT_FALSE(parsed->ikev1_error.has_value());
}

TEST(IkeHostile, EspInsteadOfIkeOnPort4500) {
  const auto m = parse_nat_t_datagram(hex("c0ffee01 00000001 0102030405060708"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "esp_packet");
}

TEST(IkeHostile, ShortDatagramIsMalformedButAShortStreamNeedsMore) {
  const ByteVec full = message(kNotify, 36, hex("00000008 0000400e"));
  const Bytes head = Bytes(full).first(20);
  const auto d = parse_datagram(head);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().status, ParseStatus::malformed);
  const auto s = parse_message(head);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().need_more());
  const auto s2 = parse_message(Bytes(full).first(32));
  ASSERT_FALSE(s2.ok());
  EXPECT_TRUE(s2.error().need_more());
  EXPECT_TRUE(parse_message(full).ok());
}

}  // namespace
}  // namespace sd::ike
