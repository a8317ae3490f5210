// FTP reply parsing for the FTPS data-channel check: complete, partial and hostile replies; PASV/EPSV; FEAT.
#include <gtest/gtest.h>

#include <string>

#include "probe/ftps/reply.h"

namespace sd::probe::ftps {
namespace {

Bytes as_bytes(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

Reply reply_of(const std::string& text) {
  const auto r = parse_reply(as_bytes(text));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : Reply{};
}

TEST(FtpsReply, SingleLineKeepsTextAndSize) {
  const std::string input = "220 (vsFTPd 3.0.3)\r\n234 next";
  const Reply r = reply_of(input);
  EXPECT_EQ(r.code, 220);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0], "220 (vsFTPd 3.0.3)");
  EXPECT_EQ(r.size, 20u);
  EXPECT_FALSE(r.preliminary());
  EXPECT_TRUE(r.positive());
}

TEST(FtpsReply, MultiLineEndsAtSameCodeAndSpace) {
  const Reply r = reply_of("211-Features:\r\n AUTH TLS\r\n 211-looks-like-end\r\n PBSZ\r\n211 End\r\n");
  EXPECT_EQ(r.code, 211);
  ASSERT_EQ(r.lines.size(), 5u);
  EXPECT_EQ(r.lines[4], "211 End");
  EXPECT_EQ(r.text(), "211-Features: |  AUTH TLS |  211-looks-like-end |  PBSZ | 211 End");
}

TEST(FtpsReply, BareLfAndCodeOnly) {
  const Reply r = reply_of("226\n");
  EXPECT_EQ(r.code, 226);
  EXPECT_EQ(r.size, 4u);
}

TEST(FtpsReply, UnfinishedIsNeedMore) {
  for (const std::string input : {"", "22", "220 hello", "211-Features:\r\n PBSZ\r\n", "211-Features:\r\n211-x\r\n"}) {
    const auto r = parse_reply(as_bytes(input));
    ASSERT_FALSE(r.ok()) << input;
    EXPECT_TRUE(r.error().need_more()) << input;
  }
}

TEST(FtpsReply, BadCodeIsMalformed) {
  for (const std::string input : {"HTTP/1.1 200 OK\r\n", "2x0 no\r\n", "099 low\r\n", "600 high\r\n", "\x16\x03\x01\n"}) {
    const auto r = parse_reply(as_bytes(input));
    ASSERT_FALSE(r.ok()) << input;
    EXPECT_FALSE(r.error().need_more()) << input;
    EXPECT_EQ(r.error().code, "bad_code") << input;
  }
}

TEST(FtpsReply, OverLongLineIsMalformedBeforeItEnds) {
  const std::string input = "220 " + std::string(kMaxLineBytes, 'a');
  const auto r = parse_reply(as_bytes(input));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "line_too_long");
  EXPECT_EQ(r.error().offset, kMaxLineBytes + 1);
}

TEST(FtpsReply, EndlessMultiLineIsMalformed) {
  std::string input = "220-banner\r\n";
  for (std::size_t i = 0; i < kMaxReplyLines; ++i) input += "220-more\r\n";
  const auto r = parse_reply(as_bytes(input));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "too_many_lines");
}

TEST(FtpsReply, NonPrintableBytesAreShownAsDots) {
  const Reply r = reply_of(std::string("500 OOPS\x01\xff\r\n"));
  EXPECT_EQ(r.lines[0], "500 OOPS..");
}

TEST(FtpsPasv, AddressAndPort) {
  const auto a = parse_pasv(reply_of("227 Entering Passive Mode (127,0,0,1,195,80).\r\n"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host(), "127.0.0.1");
  EXPECT_EQ(a->port, 50000);
}

TEST(FtpsPasv, NumbersWithoutParentheses) {
  const auto a = parse_pasv(reply_of("227 =10,1,2,3,4,1\r\n"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host(), "10.1.2.3");
  EXPECT_EQ(a->port, 1025);
}

TEST(FtpsPasv, Refusals) {
  EXPECT_EQ(parse_pasv(reply_of("227 Entering Passive Mode (127,0,0,1,195)\r\n")).error().code, "missing_numbers");
  EXPECT_EQ(parse_pasv(reply_of("227 Entering Passive Mode (127,0,0,256,1,1)\r\n")).error().code, "out_of_range");
  EXPECT_EQ(parse_pasv(reply_of("500 Unknown command.\r\n")).error().code, "not_227");
}

TEST(FtpsEpsv, Port) {
  const auto p = parse_epsv(reply_of("229 Entering Extended Passive Mode (|||50001|)\r\n"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, 50001);
  const auto other = parse_epsv(reply_of("229 ok (!!!21!)\r\n"));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*other, 21);
}

TEST(FtpsEpsv, Refusals) {
  EXPECT_EQ(parse_epsv(reply_of("229 Entering Extended Passive Mode |||50001|\r\n")).error().code, "missing_parenthesis");
  EXPECT_EQ(parse_epsv(reply_of("229 x (||50001|)\r\n")).error().code, "bad_delimiters");
  EXPECT_EQ(parse_epsv(reply_of("229 x (|||0|)\r\n")).error().code, "bad_port");
  EXPECT_EQ(parse_epsv(reply_of("229 x (|||70000|)\r\n")).error().code, "bad_port");
  EXPECT_EQ(parse_epsv(reply_of("229 x (|||50001)\r\n")).error().code, "bad_port");
  EXPECT_EQ(parse_epsv(reply_of("229 x (|||1234567|)\r\n")).error().code, "bad_port");
  EXPECT_EQ(parse_epsv(reply_of("229 x (|||\r\n")).error().code, "bad_port");
  EXPECT_EQ(parse_epsv(reply_of("500 no\r\n")).error().code, "not_229");
}

TEST(FtpsFeatures, IndentedLinesUpperCased) {
  const auto features = parse_features(reply_of("211-Features:\r\n EPRT\r\n auth tls;tls-c\r\n CCC\r\nnot indented\r\n211 End\r\n"));
  ASSERT_EQ(features.size(), 3u);
  EXPECT_EQ(features[1], "AUTH TLS;TLS-C");
  EXPECT_TRUE(has_feature(features, "CCC"));
  EXPECT_TRUE(has_feature(features, "AUTH"));
  EXPECT_FALSE(has_feature(features, "PROT"));
  EXPECT_TRUE(parse_features(reply_of("500 Unknown command.\r\n")).empty());
}

}  // namespace
}  // namespace sd::probe::ftps
