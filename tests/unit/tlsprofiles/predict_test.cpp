// Prediction against hand-built server facts for the seed cases (issue 4 items 6-7): each failure names its KB id.
#include <gtest/gtest.h>

#include "predict_check.h"
#include "report/render.h"
#include "tlsprofiles/predict.h"

namespace sd::tlsprofiles {
namespace {

using probe::tls::Answer;
using probe::tls::Refusal;
using probe::tls::ServerFacts;
using test::accepted;
using test::alert;
using test::kb_ids;
using test::profile;

/// A current OpenSSL 3 server: TLS 1.2 and 1.3, ECDHE-GCM suites, x25519 and P-256, its own preference order.
ServerFacts modern_server() {
  ServerFacts f;
  f.source = "hand-built: openssl s_server defaults";
  f.versions = {{0x0300, alert(70)}, {0x0301, alert(70)}, {0x0302, alert(70)}, {0x0303, accepted()}, {0x0304, accepted()}};
  f.suites[0x0303] = {0xc030, 0xc02f, 0x009f, 0x009e};
  f.suites[0x0304] = {0x1302, 0x1303, 0x1301};
  f.server_preference = true;
  f.groups = {0x001d, 0x0017, 0x0018};
  return f;
}

TEST(Predict, ZosAgainstTls10DisabledIsClientVersionTooOld) {
  const Prediction r = predict(profile("zos-2.2-ftp"), modern_server());
  EXPECT_EQ(r.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(r), std::vector<std::string>{"tls.client-version-too-old"});
  EXPECT_EQ(r.causes[0].server_evidence, "TLSv1.0 hello: alert 70 (protocol_version)");
  EXPECT_NE(r.causes[0].client_shows.find("EZA2897I Authentication negotiation failed"), std::string::npos);
  EXPECT_NE(r.causes[0].client_shows.find("rc = 410"), std::string::npos);
  EXPECT_EQ(r.summary, "fails: tls.client-version-too-old");
  ASSERT_FALSE(r.causes[0].fixes.empty());
  EXPECT_EQ(r.causes[0].fixes.front().side, "client");  // from the KB rule
}

TEST(Predict, ZosAgainstTls10WithoutSharedSuiteIsNoSharedCipher) {
  ServerFacts f = modern_server();
  f.versions[0x0301] = accepted();
  f.suites[0x0301] = {0xc014, 0xc013};  // ECDHE only: the z/OS hello has none
  const Prediction r = predict(profile("zos-2.2-ftp"), f);
  EXPECT_EQ(r.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(r), std::vector<std::string>{"tls.no-shared-cipher"});
  EXPECT_EQ(r.causes[0].server_evidence,
            "server accepts at TLSv1.0: TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
  ASSERT_GE(r.causes[0].fixes.size(), 2u);
  EXPECT_FALSE(r.causes[0].fixes[1].risk.empty());  // the server fix says what it costs
}

TEST(Predict, RefusalWithNoSharedCipherTextIsNoSharedCipher) {
  ServerFacts f = modern_server();
  f.versions[0x0301] = Answer{Refusal::alert_then_text, 40, "500 OOPS: SSL_accept", "no shared cipher"};
  const Prediction r = predict(profile("zos-2.2-ftp"), f);
  EXPECT_EQ(kb_ids(r), std::vector<std::string>{"tls.no-shared-cipher"});
  EXPECT_EQ(r.causes[0].server_evidence, "TLSv1.0 hello: alert 40 (handshake_failure), 500 OOPS: SSL_accept, no shared cipher");
}

/// vsftpd with TLS 1.0 allowed at @SECLEVEL=0, ssl_request_cert=YES and require_ssl_reuse=YES.
ServerFacts legacy_vsftpd() {
  ServerFacts f = modern_server();
  f.source = "audit vsftpd.conf";
  f.versions[0x0301] = accepted();
  f.suites[0x0301] = {0xc014, 0x0039, 0x0035, 0x002f};
  f.client_cert.requested = true;
  f.client_cert.required = false;
  f.ftps.auth_tls = true;
  f.ftps.requires_session_reuse = true;
  f.ftps.replies = {"522 SSL connection failed: session reuse required"};
  return f;
}

TEST(Predict, ZosAgainstCertificateRequestAndReuseNamesBoth) {
  const Prediction r = predict(profile("zos-2.2-ftp"), legacy_vsftpd());
  EXPECT_EQ(r.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(r), (std::vector<std::string>{"ftps.vsftpd-ssl-request-cert", "ftps.vsftpd-require-ssl-reuse"}));
  EXPECT_EQ(r.causes[0].stage, Stage::client_certificate);
  EXPECT_EQ(r.causes[0].server_evidence, "CertificateRequest sent, with an empty CA list");
  EXPECT_EQ(r.causes[1].stage, Stage::data_channel);
  EXPECT_EQ(r.causes[1].server_evidence, "522 SSL connection failed: session reuse required");
  EXPECT_EQ(r.causes[1].client_shows, "522 SSL connection failed; session reuse required; see require_ssl_reuse option");
  EXPECT_EQ(*r.version, 0x0301);
  EXPECT_EQ(*r.cipher_suite, 0x0039);  // server order: c014 is not offered, DHE-RSA-AES256-SHA is
}

TEST(Predict, ZosAgainstRelaxedVsftpdConnects) {
  ServerFacts f = legacy_vsftpd();
  f.client_cert.requested = false;
  f.ftps.requires_session_reuse = false;
  f.server_preference = false;
  const Prediction r = predict(profile("zos-2.2-ftp"), f);
  EXPECT_EQ(r.verdict, Verdict::connects);
  EXPECT_EQ(*r.version, 0x0301);
  EXPECT_EQ(*r.cipher_suite, 0x0035);  // the client's first real suite
  EXPECT_FALSE(r.group.has_value());
  EXPECT_EQ(r.summary, "connects: TLSv1.0 TLS_RSA_WITH_AES_256_CBC_SHA");
}

/// vsftpd with Debian defaults as the live test (tests/peers/test_ftps.cpp) saw it answer the seed-002 hello.
ServerFacts debian_vsftpd() {
  ServerFacts f = legacy_vsftpd();
  f.versions[0x0301] = Answer{Refusal::alert_then_text, 40, "500 OOPS: error:0A0000C1:SSL routines::no shared cipher", ""};
  f.suites.erase(0x0301);
  return f;
}

TEST(Predict, ZosAgainstDebianVsftpdNamesTheIssuesThreeCauses) {
  const Prediction r = predict(profile("zos-2.2-ftp"), debian_vsftpd());
  EXPECT_EQ(r.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(r), (std::vector<std::string>{"tls.no-shared-cipher", "ftps.vsftpd-ssl-request-cert",
                                                 "ftps.vsftpd-require-ssl-reuse"}));
  EXPECT_EQ(r.causes[0].server_evidence,
            "TLSv1.0 hello: alert 40 (handshake_failure), 500 OOPS: error:0A0000C1:SSL routines::no shared cipher");
  EXPECT_FALSE(r.version.has_value());
  EXPECT_EQ(r.summary, "fails: tls.no-shared-cipher; ftps.vsftpd-ssl-request-cert; ftps.vsftpd-require-ssl-reuse");
}

TEST(Predict, UnknownServerOrderIsSaid) {
  ServerFacts f = modern_server();
  f.server_preference.reset();
  const Prediction r = predict(profile("openssl-3.0"), f);
  EXPECT_EQ(r.verdict, Verdict::connects);
  EXPECT_EQ(r.unknowns, std::vector<std::string>{"the server's own suite order is not known; the client's order was assumed"});
}

TEST(Predict, Openssl30AgainstTls13ServerGetsTheServersSuite) {
  const Prediction r = predict(profile("openssl-3.0"), modern_server());
  EXPECT_EQ(r.verdict, Verdict::connects);
  EXPECT_EQ(*r.version, 0x0304);
  EXPECT_EQ(*r.cipher_suite, 0x1302);  // TLS_AES_256_GCM_SHA384, first in the server's order
  EXPECT_EQ(*r.group, 0x001d);         // the client's key share
  EXPECT_EQ(r.summary, "connects: TLSv1.3 TLS_AES_256_GCM_SHA384 x25519");
}

// Found by the audit/probe cross-check: a probe that could not log in does not know whether the server demands
// session reuse on data connections, so a client that never reuses cannot be said to connect.
TEST(Predict, UnmeasuredReuseLeavesAFreshSessionClientUnknown) {
  ServerFacts f = legacy_vsftpd();
  f.client_cert.requested = false;
  f.ftps.requires_session_reuse.reset();
  f.server_preference = false;
  const Prediction r = predict(profile("zos-2.2-ftp"), f);
  EXPECT_EQ(r.verdict, Verdict::unknown);
  EXPECT_TRUE(r.causes.empty());
  ASSERT_FALSE(r.unknowns.empty());
  EXPECT_NE(r.unknowns.back().find("whether the server demands reuse is not known"), std::string::npos);
  EXPECT_EQ(*r.version, 0x0301);  // the handshake itself is still predicted
}

TEST(Predict, UnknownFactsGiveUnknownNotFailure) {
  ServerFacts f;
  const Prediction r = predict(profile("openssl-3.0"), f);
  EXPECT_EQ(r.verdict, Verdict::unknown);
  EXPECT_TRUE(r.causes.empty());
}

TEST(Predict, SmallDhGroupFailsAClientThatWantsMore) {
  ServerFacts f = modern_server();
  f.suites[0x0303] = {0x009e};  // DHE-RSA-AES128-GCM-SHA256 only
  f.suites.erase(0x0304);
  f.versions[0x0304] = alert(70);
  f.min_dh_bits = 1024;
  const Prediction r = predict(profile("openssl-3.0"), f);
  EXPECT_EQ(kb_ids(r), std::vector<std::string>{"tls.dh-too-small"});
}

/// A TLS 1.0-only server (s_server -tls1 -cipher DEFAULT:@SECLEVEL=0): ECDHE first, RSA key exchange after.
ServerFacts tls10_only_server(std::vector<std::uint16_t> suites) {
  ServerFacts f = modern_server();
  f.versions = {{0x0300, alert(40)}, {0x0301, accepted()}, {0x0302, alert(70)}, {0x0303, alert(70)}, {0x0304, alert(70)}};
  f.suites.clear();
  f.suites[0x0301] = std::move(suites);
  return f;
}

// Captured: OpenSSL 3.0 and curl stop at the MD5+SHA-1 signed ServerKeyExchange of a TLS 1.0 ECDHE suite, and connect
// when the server only has RSA key exchange (tests/vectors/logs/own/tls-legacy-ske-signature).
TEST(Predict, OpenSsl3RefusesTheLegacySignatureOfATls10EcdheKeyExchange) {
  const ServerFacts ecdhe = tls10_only_server({0xc014, 0xc013, 0x0035, 0x002f});
  for (const char* id : {"openssl-3.0", "curl-7.88-ftps", "aix-7.3-openssl-3.0"}) {
    const Prediction r = predict(profile(id), ecdhe);
    EXPECT_EQ(r.verdict, Verdict::fails) << id;
    EXPECT_EQ(kb_ids(r), std::vector<std::string>{"tls.legacy-ske-signature-refused"}) << id;
    ASSERT_FALSE(r.causes.empty());
    EXPECT_EQ(r.causes[0].server_evidence, "server: TLSv1.0 with TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA") << id;
    EXPECT_NE(r.causes[0].client_shows.find("legacy sigalg disallowed or unsupported"), std::string::npos) << id;
  }
  const Prediction gnutls = predict(profile("gnutls-3.7"), ecdhe);
  EXPECT_NE(gnutls.verdict, Verdict::fails);  // GnuTLS 3.7 completes the same handshake (captured with gnutls-cli)
  const Prediction rsa_only = predict(profile("openssl-3.0"), tls10_only_server({0x0035, 0x002f}));
  EXPECT_NE(rsa_only.verdict, Verdict::fails);
  EXPECT_EQ(rsa_only.cipher_suite, std::optional<std::uint16_t>(0x0035));
}

// An explicit FTPS server that refuses AUTH TLS and AUTH SSL (vsftpd ssl_enable=NO, pure-ftpd TLS 0): every client
// fails before its hello, whatever the (unknown) TLS facts.
TEST(Predict, AuthTlsRefusedFailsEveryClientBeforeTheHandshake) {
  ServerFacts f;
  f.ftps.auth_tls = false;
  f.ftps.auth_ssl = false;
  for (const char* id : {"zos-2.2-ftp", "openssl-3.0", "filezilla-3"}) {
    const Prediction r = predict(profile(id), f);
    EXPECT_EQ(r.verdict, Verdict::fails) << id;
    EXPECT_EQ(kb_ids(r), std::vector<std::string>{"ftps.auth-tls-refused"}) << id;
    EXPECT_EQ(r.causes.at(0).server_evidence, "server: AUTH TLS and AUTH SSL refused");
  }
  f.ftps.auth_ssl = true;  // AUTH SSL still works: not refused
  EXPECT_EQ(predict(profile("openssl-3.0"), f).verdict, Verdict::unknown);
  f.ftps.auth_ssl = false;
  f.ftps.implicit = true;  // implicit FTPS never sends AUTH
  EXPECT_EQ(predict(profile("openssl-3.0"), f).verdict, Verdict::unknown);
}

TEST(Matrix, OneRowPerProfileWithVerdict) {
  const std::vector<ClientProfile> ps = {profile("zos-2.2-ftp"), profile("openssl-3.0")};
  const auto rs = predict_all(ps, modern_server());
  const report::Section s = matrix_section(ps, rs, "tls://127.0.0.1:4433");
  EXPECT_EQ(s.kind, "prediction");
  ASSERT_EQ(s.fields.size(), 2u);
  EXPECT_EQ(s.fields[0].name, "zos-2.2-ftp");
  EXPECT_EQ(s.fields[0].child("verdict")->value, "fails");
  EXPECT_EQ(s.fields[0].child("cause")->value, "tls.client-version-too-old");
  EXPECT_EQ(s.fields[1].child("cipher_suite")->code, 0x1302u);
  EXPECT_EQ(s.notes, std::vector<std::string>{"1 of 2 client profiles connect, 1 fail, 0 unknown"});
  const auto findings = prediction_findings(ps[0], rs[0], "tls://127.0.0.1:4433");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "tls.client-version-too-old");
  EXPECT_TRUE(prediction_findings(ps[1], rs[1], "x").empty());
}

TEST(Matrix, RendersAsTextAndJson) {
  const std::vector<ClientProfile> ps = {profile("zos-2.2-ftp"), profile("openssl-3.0")};
  report::Report rep;
  rep.command = "probe";
  rep.sections.push_back(matrix_section(ps, predict_all(ps, modern_server()), "tls://127.0.0.1:4433"));
  const std::string text = report::render_text(rep);
  EXPECT_NE(text.find("connects: TLSv1.3 TLS_AES_256_GCM_SHA384 x25519"), std::string::npos) << text;
  EXPECT_NE(text.find("tls.client-version-too-old"), std::string::npos) << text;
  EXPECT_NE(report::render_json(rep).find("\"zos-2.2-ftp\""), std::string::npos);
}

// Documented (not captured) profiles: SChannel, Java 8 and z/OS System SSL V2R4; each test states which profile
// facts the verdict rests on.

/// A server that speaks only TLS 1.3 and only TLS_CHACHA20_POLY1305_SHA256.
ServerFacts tls13_chacha_only() {
  ServerFacts f;
  f.source = "hand-built: openssl s_server -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256";
  f.versions = {{0x0301, alert(70)}, {0x0302, alert(70)}, {0x0303, alert(70)}, {0x0304, accepted()}};
  f.suites[0x0304] = {0x1303};
  f.server_preference = true;
  f.groups = {0x001d, 0x0017};
  return f;
}

TEST(PredictDocumented, Schannel2012R2AgainstTls13OnlyFailsOnVersion) {
  // schannel-2012r2.yaml: max TLSv1.2 (TLS 1.3 needs Server 2022), so every version it offers is refused.
  const Prediction r = predict(profile("schannel-2012r2"), tls13_chacha_only());
  EXPECT_EQ(r.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(r), std::vector<std::string>{"tls.client-version-too-old"});
  EXPECT_FALSE(r.version.has_value());
}

TEST(PredictDocumented, Schannel2022AgainstTls13ChachaOnlyFailsOnSuite) {
  // schannel-2022.yaml: TLS 1.3 on, but TLS_CHACHA20_POLY1305_SHA256 is not enabled by default.
  const Prediction r = predict(profile("schannel-2022"), tls13_chacha_only());
  EXPECT_EQ(r.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(r), std::vector<std::string>{"tls.no-shared-cipher"});
}

TEST(PredictDocumented, Java8AgainstTls13ChachaOnlyFailsOnSuite) {
  // java-8.yaml: TLS 1.3 is offered (8u352+), but JDK 8 has no ChaCha20 suites; the version matches, the suite not.
  const ClientProfile p = profile("java-8");
  EXPECT_EQ(p.versions.value.max, 0x0304);
  const Prediction r = predict(p, tls13_chacha_only());
  EXPECT_EQ(r.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(r), std::vector<std::string>{"tls.no-shared-cipher"});
}

TEST(PredictDocumented, Java17AgainstTls13ChachaOnlyConnects) {
  // The contrast: java-17 (captured) offers TLS_CHACHA20_POLY1305_SHA256 and x25519.
  const Prediction r = predict(profile("java-17"), tls13_chacha_only());
  EXPECT_EQ(r.verdict, Verdict::connects);
  EXPECT_EQ(*r.version, 0x0304);
  EXPECT_EQ(*r.cipher_suite, 0x1303);
  EXPECT_EQ(*r.group, 0x001d);
}

/// vsftpd as Debian ships it with ssl_enable=YES, as the live probe saw it (tests/peers/test_probe_tls.cpp):
/// TLS 1.0 answered by an alert and "500 OOPS … no shared cipher", TLS 1.2 only ECDHE-RSA-AES256-GCM-SHA384 over
/// P-256, TLS 1.3, a CertificateRequest with an empty CA list, and session reuse required on data connections.
ServerFacts probed_debian_vsftpd() {
  ServerFacts f = debian_vsftpd();
  f.source = "probe of vsftpd with Debian defaults (tests/peers/test_probe_tls.cpp)";
  f.suites[0x0303] = {0xc030};
  f.groups = {0x0017};
  return f;
}

TEST(PredictDocumented, ZosV2R4AgainstDebianVsftpdFailsOnSuiteCertificateRequestAndReuse) {
  // zos-systemssl-2.4.yaml: TLS 1.2 on, but its (V2R1-documented) default list has no ECDHE suite, so the one TLS 1.2
  // suite vsftpd accepts (c030) is not offered; the FTP client also aborts on the CertificateRequest and does not
  // reuse the session on the data connection.
  const ClientProfile p = profile("zos-systemssl-2.4");
  EXPECT_EQ(p.versions.value.max, 0x0303);
  const Prediction r = predict(p, probed_debian_vsftpd());
  EXPECT_EQ(r.verdict, Verdict::fails);
  EXPECT_EQ(kb_ids(r), (std::vector<std::string>{"tls.no-shared-cipher", "ftps.vsftpd-ssl-request-cert",
                                                 "ftps.vsftpd-require-ssl-reuse"}));
  EXPECT_EQ(*r.version, 0x0303);  // the versions agree; the suites do not
  EXPECT_FALSE(r.cipher_suite.has_value());
  EXPECT_EQ(r.causes[0].server_evidence, "server accepts at TLSv1.2: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
}

TEST(PredictDocumented, ZosV2R4WithAnEcdheGcmSuiteOnAndVsftpdRelaxedConnects) {
  ClientProfile p = profile("zos-systemssl-2.4");
  p.cipher_suites.value.insert(p.cipher_suites.value.begin() + 1, 0xc030);  // the fix_client suite
  p.groups.value = {0x0017};
  p.extensions.value.push_back(10);
  ServerFacts f = probed_debian_vsftpd();
  f.client_cert.requested = false;
  f.ftps.requires_session_reuse = false;
  const Prediction r = predict(p, f);
  EXPECT_EQ(r.verdict, Verdict::connects);
  EXPECT_EQ(*r.version, 0x0303);
  EXPECT_EQ(*r.cipher_suite, 0xc030);
}

TEST(PredictDocumented, FtpsClientsThatReuseTheSessionPassVsftpdsReuseCheck) {
  // filezilla-3.yaml and winscp-6.yaml: ftps_session_reuse true, so require_ssl_reuse=YES is no cause; neither
  // aborts on vsftpd's CertificateRequest.
  for (const char* id : {"filezilla-3", "winscp-6"}) {
    const ClientProfile p = profile(id);
    ASSERT_TRUE(p.ftps_session_reuse.value.has_value()) << id;
    EXPECT_TRUE(*p.ftps_session_reuse.value) << id;
    const Prediction r = predict(p, probed_debian_vsftpd());
    EXPECT_EQ(r.verdict, Verdict::connects) << id << ": " << r.summary;
    EXPECT_EQ(*r.version, 0x0304) << id;
    EXPECT_TRUE(r.causes.empty()) << id;
  }
}

}  // namespace
}  // namespace sd::tlsprofiles
