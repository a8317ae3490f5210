// proftpd.conf: Debian's real default tree with a conf.d file, Include of a folder, <IfModule>, file:line of the
// mod_tls directives, TLSProtocol as versions, and the pair audit against a z/OS FTP.DATA client.
#include <gtest/gtest.h>

#include "audit/pair.h"
#include "audit/proftpd/proftpd.h"

namespace sd::audit {
namespace {

const std::string kDir = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/";
const std::string kRoot = kDir + "proftpd-root";

proftpd::Parsed debian_tree() {
  const auto path = kRoot + "/etc/proftpd/proftpd.conf";
  return proftpd::parse(path, read_config_file(path).text, kRoot);
}

TEST(Proftpd, IncludedFolderSuppliesTheTlsDirectivesWithFileLine) {
  const auto p = debian_tree();
  ASSERT_FALSE(p.error) << p.error->text();
  EXPECT_TRUE(p.config.engine_on());
  const auto proto = p.config.get("TLSProtocol");
  ASSERT_TRUE(proto);
  EXPECT_EQ(proto->file, kRoot + "/etc/proftpd/conf.d/ftps.conf");
  EXPECT_EQ(proto->line, 4u);
  EXPECT_FALSE(p.config.no_session_reuse_required());
}

TEST(Proftpd, TlsProtocolTurnsOffTheVersionsItDoesNotName) {
  const auto s = proftpd::tls_settings(debian_tree().config, {});
  EXPECT_EQ(s.disabled_versions, (std::set<std::uint16_t>{0x0300, 0x0301, 0x0302}));
  proftpd::Config c;
  c.tls["tlsprotocol"] = ConfigLine{"f", 1, "TLSProtocol", "ALL -SSLv3 -TLSv1", "TLSProtocol ALL -SSLv3 -TLSv1"};
  EXPECT_EQ(proftpd::tls_settings(c, {}).disabled_versions, (std::set<std::uint16_t>{0x0300, 0x0301}));
}

TEST(Proftpd, UnterminatedIfModuleIsAnErrorAtItsLine) {
  const auto path = kDir + "proftpd-unterminated.conf";
  const auto p = proftpd::parse(path, read_config_file(path).text);
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->text(), path + ":1: '<IfModule mod_tls.c>' is never closed");
}

TEST(Proftpd, PairWithZosDefaultsFailsOnVersionAndSessionReuse) {
  Options o;
  o.root = kRoot;
  const auto out = run_pair({kDir + "zos/ftp.data-client"}, {kRoot + "/etc/proftpd/proftpd.conf"}, o);
  ASSERT_FALSE(out.error) << out.error->text();
  ASSERT_FALSE(out.findings.empty());
  EXPECT_EQ(out.findings.front().id, "tls.client-version-too-old");
  const auto fixed = run_pair({kDir + "zos/ftp.data-client-tls12"}, {kRoot + "/etc/proftpd/proftpd.conf"}, o);
  ASSERT_FALSE(fixed.error);
  EXPECT_TRUE(fixed.findings.empty());
}

}  // namespace
}  // namespace sd::audit

namespace sd::audit {
namespace {

TEST(Proftpd, SingleSideAuditPredictsKnownClients) {
  Options o;
  o.root = kRoot;
  const auto out = run({kRoot + "/etc/proftpd/proftpd.conf"}, o);
  ASSERT_FALSE(out.error) << out.error->text();
  ASSERT_EQ(out.sections.size(), 1u);
  bool version = false;
  for (const auto& f : out.findings) version = version || f.id == "tls.client-version-too-old";
  EXPECT_TRUE(version);  // TLSProtocol TLSv1.2 TLSv1.3 locks out the z/OS 2.2 FTP client's TLS 1.0 hello
}

}  // namespace
}  // namespace sd::audit

namespace sd::audit {
namespace {

TEST(Proftpd, AbsentDirectivesTakeModTls138Defaults) {
  const proftpd::Config none;
  EXPECT_EQ(none.value("TLSProtocol"), "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3");
  EXPECT_EQ(none.value("TLSCipherSuite"), "DEFAULT:!ADH:!EXPORT:!DES");
  EXPECT_EQ(none.value("TLSServerCipherPreference"), "off");
  const auto s = proftpd::tls_settings(none, {});
  EXPECT_EQ(s.disabled_versions, std::set<std::uint16_t>{0x0300});
  EXPECT_EQ(s.cipher_strings, std::vector<std::string>{"DEFAULT:!ADH:!EXPORT:!DES"});
}

TEST(Proftpd, ServerCipherPreferenceDecidesThePredictedSuite) {
  proftpd::Config c;
  c.tls["tlsengine"] = ConfigLine{"f", 1, "TLSEngine", "on", "TLSEngine on"};
  c.tls["tlsprotocol"] = ConfigLine{"f", 2, "TLSProtocol", "TLSv1.2", "TLSProtocol TLSv1.2"};
  c.tls["tlsciphersuite"] = ConfigLine{"f", 3, "TLSCipherSuite", "AES256-SHA:AES128-SHA", "TLSCipherSuite AES256-SHA:AES128-SHA"};
  const auto client_order = proftpd::server_facts(c, {}, "t");
  EXPECT_EQ(client_order.server_preference, std::optional<bool>(false));
  EXPECT_EQ(client_order.suites.at(0x0303), (std::vector<std::uint16_t>{0x0035, 0x002f}));
  c.tls["tlsservercipherpreference"] =
      ConfigLine{"f", 4, "TLSServerCipherPreference", "on", "TLSServerCipherPreference on"};
  EXPECT_EQ(proftpd::server_facts(c, {}, "t").server_preference, std::optional<bool>(true));
}

}  // namespace
}  // namespace sd::audit
