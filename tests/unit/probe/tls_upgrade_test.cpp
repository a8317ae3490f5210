// The upgrade dialogues against scripted peers, the LDAP StartTLS BER against OpenSSL's captured request, and
// the hello answer reading (alert, alert then plaintext, plaintext, close).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "probe/engine/engine.h"
#include "probe/tls/flight.h"
#include "probe/tls/hello.h"
#include "probe/tls/upgrade.h"
#include "scripted_peer.h"

namespace sd::probe::tls {
namespace {

using testing::PeerConn;
using testing::ScriptedPeer;

constexpr int kWait = 3000;
// A fatal handshake_failure alert record (RFC 5246 7.2).
const std::string kAlert40("\x15\x03\x03\x00\x02\x02\x28", 7);

std::string read_vector(const std::string& name) {
  std::ifstream in(std::string(SD_SOURCE_DIR) + "/tests/vectors/probe/tls/" + name);
  std::string hex;
  in >> hex;
  return hex;
}

// Runs one hello conversation against the peer and returns what it read.
Flight run_hello(std::uint16_t port, Upgrade upgrade, JobResult* job_out = nullptr) {
  Flight flight;
  const ByteVec hello = build_offer(Offer{.version = kTls12, .suites = {0xc02f}, .groups = {0x001d}});
  Job job{.name = "t", .target = Target{.host = "127.0.0.1", .port = port},
          .limits = Limits{.connect_timeout = Millis(2000), .io_timeout = Millis(2000), .deadline = Millis(10000)},
          .conversation = hello_conversation(upgrade, hello, Millis(2000), flight)};
  auto results = run_jobs({std::move(job)});
  settle(flight, results[0]);
  if (job_out != nullptr) *job_out = results[0];
  return flight;
}

// After the dialogue, the peer reads the hello's record header and refuses it with an alert.
void refuse_hello(PeerConn& c) {
  if (c.read_some(kWait).empty()) return;
  c.send(kAlert40);
  c.close();
}

TEST(TlsUpgrade, LdapRequestIsWhatOpensslSends) {
  EXPECT_EQ(to_hex(ldap_starttls_request(1)), read_vector("ldap-starttls-request.openssl-s_client.hex"));
}

TEST(TlsUpgrade, LdapResponseParses) {
  // RFC 4511 4.12: LDAPMessage { id 1, ExtendedResponse { success, "", "", responseName StartTLS OID } }.
  const auto bytes = from_hex("3024020101781f0a0100040004008a16312e332e362e312e342e312e313436362e3230303337");
  const auto parsed = parse_ldap_extended_response(*bytes);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->message_id, 1u);
  EXPECT_EQ(parsed->result_code, 0u);
  EXPECT_EQ(parsed->response_name, "1.3.6.1.4.1.1466.20037");
}

TEST(TlsUpgrade, LdapRefusalAndGarbage) {
  // protocolError (2) with a diagnostic message.
  const auto refused = parse_ldap_extended_response(*from_hex("301102010178" "0c" "0a0102" "0400" "0405" "6e6f20746c"));
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_EQ(refused->result_code, 2u);
  EXPECT_EQ(refused->diagnostic, "no tl");
  const auto bind_response = parse_ldap_extended_response(*from_hex("300c02010161070a010004000400"));
  ASSERT_FALSE(bind_response);
  EXPECT_EQ(bind_response.error().path, "ldap_message.protocol_op");
  const auto cut = parse_ldap_extended_response(*from_hex("3024020101781f0a01"));
  ASSERT_FALSE(cut);
}

TEST(TlsUpgrade, LdapFramerHandlesLongLengths) {
  const auto framer = ldap_message_framer();
  const auto short_form = *from_hex("300c02010161070a010004000400ff");
  EXPECT_EQ(framer(short_form).status, Frame::Status::complete);
  EXPECT_EQ(framer(short_form).size, 14u);
  const auto long_form = *from_hex("30820003020101");
  EXPECT_EQ(framer(long_form).status, Frame::Status::complete);
  EXPECT_EQ(framer(long_form).size, 7u);
  EXPECT_EQ(framer(*from_hex("308200")).status, Frame::Status::need_more);
  EXPECT_EQ(framer(*from_hex("0a0100")).status, Frame::Status::reject);
}

TEST(TlsUpgrade, ReplyCode) {
  const std::string reply = "234 Proceed with negotiation.\r\n";
  EXPECT_EQ(reply_code(Bytes(reinterpret_cast<const std::uint8_t*>(reply.data()), reply.size())), 234);
  const std::string text = "+OK";
  EXPECT_EQ(reply_code(Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())), 0);
}

TEST(TlsUpgrade, FtpFallsBackToAuthSsl) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send("220-Welcome\r\n220 ready\r\n");
    if (c.read_line(kWait) != "AUTH TLS\r\n") return;
    c.send("504 Unknown AUTH type.\r\n");
    if (c.read_line(kWait) != "AUTH SSL\r\n") return;
    c.send("334 Using authentication type SSL\r\n");
    refuse_hello(c);
  });
  ASSERT_TRUE(peer.ok());
  const Flight flight = run_hello(peer.port(), Upgrade::ftp);
  EXPECT_EQ(flight.upgrade.command, "AUTH SSL");
  EXPECT_EQ(flight.upgrade.auth_tls, false);
  EXPECT_EQ(flight.upgrade.auth_ssl, true);
  ASSERT_EQ(flight.upgrade.replies.size(), 3u);
  EXPECT_EQ(flight.upgrade.replies[1], "504 Unknown AUTH type.");
  EXPECT_EQ(flight.answer.refusal, Refusal::alert);
  EXPECT_EQ(flight.answer.alert_code, 40);
}

