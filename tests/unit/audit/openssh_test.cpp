// sshd_config / ssh_config: Include under a root, blocks, EFS hazard from a fact or the root, Ed25519-only sshd.
#include <gtest/gtest.h>

#include "audit/audit.h"
#include "audit/openssh/openssh.h"

namespace sd::audit {
namespace {

const std::string kDir = std::string(SD_SOURCE_DIR) + "/tests/vectors/audit/";

TEST(OpenSsh, AixClientWithoutOptionAndEfsFactGivesKeystoreFinding) {
  Options o;
  o.facts["efs"] = "on";
  const auto out = run({kDir + "openssh/ssh_config-aix"}, o);
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 1u);
  const auto& f = out.findings[0];
  EXPECT_EQ(f.id, "ssh.aix-efs-keystore-request");
  EXPECT_EQ(f.title, "AIX OpenSSH with EFS asks the peer for keystore support and the peer drops the connection");
  EXPECT_EQ(f.change_side, "client");
  EXPECT_EQ(f.evidence.at(0).text, "AllowPKCS12KeystoreAutoOpen not set: yes (AIX OpenSSH) by default");
  EXPECT_NE(f.fixes.at(0).snippet.find("+ AllowPKCS12KeystoreAutoOpen no\n"), std::string::npos);
  EXPECT_EQ(f.references.at(0).id, "IBM technote 1074720");
}

TEST(OpenSsh, NoEfsNoFinding) {
  const auto out = run({kDir + "openssh/ssh_config-aix"}, {});
  ASSERT_FALSE(out.error);
  EXPECT_TRUE(out.findings.empty());
}

TEST(OpenSsh, EfsReadFromTheRootsVarEfs) {
  Options o;
  o.root = kDir + "aix-efs-root";
  const auto out = run({kDir + "aix-efs-root/etc/ssh/ssh_config"}, o);
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].id, "ssh.aix-efs-keystore-request");
  EXPECT_EQ(out.notes.at(0), "EFS taken as enabled: " + kDir + "aix-efs-root/var/efs exists (created by efsenable)");
}

TEST(OpenSsh, OptionSetToNoBeforeHostBlocksIsClean) {
  Options o;
  o.facts["efs"] = "on";
  const auto out = run({kDir + "openssh/ssh_config-aix-fixed"}, o);
  ASSERT_FALSE(out.error);
  EXPECT_TRUE(out.findings.empty());
}

TEST(OpenSsh, OptionInsideANamedHostBlockDoesNotCount) {
  const auto p = openssh::parse(openssh::Role::client, "c", "Host zos1\n  AllowPKCS12KeystoreAutoOpen no\n");
  ASSERT_FALSE(p.error);
  EXPECT_FALSE(p.config.global("AllowPKCS12KeystoreAutoOpen"));
  EXPECT_EQ(p.config.entries.at(1).block, "Host zos1");
  EXPECT_EQ(openssh::audit(p.config, {{"efs", "on"}}).size(), 1u);
}

TEST(OpenSsh, Ed25519OnlySshdLocksOutOldAixClients) {
  const auto out = run({kDir + "openssh/sshd_config-ed25519-only"}, {});
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].id, "ssh.no-matching-host-key");
  EXPECT_EQ(out.findings[0].evidence.at(0).line, 4u);
  EXPECT_EQ(out.findings[0].evidence.at(0).text, "HostKeyAlgorithms ssh-ed25519");
}

TEST(OpenSsh, IncludeFollowedUnderRootWithFileLineOfTheIncludedFile) {
  Options o;
  o.root = kDir + "include-root";
  o.facts["efs"] = "on";
  const auto out = run({kDir + "include-root/etc/ssh/sshd_config"}, o);
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 1u);  // EFS option set to no in 20-loop.conf
  EXPECT_EQ(out.findings[0].id, "ssh.no-matching-host-key");
  EXPECT_EQ(out.findings[0].evidence.at(0).file, kDir + "include-root/etc/ssh/sshd_config.d/10-hostkeys.conf");
  EXPECT_EQ(out.findings[0].evidence.at(0).line, 1u);
}

TEST(OpenSsh, IncludeLoopIsAClearError) {
  Options o;
  o.root = kDir + "loop-root";
  const auto out = run({kDir + "loop-root/etc/ssh/sshd_config"}, o);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->message, "Include nested deeper than 16 (a loop?)");
}

TEST(OpenSsh, UnbalancedQuoteIsAnErrorAtFileLine) {
  const auto out = run({kDir + "openssh/ssh_config-unbalanced-quote"}, {});
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->line, 1u);
}

TEST(OpenSsh, RealDebianSshdConfigParses) {
  const auto out = run({"/etc/ssh/sshd_config"}, {});
  ASSERT_FALSE(out.error) << out.error->text();
  EXPECT_TRUE(out.findings.empty());
  const auto client = run({"/etc/ssh/ssh_config"}, {});
  ASSERT_FALSE(client.error) << client.error->text();
}

}  // namespace
}  // namespace sd::audit

namespace sd::audit {
namespace {

// Seed 003: an AIX NIM client root with secure nimsh and the 0.9.8 copies left in /usr/lib.
TEST(Nim, LeftoverOpenSsl098LibrariesBesideSslNimsh) {
  Options o;
  o.root = kDir + "nim-client-root";
  const auto out = run({kDir + "nim-client-root/ssl_nimsh/keys"}, o);
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].id, "nim.nimsh-openssl-library-mismatch");
  ASSERT_EQ(out.findings[0].evidence.size(), 2u);
  EXPECT_EQ(out.findings[0].evidence[0].text, "/usr/lib/libssl.so.0.9.8 is present");
  EXPECT_NE(out.findings[0].fixes.at(0).snippet.find("nimclient -c"), std::string::npos);
}

}  // namespace
}  // namespace sd::audit
