// z/OS FTP.DATA (defaults by release, sequence numbers, role), openssl.cnf (system_default, .include), the
// server facts an OpenSSL-built server ends up with, and the pair audit of the seed-001 case.
#include <gtest/gtest.h>

#include <algorithm>

#include "audit/attls/attls.h"
#include "audit/opensslcnf/opensslcnf.h"
#include "audit/pair.h"
#include "audit/tlsserver/tlsserver.h"
#include "audit/zosftp/zosftp.h"
#include "tlsprofiles/predict.h"

namespace sd::audit {
namespace {

const std::string kDir = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/";

zosftp::Parsed ftpdata(const std::string& name, const std::string& release = "V2R2") {
  const auto path = kDir + "zos/" + name;
  return zosftp::parse(path, read_config_file(path).text, release);
}

opensslcnf::Parsed cnf(const std::string& name) {
  const auto path = kDir + "openssl/" + name;
  return opensslcnf::parse(path, read_config_file(path).text);
}

std::vector<std::string> ids(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.id);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& id) { return std::find(v.begin(), v.end(), id) != v.end(); }

TEST(FtpData, DefaultsOfV2R2ApplyToAbsentStatements) {
  const auto p = ftpdata("ftp.data-client");
  ASSERT_FALSE(p.error);
  const auto& c = p.config;
  EXPECT_EQ(c.role, zosftp::Role::client);
  EXPECT_EQ(c.get("SECURE_DATACONN")->value, "PRIVATE");
  EXPECT_EQ(c.get("SECURE_DATACONN")->line->line, 7u);
  EXPECT_EQ(c.get("SECURE_SESSION_REUSE")->value, "NONE");
  EXPECT_FALSE(c.get("SECURE_SESSION_REUSE")->line);
  EXPECT_EQ(c.get("TLSRFCLEVEL")->value, "CCCNONOTIFY");
  EXPECT_EQ(c.get("TLSTIMEOUT")->value, "100");
  EXPECT_FALSE(c.attls());
  EXPECT_EQ(c.versions(), std::vector<std::uint16_t>{0x0301});
}

// IBM's SECURE_CTRLCONN syntax diagram defaults to CLEAR (the statement governs Kerberos only); TLSRFCLEVEL to DRAFT.
TEST(FtpData, ControlConnectionAndRfcLevelDefaultsAreIbms) {
  const auto p = zosftp::parse("FTP.DATA", "SECURE_MECHANISM TLS\n");
  ASSERT_FALSE(p.error);
  EXPECT_EQ(p.config.get("SECURE_CTRLCONN")->value, "CLEAR");
  EXPECT_FALSE(p.config.get("SECURE_CTRLCONN")->line);
  EXPECT_EQ(p.config.get("TLSRFCLEVEL")->value, "DRAFT");
  EXPECT_EQ(p.config.get("SECURE_SESSION_REUSE")->value, "NONE");
  EXPECT_EQ(p.config.get("TLSTIMEOUT")->value, "100");
}

// IBM's z/OS 2.3 page: SECURE_SESSION_REUSE defaults to ALLOWED, so a later client reuses the control connection's
// session on its data connections and the missing-reuse hazard (kept for V2R2, whose default NONE) does not apply.
TEST(FtpData, SessionReuseIsAllowedByDefaultFromV2R3) {
  const std::string text = "SECURE_MECHANISM TLS\nTLSMECHANISM FTP\nKEYRING FTPRING\nTLSV1.2 TRUE\n";
  const auto later = zosftp::parse("FTP.DATA", text, "V2R4");
  ASSERT_FALSE(later.error);
  EXPECT_EQ(later.config.get("SECURE_SESSION_REUSE")->value, "ALLOWED");
  EXPECT_FALSE(has(ids(zosftp::audit(later.config)), "ftps.vsftpd-require-ssl-reuse"));
  const auto v2r2 = zosftp::parse("FTP.DATA", text, "V2R2");
  EXPECT_EQ(v2r2.config.get("SECURE_SESSION_REUSE")->value, "NONE");
  EXPECT_TRUE(has(ids(zosftp::audit(v2r2.config)), "ftps.vsftpd-require-ssl-reuse"));
}

TEST(FtpData, SequenceNumbersInColumns73To80AreNotValues) {
  const auto p = ftpdata("ftp.data-numbered");
  ASSERT_FALSE(p.error);
  EXPECT_EQ(p.config.get("SECURE_SESSION_REUSE")->value, "REQUIRED");
  EXPECT_EQ(p.config.get("SECURE_SESSION_REUSE")->line->line, 3u);
}

TEST(FtpData, ServerOnlyStatementMakesItAServerFile) {
  const auto p = zosftp::parse("FTPSDATA", "EXTENSIONS AUTH_TLS\nSECURE_LOGIN REQUIRED\n");
  ASSERT_FALSE(p.error);
  EXPECT_EQ(p.config.role, zosftp::Role::server);
  EXPECT_TRUE(zosftp::audit(p.config).empty());
}

TEST(FtpData, StatementWithoutValueIsAnErrorAtItsLine) {
  const auto p = zosftp::parse("FTP.DATA", "SECURE_FTP ALLOWED\nTLSMECHANISM\n");
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->text(), "FTP.DATA:2: statement TLSMECHANISM has no value");
}

