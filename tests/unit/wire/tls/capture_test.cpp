// ClientHellos captured from the real clients on this machine, and server flights from a real openssl s_server,
// decoded and checked field by field. Each capture is also written to <build>/captures/ for the vector files.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "loopback.h"
#include "wire/decode/decode.h"
#include "wire/tls/builder.h"
#include "wire/tls/messages.h"
#include "wire/tls/parse.h"

namespace sd {
namespace {

using decode::Message;

void save(const std::string& name, Bytes bytes) {
  const std::string dir = std::string(SD_BINARY_DIR) + "/captures";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/" + name + ".hex") << to_hex(bytes) << "\n";
}

std::vector<Message> decode_bytes(const ByteVec& bytes) {
  hexdump::Dump d;
  d.format = "plain";
  d.first_line = d.last_line = 1;
  d.bytes = bytes;
  d.byte_lines.assign(bytes.size(), 1);
  return decode::decode_dump(d);
}

bool has(const std::vector<std::uint16_t>& v, std::uint16_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

Message client_hello_from(const std::string& name, const std::string& command) {
  const auto bytes = test::capture_client_hello(command);
  EXPECT_TRUE(bytes.has_value()) << command;
  if (!bytes) return {};
  save(name, *bytes);
  const auto messages = decode_bytes(*bytes);
  EXPECT_EQ(messages.size(), 1u);
  if (messages.empty()) return {};
  EXPECT_FALSE(messages[0].error.has_value()) << messages[0].error->message;
  EXPECT_EQ(messages[0].summary.message, "ClientHello");
  return messages[0];
}

constexpr const char* kLegacyCiphers = " -cipher DEFAULT:@SECLEVEL=0";

TEST(CapturedClientHello, OpensslTls10) {
  const Message m = client_hello_from("openssl_s_client_tls1",
      std::string("openssl s_client -connect 127.0.0.1:{port} -tls1 -servername tls1.example") + kLegacyCiphers + " </dev/null");
  EXPECT_EQ(m.kind, "tls-record");
  EXPECT_EQ(m.summary.max_version, 0x0301);
  EXPECT_TRUE(m.summary.has_sni);
  EXPECT_FALSE(m.summary.has_signature_algorithms);  // signature_algorithms is a TLS 1.2 extension
  EXPECT_TRUE(has(m.summary.cipher_suites, tls::code::kRenegotiationScsv));
  EXPECT_TRUE(has(m.summary.cipher_suites, 0xc014));  // ECDHE-RSA-AES256-SHA
  EXPECT_FALSE(has(m.summary.cipher_suites, 0xc02f)); // no TLS 1.2-only suite in a TLS 1.0-only hello
}

TEST(CapturedClientHello, OpensslTls12) {
  const Message m = client_hello_from("openssl_s_client_tls1_2",
      "openssl s_client -connect 127.0.0.1:{port} -tls1_2 -servername tls12.example </dev/null");
  EXPECT_EQ(m.summary.max_version, 0x0303);
  EXPECT_EQ(m.summary.record_version, 0x0301);
  EXPECT_TRUE(m.summary.has_sni);
  EXPECT_TRUE(m.summary.has_signature_algorithms);
  EXPECT_TRUE(m.summary.has_supported_groups);
  EXPECT_FALSE(has(m.summary.extensions, tls::code::kSupportedVersions));
  EXPECT_TRUE(has(m.summary.cipher_suites, 0xc02f));
  EXPECT_FALSE(has(m.summary.cipher_suites, 0x1301));  // TLS 1.3 suites are left out of a 1.2-only hello
  EXPECT_FALSE(m.summary.all_cbc);
  EXPECT_FALSE(m.summary.no_forward_secrecy);
}

TEST(CapturedClientHello, OpensslTls13) {
  const Message m = client_hello_from("openssl_s_client_tls1_3",
      "openssl s_client -connect 127.0.0.1:{port} -tls1_3 -servername tls13.example </dev/null");
  EXPECT_EQ(m.summary.max_version, 0x0304);
  EXPECT_TRUE(has(m.summary.extensions, tls::code::kSupportedVersions));
  EXPECT_TRUE(has(m.summary.extensions, tls::code::kKeyShare));
  EXPECT_TRUE(has(m.summary.extensions, tls::code::kPskModes));
  EXPECT_EQ(m.summary.cipher_suites, (std::vector<std::uint16_t>{0x1302, 0x1303, 0x1301, 0x00ff}));
}

TEST(CapturedClientHello, GnutlsCli) {
  const Message m = client_hello_from("gnutls_cli",
      "gnutls-cli --insecure --port {port} --sni-hostname gnutls.example 127.0.0.1 </dev/null");
  EXPECT_EQ(m.summary.max_version, 0x0304);
  EXPECT_TRUE(m.summary.has_sni);
  EXPECT_TRUE(m.summary.has_signature_algorithms);
  EXPECT_TRUE(has(m.summary.extensions, tls::code::kKeyShare));
  EXPECT_TRUE(has(m.summary.extensions, tls::code::kExtendedMasterSecret));
}

TEST(CapturedClientHello, Curl) {
  const Message m = client_hello_from("curl",
      "curl -sk --max-time 5 --resolve curl.example:{port}:127.0.0.1 https://curl.example:{port}/");
  EXPECT_EQ(m.summary.max_version, 0x0304);
  EXPECT_TRUE(m.summary.has_sni);
  EXPECT_TRUE(has(m.summary.extensions, tls::code::kAlpn));
  bool sni_named = false;
  for (const auto& n : m.notes) sni_named = sni_named || n == "SNI host name: curl.example.";
  EXPECT_TRUE(sni_named);
}

// ---- server flights from openssl s_server, driven by our own ClientHello builder ----

/// True once the bytes hold a ServerHelloDone, an alert, a HelloRetryRequest or an encrypted record.
bool flight_done(Bytes b) {
  Reader r = Reader::stream(b);
  while (!r.empty()) {
    auto rec = tls::read_record(r);
    if (!rec) return !rec.error().need_more();
    if (rec->content_type != tls::code::kHandshake) return true;
    Reader f = Reader::stream(rec->fragment);
    while (!f.empty()) {
      auto hs = tls::read_handshake(f);
      if (!hs) break;
      if (hs->type == tls::code::kServerHelloDone) return true;
      if (const auto* sh = std::get_if<tls::ServerHello>(&hs->body); sh && sh->hello_retry_request) return true;
    }
  }
  return false;
}

tls::ClientHelloSpec tls12_hello(std::vector<std::uint16_t> suites) {
  tls::ClientHelloSpec s;
  s.random = ByteVec(32, 0x5a);
  s.cipher_suites = std::move(suites);
  s.server_name = "server.example";
  s.supported_groups = {0x001d, 0x0017};
  s.signature_algorithms = {0x0804, 0x0401, 0x0403};
  s.ec_point_formats = true;
  s.renegotiation_info = true;
  s.extended_master_secret = true;
  return s;
}

std::vector<std::string> titles(const std::vector<Message>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) out.push_back(m.summary.message);
  return out;
}

std::vector<Message> server_flight(const std::string& name, const std::string& server_options, const tls::ClientHelloSpec& hello) {
  const std::string dir = test::test_certificate_dir();
  test::ServerProcess server("openssl s_server -www -accept 127.0.0.1:{port} -cert " + dir + "/cert.pem -key " + dir +
                             "/key.pem " + server_options);
  EXPECT_TRUE(server.ready());
  if (!server.ready()) return {};
  const ByteVec answer = test::exchange(server.port(), tls::build_client_hello_record(hello), flight_done);
  save(name, answer);
  return decode_bytes(answer);
}

TEST(CapturedServerFlight, Tls12EcdheWithCertificateRequest) {
  const auto dir = test::test_certificate_dir();
  const auto ms = server_flight("openssl_s_server_tls12_verify", "-tls1_2 -Verify 1 -CAfile " + dir + "/cert.pem", tls12_hello({0xc02f, 0x009e}));
  ASSERT_EQ(titles(ms), (std::vector<std::string>{"ServerHello", "Certificate", "ServerKeyExchange", "CertificateRequest", "ServerHelloDone"}));
  EXPECT_EQ(ms[0].summary.max_version, 0x0303);
  EXPECT_EQ(ms[0].summary.cipher_suites, (std::vector<std::uint16_t>{0xc02f}));
  EXPECT_FALSE(ms[3].summary.cert_request_empty_ca_list);
  for (const auto& m : ms) EXPECT_FALSE(m.error.has_value()) << m.summary.message;
  bool x25519 = false;
  for (const auto& n : ms[2].notes) x25519 = x25519 || n == "ECDHE group: x25519.";
  EXPECT_TRUE(x25519);
}

TEST(CapturedServerFlight, Tls12EmptyCaList) {
  const auto ms = server_flight("openssl_s_server_tls12_no_ca_names", "-tls1_2 -Verify 1 -no_ca_names", tls12_hello({0xc02f}));
  ASSERT_EQ(ms.size(), 5u);
  EXPECT_EQ(ms[3].summary.message, "CertificateRequest");
  EXPECT_TRUE(ms[3].summary.cert_request_empty_ca_list);
}

TEST(CapturedServerFlight, Tls12Dhe) {
  const auto ms = server_flight("openssl_s_server_tls12_dhe", "-tls1_2", tls12_hello({0x009e}));
  ASSERT_EQ(titles(ms), (std::vector<std::string>{"ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone"}));
  EXPECT_EQ(ms[0].summary.cipher_suites, (std::vector<std::uint16_t>{0x009e}));
  bool bits = false;
  for (const auto& n : ms[2].notes) bits = bits || n == "DHE group size: 2048 bits.";
  EXPECT_TRUE(bits);
}

TEST(CapturedServerFlight, Tls13HelloRetryRequest) {
  tls::ClientHelloSpec s = tls12_hello({0x1301});
  s.supported_versions = {0x0304};
  s.key_shares = {{0x001d, ByteVec(32, 0x42)}};
  s.psk_dhe_ke = true;
  const auto ms = server_flight("openssl_s_server_tls13_hrr", "-tls1_3 -groups P-256", s);
  ASSERT_GE(ms.size(), 1u);
  EXPECT_EQ(ms[0].summary.message, "HelloRetryRequest");
  EXPECT_EQ(ms[0].summary.max_version, 0x0304);
  const Field* hs = ms[0].fields[0].child("handshake");
  ASSERT_NE(hs, nullptr);
  EXPECT_EQ(hs->value, "HelloRetryRequest");
}

TEST(CapturedServerFlight, NoCommonSuiteGivesAlert) {
  const auto ms = server_flight("openssl_s_server_tls12_alert", "-tls1_2", tls12_hello({0x000a}));
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].summary.message, "Alert");
  EXPECT_EQ(ms[0].summary.alert_level, "fatal");
  EXPECT_EQ(ms[0].summary.alert_description, "handshake_failure");
}

}  // namespace
}  // namespace sd
