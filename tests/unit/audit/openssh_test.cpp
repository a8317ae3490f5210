// sshd_config / ssh_config: Include under a root, blocks, EFS hazard from a fact or the root, Ed25519-only sshd.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "audit/openssh/offer.h"
#include "audit/openssh/openssh.h"
#include "audit/pair.h"
#include "sshprofiles/profiles.h"

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
  // The real sshd refuses this file (HostKeyAlgorithms inside Match, line 8): that finding comes first, then the
  // Ed25519 one, then the predicted clients' other causes, which depend on the host's keys.
  ASSERT_GE(out.findings.size(), 2u);
  EXPECT_EQ(out.findings[0].id, "ssh.config-rejected");
  EXPECT_EQ(out.findings[0].evidence.at(0).line, 8u);
  EXPECT_EQ(out.findings[1].id, "ssh.no-matching-host-key");
  EXPECT_EQ(out.findings[1].evidence.at(0).line, 4u);
  EXPECT_EQ(out.findings[1].evidence.at(0).text, "HostKeyAlgorithms ssh-ed25519");
}

TEST(OpenSsh, IncludeFollowedUnderRootWithFileLineOfTheIncludedFile) {
  Options o;
  o.root = kDir + "include-root";
  o.facts["efs"] = "on";
  const auto out = run({kDir + "include-root/etc/ssh/sshd_config"}, o);
  ASSERT_FALSE(out.error);
  ASSERT_GE(out.findings.size(), 1u);  // EFS option set to no in 20-loop.conf; then the predicted clients' causes
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
  for (const auto& f : out.findings) EXPECT_NE(f.id, "ssh.aix-efs-keystore-request");
  ASSERT_EQ(out.sections.size(), 1u);  // the known clients against the host's own sshd
  EXPECT_EQ(out.sections[0].fields.size(), probe::ssh::client_profiles().size());
  const auto client = run({"/etc/ssh/ssh_config"}, {});
  ASSERT_FALSE(client.error) << client.error->text();
}

