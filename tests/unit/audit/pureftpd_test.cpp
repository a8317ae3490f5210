// pure-ftpd: Debian 12's packaged conf folder, pure-ftpd.conf with Include, a command line; the built-in TLS 1.2
// floor and server suite order of 1.0.50; hazards with file:line and fixes; the pair audit against z/OS FTP.DATA.
#include <gtest/gtest.h>

#include "audit/pair.h"
#include "audit/pureftpd/pureftpd.h"

namespace sd::audit {
namespace {

const std::string kDir = std::string(SD_SOURCE_DIR) + "/examples/audit/pureftpd/";
const std::string kDebian = kDir + "debian-12/etc/pure-ftpd/conf";
const std::string kDebianTls = kDir + "debian-12-tls/etc/pure-ftpd/conf";
const std::string kZos = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/zos/";

std::vector<std::string> ids(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.id);
  return out;
}

pureftpd::Parsed conf_file() {
  const auto path = kDir + "pure-ftpd.conf";
  return pureftpd::parse_any(path, read_config_file(path).text);
}

pureftpd::Parsed command_line() {
  const auto path = kDir + "pure-ftpd.service";
  return pureftpd::parse_any(path, read_config_file(path).text);
}

TEST(PureFtpd, DebianPackageDefaultsLeaveTlsOff) {
  ASSERT_TRUE(pureftpd::is_conf_folder(kDebian));
  const auto p = pureftpd::parse_folder(kDebian);
  ASSERT_FALSE(p.error) << p.error->text();
  EXPECT_EQ(p.config.tls_mode(), 0);
  const auto ciphers = p.config.get("TLSCipherSuite");
  ASSERT_TRUE(ciphers->line);
  EXPECT_EQ(ciphers->line->file, kDebian + "/TLSCipherSuite");
  EXPECT_EQ(ciphers->line->line, 1u);
  EXPECT_EQ(ciphers->value, "HIGH");
  const auto findings = pureftpd::audit(p.config);
  ASSERT_EQ(ids(findings), std::vector<std::string>{"ftps.pureftpd-tls-off"});
  EXPECT_EQ(findings[0].evidence.at(0).file, kDebian);
  EXPECT_EQ(findings[0].evidence.at(0).line, 0u);
  EXPECT_EQ(findings[0].evidence.at(0).text, "TLS not set: 0 (pure-ftpd 1.0.50) by default");
  EXPECT_EQ(findings[0].fixes.at(0).snippet, "--- " + kDebian + "/TLS\n+++ " + kDebian + "/TLS\n+ 1\n");
}

TEST(PureFtpd, DebianWrapperRefusesCertFileAndTls12FloorLocksOutTls10Clients) {
  const auto p = pureftpd::parse_folder(kDebianTls);
  ASSERT_FALSE(p.error) << p.error->text();
  EXPECT_EQ(p.config.tls_mode(), 2);
  EXPECT_EQ(p.config.get("TLS")->line->file, kDebianTls + "/TLS");
  const auto findings = pureftpd::audit(p.config);
  ASSERT_EQ(ids(findings), (std::vector<std::string>{"ftps.pureftpd-wrapper-refuses-file", "tls.client-version-too-old"}));
  EXPECT_EQ(findings[0].evidence.at(0).file, kDebianTls + "/CertFile");
  EXPECT_EQ(findings[0].evidence.at(0).line, 1u);
  EXPECT_EQ(findings[0].fixes.at(0).snippet, "rm " + kDebianTls + "/CertFile\n");
  EXPECT_EQ(findings[1].evidence.at(0).file, kDebianTls + "/TLS");
  EXPECT_EQ(findings[1].evidence.at(0).line, 1u);
  EXPECT_EQ(findings[1].evidence.at(0).text, "2; pure-ftpd 1.0.50 refuses versions below TLSv1.2");
  EXPECT_EQ(findings[1].change_side, "client");
  EXPECT_EQ(findings[1].fixes.at(0).snippet, "+ TLSV1.2 TRUE\n");
}

TEST(PureFtpd, ConfFileFollowsIncludeAndReadsTheClientCertificatePrefix) {
  const auto p = conf_file();
  ASSERT_FALSE(p.error) << p.error->text();
  EXPECT_EQ(p.config.layout, pureftpd::Layout::conf_file);
  const auto tls = p.config.get("TLS");
  EXPECT_EQ(tls->line->file, kDir + "conf.d/10-tls.conf");
  EXPECT_EQ(tls->line->line, 2u);
  EXPECT_EQ(p.config.tls_mode(), 2);
  EXPECT_EQ(p.config.get("CertFileAndKey")->value, "/etc/pure-ftpd.pem,/etc/pure-ftpd.key");
  EXPECT_TRUE(p.config.client_cert_required());
  EXPECT_EQ(p.config.cipher_list(), "HIGH:!aNULL");
  const auto findings = pureftpd::audit(p.config);
  ASSERT_EQ(ids(findings), (std::vector<std::string>{"tls.client-version-too-old", "tls.client-cert-required"}));
  EXPECT_EQ(findings[1].evidence.at(0).file, kDir + "pure-ftpd.conf");
  EXPECT_EQ(findings[1].evidence.at(0).line, 9u);
  EXPECT_EQ(findings[1].fixes.at(0).snippet, "--- " + kDir + "pure-ftpd.conf\n+++ " + kDir +
                                              "pure-ftpd.conf\n- TLSCipherSuite               -C:HIGH:!aNULL\n"
                                              "+ TLSCipherSuite HIGH:!aNULL\n");
}

TEST(PureFtpd, TlsThreeRefusesClearDataConnections) {
  const auto path = kDir + "pure-ftpd.conf";
  const auto p = pureftpd::parse(path, "TLS 3\n");
  const auto findings = pureftpd::audit(p.config);
  ASSERT_EQ(ids(findings), (std::vector<std::string>{"tls.client-version-too-old", "ftps.data-protection-required"}));
  EXPECT_EQ(findings[1].fixes.at(0).snippet, "--- " + path + "\n+++ " + path + "\n- TLS 3\n+ TLS 2\n");
  EXPECT_EQ(findings[1].fixes.at(1).snippet, "+ SECURE_DATACONN PRIVATE\n");
  EXPECT_EQ(pureftpd::server_facts(p.config, {}, "t").ftps.prot_c_accepted, false);
}

TEST(PureFtpd, CommandLineOptionsKeepTheirLine) {
  const auto p = command_line();
  ASSERT_FALSE(p.error) << p.error->text();
  EXPECT_EQ(p.config.layout, pureftpd::Layout::command_line);
  const auto tls = p.config.get("TLS");
  EXPECT_EQ(tls->line->line, 5u);
  EXPECT_EQ(tls->line->key, "-Y 1");
  EXPECT_EQ(p.config.tls_mode(), 1);
  EXPECT_EQ(p.config.cipher_list(), "HIGH:!aNULL");
  EXPECT_EQ(p.config.get("CertFileAndKey")->value, "/etc/ssl/private/ftp.pem,/etc/ssl/private/ftp.key");
  const auto other = pureftpd::parse_command_line("x", "pure-ftpd --tls=3 -JHIGH\n");
  EXPECT_EQ(other.config.tls_mode(), 3);
  EXPECT_EQ(other.config.get("TLSCipherSuite")->value, "HIGH");
}

TEST(PureFtpd, ServerFactsCarryTheBuiltInFloorAndServerOrder) {
  const auto p = pureftpd::parse_folder(kDebianTls);
  const auto s = pureftpd::tls_settings(p.config, {});
  EXPECT_EQ(s.disabled_versions, (std::set<std::uint16_t>{0x0300, 0x0301, 0x0302}));
  EXPECT_EQ(s.cipher_strings, std::vector<std::string>{"HIGH"});
  const auto f = pureftpd::server_facts(p.config, {}, "audit t");
  EXPECT_EQ(f.versions.at(0x0303).refusal, probe::tls::Refusal::none);
  EXPECT_EQ(f.versions.at(0x0304).refusal, probe::tls::Refusal::none);
  EXPECT_NE(f.versions.at(0x0301).refusal, probe::tls::Refusal::none);
  EXPECT_EQ(f.server_preference, std::optional<bool>(true));
  EXPECT_EQ(f.ftps.requires_session_reuse, std::optional<bool>(false));
  pureftpd::Config old;
  old.version = "1.0.46";
  EXPECT_EQ(old.min_protocol(), 0x0302);
  EXPECT_EQ(old.server_preference(), std::nullopt);
}

TEST(PureFtpd, PairWithZosDefaultsFailsOnTheVersionFloorOnly) {
  const auto out = run_pair({kZos + "ftp.data-client"}, {kDebianTls}, Options{});
  ASSERT_FALSE(out.error) << out.error->text();
  ASSERT_EQ(ids(out.findings), std::vector<std::string>{"tls.client-version-too-old"});
  const auto fixed = run_pair({kZos + "ftp.data-client-tls12"}, {kDebianTls}, Options{});
  ASSERT_FALSE(fixed.error) << fixed.error->text();
  EXPECT_TRUE(fixed.findings.empty()) << ids(fixed.findings).front();
}

TEST(PureFtpd, SingleSideAuditOfTheFolderPredictsKnownClients) {
  const auto out = run({kDebianTls}, Options{});
  ASSERT_FALSE(out.error) << out.error->text();
  ASSERT_EQ(out.sections.size(), 1u);
  EXPECT_EQ(out.findings.at(0).id, "ftps.pureftpd-wrapper-refuses-file");
  EXPECT_EQ(out.findings.at(1).id, "tls.client-version-too-old");
}

// Both ids have KB rules now (made from pure-ftpd's and its wrapper's real output): the audit's findings carry the
// rule's title and references, and keep their own cause, which quotes the real reply and names the file.
TEST(PureFtpd, TlsOffAndWrapperFindingsCarryTheirKbRules) {
  const auto off = pureftpd::audit(pureftpd::parse_folder(kDebian).config);
  ASSERT_EQ(ids(off), std::vector<std::string>{"ftps.pureftpd-tls-off"});
  EXPECT_EQ(off[0].title, "pure-ftpd has TLS switched off (TLS 0) and answers AUTH TLS with 500");
  ASSERT_FALSE(off[0].references.empty());
  EXPECT_EQ(off[0].references[0].id, "pure-ftpd README.TLS");
  EXPECT_EQ(off[0].severity, Severity::high);
  EXPECT_NE(off[0].cause.find("TLS 0 is in force (pure-ftpd's default): pure-ftpd still lists AUTH TLS in its FEAT "
                              "reply but answers AUTH TLS with \"500 This security scheme is not implemented\""),
            std::string::npos)
      << off[0].cause;

  const auto refused = pureftpd::audit(pureftpd::parse_folder(kDebianTls).config);
  ASSERT_FALSE(refused.empty());
  EXPECT_EQ(refused[0].id, "ftps.pureftpd-wrapper-refuses-file");
  EXPECT_EQ(refused[0].title,
            "Debian's pure-ftpd-wrapper refuses a file in /etc/pure-ftpd/conf and pure-ftpd does not start");
  ASSERT_FALSE(refused[0].references.empty());
  EXPECT_EQ(refused[0].references[0].id, "pure-ftpd-wrapper(8)");
  EXPECT_NE(refused[0].cause.find("\"Invalid configuration file " + kDebianTls +
                                  "/CertFile: No corresponding directive\""),
            std::string::npos)
      << refused[0].cause;
}

}  // namespace
}  // namespace sd::audit