TEST(FtpData, TlsOneOnlyAndNoSessionReuseAreHazards) {
  const auto p = ftpdata("ftp.data-client");
  const auto f = zosftp::audit(p.config);
  ASSERT_EQ(ids(f), (std::vector<std::string>{"tls.client-version-too-old", "ftps.vsftpd-require-ssl-reuse"}));
  EXPECT_EQ(f[0].evidence.at(0).text, "TLSV1.2 not set: FALSE (z/OS V2R2) by default");
  EXPECT_NE(f[0].fixes.at(0).snippet.find("+ TLSV1.2 TRUE"), std::string::npos);
  EXPECT_NE(f[1].fixes.at(0).snippet.find("+ SECURE_SESSION_REUSE ALLOWED"), std::string::npos);
  EXPECT_TRUE(zosftp::audit(ftpdata("ftp.data-client-tls12").config).empty());
}

TEST(FtpData, ClientProfileTakesVersionsSuitesAndReuseFromTheFile) {
  const auto p = zosftp::client_profile(ftpdata("ftp.data-client-tls12").config);
  EXPECT_EQ(p.versions.value.min, 0x0301);
  EXPECT_EQ(p.versions.value.max, 0x0303);
  EXPECT_EQ(p.cipher_suites.value, (std::vector<std::uint16_t>{0x009c, 0x002f}));
  EXPECT_EQ(p.ftps_session_reuse.value, std::optional<bool>(true));
  EXPECT_TRUE(p.has_behaviour("aborts-on-certificate-request"));
}

TEST(OpensslCnf, DebianDefaultHasNoSystemDefault) {
  const auto p = cnf("debian12-openssl.cnf");
  ASSERT_FALSE(p.error);
  EXPECT_TRUE(p.config.section.empty());
  EXPECT_FALSE(p.config.min_protocol);
  EXPECT_EQ(p.config.security_level(), 1);
}

TEST(OpensslCnf, IncludedFolderSuppliesSystemDefaultWithFileLine) {
  const auto p = cnf("legacy.cnf");
  ASSERT_FALSE(p.error) << p.error->text();
  EXPECT_EQ(p.config.section, "system_default_sect");
  ASSERT_TRUE(p.config.min_protocol);
  EXPECT_EQ(p.config.min_protocol->value, "TLSv1");
  EXPECT_EQ(p.config.min_protocol->file, kDir + "openssl/conf.d/10-legacy.cnf");
  EXPECT_EQ(p.config.min_protocol->line, 2u);
  EXPECT_EQ(p.config.security_level(), 0);
  EXPECT_EQ(cnf("strict.cnf").config.security_level(), 2);
}

TEST(OpensslCnf, UnterminatedSectionIsAnError) {
  const auto p = cnf("unterminated.cnf");
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->line, 2u);
  EXPECT_EQ(p.error->message, "section header without ']'");
}

using probe::tls::Refusal;

tlsserver::Settings vsftpd_settings_for_test() {
  tlsserver::Settings s;
  s.cipher_strings = {"DES-CBC3-SHA"};
  s.bad_cipher_reply = "500 OOPS: SSL: could not set cipher list";
  return s;
}

TEST(TlsServer, BuiltInDefaultsRefuseTls10AndAcceptTls12) {
  const auto f = tlsserver::facts({}, "test");
  EXPECT_NE(f.versions.at(0x0301).refusal, Refusal::none);
  EXPECT_EQ(f.versions.at(0x0303).refusal, Refusal::none);
  EXPECT_EQ(f.versions.at(0x0304).refusal, Refusal::none);
  EXPECT_FALSE(f.client_cert.requested);
  const auto& s12 = f.suites.at(0x0303);
  EXPECT_NE(std::find(s12.begin(), s12.end(), 0xc02f), s12.end());  // ECDHE-RSA-AES128-GCM-SHA256
}

TEST(TlsServer, SecurityLevelZeroFromOpensslCnfLetsTls10In) {
  const auto p = cnf("legacy.cnf");
  const auto f = tlsserver::facts(tlsserver::from_system(&p.config), "test");
  EXPECT_EQ(f.versions.at(0x0301).refusal, Refusal::none);
  const auto& s10 = f.suites.at(0x0301);
  EXPECT_NE(std::find(s10.begin(), s10.end(), 0x002f), s10.end());  // AES128-SHA
}

