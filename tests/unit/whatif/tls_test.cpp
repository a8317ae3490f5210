// TLS what-if on hand-built facts: the transformation field by field, and exactly which profiles it breaks.
#include <gtest/gtest.h>

#include <algorithm>

#include "tlsprofiles/profiles.h"
#include "whatif/tls.h"

namespace sd::whatif {
namespace {

using probe::tls::Answer;
using probe::tls::Refusal;
using probe::tls::ServerFacts;

constexpr std::uint16_t kRsaAes128Sha = 0x002f, kRsaAes256Sha = 0x0035, kDheRsaAes128Sha = 0x0033,
                        kEcdheRsaAes128Sha = 0xc013, kEcdheRsaAes128Gcm = 0xc02f, kRsa3des = 0x000a,
                        kTls13Aes128 = 0x1301;

Answer accepted() { return Answer{.refusal = Refusal::none}; }
Answer refused(std::uint8_t alert) { return Answer{.refusal = Refusal::alert, .alert_code = alert}; }

// A server with TLS 1.0 to 1.2 (SSLv3 and TLS 1.3 refused), its own suite order, three groups.
ServerFacts server_10_to_12() {
  ServerFacts f;
  f.source = "probe tls://127.0.0.1:4433";
  f.versions = {{0x0300, refused(70)}, {0x0301, accepted()}, {0x0302, accepted()}, {0x0303, accepted()},
                {0x0304, refused(70)}};
  const std::vector<std::uint16_t> legacy{kEcdheRsaAes128Sha, kDheRsaAes128Sha, kRsaAes256Sha, kRsaAes128Sha, kRsa3des};
  f.suites = {{0x0301, legacy}, {0x0302, legacy}, {0x0303, {kEcdheRsaAes128Gcm, kEcdheRsaAes128Sha, kDheRsaAes128Sha,
                                                            kRsaAes256Sha, kRsaAes128Sha, kRsa3des}}};
  f.server_preference = true;
  f.groups = {0x001d, 0x0017, 0x0018};
  f.min_dh_bits = 2048;
  return f;
}

std::vector<Change> changes(const std::vector<std::string>& texts) {
  std::string error;
  auto out = parse_changes(texts, Protocol::tls, error);
  EXPECT_TRUE(out) << error;
  return out.value_or(std::vector<Change>{});
}

std::vector<std::string> broken_ids(const Comparison& c) {
  std::vector<std::string> out;
  for (const auto& s : c.changed)
    if (s.breaks()) out.push_back(s.after.profile_id);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(WhatIfTls, NoTls10TurnsTheVersionOffAndDropsItsSuites) {
  Applied applied;
  const auto after = apply(server_10_to_12(), changes({"no-tls1.0"}), applied);
  ASSERT_TRUE(after.versions.contains(0x0301));
  EXPECT_EQ(after.versions.at(0x0301).refusal, Refusal::alert);
  EXPECT_EQ(after.versions.at(0x0301).alert_code, std::optional<std::uint8_t>(70));
  EXPECT_EQ(after.versions.at(0x0301).detail, "turned off by --what-if no-tls1.0");
  EXPECT_FALSE(after.suites.contains(0x0301));
  EXPECT_EQ(after.versions.at(0x0302).refusal, Refusal::none);
  EXPECT_EQ(after.suites.at(0x0302).size(), 5u);
  EXPECT_TRUE(applied.notes.empty());
}

TEST(WhatIfTls, RefusalCopiesHowTheServerRefusesAlready) {
  auto f = server_10_to_12();
  f.versions[0x0300] = Answer{.refusal = Refusal::alert_then_text, .alert_code = 70, .text = "500 OOPS: SSL: no protocols"};
  Applied applied;
  const auto after = apply(f, changes({"no-tls1.0"}), applied);
  EXPECT_EQ(after.versions.at(0x0301).refusal, Refusal::alert_then_text);
  EXPECT_EQ(after.versions.at(0x0301).text, "500 OOPS: SSL: no protocols");
}

TEST(WhatIfTls, MinTls12TurnsEveryLowerVersionOff) {
  Applied applied;
  const auto after = apply(server_10_to_12(), changes({"min-tls1.2"}), applied);
  for (const std::uint16_t v : {0x0300, 0x0301, 0x0302}) EXPECT_EQ(after.versions.at(v).alert_code, std::optional<std::uint8_t>(70)) << v;
  EXPECT_EQ(after.versions.at(0x0303).refusal, Refusal::none);
  EXPECT_EQ(after.suites.size(), 1u);
}

TEST(WhatIfTls, DropSuiteLeavesEveryVersionListAndTheOrder) {
  Applied applied;
  const auto after = apply(server_10_to_12(), changes({"drop-suite:TLS_RSA_*"}), applied);
  EXPECT_EQ(after.suites.at(0x0301), (std::vector<std::uint16_t>{kEcdheRsaAes128Sha, kDheRsaAes128Sha}));
  EXPECT_EQ(after.suites.at(0x0303), (std::vector<std::uint16_t>{kEcdheRsaAes128Gcm, kEcdheRsaAes128Sha, kDheRsaAes128Sha}));
  const auto cbc = apply(server_10_to_12(), changes({"drop-suite:*_CBC_*"}), applied);
  EXPECT_EQ(cbc.suites.at(0x0303), (std::vector<std::uint16_t>{kEcdheRsaAes128Gcm}));
  // TLS 1.0 and 1.1 have no suite left: those hellos now fail with handshake_failure.
  EXPECT_TRUE(cbc.suites.at(0x0301).empty());
  EXPECT_EQ(cbc.versions.at(0x0301).alert_code, std::optional<std::uint8_t>(40));
  EXPECT_EQ(cbc.versions.at(0x0302).alert_code, std::optional<std::uint8_t>(40));
  EXPECT_EQ(cbc.versions.at(0x0303).refusal, Refusal::none);
}

TEST(WhatIfTls, OpenSslNamesMatchToo) {
  Applied applied;
  const auto after = apply(server_10_to_12(), changes({"drop-suite:DES-CBC3-SHA"}), applied);
  EXPECT_EQ(after.suites.at(0x0303).size(), 5u);
  EXPECT_EQ(std::count(after.suites.at(0x0303).begin(), after.suites.at(0x0303).end(), kRsa3des), 0);
}

TEST(WhatIfTls, IncompleteListsStayOpen) {
  auto f = server_10_to_12();
  f.suites[0x0304] = {kTls13Aes128};
  f.versions[0x0304] = accepted();
  f.suites_incomplete = {0x0304};
  Applied applied;
  const auto after = apply(f, changes({"drop-suite:TLS_AES_128_GCM_SHA256"}), applied);
  EXPECT_TRUE(after.suites.at(0x0304).empty());
  EXPECT_EQ(after.versions.at(0x0304).refusal, Refusal::none);  // other TLS 1.3 suites may still be accepted
}

TEST(WhatIfTls, GroupsSignaturesAndDh) {
  auto f = server_10_to_12();
  f.signature_schemes = {0x0804, 0x0401, 0x0201};
  Applied applied;
  const auto after = apply(f, changes({"drop-group:x25519", "drop-sigalg:rsa_pkcs1_sha1", "min-dh:3072"}), applied);
  EXPECT_EQ(after.groups, (std::vector<std::uint16_t>{0x0017, 0x0018}));
  EXPECT_EQ(after.signature_schemes, (std::vector<std::uint16_t>{0x0804, 0x0401}));
  EXPECT_EQ(after.min_dh_bits, std::optional<unsigned>(3072));
  f.min_dh_bits.reset();
  const auto unknown = apply(f, changes({"min-dh:3072"}), applied);
  EXPECT_FALSE(unknown.min_dh_bits);
  EXPECT_EQ(applied.notes.back(), "the server's DH group size was not measured, so min-dh changes no prediction");
}

TEST(WhatIfTls, NoTls10BreaksExactlyTheTls10OnlyProfiles) {
  const auto profiles = tlsprofiles::load_profiles();
  Applied applied;
  const auto before = server_10_to_12();
  const auto after = apply(before, changes({"no-tls1.0"}), applied);
  const auto c = compare_tls(profiles, before, after);
  EXPECT_EQ(broken_ids(c), (std::vector<std::string>{"ibm-java-8", "zos-2.2-ftp", "zos-systemssl-2.1-default"}));
  EXPECT_EQ(c.changed.size(), 3u);
  EXPECT_EQ(c.unaffected, profiles.size() - 3);
  const auto zos = std::find_if(c.changed.begin(), c.changed.end(), [](const Shift& s) { return s.after.profile_id == "zos-2.2-ftp"; });
  ASSERT_NE(zos, c.changed.end());
  EXPECT_EQ(zos->before.verdict, "connects");
  EXPECT_EQ(zos->after.verdict, "fails");
  EXPECT_EQ(zos->after.reason, "its only version TLSv1.0 is turned off");
  EXPECT_EQ(zos->after.kb_id, "tls.client-version-too-old");
  EXPECT_EQ(zos->after.stage, "handshake");
  EXPECT_EQ(zos->after.summary, "fails: tls.client-version-too-old");
}

TEST(WhatIfTls, SectionAndFindings) {
  std::vector<report::Section> sections;
  std::vector<Finding> findings;
  add_tls_what_if(changes({"no-tls1.0"}), {*tlsprofiles::find_profile("zos-2.2-ftp"), *tlsprofiles::find_profile("openssl-3.0")},
                  server_10_to_12(), "tls://127.0.0.1:4433", sections, findings);
  ASSERT_EQ(sections.size(), 1u);
  const auto& s = sections.front();
  EXPECT_EQ(s.kind, "what-if");
  EXPECT_EQ(s.title, "what if: no-tls1.0");
  ASSERT_EQ(s.fields.size(), 5u);  // protocol, change, one shifted profile, broken, unaffected
  EXPECT_EQ(s.fields[0].value, "tls");
  EXPECT_EQ(s.fields[1].value, "no-tls1.0");
  EXPECT_EQ(s.fields[2].name, "zos-2.2-ftp");
  EXPECT_EQ(s.fields[2].value, "connects → fails");
  EXPECT_EQ(s.fields[3].value, "1");
  EXPECT_EQ(s.fields[4].value, "1");
  EXPECT_EQ(s.notes.front(), "1 of 2 profiles break, 0 change otherwise, 1 unaffected");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "whatif.client-breaks");
  EXPECT_EQ(findings[0].severity, Severity::medium);
  EXPECT_EQ(findings[0].title, "z/OS 2.2 FTP client (System SSL), seed-002 trace will break: its only version TLSv1.0 is turned off");
}

TEST(WhatIfTls, TurningEverythingOffBreaksEveryone) {
  const auto profiles = tlsprofiles::load_profiles();
  Applied applied;
  const auto before = server_10_to_12();
  const auto after = apply(before, changes({"no-tls1.0", "no-tls1.1", "no-tls1.2"}), applied);
  ASSERT_EQ(applied.notes.size(), 1u);
  EXPECT_EQ(applied.notes[0], "the change leaves no TLS version accepted: every client breaks");
  const auto c = compare_tls(profiles, before, after);
  std::size_t connecting_before = 0;
  for (const auto& p : profiles) connecting_before += tlsprofiles::predict(p, before).verdict != tlsprofiles::Verdict::fails;
  EXPECT_EQ(c.broken(), connecting_before);
  for (const auto& p : profiles) EXPECT_EQ(tlsprofiles::predict(p, after).verdict, tlsprofiles::Verdict::fails) << p.id;
}

TEST(WhatIfTls, DroppingTls12MovesClientsDown) {
  const auto profiles = std::vector<tlsprofiles::ClientProfile>{*tlsprofiles::find_profile("openssl-1.0.2")};
  Applied applied;
  const auto before = server_10_to_12();
  const auto c = compare_tls(profiles, before, apply(before, changes({"no-tls1.2"}), applied));
  ASSERT_EQ(c.changed.size(), 1u);
  EXPECT_FALSE(c.changed[0].breaks());
  EXPECT_EQ(c.changed[0].before.summary.substr(0, 19), "connects: TLSv1.2 T");
  EXPECT_EQ(c.changed[0].after.summary.substr(0, 19), "connects: TLSv1.1 T");
}

}  // namespace
}  // namespace sd::whatif
