// Client profiles against a real openssl s_server on loopback: the hello_for() of three profiles is sent to three
// s_server configurations, and what the server answers (ServerHello with its version and suite, or an alert) must
// be what predict() says from server facts written by hand from the s_server options.
#include <gtest/gtest.h>

#include <variant>

#include "harness.h"
#include "servers.h"
#include "tlsprofiles/predict.h"
#include "wire/tls/builder.h"
#include "wire/tls/extensions.h"
#include "wire/tls/parse.h"

namespace sd::peers {
namespace {

using probe::tls::Answer;
using probe::tls::Refusal;
using probe::tls::ServerFacts;
using tlsprofiles::Prediction;
using tlsprofiles::Verdict;

/// What the server sent first: a ServerHello (version and suite) or an alert.
struct FirstAnswer {
  bool server_hello = false;
  std::uint16_t version = 0;
  std::uint16_t suite = 0;
  std::optional<std::uint8_t> alert;
};

std::optional<tls::Record> first_record(RawClient& client) {
  for (int i = 0; i < 20; ++i) {  // bounded: each read waits at most the client's timeout
    const std::string& got = client.transcript();
    auto in = Reader::stream(Bytes(reinterpret_cast<const std::uint8_t*>(got.data()), got.size()));
    auto rec = tls::read_record(in);
    if (rec) return std::move(rec).value();
    if (!rec.error().need_more()) return std::nullopt;
    if (client.read_all(got.size() + 1).empty()) return std::nullopt;
  }
  return std::nullopt;
}

FirstAnswer answer_to(std::uint16_t port, const tlsprofiles::ClientProfile& profile) {
  const ByteVec hello = tls::build_client_hello_record(tlsprofiles::hello_for(profile, "localhost"));
  RawClient client(port, milliseconds(3000));
  EXPECT_TRUE(client.send(std::string_view(reinterpret_cast<const char*>(hello.data()), hello.size())));
  FirstAnswer out;
  const auto rec = first_record(client);
  if (!rec) return out;
  if (rec->content_type == 21 && rec->fragment.size() >= 2) out.alert = rec->fragment[1];
  if (rec->content_type != 22) return out;
  auto body = Reader::bounded(rec->fragment, rec->fragment_offset);
  const auto hs = tls::read_handshake(body);
  if (!hs || !std::holds_alternative<tls::ServerHello>(hs->body)) return out;
  const auto& sh = std::get<tls::ServerHello>(hs->body);
  return {true, tls::selected_version(sh), sh.cipher_suite, std::nullopt};
}

Answer ok() { return Answer{Refusal::none, std::nullopt, "", ""}; }
Answer refused() { return Answer{Refusal::alert, 70, "", ""}; }

/// openssl s_server 3.0 with an RSA certificate and no options: TLS 1.2 and 1.3 (TLS 1.0/1.1 are below security
/// level 1), the DEFAULT TLS 1.2 list for an RSA key (`openssl ciphers -s -tls1_2 DEFAULT`), client order.
ServerFacts default_facts() {
  ServerFacts f;
  f.source = "openssl s_server (defaults)";
  f.versions = {{0x0301, refused()}, {0x0302, refused()}, {0x0303, ok()}, {0x0304, ok()}};
  f.suites[0x0303] = {0xc030, 0x009f, 0xcca8, 0xccaa, 0xc02f, 0x009e, 0xc028, 0x006b, 0xc027, 0x0067, 0xc014,
                      0x0039, 0xc013, 0x0033, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f};
  f.suites[0x0304] = {0x1302, 0x1303, 0x1301};
  f.server_preference = false;
  f.groups = {0x001d, 0x0017, 0x001e, 0x0019, 0x0018};
  return f;
}

/// -no_tls1_3 -cipher ECDHE-RSA-AES256-GCM-SHA384: TLS 1.2 with one suite.
ServerFacts one_suite_facts() {
  ServerFacts f = default_facts();
  f.versions[0x0304] = refused();
  f.suites.erase(0x0304);
  f.suites[0x0303] = {0xc030};
  return f;
}

/// -tls1 -cipher AES256-SHA:@SECLEVEL=0: TLS 1.0 only, plain-RSA AES-256-CBC.
ServerFacts tls10_facts() {
  ServerFacts f = default_facts();
  f.versions = {{0x0301, ok()}, {0x0302, refused()}, {0x0303, refused()}, {0x0304, refused()}};
  f.suites = {{0x0301, {0x0035}}};
  return f;
}

/// The server's real answer and the prediction agree, and both are `expected` (connects or fails).
void expect_same(const Server& server, const ServerFacts& facts, const std::string& profile_id, Verdict expected) {
  SCOPED_TRACE(profile_id);
  const auto profile = tlsprofiles::find_profile(profile_id);
  ASSERT_TRUE(profile.has_value());
  const Prediction p = tlsprofiles::predict(*profile, facts);
  const FirstAnswer a = answer_to(server.port, *profile);
  EXPECT_EQ(p.verdict, expected) << p.summary;
  EXPECT_EQ(a.server_hello, p.verdict == Verdict::connects) << p.summary;
  if (a.server_hello && p.verdict == Verdict::connects) {
    EXPECT_EQ(a.version, *p.version);
    EXPECT_EQ(a.suite, *p.cipher_suite);
  }
  if (!a.server_hello) {
    EXPECT_TRUE(a.alert.has_value()) << "neither ServerHello nor alert";
  }
}

TEST(LiveTlsProfiles, DefaultSServerMatchesPrediction) {
  const TempDir dir("tlsprofiles-default");
  const Server server = start_s_server(dir, make_cert(dir.path(), "server", {}), {});
  expect_same(server, default_facts(), "zos-2.2-ftp", Verdict::fails);  // TLS 1.0 only
  expect_same(server, default_facts(), "openssl-3.0", Verdict::connects);
  expect_same(server, default_facts(), "java-17", Verdict::connects);
}

TEST(LiveTlsProfiles, OneSuiteTls12SServerMatchesPrediction) {
  const TempDir dir("tlsprofiles-one-suite");
  const Server server = start_s_server(dir, make_cert(dir.path(), "server", {}),
                                       {"-no_tls1_3", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384"});
  expect_same(server, one_suite_facts(), "zos-2.2-ftp", Verdict::fails);
  expect_same(server, one_suite_facts(), "openssl-3.0", Verdict::connects);
  expect_same(server, one_suite_facts(), "java-17", Verdict::connects);
}

TEST(LiveTlsProfiles, Tls10SServerMatchesPrediction) {
  const TempDir dir("tlsprofiles-tls10");
  const Server server = start_s_server(dir, make_cert(dir.path(), "server", {}),
                                       {"-tls1", "-cipher", "AES256-SHA:@SECLEVEL=0"});
  expect_same(server, tls10_facts(), "zos-2.2-ftp", Verdict::connects);
  expect_same(server, tls10_facts(), "openssl-3.0", Verdict::connects);  // its hello still lists TLS 1.0
  expect_same(server, tls10_facts(), "java-17", Verdict::fails);         // TLS 1.0 is disabled in java.security
}

}  // namespace
}  // namespace sd::peers