TEST(TlsServer, ClientCertificateRequestIsSeenInTheHandshake) {
  tlsserver::Settings s;
  s.request_client_cert = true;
  const auto f = tlsserver::facts(s, "test");
  EXPECT_TRUE(f.client_cert.requested);
  EXPECT_EQ(f.client_cert.required, std::optional<bool>(false));
}

Options with_release(const std::string& release, const std::string& vsftpd = "debian") {
  Options o;
  o.facts["zos"] = release;
  o.facts["vsftpd"] = vsftpd;
  return o;
}

// Seed 001: z/OS FTP client with its defaults against Debian's vsftpd.conf with ssl_enable=YES.
TEST(Pair, Seed001ZosDefaultsAgainstDebianVsftpdOnOpenssl3) {
  const auto out = run_pair({kDir + "zos/ftp.data-client"},
                            {kDir + "vsftpd/debian-ssl-enable.conf", kDir + "openssl/debian12-openssl.cnf"},
                            with_release("V2R2"));
  ASSERT_FALSE(out.error) << out.error->text();
  const auto got = ids(out.findings);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.front(), "tls.client-version-too-old") << ::testing::PrintToString(got);
  ASSERT_EQ(out.sections.size(), 1u);
}

TEST(Pair, Seed001WithTls10AllowedHitsCertificateRequestAndSessionReuse) {
  const auto out = run_pair({kDir + "zos/ftp.data-client"},
                            {kDir + "vsftpd/rhel-like.conf", kDir + "openssl/legacy.cnf"}, with_release("V2R2"));
  ASSERT_FALSE(out.error) << out.error->text();
  const auto got = ids(out.findings);
  EXPECT_TRUE(has(got, "ftps.vsftpd-ssl-request-cert")) << ::testing::PrintToString(got);
  EXPECT_TRUE(has(got, "ftps.vsftpd-require-ssl-reuse")) << ::testing::PrintToString(got);
  EXPECT_FALSE(has(got, "tls.client-version-too-old"));
}

TEST(Pair, FixedClientAgainstZosFriendlyVsftpdConnects) {
  const auto out = run_pair({kDir + "zos/ftp.data-client-tls12"}, {kDir + "vsftpd/zos-friendly-high.conf"},
                            with_release("V2R2"));
  ASSERT_FALSE(out.error) << out.error->text();
  EXPECT_TRUE(out.findings.empty()) << ::testing::PrintToString(ids(out.findings));
  // Debian's compiled-in ssl_ciphers is one ECDHE suite: the client's RSA key-exchange suites are not in it.
  const auto debian = run_pair({kDir + "zos/ftp.data-client-tls12"}, {kDir + "vsftpd/zos-friendly.conf"},
                               with_release("V2R2"));
  EXPECT_EQ(ids(debian.findings), std::vector<std::string>{"tls.no-shared-cipher"});

}

// Upstream vsftpd 3.0.3's default ssl_ciphers (DES-CBC3-SHA) names no cipher in OpenSSL 3: TLS never starts.
TEST(Pair, UpstreamVsftpdDefaultCipherListFailsOnOpenssl3) {
  const auto out = run_pair({kDir + "zos/ftp.data-client-tls12"}, {kDir + "vsftpd/zos-friendly.conf"},
                            with_release("V2R2", "3.0.3"));
  ASSERT_FALSE(out.error);
  EXPECT_FALSE(out.findings.empty());
  const auto f = tlsserver::facts(vsftpd_settings_for_test(), "t");
  EXPECT_EQ(f.versions.at(0x0303).refusal, Refusal::plaintext);
  EXPECT_EQ(f.versions.at(0x0303).text, "500 OOPS: SSL: could not set cipher list");
}

TEST(Pair, ServerFilesWithoutAServerConfigAreAnError) {
  const auto out = run_pair({kDir + "zos/ftp.data-client"}, {kDir + "openssl/strict.cnf"}, {});
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->message, "no server configuration (vsftpd.conf, proftpd.conf, pure-ftpd) among the server files");
}

}  // namespace
}  // namespace sd::audit

