// The profiles added for issue 4 item 6 (OpenSSL 1.0.1 and 1.0.2, AIX 7.1 with OpenSSL 1.0.2, IBM Java 8, IBM i 7.3
// and 7.5): the OpenSSL ones against the SSL Labs captures they come from, the others against their documents, and
// each against hand-built server facts whose verdict follows from those facts alone.
#include <gtest/gtest.h>

#include "hello_check.h"
#include "predict_check.h"
#include "tlsprofiles/predict.h"
#include "wire/tls/builder.h"
#include "wire/tls/extensions.h"

namespace sd::tlsprofiles {
namespace {

using probe::tls::ServerFacts;
using namespace test;  // profile(), accepted(), alert(), kb_ids(), the capture helpers

std::vector<std::uint16_t> first(const std::vector<std::uint16_t>& v, std::size_t n) {
  return {v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(n, v.size()))};
}

void put_u16(ByteVec& b, std::size_t at, std::size_t value) {
  b[at] = static_cast<std::uint8_t>(value >> 8);
  b[at + 1] = static_cast<std::uint8_t>(value);
}

/// The captured record with the status_request extension (type 5, body 0100000000) taken out and the record,
/// handshake and extension-block lengths shortened to match: the hello the same client sends when the application
/// does not ask for OCSP stapling.
ByteVec without_status_request(const ByteVec& record) {
  const auto parsed = test::parse_hello_record(record);
  if (!parsed) return {};
  const auto& h = parsed->hello;
  const std::size_t ext_len_at = 5 + 4 + 2 + 32 + 1 + h.session_id.size() + 2 + 2 * h.cipher_suites.size() + 1 +
                                 h.compression_methods.size();
  const std::string hex = to_hex(record);
  const std::string entry = "000500050100000000";
  const auto at = hex.find(entry, 2 * ext_len_at);
  EXPECT_NE(at, std::string::npos);
  EXPECT_EQ(hex.find(entry, at + 1), std::string::npos);
  ByteVec out = from_hex(hex.substr(0, at) + hex.substr(at + entry.size())).value_or(ByteVec{});
  const std::size_t cut = entry.size() / 2;
  put_u16(out, 3, (std::size_t{record[3]} << 8 | record[4]) - cut);
  const std::size_t hs_len = (std::size_t{record[6]} << 16 | std::size_t{record[7]} << 8 | record[8]) - cut;
  out[6] = static_cast<std::uint8_t>(hs_len >> 16);
  put_u16(out, 7, hs_len);
  put_u16(out, ext_len_at, (std::size_t{record[ext_len_at]} << 8 | record[ext_len_at + 1]) - cut);
  return out;
}

TEST(LegacyCaptures, StatusRequestIsCutCleanly) {
  const ByteVec full = capture_bytes("openssl-1.0.2e");
  const ByteVec cut = without_status_request(full);
  ASSERT_EQ(cut.size(), full.size() - 9);
  const auto h = test::parse_hello_record(cut);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(tls::find_extension(h->hello.extensions, 5), nullptr);
  EXPECT_EQ(h->hello.extensions.size(), 6u);
}

TEST(LegacyCaptures, Openssl101IsTheSslLabsHelloOf101l) {
  expect_rebuilds(profile("openssl-1.0.1"), without_status_request(capture_bytes("openssl-1.0.1l")));
  const ClientProfile p = profile("openssl-1.0.1");
  EXPECT_EQ(p.cipher_suites.value.size(), 74u);
  EXPECT_EQ(first(p.cipher_suites.value, 4), (std::vector<std::uint16_t>{0xc030, 0xc02c, 0xc028, 0xc024}));
  EXPECT_EQ(p.cipher_suites.value.back(), 0x00ff);
  EXPECT_EQ(p.versions.value.min, 0x0300);
  EXPECT_EQ(p.versions.value.max, 0x0303);
  EXPECT_TRUE(p.versions.value.supported.empty());
  EXPECT_EQ(p.groups.value.size(), 25u);
  EXPECT_EQ(p.groups.value.front(), 0x000e);  // sect571r1
}

TEST(LegacyCaptures, Openssl102IsTheSslLabsHelloOf102e) {
  expect_rebuilds(profile("openssl-1.0.2"), without_status_request(capture_bytes("openssl-1.0.2e")));
  const ClientProfile p = profile("openssl-1.0.2");
  EXPECT_EQ(p.cipher_suites.value.size(), 91u);
  EXPECT_EQ(first(p.cipher_suites.value, 6), (std::vector<std::uint16_t>{0xc030, 0xc02c, 0xc028, 0xc024, 0xc014, 0xc00a}));
  EXPECT_EQ(first(p.groups.value, 3), (std::vector<std::uint16_t>{0x0017, 0x0019, 0x001c}));
  EXPECT_EQ(p.extensions.value, (std::vector<std::uint16_t>{0, 11, 10, 35, 13, 15}));
  ASSERT_TRUE(p.min_dh_bits.value.has_value());
  EXPECT_EQ(*p.min_dh_bits.value, 768u);
}

TEST(LegacyProfiles, Aix71IsOpenssl102WithoutSingleDes) {
  const ClientProfile aix = profile("aix-7.1-openssl-1.0.2");
  std::vector<std::uint16_t> expected = profile("openssl-1.0.2").cipher_suites.value;
  for (const std::uint16_t des : {0x0015, 0x0012, 0x000f, 0x000c, 0x0009})
    expected.erase(std::find(expected.begin(), expected.end(), des));
  EXPECT_EQ(aix.cipher_suites.value, expected);
  EXPECT_EQ(aix.cipher_suites.value.size(), 86u);
  EXPECT_EQ(aix.platform, "AIX");
  EXPECT_EQ(aix.versions.value.max, 0x0303);
  EXPECT_EQ(aix.groups.value, profile("openssl-1.0.2").groups.value);
}

TEST(LegacyProfiles, IbmJava8TlsContextOffersOnlyTls10) {
  const ClientProfile p = profile("ibm-java-8");
  EXPECT_EQ(p.versions.value.min, 0x0301);
  EXPECT_EQ(p.versions.value.max, 0x0301);
  EXPECT_EQ(p.versions.value.legacy_version, 0x0301);
  EXPECT_EQ(first(p.cipher_suites.value, 3), (std::vector<std::uint16_t>{0xc00a, 0xc014, 0x0035}));
  EXPECT_EQ(p.cipher_suites.value.size(), 15u);
  for (const char* id : {"tls-context-means-tls10", "override-default-tls", "override-default-protocol",
                         "jdk-tls-client-protocols", "ssl-prefixed-suite-names"})
    EXPECT_TRUE(p.has_behaviour(id)) << id;
  EXPECT_NE(p.fix_client.find("com.ibm.jsse2.overrideDefaultTLS=true"), std::string::npos);
}

TEST(LegacyProfiles, IbmI73DefaultsAreTheDocumented22Suites) {
  const ClientProfile p = profile("ibmi-7.3");
  EXPECT_EQ(p.versions.value.supported, (std::vector<std::uint16_t>{0x0304, 0x0303, 0x0302, 0x0301}));
  EXPECT_EQ(p.cipher_suites.value.size(), 22u);
  EXPECT_EQ(first(p.cipher_suites.value, 4), (std::vector<std::uint16_t>{0x1301, 0x1302, 0x1303, 0xc02b}));
  EXPECT_EQ(p.cipher_suites.value.back(), 0x000a);  // *RSA_3DES_EDE_CBC_SHA
}

TEST(LegacyProfiles, IbmI75DefaultsHaveNoRsaKeyExchange) {
  const ClientProfile p = profile("ibmi-7.5");
  EXPECT_EQ(p.versions.value.supported, (std::vector<std::uint16_t>{0x0304, 0x0303}));
  EXPECT_EQ(p.versions.value.min, 0x0303);
  EXPECT_EQ(p.cipher_suites.value, profile("ibmi-7.4-system-tls").cipher_suites.value);
  EXPECT_EQ(p.cipher_suites.value.size(), 9u);
}

/// A server that speaks only TLS 1.2, only ECDHE-RSA-AES-GCM (c02f, c030), P-256 and P-384, client's order.
ServerFacts tls12_ecdhe_only() {
  ServerFacts f;
  f.source = "hand-built: openssl s_server -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";
  f.versions = {{0x0300, alert(70)}, {0x0301, alert(70)},
                {0x0302, alert(70)}, {0x0303, accepted()}, {0x0304, alert(70)}};
  f.suites[0x0303] = {0xc02f, 0xc030};
  f.server_preference = false;
  f.groups = {0x0017, 0x0018};
  return f;
}

/// A legacy server: TLS 1.0 to 1.2, RSA key exchange with AES-CBC only (AES256-SHA, AES128-SHA), client's order.
ServerFacts legacy_rsa_only() {
  ServerFacts f;
  f.source = "hand-built: TLS 1.0-1.2 with -cipher AES256-SHA:AES128-SHA";
  f.versions = {{0x0300, alert(70)}, {0x0301, accepted()}, {0x0302, accepted()},
                {0x0303, accepted()}, {0x0304, alert(70)}};
  for (const std::uint16_t v : {0x0301, 0x0302, 0x0303}) f.suites[v] = {0x0035, 0x002f};
  f.server_preference = false;
  return f;
}

/// The profile connects with exactly this version, suite and group, and says so in its summary.
void expect_connects(const std::string& id, const ServerFacts& f, std::uint16_t version, std::uint16_t suite,
                     std::optional<std::uint16_t> group, const std::string& summary) {
  SCOPED_TRACE(id);
  const Prediction r = predict(profile(id), f);
  EXPECT_EQ(r.verdict, Verdict::connects);
  EXPECT_TRUE(r.causes.empty());
  EXPECT_EQ(r.version, version);
  EXPECT_EQ(r.cipher_suite, suite);
  EXPECT_EQ(r.group, group);
  EXPECT_EQ(r.summary, summary);
}

TEST(LegacyPredict, Openssl10xAgainstTls12EcdheOnlyTakeTheirFirstGcmSuite) {
  // Both put c030 first; openssl-1.0.1 lists secp384r1 before secp256r1, the 1.0.2 curve list starts with P-256.
  expect_connects("openssl-1.0.1", tls12_ecdhe_only(), 0x0303, 0xc030, 0x0018,
                  "connects: TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 secp384r1");
  expect_connects("aix-7.1-openssl-1.0.2", tls12_ecdhe_only(), 0x0303, 0xc030, 0x0017,
                  "connects: TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 secp256r1");
}

TEST(LegacyPredict, IbmJava8TlsContextAgainstTls12OnlyFailsOnVersion) {
  // ibm-java-8: SSLContext "TLS" before SR6 FP25 offers TLS 1.0 only, which the server refuses with alert 70.
  const Prediction r = predict(profile("ibm-java-8"), tls12_ecdhe_only());
  EXPECT_EQ(r.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(r), std::vector<std::string>{"tls.client-version-too-old"});
  EXPECT_EQ(r.causes[0].server_evidence, "TLSv1.0 hello: alert 70 (protocol_version)");
  EXPECT_FALSE(r.version.has_value());
  EXPECT_EQ(r.summary, "fails: tls.client-version-too-old");
}

TEST(LegacyPredict, IbmJava8TlsContextAgainstLegacyRsaServerConnectsAtTls10) {
  expect_connects("ibm-java-8", legacy_rsa_only(), 0x0301, 0x0035, std::nullopt,
                  "connects: TLSv1.0 TLS_RSA_WITH_AES_256_CBC_SHA");
}

TEST(LegacyPredict, IbmIAgainstTls12EcdheOnlyPicksEcdheRsaAes128Gcm) {
  // TLS 1.3 refused, TLS 1.2 agreed; the QSSLCSL order puts *ECDHE_RSA_AES_128_GCM_SHA256 before
  // *ECDHE_RSA_AES_256_GCM_SHA384; x25519 is not the server's, so P-256.
  for (const char* id : {"ibmi-7.3", "ibmi-7.5"})
    expect_connects(id, tls12_ecdhe_only(), 0x0303, 0xc02f, 0x0017,
                    "connects: TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 secp256r1");
}

TEST(LegacyPredict, IbmI75AgainstLegacyRsaServerHasNoSharedSuiteWhere73Connects) {
  // ibmi-7.5 (the 7.4 default list): ECDHE and TLS 1.3 suites only; ibmi-7.3 still lists *RSA_AES_128_CBC_SHA.
  const Prediction r75 = predict(profile("ibmi-7.5"), legacy_rsa_only());
  EXPECT_EQ(r75.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(r75), std::vector<std::string>{"tls.no-shared-cipher"});
  EXPECT_EQ(r75.causes[0].server_evidence,
            "server accepts at TLSv1.2: TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA");
  expect_connects("ibmi-7.3", legacy_rsa_only(), 0x0303, 0x002f, std::nullopt,
                  "connects: TLSv1.2 TLS_RSA_WITH_AES_128_CBC_SHA");
}

TEST(LegacyPredict, Openssl102RefusesA512BitDhGroup) {
  ServerFacts f = tls12_ecdhe_only();
  f.suites[0x0303] = {0x009e};  // DHE-RSA-AES128-GCM-SHA256 only
  f.min_dh_bits = 512;
  const Prediction r = predict(profile("openssl-1.0.2"), f);
  EXPECT_EQ(kb_ids(r), std::vector<std::string>{"tls.dh-too-small"});
  EXPECT_NE(r.causes[0].client_shows.find("error:14082174:SSL routines:SSL3_CHECK_CERT_AND_ALGORITHM:dh key too small"),
            std::string::npos);
  f.min_dh_bits = 1024;
  EXPECT_EQ(predict(profile("openssl-1.0.2"), f).verdict, Verdict::connects);
}

}  // namespace
}  // namespace sd::tlsprofiles
