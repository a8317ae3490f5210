#include "probe/engine/framer.h"

#include <gtest/gtest.h>

#include <string>

namespace sd::probe {
namespace {

ByteVec text(std::string_view s) { return ByteVec(s.begin(), s.end()); }
ByteVec hex(const char* s) { return *from_hex(s); }

TEST(TlsRecordFramer, NeedsTheHeaderThenTheBody) {
  const auto framer = tls_record_framer();
  EXPECT_EQ(framer(ByteVec{}).status, Frame::Status::need_more);
  const Frame partial = framer(hex("16 03 03"));
  EXPECT_EQ(partial.status, Frame::Status::need_more);
  EXPECT_EQ(partial.size, 2u);
  const Frame body = framer(hex("16 03 03 00 04 01"));
  EXPECT_EQ(body.status, Frame::Status::need_more);
  EXPECT_EQ(body.size, 3u);
  const Frame whole = framer(hex("16 03 03 00 04 01 02 03 04 17"));
  EXPECT_EQ(whole.status, Frame::Status::complete);
  EXPECT_EQ(whole.size, 9u);
  EXPECT_EQ(whole.label, Outcome::success);
}

TEST(TlsRecordFramer, LabelsAnAlert) {
  const Frame f = tls_record_framer()(hex("15 03 01 00 02 02 28"));
  EXPECT_EQ(f.status, Frame::Status::complete);
  EXPECT_EQ(f.size, 7u);
  EXPECT_EQ(f.label, Outcome::handshake_alert);
}

TEST(TlsRecordFramer, PlaintextEndsAtTheEndOfTheLine) {
  const auto framer = tls_record_framer();
  EXPECT_EQ(framer(text("500 OOPS: SSL")).status, Frame::Status::need_more);
  const Frame f = framer(text("500 OOPS: SSL: cannot accept\r\nmore"));
  EXPECT_EQ(f.status, Frame::Status::complete);
  EXPECT_EQ(f.size, 30u);
  EXPECT_EQ(f.label, Outcome::plaintext_reply);
}

TEST(TlsRecordFramer, RejectsAnOverlongRecordWithoutWaitingForIt) {
  const Frame f = tls_record_framer()(hex("16 03 03 ff ff"));
  EXPECT_EQ(f.status, Frame::Status::reject);
  EXPECT_EQ(f.label, Outcome::oversized);
  EXPECT_EQ(f.detail, "record length 65535 is above the TLS limit of 18432");
}

TEST(TlsRecordFramer, RejectsBytesThatAreNoContentType) {
  const Frame f = tls_record_framer()(hex("07 9a 11"));
  EXPECT_EQ(f.status, Frame::Status::reject);
  EXPECT_EQ(f.label, Outcome::protocol_error);
  EXPECT_EQ(f.detail, "byte 0x07 is not a TLS content type");
}

TEST(TlsRecordFramer, FramesAnSslv2Record) {
  const Frame f = tls_record_framer()(hex("80 03 04 00 01 ff"));
  EXPECT_EQ(f.status, Frame::Status::complete);
  EXPECT_EQ(f.size, 5u);
}

TEST(NumberedReplyFramer, SingleAndMultiLine) {
  const auto framer = numbered_reply_framer();
  const Frame single = framer(text("220 ready\r\n234 next"));
  EXPECT_EQ(single.status, Frame::Status::complete);
  EXPECT_EQ(single.size, 11u);
  EXPECT_EQ(framer(text("220-Welcome\r\n more text\r\n")).status, Frame::Status::need_more);
  const std::string multi = "220-Welcome\r\n more text\r\n220-still\r\n220 done\r\n";
  const Frame f = framer(text(multi + "extra"));
  EXPECT_EQ(f.status, Frame::Status::complete);
  EXPECT_EQ(f.size, multi.size());
}

TEST(NumberedReplyFramer, ReplyWithoutCodeIsAProtocolError) {
  const Frame f = numbered_reply_framer()(text("SSH-2.0-OpenSSH_9.2\r\n"));
  EXPECT_EQ(f.status, Frame::Status::reject);
  EXPECT_EQ(f.label, Outcome::protocol_error);
  EXPECT_EQ(numbered_reply_framer()(text("22")).status, Frame::Status::need_more);
  EXPECT_EQ(numbered_reply_framer()(text("22x")).status, Frame::Status::reject);
}

TEST(NumberedReplyFramer, BinaryInsideAReplyIsAProtocolError) {
  const Frame f = numbered_reply_framer()(hex("32 32 30 2d 41 00 41"));
  EXPECT_EQ(f.status, Frame::Status::reject);
  EXPECT_EQ(f.detail, "binary byte 0x00 at offset 5 where a numbered reply was expected");
}

TEST(LineFramer, OneLine) {
  const Frame f = line_framer()(text("+OK POP3 ready\r\n+OK"));
  EXPECT_EQ(f.status, Frame::Status::complete);
  EXPECT_EQ(f.size, 16u);
}

TEST(ImapReplyFramer, UntaggedLinesThenTheTaggedOne) {
  const auto framer = imap_reply_framer("a1");
  const std::string reply = "* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK done\r\n";
  EXPECT_EQ(framer(text(reply.substr(0, 40))).status, Frame::Status::need_more);
  const Frame f = framer(text(reply));
  EXPECT_EQ(f.status, Frame::Status::complete);
  EXPECT_EQ(f.size, reply.size());
  const Frame greeting = imap_reply_framer("*")(text("* OK IMAP ready\r\n"));
  EXPECT_EQ(greeting.size, 17u);
  EXPECT_EQ(framer(text("HTTP/1.1 400\r\n")).status, Frame::Status::reject);
}

TEST(SshBannerFramer, SkipsPreBannerLines) {
  const std::string banner = "Welcome\r\nauthorised use only\r\nSSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";
  const Frame f = ssh_banner_framer()(text(banner + "\x00\x00"));
  EXPECT_EQ(f.status, Frame::Status::complete);
  EXPECT_EQ(f.size, banner.size());
  EXPECT_EQ(ssh_banner_framer()(text("SSH-2.0-x")).status, Frame::Status::need_more);
}

TEST(SshPacketFramer, AnnouncedLengthDrivesTheNeed) {
  const auto framer = ssh_packet_framer();
  const Frame huge = framer(hex("01 00 00 00 0a"));
  EXPECT_EQ(huge.status, Frame::Status::need_more);
  EXPECT_EQ(huge.size, 16777216u - 1);
  const Frame f = framer(hex("00 00 00 06 04 15 00 00 00 00 ff"));
  EXPECT_EQ(f.status, Frame::Status::complete);
  EXPECT_EQ(f.size, 10u);
  EXPECT_EQ(framer(hex("00 00 00 02 00 00")).status, Frame::Status::reject);
}

TEST(DatagramFramer, WholeDatagram) {
  EXPECT_EQ(datagram_framer()(hex("01 02 03")).size, 3u);
  EXPECT_EQ(datagram_framer()(ByteVec{}).status, Frame::Status::need_more);
}

}  // namespace
}  // namespace sd::probe