// OpenSSH's list rules (+ appends, - removes, ^ puts first, patterns match the supported names, no duplicates).
TEST(OpenSshOffer, AssembleFollowsOpenSshModifiers) {
  const std::vector<std::string> def = {"a", "b", "c"};
  const std::vector<std::string> all = {"a", "b", "c", "d", "e-x", "e-y"};
  std::vector<std::string> rejected;
  EXPECT_EQ(openssh::assemble("", def, all, rejected), def);
  EXPECT_EQ(openssh::assemble("+d", def, all, rejected), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(openssh::assemble("-b", def, all, rejected), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(openssh::assemble("-e*", def, all, rejected), def);
  EXPECT_EQ(openssh::assemble("^d", def, all, rejected), (std::vector<std::string>{"d", "a", "b", "c"}));
  EXPECT_EQ(openssh::assemble("e-*,a", def, all, rejected), (std::vector<std::string>{"e-x", "e-y", "a"}));
  EXPECT_EQ(openssh::assemble("+a,b", def, all, rejected), def);
  EXPECT_TRUE(rejected.empty());
  EXPECT_TRUE(openssh::assemble("zz", def, all, rejected).empty());
  EXPECT_EQ(rejected, (std::vector<std::string>{"zz"}));
}

TEST(OpenSshOffer, DefaultsTableHasTheCapturedVersions) {
  EXPECT_EQ(openssh::known_versions(), (std::vector<std::string>{"9.2", "10.0"}));
}

// A host's "/" with host keys: only the .pub beside each key is read (the private files here are placeholders).
struct SshRoot {
  std::filesystem::path root = std::filesystem::path(::testing::TempDir()) / "sd-openssh-offer";
  SshRoot() {
    std::filesystem::create_directories(root / "etc/ssh");
    write("ssh_host_ed25519_key.pub",
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF0PxxGA+sqFmY0/VW4S3ucCBrsuAvHTAog4TuLik4i3 root@vm\n");
    write("ssh_host_rsa_key.pub", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCtwmgqYKeAvKSsPcOg0sPH root@vm\n");
    write("ssh_host_ed25519_key", "placeholder\n");
    write("ssh_host_rsa_key", "placeholder\n");
  }
  void write(const std::string& name, const std::string& text) const { std::ofstream(root / "etc/ssh" / name) << text; }
  std::string config(const std::string& name, const std::string& text) const {
    write(name, text);
    return (root / "etc/ssh" / name).string();
  }
};

const std::vector<std::string>& list_of(const openssh::ServerOffer& o, sd::ssh::KexList which) {
  return o.kexinit.list(which).value;
}

openssh::Config parsed(openssh::Role role, const std::string& text) {
  return openssh::parse(role, "sshd_config", text).config;
}

TEST(OpenSshOffer, ServerOfferFromVersionDefaultsAndHostKeys) {
  const SshRoot r;
  const auto cfg =
      parsed(openssh::Role::server, "HostKey /etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/ssh_host_rsa_key\n");
  const auto offer = openssh::server_offer(cfg, {{"openssh", "9.2"}}, r.root.string());
  EXPECT_EQ(offer.version, "9.2");
  EXPECT_EQ(list_of(offer, sd::ssh::KexList::kex).front(), "sntrup761x25519-sha512");
  EXPECT_EQ(list_of(offer, sd::ssh::KexList::kex).back(), "kex-strict-s-v00@openssh.com");
  EXPECT_EQ(list_of(offer, sd::ssh::KexList::host_key),
            (std::vector<std::string>{"ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256"}));
  EXPECT_EQ(list_of(offer, sd::ssh::KexList::cipher_s2c).front(), "chacha20-poly1305@openssh.com");
  EXPECT_EQ(list_of(offer, sd::ssh::KexList::compression_c2s), (std::vector<std::string>{"none", "zlib@openssh.com"}));
  EXPECT_TRUE(offer.notes.empty());
}

TEST(OpenSshOffer, LegacySettingsAndMissingKeys) {
  const SshRoot r;
  const auto cfg = parsed(openssh::Role::server,
                          "HostKey /etc/ssh/ssh_host_rsa_key\nHostKey /etc/ssh/ssh_host_ecdsa_key\n"
                          "HostKeyAlgorithms ssh-rsa\nKexAlgorithms diffie-hellman-group1-sha1,nope\nCompression no\n"
                          "Port 2222\n");
  const auto offer = openssh::server_offer(cfg, {{"openssh", "9.6"}}, r.root.string());
  EXPECT_EQ(offer.version, "9.2");
  EXPECT_EQ(offer.port, 2222);
  EXPECT_EQ(list_of(offer, sd::ssh::KexList::kex),
            (std::vector<std::string>{"diffie-hellman-group1-sha1", "kex-strict-s-v00@openssh.com"}));
  EXPECT_EQ(list_of(offer, sd::ssh::KexList::host_key), (std::vector<std::string>{"ssh-rsa"}));
  EXPECT_EQ(list_of(offer, sd::ssh::KexList::compression_s2c), (std::vector<std::string>{"none"}));
  ASSERT_EQ(offer.notes.size(), 3u);
  EXPECT_EQ(offer.notes[0], "sshd: no defaults for OpenSSH 9.6; those of 9.2 used");
  EXPECT_EQ(offer.notes[1],
            "sshd_config: KexAlgorithms names nope, which OpenSSH 9.2 does not know: sshd refuses the setting");
  EXPECT_EQ(offer.notes[2],
            "HostKey " + (r.root / "etc/ssh/ssh_host_ecdsa_key").string() + ": no such file, so sshd skips it");
}

TEST(OpenSshOffer, OpenSsh10DropsFiniteFieldDiffieHellmanOnTheServer) {
  const SshRoot r;
  const auto offer = openssh::server_offer(parsed(openssh::Role::server, "HostKey /etc/ssh/ssh_host_ed25519_key\n"),
                                           {{"sshd", "10.0"}}, r.root.string());
  EXPECT_EQ(list_of(offer, sd::ssh::KexList::kex).front(), "mlkem768x25519-sha256");
  EXPECT_EQ(list_of(offer, sd::ssh::KexList::kex).back(), "kex-strict-s-v00@openssh.com");
  EXPECT_EQ(list_of(offer, sd::ssh::KexList::kex).at(7), "ecdh-sha2-nistp521");
}

const Field* client_field(const report::Section& s, const std::string& id) {
  for (const auto& f : s.fields)
    if (f.name == "client" && f.value == id) return &f;
  return nullptr;
}

// Single side: every known client predicted against the sshd_config, in the probe's "clients" section.
TEST(OpenSshOffer, SingleSideSshdPredictsEveryKnownClient) {
  const SshRoot r;
  Options o;
  o.root = r.root.string();
  o.facts["openssh"] = "9.2";
  const auto out = run({r.config("sshd_config", "HostKey /etc/ssh/ssh_host_ed25519_key\n")}, o);
  ASSERT_FALSE(out.error) << out.error->text();
  ASSERT_EQ(out.sections.size(), 1u);
  EXPECT_EQ(out.sections[0].kind, "clients");
  EXPECT_EQ(out.sections[0].fields.size(), probe::ssh::client_profiles().size());
  const Field* aix61 = client_field(out.sections[0], "aix-6.1");
  ASSERT_NE(aix61, nullptr);
  EXPECT_EQ(aix61->child("prediction")->value, "fails");
  EXPECT_EQ(aix61->child("kb")->value, "ssh.no-matching-host-key");
  const Field* current = client_field(out.sections[0], "openssh-9.2");
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->child("kex")->value, "sntrup761x25519-sha512");
  EXPECT_EQ(current->child("host_key")->value, "ssh-ed25519");
  std::size_t host_key_findings = 0;
  for (const auto& f : out.findings) host_key_findings += f.id == "ssh.no-matching-host-key";
  EXPECT_EQ(host_key_findings, 1u) << "one finding per id";
}

// Pair: the ssh_config's effective client against the sshd_config, with the client's own words on failure.
TEST(OpenSshOffer, PairPredictsTheConfiguredClient) {
  const SshRoot r;
  Options o;
  o.root = r.root.string();
  o.facts["openssh"] = "9.2";
  const auto server = r.config("sshd_config", "Port 2222\nHostKey /etc/ssh/ssh_host_ed25519_key\n");
  const auto fails = run_pair({r.config("ssh_config", "Host *\n  KexAlgorithms diffie-hellman-group1-sha1\n")},
                              {server}, o);
  ASSERT_FALSE(fails.error) << fails.error->text();
  ASSERT_EQ(fails.findings.size(), 1u);
  EXPECT_EQ(fails.findings[0].id, "ssh.no-matching-kex");
  EXPECT_EQ(fails.findings[0].fixes.at(0).snippet, "KexAlgorithms +sntrup761x25519-sha512");
  EXPECT_EQ(fails.findings[0].evidence.at(1).text.rfind(
                "the client would print: Unable to negotiate with SERVER port 2222: no matching key exchange method "
                "found. Their offer: sntrup761x25519-sha512,", 0), 0u) << fails.findings[0].evidence.at(1).text;
  const auto connects = run_pair({r.config("ssh_config", "Ciphers aes256-ctr\nMACs -*etm*\n")}, {server}, o);
  ASSERT_FALSE(connects.error);
  EXPECT_TRUE(connects.findings.empty());
  ASSERT_EQ(connects.sections.size(), 1u);
  const Field* client = client_field(connects.sections[0], "ssh_config");
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->child("cipher_c2s")->value, "aes256-ctr");
  EXPECT_EQ(client->child("mac_c2s")->value, "umac-64@openssh.com");
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

// --what-if on an sshd_config agrees with the audit of the file really changed that way.
TEST(OpenSsh, WhatIfDropKexBreaksWhatTheChangedFileBreaks) {
  const auto dir = std::filesystem::temp_directory_path() / "sd-openssh-whatif";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a_sshd_config") << "Port 22\n";
  std::ofstream(dir / "b_sshd_config") << "KexAlgorithms -ecdh-*,diffie-hellman-*\n";
  Options o;
  o.kind = "sshd";
  o.what_if = {"drop-kex:ecdh-*", "drop-kex:diffie-hellman-*"};
  const auto a = run({(dir / "a_sshd_config").string()}, o);
  ASSERT_FALSE(a.error);
  std::vector<std::string> breaks;
  for (const auto& f : a.findings)
    if (f.id == "whatif.client-breaks") breaks.push_back(f.title);
  EXPECT_EQ(breaks, std::vector<std::string>{"AIX 6.1 OpenSSH 6.0p1 will break: no kex left in common with the server"});
  EXPECT_TRUE(std::any_of(a.sections.begin(), a.sections.end(), [](const auto& s) { return s.kind == "what-if"; }));

  o.what_if.clear();
  const auto b = run({(dir / "b_sshd_config").string()}, o);
  ASSERT_FALSE(b.error);
  ASSERT_FALSE(b.findings.empty());
  EXPECT_EQ(b.findings[0].id, "ssh.no-matching-kex");
  EXPECT_EQ(b.findings[0].title.substr(0, b.findings[0].title.find(" \u2192")), "AIX 6.1 OpenSSH 6.0p1");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sd::audit
