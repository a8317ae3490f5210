// vsftpd.conf: defaults by version, last line wins, hazards with line numbers or "by default", errors at file:line.
#include <gtest/gtest.h>

#include "audit/audit.h"
#include "audit/vsftpd/vsftpd.h"

namespace sd::audit {
namespace {

const std::string kDir = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/";

Outcome audit_file(const std::string& name, Options o = {}) { return run({kDir + name}, o); }

TEST(Vsftpd, DebianDefaultFileHasFtpsOffAndNoFinding) {
  const auto out = audit_file("vsftpd/debian-default.conf");
  ASSERT_FALSE(out.error);
  EXPECT_TRUE(out.findings.empty());
}

TEST(Vsftpd, DebianDefaultsWithSslEnableNameBothHazardsByDefault) {
  const auto out = audit_file("vsftpd/debian-ssl-enable.conf");
  ASSERT_FALSE(out.error);
  ASSERT_GE(out.findings.size(), 2u);  // then known clients predicted on this host's OpenSSL
  EXPECT_EQ(out.findings[0].id, "ftps.vsftpd-ssl-request-cert");
  EXPECT_EQ(out.findings[1].id, "ftps.vsftpd-require-ssl-reuse");
  const auto& ev = out.findings[0].evidence.at(0);
  EXPECT_EQ(ev.line, 0u);
  EXPECT_EQ(ev.text, "ssl_request_cert not set: YES (vsftpd 3.0.3) by default");
  EXPECT_EQ(out.findings[0].fixes.at(0).snippet, "--- " + kDir + "vsftpd/debian-ssl-enable.conf\n+++ " + kDir +
                                                     "vsftpd/debian-ssl-enable.conf\n+ ssl_request_cert=NO\n");
  EXPECT_EQ(out.findings[1].fixes.at(0).side, "server");
}

TEST(Vsftpd, ExplicitLinesGiveLineNumbersAndTheLastLineWins) {
  const auto out = audit_file("vsftpd/explicit-yes.conf");
  ASSERT_FALSE(out.error);
  ASSERT_GE(out.findings.size(), 2u);
  EXPECT_EQ(out.findings[0].evidence.at(0).line, 2u);
  EXPECT_EQ(out.findings[1].evidence.at(0).line, 4u);
  EXPECT_EQ(out.findings[1].evidence.at(0).text, "require_ssl_reuse=yes");
  EXPECT_NE(out.findings[1].fixes.at(0).snippet.find("- require_ssl_reuse=yes\n+ require_ssl_reuse=NO\n"),
            std::string::npos);
}

TEST(Vsftpd, ZosFriendlyConfigIsClean) {
  const auto path = kDir + "vsftpd/zos-friendly.conf";
  const auto p = vsftpd::parse(path, read_config_file(path).text, "debian");
  ASSERT_FALSE(p.error);
  EXPECT_TRUE(vsftpd::audit(p.config).empty());
  Options o;
  o.facts["vsftpd"] = "debian";
  const auto out = run({kDir + "vsftpd/zos-friendly-high.conf", kDir + "openssl/legacy.cnf"}, o);
  ASSERT_FALSE(out.error);
  EXPECT_TRUE(out.findings.empty());
  ASSERT_EQ(out.sections.size(), 1u);
}

TEST(Vsftpd, OptionsNewerThanTheVersionDoNotApply) {
  auto p = vsftpd::parse("v.conf", "ssl_enable=YES\n", "2.0.5");
  ASSERT_FALSE(p.error);
  EXPECT_FALSE(p.config.get("require_ssl_reuse"));
  EXPECT_FALSE(p.config.get("ssl_request_cert"));
  EXPECT_TRUE(vsftpd::audit(p.config).empty());
  p = vsftpd::parse("v.conf", "ssl_enable=YES\n", "2.1.0");
  EXPECT_EQ(vsftpd::audit(p.config).size(), 2u);
  EXPECT_EQ(p.config.get("ssl_ciphers")->value, "DES-CBC3-SHA");
  EXPECT_EQ(vsftpd::parse("v", "", "debian").config.get("ssl_ciphers")->value, "ECDHE-RSA-AES256-GCM-SHA384");
}

TEST(Vsftpd, BinaryJunkIsAnErrorAtFileLine) {
  const auto out = audit_file("vsftpd/binary-junk.conf");
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->line, 2u);
  EXPECT_EQ(out.error->message, "binary data (byte 0x00): not a text configuration file");
}

TEST(Vsftpd, LineWithoutEqualsIsAnErrorAtFileLine) {
  const auto out = audit_file("vsftpd/no-equals.conf");
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->text(), kDir + "vsftpd/no-equals.conf:2: 'this line has no equals sign' has no '=': vsftpd "
                                      "refuses to start on it");
}

TEST(Vsftpd, MissingFileIsAnError) {
  const auto out = audit_file("vsftpd/absent.conf");
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->message, "cannot open the file");
}

}  // namespace
}  // namespace sd::audit
