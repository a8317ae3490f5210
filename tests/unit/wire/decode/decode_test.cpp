// The decode layer end to end: text in (through hexdump::recover), messages, notes and findings out.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "wire/decode/decode.h"

namespace sd::decode {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kSeed002 = std::string(SD_SOURCE_DIR) + "/tests/vectors/seeds/002_a176fd87c9f61e0c.txt";

bool has_note(const Message& m, const std::string& text) {
  for (const auto& n : m.notes)
    if (n == text) return true;
  return false;
}

TEST(DecodeSeed002, ClientHelloAtTls10AndPlaintextFtpReply) {
  const std::string text = read_file(kSeed002);
  ASSERT_FALSE(text.empty()) << kSeed002;
  const auto messages = decode_text(text);
  ASSERT_EQ(messages.size(), 2u);

  const Message& hello = messages[0];
  EXPECT_EQ(hello.kind, "tls-handshake");
  EXPECT_EQ(hello.summary.message, "ClientHello");
  EXPECT_EQ(hello.summary.max_version, 0x0301);
  EXPECT_TRUE(hello.summary.extensions.empty());
  EXPECT_EQ(hello.summary.cipher_suites, (std::vector<std::uint16_t>{0x00ff, 0x0035, 0x0038, 0x0039, 0x002f, 0x0032, 0x0033}));
  EXPECT_TRUE(hello.summary.all_cbc);
  EXPECT_FALSE(hello.summary.no_forward_secrecy);
  EXPECT_TRUE(hello.summary.has_reneg_scsv);
  EXPECT_FALSE(hello.error.has_value());
  EXPECT_EQ(hello.first_line, 32u);
  EXPECT_EQ(hello.last_line, 35u);
  EXPECT_EQ(hello.label, "V3 CLIENT-HELLO message");
  EXPECT_TRUE(has_note(hello, "Highest version offered: TLS 1.0 (0x0301)."));

  const Message& reply = messages[1];
  EXPECT_EQ(reply.kind, "plaintext");
  EXPECT_EQ(reply.summary.plaintext, "550 T");
  EXPECT_EQ(reply.summary.plaintext_kind, "ftp-reply");
  EXPECT_EQ(reply.first_line, 54u);
  EXPECT_EQ(reply.label, "SSL record header");
  EXPECT_TRUE(has_note(reply, "A TLS reader takes the first byte '5' (0x35) as a record content type 53, which does not exist; the peer did not start TLS."));

  const auto found = findings(messages, "seed.txt");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, "tls.plaintext-reply");
  EXPECT_EQ(found[0].severity, Severity::high);
  EXPECT_EQ(found[0].evidence.at(0).line, 54u);
  EXPECT_EQ(found[0].evidence.at(0).bytes_hex, "3535302054");
  EXPECT_EQ(found[1].id, "tls.client-hello-legacy-only");
  EXPECT_EQ(found[1].evidence.at(0).side, "client");
}

TEST(DecodeExamples, ZosTraceJoinsTheRecordHeaderWithItsBody) {
  const auto messages = decode_text(read_file(std::string(SD_SOURCE_DIR) + "/examples/zos-systemssl-ftps-tls10.txt"));
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].summary.message, "ClientHello");
  EXPECT_EQ(messages[0].summary.cipher_suites, (std::vector<std::uint16_t>{0x002f, 0x0035, 0x000a, 0x00ff}));
  EXPECT_TRUE(messages[0].summary.no_forward_secrecy);
  EXPECT_EQ(messages[1].summary.message, "record header");
  EXPECT_EQ(messages[2].summary.message, "Alert");
  EXPECT_EQ(messages[2].summary.alert_description, "protocol_version");
  EXPECT_EQ(messages[2].first_line, 26u);
  EXPECT_EQ(messages[2].last_line, 30u);
  const auto found = findings(messages, "x");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, "tls.alert.protocol_version");
  EXPECT_EQ(found[1].id, "tls.client-hello-legacy-only");
}

TEST(DecodeExamples, OpensslMsgTls13CarriesTheServerHelloContext) {
  const auto messages = decode_text(read_file(std::string(SD_SOURCE_DIR) + "/examples/openssl-s_client-msg-tls13.txt"));
  std::vector<std::string> handshake;
  for (const auto& m : messages)
    if ((m.kind == "tls-handshake" || m.kind == "tls-record") && m.summary.message != "record header" &&
        m.summary.message != "change_cipher_spec")
      handshake.push_back(m.summary.message);
  EXPECT_EQ(handshake, (std::vector<std::string>{"ClientHello", "ServerHello", "EncryptedExtensions", "CertificateRequest",
                                                 "Certificate", "CertificateVerify", "Finished", "Certificate", "Finished"}));
  for (const auto& m : messages) EXPECT_FALSE(m.error.has_value()) << m.label;
  EXPECT_EQ(messages[1].kind, "tls-record");  // the ClientHello, joined with the RecordHeader dump before it
  EXPECT_EQ(messages[1].summary.record_version, 0x0301);
  const auto found = findings(messages, "x");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "tls.alert.certificate_required");
}

hexdump::Dump dump_of(const std::string& hex) {
  hexdump::Dump d;
  d.format = "plain";
  d.bytes = *from_hex(hex);
  d.first_line = 7;
  d.last_line = 8;
  d.byte_lines.assign(d.bytes.size(), 7);
  if (!d.byte_lines.empty()) d.byte_lines.back() = 8;
  return d;
}

TEST(DecodeDump, AlertThenPlaintextIsOneFinding) {
  const auto messages = decode_dump(dump_of("1503010002022835303020"));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].kind, "alert+plaintext");
  EXPECT_EQ(messages[0].first_line, 7u);
  EXPECT_EQ(messages[0].last_line, 8u);
  const auto found = findings(messages, "f");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "tls.alert-then-plaintext");
}

TEST(DecodeDump, ModernHelloIsNotAProblem) {
  // TLS 1.2 hello with SNI and signature_algorithms, ECDHE-GCM only: notes, no findings
  const auto messages = decode_dump(dump_of(
      "160301004b0100004703030000000000000000000000000000000000000000000000000000000000000000000002c02f0100"
      "001c000000080006000003612e62000d000400020804000a00040002001d"));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_FALSE(messages[0].error.has_value()) << messages[0].error->message;
  EXPECT_TRUE(messages[0].summary.has_sni);
  EXPECT_TRUE(findings(messages, "f").empty());
}

TEST(DecodeText, NoDumpMeansNoMessages) { EXPECT_TRUE(decode_text("nothing to see here\njust words\n").empty()); }

}  // namespace
}  // namespace sd::decode
