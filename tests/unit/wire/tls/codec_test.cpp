// The codec on its own: builder round trips, need-more versus malformed, record framing, plaintext recognition.
#include <gtest/gtest.h>

#include "wire/tls/builder.h"
#include "wire/tls/describe.h"
#include "wire/tls/extensions.h"
#include "wire/tls/parse.h"
#include "wire/tls/plaintext.h"

namespace sd::tls {
namespace {

ClientHelloSpec full_spec() {
  ClientHelloSpec s;
  s.random = ByteVec(32, 0x11);
  s.session_id = ByteVec(32, 0x22);
  s.cipher_suites = {0x1301, 0xc02f, 0x00ff};
  s.server_name = "zos.example";
  s.supported_groups = {0x001d, 0x0017};
  s.signature_algorithms = {0x0804, 0x0401};
  s.supported_versions = {0x0304, 0x0303};
  s.alpn = {"ftp"};
  s.key_shares = {{0x001d, ByteVec(32, 0x33)}};
  s.ec_point_formats = s.extended_master_secret = s.encrypt_then_mac = s.renegotiation_info = true;
  s.session_ticket = s.psk_dhe_ke = true;
  return s;
}

TEST(ClientHelloBuilder, RoundTripsThroughTheParser) {
  const ByteVec bytes = build_client_hello_record(full_spec());
  Reader in = Reader::stream(bytes);
  auto rec = read_record(in);
  ASSERT_TRUE(rec.ok());
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(rec->content_type, code::kHandshake);
  EXPECT_EQ(rec->version, 0x0301);
  Reader frag = Reader::stream(rec->fragment, rec->fragment_offset);
  auto hs = read_handshake(frag);
  ASSERT_TRUE(hs.ok()) << hs.error().message;
  const auto& ch = std::get<ClientHello>(hs->body);
  EXPECT_EQ(ch.legacy_version, 0x0303);
  EXPECT_EQ(ch.session_id, ByteVec(32, 0x22));
  EXPECT_EQ(ch.cipher_suites, (std::vector<std::uint16_t>{0x1301, 0xc02f, 0x00ff}));
  EXPECT_EQ(ch.extensions.size(), 12u);
  EXPECT_EQ(server_name(ch), "zos.example");
  EXPECT_EQ(offered_versions(ch), (std::vector<std::uint16_t>{0x0304, 0x0303}));
  EXPECT_EQ(highest_offered_version(ch), 0x0304);
  EXPECT_EQ(u16_list(*find_extension(ch.extensions, code::kSignatureAlgorithms)), (std::vector<std::uint16_t>{0x0804, 0x0401}));
  for (const auto& e : ch.extensions) EXPECT_EQ(describe_extension(e, Place::client_hello).child("error"), nullptr) << e.type;
}

TEST(ClientHelloBuilder, PreExtensionHelloHasNoExtensionBlock) {
  ClientHelloSpec s;
  s.legacy_version = 0x0301;
  s.cipher_suites = {0x0035};
  s.extensions_block = false;
  const ByteVec bytes = build_client_hello(s);
  EXPECT_EQ(bytes.size(), 4u + 2 + 32 + 1 + 4 + 2);
  Reader in = Reader::stream(bytes);
  auto hs = read_handshake(in);
  ASSERT_TRUE(hs.ok());
  EXPECT_FALSE(std::get<ClientHello>(hs->body).has_extensions_block);
}

TEST(Records, ShortInputNeedsMoreAndWrongHeaderIsMalformed) {
  const ByteVec partial = {0x16, 0x03, 0x03, 0x00, 0x10, 0x01};
  Reader a = Reader::stream(partial);
  auto r = read_record(a);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().need_more());
  EXPECT_EQ(r.error().offset, 3u);  // the length field that promises more than there is

  const ByteVec text = {'5', '5', '0', ' ', 'T'};
  Reader b = Reader::stream(text);
  auto t = read_record(b);
  ASSERT_FALSE(t.ok());
  EXPECT_FALSE(t.error().need_more());
  EXPECT_EQ(t.error().code, "not_a_record");

  const ByteVec oversize = {0x17, 0x03, 0x03, 0xff, 0xff};
  EXPECT_FALSE(looks_like_record_header(oversize));
}

TEST(Records, HandshakeTruncatedInsideABoundedBodyIsMalformed) {
  // handshake header says 6 bytes of ServerHello body, which cannot hold a ServerHello
  const ByteVec bytes = {0x02, 0x00, 0x00, 0x06, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00};
  Reader in = Reader::stream(bytes);
  auto hs = read_handshake(in);
  ASSERT_FALSE(hs.ok());
  EXPECT_FALSE(hs.error().need_more());
  EXPECT_EQ(hs.error().path, "server_hello.random");
}

TEST(Alerts, DescribedByName) {
  const ByteVec bytes = {0x02, 0x46};
  auto alerts = parse_alerts(Reader::bounded(bytes, 5));
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  const Field f = describe(alerts->front());
  EXPECT_EQ(f.value, "fatal protocol_version");
  EXPECT_EQ(f.offset, 5u);
  EXPECT_EQ(f.child("description")->code, 70u);
  EXPECT_FALSE(parse_alerts(Reader::bounded(Bytes(bytes).first(1))).ok());
}

TEST(Plaintext, RecognisesWhatThePeerSaid) {
  const auto kind = [](std::string_view s) {
    return classify_plaintext(Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())).kind;
  };
  EXPECT_EQ(kind("550 T"), "ftp-reply");
  EXPECT_EQ(kind("500 OOPS: SSL: cannot load RSA certificate"), "ftp-reply");
  EXPECT_EQ(kind("220 ProFTPD Server ready.\r\n"), "ftp-reply");
  EXPECT_EQ(kind("220 mx.example ESMTP Postfix\r\n"), "smtp-greeting");
  EXPECT_EQ(kind("* OK [CAPABILITY IMAP4rev1] ready\r\n"), "imap-greeting");
  EXPECT_EQ(kind("+OK POP3 ready\r\n"), "pop3-greeting");
  EXPECT_EQ(kind("SSH-2.0-OpenSSH_9.2p1\r\n"), "ssh-banner");
  EXPECT_EQ(kind("HTTP/1.1 400 Bad Request\r\n"), "http");
  EXPECT_EQ(kind("hello there"), "text");
  const ByteVec record = {0x16, 0x03, 0x01, 0x00, 0x05};
  EXPECT_FALSE(looks_like_text(record));
  const std::string_view short_text = "55";
  EXPECT_FALSE(looks_like_text(Bytes(reinterpret_cast<const std::uint8_t*>(short_text.data()), short_text.size())));
}

}  // namespace
}  // namespace sd::tls