// z/OS as the server side of a pair (issue 7 item 4): FTP.DATA and its AT-TLS rule as server facts, each client
// profile predicted against them; the rule's version switches and V3CipherSuites as the z/OS side's acceptance.
namespace sd::audit {
namespace {

const std::string kZosExamples = std::string(SD_SOURCE_DIR) + "/examples/audit/zos/";
const std::string kZosVectors = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/zos/";

zosftp::Config server_ftp_data(const std::string& path) {
  return zosftp::parse(path, read_config_file(path).text, "V2R4", "server").config;
}

std::optional<attls::Match> ftpd_rule() {
  static const auto policy = attls::parse(kZosExamples + "attls-ftpd.policy",
                                          read_config_file(kZosExamples + "attls-ftpd.policy").text).policy;
  attls::Connection c;
  c.local_port = 21;
  return attls::resolve(policy, c);
}

TEST(ZosServer, AttlsRuleSwitchesAndSuitesInOrder) {
  const auto m = ftpd_rule();
  ASSERT_TRUE(m);
  const auto side = attls::tls_side(*m);
  EXPECT_EQ(side.versions, (std::vector<std::uint16_t>{0x0302, 0x0303}));  // TLSv1.1 On by default
  EXPECT_EQ(side.suites, (std::vector<std::uint16_t>{0xc030, 0x002f, 0x009c}));
  EXPECT_EQ(side.handshake_role, "Server");
  ASSERT_FALSE(side.lines.empty());
  EXPECT_EQ(side.lines.front().line, 25u);  // TLSv1 Off
}

TEST(ZosServer, AttlsServerFactsPredictEachClient) {
  const auto ftp = server_ftp_data(kZosVectors + "ftp.data-server-attls");
  const auto f = zosftp::server_facts(ftp, ftpd_rule(), "audit z/OS");
  EXPECT_EQ(f.versions.at(0x0301).refusal, probe::tls::Refusal::alert);
  EXPECT_EQ(f.suites.at(0x0302), std::vector<std::uint16_t>{0x002f});
  EXPECT_EQ(f.suites.at(0x0303), (std::vector<std::uint16_t>{0xc030, 0x002f, 0x009c}));
  EXPECT_EQ(f.server_preference, std::optional<bool>(true));
  EXPECT_FALSE(f.client_cert.requested);
  const auto modern = tlsprofiles::predict(*tlsprofiles::find_profile("openssl-3.0"), f);
  EXPECT_EQ(modern.verdict, tlsprofiles::Verdict::connects) << modern.summary;
  EXPECT_EQ(modern.version, std::optional<std::uint16_t>(0x0303));
  EXPECT_EQ(modern.cipher_suite, std::optional<std::uint16_t>(0xc030));
  const auto old = tlsprofiles::predict(*tlsprofiles::find_profile("zos-2.2-ftp"), f);
  EXPECT_EQ(old.verdict, tlsprofiles::Verdict::fails);
  EXPECT_EQ(old.causes.at(0).kb_id, "tls.client-version-too-old");
}

TEST(ZosServer, FtpMechanismServerTakesVersionsFromFtpDataAndDemandsCertificates) {
  const auto ftp = server_ftp_data(kZosExamples + "ftp.data-server-ftp");
  const auto f = zosftp::server_facts(ftp, std::nullopt, "audit z/OS");
  EXPECT_EQ(f.versions.at(0x0301).refusal, probe::tls::Refusal::none);  // TLSV1 TRUE by default
  EXPECT_EQ(f.versions.at(0x0303).refusal, probe::tls::Refusal::none);
  EXPECT_EQ(f.versions.at(0x0304).refusal, probe::tls::Refusal::alert);
  EXPECT_TRUE(f.client_cert.requested);
  EXPECT_EQ(f.client_cert.required, std::optional<bool>(true));
  EXPECT_EQ(f.ftps.prot_c_accepted, std::optional<bool>(false));
  EXPECT_FALSE(f.suites.at(0x0303).empty());  // the System SSL V2R4 default list
}

TEST(ZosServer, PairWithLinuxClientProfilesAgainstFtpDataAndPolicy) {
  const auto out = run_pair({"openssl-3.0", "zos-2.2-ftp"},
                            {kZosVectors + "ftp.data-server-attls", kZosExamples + "attls-ftpd.policy"}, Options{});
  ASSERT_FALSE(out.error) << out.error->text();
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].id, "tls.client-version-too-old");
  ASSERT_EQ(out.sections.size(), 1u);
}

TEST(ZosServer, AttlsClientOfferComesFromTheRule) {
  const auto client = zosftp::parse(kZosVectors + "ftp.data-client-attls",
                                    read_config_file(kZosVectors + "ftp.data-client-attls").text).config;
  const auto policy = attls::parse(kZosVectors + "attls-ftp.policy",
                                   read_config_file(kZosVectors + "attls-ftp.policy").text).policy;
  attls::Connection c;
  c.inbound = false;
  c.remote_port = 21;
  const auto m = attls::resolve(policy, c);
  ASSERT_TRUE(m);
  const auto p = zosftp::client_profile(client, *m);
  EXPECT_EQ(p.versions.value.min, 0x0302);
  EXPECT_EQ(p.versions.value.max, 0x0303);
  EXPECT_EQ(p.cipher_suites.value, (std::vector<std::uint16_t>{0xc02f, 0xc030, 0x009c, 0x009d}));
}

}  // namespace
}  // namespace sd::audit
