// Live FTPS failures against real vsftpd and proftpd: data-channel session reuse, and the seed-002
// z/OS ClientHello (TLS 1.0, CBC suites, no extensions) sent after AUTH TLS.

#include <gtest/gtest.h>

#include "capture.h"
#include "servers.h"

namespace sd::peers {
namespace {

// The 57-byte ClientHello body of seed 002 (z/OS FTP client), wrapped in a TLS 1.0 handshake record.
const std::string kSeed002Hello =
    "160301 0039"
    "01000035 03016038 53AEFEE4 0E3FA5C1 738D1174 97B11A6C 48D50A52 9ED8C9F6 19AF4C56 C20D0000"
    "0E00FF00 35003800 39002F00 32003301 00";

// A text transcript of the raw client's side, written as that client's log.
class Transcript {
 public:
  void sent(std::string_view what) { text_ += "client -> server: " + std::string(what) + "\n"; }
  void received(std::string_view what) { text_ += "server -> client: " + std::string(what) + "\n"; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

std::string trimmed(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

// Connects, reads the banner, sends AUTH TLS and the seed-002 hello, and records everything the server said.
std::string send_seed002_hello(std::uint16_t port, const fs::path& client_log) {
  RawClient c(port, milliseconds(5000));
  Transcript t;
  t.received(trimmed(c.read_line().value_or("(no banner)")));
  t.sent("AUTH TLS");
  c.send("AUTH TLS\r\n");
  t.received(trimmed(c.read_line().value_or("(no reply to AUTH TLS)")));
  const std::string hello = unhex(kSeed002Hello);
  t.sent("TLS record (" + std::to_string(hello.size()) + " bytes): " + hex(hello));
  c.send(hello);
  const std::string answer = c.read_all();
  t.received("raw bytes (" + std::to_string(answer.size()) + "): " + hex(answer));
  t.received("as text: " + trimmed(answer.size() > 7 ? answer.substr(7) : answer));
  write_text(client_log, t.text());
  return answer;
}

Capture vsftpd_reuse() {
  Capture c{.dir = std::make_unique<TempDir>("vsftpd-reuse")};
  const TempDir& dir = *c.dir;
  const CertFiles cert = make_cert(dir.path(), "server", {});
  const Server server = start_vsftpd(dir, cert, "require_ssl_reuse=YES\n");
  // curl opens the data connection with a fresh TLS session: --no-sessionid turns off its session cache.
  Launch curl{.argv = {"/usr/bin/curl", "-v", "--ssl-reqd", "--insecure", "--no-sessionid", "--max-time", "20",
                       "ftp://127.0.0.1:" + std::to_string(server.port) + "/"},
              .output = dir / "curl.log"};
  c.client_exit = run(curl, milliseconds(30000));
  c.files = {{"vsftpd.log", server.log}, {"curl.log", dir / "curl.log"}};
  return c;
}

Capture vsftpd_seed002() {
  Capture c{.dir = std::make_unique<TempDir>("vsftpd-seed002")};
  const TempDir& dir = *c.dir;
  const Server server = start_vsftpd(dir, make_cert(dir.path(), "server", {}), "");
  c.answer = send_seed002_hello(server.port, dir / "client.log");
  wait_text(server.log, "SSL_accept failed", milliseconds(5000));
  c.files = {{"vsftpd.log", server.log}, {"client.log", dir / "client.log"}};
  save_live_hex("vsftpd-seed002-answer", c.answer);
  return c;
}

Capture proftpd_seed002() {
  Capture c{.dir = std::make_unique<TempDir>("proftpd-seed002")};
  const TempDir& dir = *c.dir;
  const Server server = start_proftpd(dir, make_cert(dir.path(), "server", {}), "");
  c.answer = send_seed002_hello(server.port, dir / "client.log");
  wait_text(server.tls_log, "negotiation failed", milliseconds(5000));
  c.files = {{"proftpd.log", server.log}, {"proftpd-tls.log", server.tls_log}, {"client.log", dir / "client.log"}};
  save_live_hex("proftpd-seed002-answer", c.answer);
  return c;
}

const Capture& reuse() { return captured("vsftpd-require-ssl-reuse", vsftpd_reuse); }
const Capture& vsftpd_hello() { return captured("vsftpd-seed002-hello", vsftpd_seed002); }
const Capture& proftpd_hello() { return captured("proftpd-seed002-hello", proftpd_seed002); }

TEST(LiveVsftpdReuse, DataConnectionWithoutReuseGets522) {
  const Capture& c = reuse();
  EXPECT_EQ(c.client_exit, 18);  // curl: partial file / "server did not report OK"
  const std::string server = c.text("vsftpd.log");
  EXPECT_NE(server.find("\"PROT P\""), std::string::npos);
  EXPECT_NE(server.find("\"No SSL session reuse on data channel.\""), std::string::npos);
  EXPECT_NE(server.find("\"522 SSL connection failed: session reuse required\""), std::string::npos);
  EXPECT_NE(c.text("curl.log").find("< 522 SSL connection failed: session reuse required"), std::string::npos);
}

TEST(LiveVsftpdReuse, ExplainNamesRequireSslReuse) { expect_diagnosis(reuse(), "ftps.vsftpd-require-ssl-reuse"); }

TEST(LiveVsftpdSeed002, AnswersAlertThenPlaintextOops) {
  const Capture& c = vsftpd_hello();
  // A fatal handshake_failure alert in a TLS 1.0 record, then the reply in clear on the same socket.
  EXPECT_EQ(hex(c.answer.substr(0, 7)), "15030100020228");
  EXPECT_EQ(c.answer.substr(7), "500 OOPS: error:0A0000C1:SSL routines::no shared cipher\r\n");
  EXPECT_NE(c.text("vsftpd.log").find("SSL_accept failed: error:0A0000C1:SSL routines::no shared cipher"),
            std::string::npos);
  EXPECT_NE(c.text("client.log").find("234 Proceed with negotiation."), std::string::npos);
}

TEST(LiveVsftpdSeed002, ExplainNamesNoSharedCipher) { expect_diagnosis(vsftpd_hello(), "tls.no-shared-cipher"); }

TEST(LiveProftpdSeed002, AnswersAlertThenPlaintext421) {
  const Capture& c = proftpd_hello();
  // A fatal protocol_version alert, then the reply in clear.
  EXPECT_EQ(hex(c.answer.substr(0, 7)), "15030100020246");
  EXPECT_EQ(c.answer.substr(7), "421 TLS handshake failed\r\n");
  const std::string tls = c.text("proftpd-tls.log");
  EXPECT_NE(tls.find("unable to accept TLS connection: protocol error"), std::string::npos);
  EXPECT_NE(tls.find("error:0A000102:SSL routines::unsupported protocol"), std::string::npos);
  EXPECT_NE(tls.find("TLS/TLS-C negotiation failed on control channel"), std::string::npos);
  EXPECT_NE(c.text("client.log").find("234 AUTH TLS successful"), std::string::npos);
}

TEST(LiveProftpdSeed002, ExplainNamesClientVersionTooOld) {
  expect_diagnosis(proftpd_hello(), "tls.client-version-too-old");
}

}  // namespace
}  // namespace sd::peers