TEST(TlsUpgrade, FtpAlertThenOops) {
  // vsftpd's way of refusing a hello: a fatal alert, then "500 OOPS" in plaintext on the same connection.
  ScriptedPeer peer([](PeerConn& c) {
    c.send("220 (vsFTPd 3.0.3)\r\n");
    if (c.read_line(kWait) != "AUTH TLS\r\n") return;
    c.send("234 Proceed with negotiation.\r\n");
    if (c.read_some(kWait).empty()) return;
    c.send(kAlert40);
    c.send("500 OOPS: SSL: ssl_accept failed\r\n");
    c.close();
  });
  ASSERT_TRUE(peer.ok());
  JobResult job;
  const Flight flight = run_hello(peer.port(), Upgrade::ftp, &job);
  EXPECT_EQ(flight.upgrade.command, "AUTH TLS");
  EXPECT_EQ(flight.answer.refusal, Refusal::alert_then_text);
  EXPECT_EQ(flight.answer.alert_code, 40);
  EXPECT_EQ(flight.answer.text, "500 OOPS: SSL: ssl_accept failed");
  EXPECT_EQ(job.outcome, Outcome::alert_then_plaintext);
}

TEST(TlsUpgrade, SmtpStarttls) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send("220 mail.example ESMTP\r\n");
    if (c.read_line(kWait) != "EHLO shakedown.invalid\r\n") return;
    c.send("250-mail.example\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
    if (c.read_line(kWait) != "STARTTLS\r\n") return;
    c.send("220 2.0.0 Ready to start TLS\r\n");
    refuse_hello(c);
  });
  ASSERT_TRUE(peer.ok());
  const Flight flight = run_hello(peer.port(), Upgrade::smtp);
  EXPECT_EQ(flight.upgrade.command, "STARTTLS");
  EXPECT_EQ(flight.answer.refusal, Refusal::alert);
}

TEST(TlsUpgrade, SmtpWithoutStarttlsIsRefused) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send("220 mail.example ESMTP\r\n");
    if (c.read_line(kWait).empty()) return;
    c.send("250 mail.example\r\n");
    if (c.read_line(kWait).empty()) return;
    c.send("502 5.5.1 Unrecognized command\r\n");
    c.read_some(kWait);
  });
  ASSERT_TRUE(peer.ok());
  JobResult job;
  const Flight flight = run_hello(peer.port(), Upgrade::smtp, &job);
  EXPECT_FALSE(flight.upgraded);
  EXPECT_EQ(job.outcome, Outcome::protocol_error);
  EXPECT_EQ(job.detail, "the server refused STARTTLS: \"502 5.5.1 Unrecognized command\"");
  EXPECT_EQ(flight.answer.refusal, Refusal::unknown);
}

TEST(TlsUpgrade, ImapStarttls) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
    if (c.read_line(kWait) != "a STARTTLS\r\n") return;
    c.send("a OK Begin TLS negotiation now.\r\n");
    refuse_hello(c);
  });
  ASSERT_TRUE(peer.ok());
  const Flight flight = run_hello(peer.port(), Upgrade::imap);
  EXPECT_EQ(flight.upgrade.command, "STARTTLS");
  EXPECT_EQ(flight.answer.refusal, Refusal::alert);
}

TEST(TlsUpgrade, Pop3Stls) {
  ScriptedPeer peer([](PeerConn& c) {
    c.send("+OK POP3 ready\r\n");
    if (c.read_line(kWait) != "STLS\r\n") return;
    c.send("+OK Begin TLS negotiation\r\n");
    refuse_hello(c);
  });
  ASSERT_TRUE(peer.ok());
  const Flight flight = run_hello(peer.port(), Upgrade::pop3);
  EXPECT_EQ(flight.upgrade.command, "STLS");
  EXPECT_EQ(flight.answer.refusal, Refusal::alert);
}

TEST(TlsUpgrade, LdapStartTls) {
  ScriptedPeer peer([](PeerConn& c) {
    const std::string request = c.read_some(kWait);
    if (to_hex(Bytes(reinterpret_cast<const std::uint8_t*>(request.data()), request.size())) !=
        "301d02010177188016312e332e362e312e342e312e313436362e3230303337")
      return;
    const auto ok = *from_hex("3024020101781f0a0100040004008a16312e332e362e312e342e312e313436362e3230303337");
    c.send(std::string(ok.begin(), ok.end()));
    refuse_hello(c);
  });
  ASSERT_TRUE(peer.ok());
  const Flight flight = run_hello(peer.port(), Upgrade::ldap);
  EXPECT_EQ(flight.upgrade.command, "StartTLS");
  EXPECT_EQ(flight.answer.refusal, Refusal::alert);
}

TEST(TlsUpgrade, PlaintextAndCloseAnswers) {
  ScriptedPeer text([](PeerConn& c) {
    if (c.read_some(kWait).empty()) return;
    c.send("421 Service not available\r\n");
    c.close();
  });
  ScriptedPeer silent_close([](PeerConn& c) {
    if (c.read_some(kWait).empty()) return;
    c.close();
  });
  ASSERT_TRUE(text.ok() && silent_close.ok());
  const Flight plain = run_hello(text.port(), Upgrade::none);
  EXPECT_EQ(plain.answer.refusal, Refusal::plaintext);
  EXPECT_EQ(plain.answer.text, "421 Service not available");
  const Flight closed = run_hello(silent_close.port(), Upgrade::none);
  EXPECT_EQ(closed.answer.refusal, Refusal::closed);
}

}  // namespace
}  // namespace sd::probe::tls
