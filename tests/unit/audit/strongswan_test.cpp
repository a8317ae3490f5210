// strongSwan configs: swanctl.conf sections/include and ipsec.conf conn/also/%default with file:line; rekey timers
// and their defaults; the rekey and certificate audit with certificates generated at run time (exact dates).
#include "audit/strongswan/strongswan.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "audit/strongswan/ike.h"

namespace sd::audit::strongswan {
namespace {

namespace fs = std::filesystem;

constexpr std::time_t kNow = 1790000000;  // 2026-09-21 14:13:20 UTC

fs::path dir(const std::string& name) {
  const auto d = fs::path(SD_BINARY_DIR) / "strongswan-test" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// A self-signed certificate valid until kNow + seconds.
void write_cert(const fs::path& p, const std::string& cn, long seconds) {
  fs::create_directories(p.parent_path());
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 11);
  X509_time_adj_ex(X509_getm_notBefore(x), -30, 0, const_cast<std::time_t*>(&kNow));
  X509_time_adj_ex(X509_getm_notAfter(x), static_cast<int>(seconds / 86400), seconds % 86400,
                   const_cast<std::time_t*>(&kNow));
  X509_NAME* n = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(x, n);
  X509_set_pubkey(x, key);
  X509_sign(x, key, EVP_sha256());
  FILE* f = fopen(p.c_str(), "wb");
  PEM_write_X509(f, x);
  fclose(f);
  X509_free(x);
  EVP_PKEY_free(key);
}

std::string swanctl(const std::string& cert, const std::string& ike_timers, const std::string& child_timers) {
  return "# test peer\n"
         "connections {\n"
         "  gw {\n"
         "    version = 2\n" +
         ike_timers +
         "    local {\n"
         "      auth = pubkey\n"
         "      certs = " + cert + "\n"
         "    }\n"
         "    remote { auth = pubkey }\n"
         "    children {\n"
         "      net {\n" +
         child_timers +
         "      }\n"
         "    }\n"
         "  }\n"
         "}\n";
}

TEST(StrongswanParse, DurationsInEveryUnit) {
  EXPECT_EQ(parse_duration("4h"), 14400);
  EXPECT_EQ(parse_duration("30m"), 1800);
  EXPECT_EQ(parse_duration("1d"), 86400);
  EXPECT_EQ(parse_duration(" 600s "), 600);
  EXPECT_EQ(parse_duration("3600"), 3600);
  EXPECT_FALSE(parse_duration("4x"));
  EXPECT_FALSE(parse_duration("h"));
  EXPECT_FALSE(parse_duration("-5"));
}

TEST(StrongswanParse, SwanctlSectionsKeepFileAndLine) {
  Section tree;
  const auto e = read_sections("s.conf", "a {\n  b = 1 # note\n  c { d = \"x # y\" }\n}\n", "", tree);
  ASSERT_FALSE(e) << e->text();
  ASSERT_EQ(tree.sections.size(), 1u);
  const Section& a = tree.sections[0];
  EXPECT_EQ(a.at.line, 1u);
  ASSERT_NE(a.setting("b"), nullptr);
  EXPECT_EQ(a.setting("b")->value, "1");
  EXPECT_EQ(a.setting("b")->line, 2u);
  const Section* c = a.section("c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->at.line, 3u);
  EXPECT_EQ(c->setting("d")->value, "x # y");
}

TEST(StrongswanParse, SwanctlErrorsAtTheLine) {
  Section tree;
  EXPECT_EQ(read_sections("s.conf", "a {\n}\n}\n", "", tree)->text(), "s.conf:3: '}' closes no section");
  EXPECT_EQ(read_sections("s.conf", "a {\n b = 1\n", "", tree)->text(), "s.conf:1: section 'a' is never closed");
  EXPECT_EQ(read_sections("s.conf", "a {\n junk\n}\n", "", tree)->text(),
            "s.conf:2: expected 'name {' or 'key = value': junk");
}

// Found by fuzz_audit: a key with '=' and nothing after it on the last line read past the end of the line.
TEST(StrongswanParse, SwanctlEmptyValueAtEndOfLine) {
  Section tree;
  EXPECT_FALSE(read_sections("s.conf", "a {\n b =\n}\n", "", tree).has_value());
  ASSERT_EQ(tree.sections.size(), 1u);
  ASSERT_EQ(tree.sections[0].settings.size(), 1u);
  EXPECT_EQ(tree.sections[0].settings[0].value, "");
}

TEST(StrongswanParse, SwanctlIncludeWithGlobAndDefaults) {
  const auto d = dir("include");
  write(d / "conf.d" / "gw.conf", "connections {\n  gw {\n    rekey_time = 2h\n  }\n}\n");
  write(d / "swanctl.conf", "include conf.d/*.conf\ninclude missing/*.conf\n");
  const auto p = parse_swanctl((d / "swanctl.conf").string(), "include conf.d/*.conf\ninclude missing/*.conf\n");
  ASSERT_FALSE(p.error) << p.error->text();
  ASSERT_EQ(p.config.connections.size(), 1u);
  const auto& c = p.config.connections[0];
  EXPECT_EQ(c.name, "gw");
  EXPECT_EQ(c.ike.rekey.seconds, 7200);
  ASSERT_TRUE(c.ike.rekey.line.has_value());
  EXPECT_EQ(c.ike.rekey.line->file, (d / "conf.d" / "gw.conf").string());
  EXPECT_EQ(c.ike.rekey.line->line, 3u);
  EXPECT_EQ(c.ike.jitter.seconds, 720);  // rand_time defaults to over_time, 10% of rekey_time
  EXPECT_EQ(c.ike.jitter.source, "rand_time not set: over_time (720s)");
  ASSERT_EQ(p.config.notes.size(), 1u);
  EXPECT_NE(p.config.notes[0].find("matched no file"), std::string::npos);
}

TEST(StrongswanParse, SwanctlChildDefaultsAndCerts) {
  const auto p = parse_swanctl("/etc/swanctl/swanctl.conf", swanctl("gw.pem", "", "        rekey_time = 10m\n"));
  ASSERT_FALSE(p.error);
  const auto& c = p.config.connections.at(0);
  ASSERT_EQ(c.children.size(), 1u);
  EXPECT_EQ(c.children[0].sa, "CHILD_SA net");
  EXPECT_EQ(c.children[0].rekey.seconds, 600);
  EXPECT_EQ(c.children[0].life.seconds, 660);
  EXPECT_EQ(c.children[0].jitter.seconds, 60);
  ASSERT_EQ(c.certs.size(), 1u);
  EXPECT_EQ(c.certs[0].path, "/etc/swanctl/x509/gw.pem");
  EXPECT_EQ(c.certs[0].line.line, 7u);
  EXPECT_TRUE(c.certs[0].local);
}

TEST(StrongswanParse, IpsecConfAlsoAndDefault) {
  const std::string text =
      "config setup\n"
      "  charondebug=\"ike 2\"\n"
      "conn %default\n"
      "  ikelifetime=2h\n"
      "  rekeyfuzz=0%\n"
      "conn common\n"
      "  margintime=5m\n"
      "  auto=ignore\n"
      "conn site\n"
      "  also=common\n"
      "  lifetime=30m\n"
      "  leftcert=site.pem\n"
      "  auto=start\n";
  const auto p = parse_ipsec("/etc/ipsec.conf", text);
  ASSERT_FALSE(p.error) << p.error->text();
  ASSERT_EQ(p.config.connections.size(), 1u);
  const auto& c = p.config.connections[0];
  EXPECT_EQ(c.name, "site");
  EXPECT_EQ(c.at.line, 9u);
  EXPECT_EQ(c.ike.life.seconds, 7200);
  EXPECT_EQ(c.ike.rekey.seconds, 7200 - 300);
  EXPECT_EQ(c.ike.jitter.seconds, 0);
  ASSERT_TRUE(c.ike.jitter.line.has_value());
  EXPECT_EQ(c.ike.jitter.line->line, 5u);
  EXPECT_EQ(c.children.at(0).rekey.seconds, 1800 - 300);
  ASSERT_EQ(c.certs.size(), 1u);
  EXPECT_EQ(c.certs[0].path, "/etc/ipsec.d/certs/site.pem");
}

TEST(StrongswanParse, IpsecConfErrors) {
  EXPECT_EQ(parse_ipsec("i.conf", "  left=1\n").error->text(), "i.conf:1: a setting outside any conn, config or ca section");
  EXPECT_EQ(parse_ipsec("i.conf", "conn a\n  junk\n").error->text(), "i.conf:2: expected key=value: junk");
}

TEST(StrongswanParse, Detect) {
  EXPECT_EQ(detect("/etc/swanctl/swanctl.conf", ""), "swanctl");
  EXPECT_EQ(detect("/etc/ipsec.conf", ""), "ipsec.conf");
  EXPECT_EQ(detect("x/gw.conf", "connections {\n}"), "swanctl");
  EXPECT_EQ(detect("x/gw.conf", "# c\nconn a\n"), "ipsec.conf");
  EXPECT_EQ(detect("x/other.conf", "a = b\n"), "");
}

// Two peers, each a swanctl.conf with its x509 folder; certificates end `gap` seconds apart, the first in `days`.
std::vector<Finding> two_peers(const std::string& name, long first, long gap, const std::string& timers,
                               int warn_days = 30) {
  const auto d = dir(name);
  write_cert(d / "a" / "x509" / "a.pem", "a.test", first);
  write_cert(d / "b" / "x509" / "b.pem", "b.test", first + gap);
  write(d / "a" / "swanctl.conf", swanctl("a.pem", timers, ""));
  write(d / "b" / "swanctl.conf", swanctl("b.pem", timers, ""));
  Options o;
  o.now = kNow;
  o.facts["cert-days"] = std::to_string(warn_days);
  const auto out = run({(d / "a" / "swanctl.conf").string(), (d / "b" / "swanctl.conf").string()}, o);
  EXPECT_FALSE(out.error) << out.error->text();
  return out.findings;
}

const Finding* by_id(const std::vector<Finding>& fs, const std::string& id) {
  for (const auto& f : fs)
    if (f.id == id) return &f;
  return nullptr;
}

TEST(StrongswanAudit, CertificatesExpiringInOneRekeyWindowSayWhenItBites) {
  // 200 days ahead, 1 h apart; rekey every 4 h by default.
  const auto fs = two_peers("together", 200 * 86400L, 3600, "");
  const auto* f = by_id(fs, "ike.ikev2-simultaneous-rekey-after-cert-expiry");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::high);
  EXPECT_NE(f->cause.find("expire 1h apart, inside one IKE rekey interval (4h). It bites on 2027-04-09 (around "
                          "2027-04-09 14:13 UTC)"),
            std::string::npos)
      << f->cause;
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].line, 7u);
  EXPECT_EQ(f->evidence[0].text, "certs = a.pem (gw: local certificate CN = a.test, not after 2027-04-09 14:13 UTC)");
  EXPECT_EQ(by_id(fs, "ike.cert-expires-soon"), nullptr);
  EXPECT_EQ(by_id(fs, "ike.rekey-without-jitter"), nullptr);  // defaults have jitter
}

TEST(StrongswanAudit, CertificatesFarApartAreQuiet) {
  const auto fs = two_peers("apart", 200 * 86400L, 3 * 86400L, "");
  // Only the peer profiles that strongSwan's default proposals refuse (MODP_1024 initiators) remain.
  for (const auto& f : fs) EXPECT_EQ(f.id, "ike.no-proposal-chosen") << f.title;
}

TEST(StrongswanAudit, ExpiryWithinDaysNamesTheDate) {
  const auto fs = two_peers("soon", 10 * 86400L, 40 * 86400L, "");
  std::vector<const Finding*> soon;
  for (const auto& f : fs)
    if (f.id == "ike.cert-expires-soon") soon.push_back(&f);
  ASSERT_EQ(soon.size(), 1u);
  EXPECT_EQ(soon[0]->title, "IKE certificate expires within 30 days");
  EXPECT_NE(soon[0]->cause.find("expires on 2026-10-01 (10 days left). It bites on 2026-10-01 14:13 UTC"),
            std::string::npos)
      << soon[0]->cause;
  const auto wider = two_peers("soon-60", 10 * 86400L, 40 * 86400L, "", 60);
  EXPECT_EQ(std::count_if(wider.begin(), wider.end(), [](const Finding& f) { return f.id == "ike.cert-expires-soon"; }),
            2);
}

TEST(StrongswanAudit, BothSidesWithoutJitter) {
  const auto fs = two_peers("nojitter", 200 * 86400L, 30 * 86400L, "    rekey_time = 1h\n    rand_time = 0s\n");
  const auto* f = by_id(fs, "ike.rekey-without-jitter");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->title, "Both peers rekey on fixed timers without jitter");
  EXPECT_EQ(f->severity, Severity::medium);
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].line, 6u);
  EXPECT_EQ(f->evidence[0].text, "gw IKE_SA: rekey every 1h with no jitter (rand_time = 0s)");
  EXPECT_NE(f->cause.find("It bites at the first rekey after set-up: 1h later (for an SA set up now, 2026-09-21 "
                          "15:13 UTC)"),
            std::string::npos)
      << f->cause;
}

// --- IKE proposals: keywords and `default` into transforms, responder facts, predictions (issue 7 item 2) ---

Parsed swanctl_conn(const std::string& proposals_line) {
  return parse_swanctl("swanctl.conf", "connections {\n  gw {\n    version = 2\n" + proposals_line + "  }\n}\n");
}

TEST(StrongswanIke, KeywordsExpandIntoTransformsWithImpliedPrf) {
  const auto e = expand("aes256-aes128-sha256-sha1-modp2048-ecp256");
  ASSERT_EQ(e.proposals.size(), 1u);
  EXPECT_EQ(e.proposals[0], (ProposalNames{"ENCR_AES_CBC/256", "ENCR_AES_CBC/128", "AUTH_HMAC_SHA2_256_128",
                                           "AUTH_HMAC_SHA1_96", "PRF_HMAC_SHA2_256", "PRF_HMAC_SHA1", "MODP_2048",
                                           "ECP_256"}));
  EXPECT_TRUE(e.unknown.empty());
}

TEST(StrongswanIke, AeadOnlyDropsIntegrityAndKeepsItsPrf) {
  EXPECT_EQ(expand("aes128gcm16-prfsha384-x25519").proposals[0],
            (ProposalNames{"ENCR_AES_GCM_16/128", "PRF_HMAC_SHA2_384", "CURVE25519"}));
  EXPECT_EQ(expand("aes256gcm128-sha512-ecp384").proposals[0],
            (ProposalNames{"ENCR_AES_GCM_16/256", "PRF_HMAC_SHA2_512", "ECP_384"}));
}

TEST(StrongswanIke, DefaultIsTheCapturedDefaultProfileAndUnknownKeywordsAreKept) {
  const auto e = expand("aes128-sha256-modp3072, default, aes999-sha256-modp2048");
  ASSERT_EQ(e.proposals.size(), 4u);
  EXPECT_EQ(e.proposals[1].front(), "ENCR_AES_CBC/128");
  EXPECT_EQ(e.proposals[2].front(), "ENCR_AES_GCM_16/128");
  EXPECT_EQ(e.unknown, (std::vector<std::string>{"aes999"}));
}

TEST(StrongswanIke, SwanctlWithoutProposalsUsesTheDefault) {
  const auto p = swanctl_conn("");
  ASSERT_FALSE(p.error);
  const auto e = effective(p.config.connections.at(0), "swanctl");
  EXPECT_EQ(e.proposals.size(), 2u);
  EXPECT_EQ(e.origin, "proposals not set: strongSwan's default set (strongswan-5.9-default)");
}

TEST(StrongswanIke, IpsecConfAddsTheDefaultUnlessStrict) {
  const auto loose = parse_ipsec("ipsec.conf", "conn gw\n  keyexchange=ikev2\n  ike=aes256-sha256-modp2048\n");
  const auto strict = parse_ipsec("ipsec.conf", "conn gw\n  keyexchange=ikev2\n  ike=aes256-sha256-modp2048!\n");
  ASSERT_FALSE(loose.error);
  ASSERT_FALSE(strict.error);
  EXPECT_EQ(effective(loose.config.connections.at(0), "ipsec.conf").proposals.size(), 3u);
  EXPECT_EQ(effective(strict.config.connections.at(0), "ipsec.conf").proposals.size(), 1u);
  const auto v1 = parse_ipsec("ipsec.conf", "conn gw\n  keyexchange=ikev1\n");
  EXPECT_TRUE(effective(v1.config.connections.at(0), "ipsec.conf").ikev1_only);
}

TEST(StrongswanIke, ResponderFactsAreTheUnionInConfiguredOrder) {
  const auto f = responder_facts(expand("aes256-sha256-modp2048, aes128gcm16-prfsha384-x25519-modp2048"));
  ASSERT_EQ(f.encryption.size(), 2u);
  EXPECT_EQ(f.encryption[0].id, 12);
  EXPECT_EQ(f.encryption[0].key_length, 256);
  EXPECT_EQ(f.encryption[1].id, 20);
  ASSERT_EQ(f.prf.size(), 2u);
  EXPECT_EQ(f.prf[0].id, 5);
  EXPECT_EQ(f.prf[1].id, 6);
  ASSERT_EQ(f.integrity.size(), 1u);
  EXPECT_EQ(f.integrity[0].id, 12);
  EXPECT_EQ(f.groups, (std::vector<std::uint16_t>{14, 31}));
}

TEST(StrongswanIke, KeywordForTransformIsTheFirstTableEntry) {
  EXPECT_EQ(keyword_for("ENCR_AES_CBC/128"), "aes128");
  EXPECT_EQ(keyword_for("MODP_1024"), "modp1024");
  EXPECT_EQ(keyword_for("CURVE25519"), "curve25519");
  EXPECT_EQ(keyword_for("ENCR_NOTHING"), "");
}

TEST(StrongswanIke, ProfilesPredictedWithTheProbesSectionShapeAndLineEvidence) {
  const auto p = swanctl_conn("    proposals = aes256-aes128-sha256-sha1-modp2048-ecp256\n");
  ASSERT_FALSE(p.error);
  std::vector<Finding> findings;
  std::vector<report::Section> sections;
  predict_profiles({p.config}, findings, sections);
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].kind, "audit");
  EXPECT_EQ(sections[1].kind, "prediction");
  EXPECT_EQ(sections[1].title, "IKEv2 peer profiles against this responder");
  EXPECT_EQ(sections[1].source, "audit swanctl.conf connection gw");
  std::map<std::string, std::string> predicted;
  for (const auto& f : sections[1].fields) predicted[f.value] = f.children.at(1).value;
  EXPECT_EQ(predicted.at("strongswan-5.9-default"),
            "establishes with proposal 1: ENCR_AES_CBC/256 PRF_HMAC_SHA2_256 AUTH_HMAC_SHA2_256_128 MODP_2048");
  EXPECT_TRUE(predicted.at("windows-ikev2-client-default").starts_with("fails: NO_PROPOSAL_CHOSEN because"));
  const auto* windows = by_id(findings, "ike.no-proposal-chosen");
  ASSERT_NE(windows, nullptr);
  ASSERT_FALSE(windows->evidence.empty());
  EXPECT_EQ(windows->evidence[0].line, 4u);
  EXPECT_EQ(windows->evidence[0].text, "proposals = aes256-aes128-sha256-sha1-modp2048-ecp256");
  ASSERT_FALSE(windows->fixes.empty());
  EXPECT_EQ(windows->fixes[0].side, "server");
}

TEST(StrongswanIke, WindowsFixAddsItsFirstProposalAsKeywords) {
  const auto p = swanctl_conn("    proposals = aes256-sha256-x25519\n");
  std::vector<Finding> findings;
  std::vector<report::Section> sections;
  predict_profiles({p.config}, findings, sections);
  const Finding* windows = nullptr;
  for (const auto& f : findings)
    if (f.title.starts_with("Windows")) windows = &f;
  ASSERT_NE(windows, nullptr);
  EXPECT_EQ(windows->fixes.at(0).snippet,
            "--- swanctl.conf\n+++ swanctl.conf\n- proposals = aes256-sha256-x25519\n"
            "+ proposals = aes256-sha256-x25519, 3des-sha1-prfsha1-modp1024\n");
  EXPECT_EQ(std::count_if(windows->fixes.begin(), windows->fixes.end(), [](const Fix& f) { return f.side == "server"; }),
            1);
}

TEST(StrongswanIke, IkeV1OnlyConnectionsAreNotPredicted) {
  const auto p = parse_swanctl("swanctl.conf", "connections {\n  old {\n    version = 1\n  }\n}\n");
  std::vector<Finding> findings;
  std::vector<report::Section> sections;
  predict_profiles({p.config}, findings, sections);
  EXPECT_TRUE(sections.empty());
  EXPECT_TRUE(findings.empty());
}

// Pair audit: a client initiating with its proposals to a server's connection.
struct PairFiles {
  fs::path client, server;
};

PairFiles pair_files(const std::string& name, const std::string& client_proposals, const std::string& server_proposals) {
  const auto d = dir("pair-" + name);
  const auto conf = [](const std::string& proposals) {
    return "connections {\n  t {\n    version = 2\n    proposals = " + proposals + "\n  }\n}\n";
  };
  write(d / "client.conf", conf(client_proposals));
  write(d / "server.conf", conf(server_proposals));
  return {d / "client.conf", d / "server.conf"};
}

TEST(StrongswanIkePair, MismatchFailsWithFixesOnBothSides) {
  const auto f = pair_files("mismatch", "aes128-sha256-modp3072", "aes256gcm16-prfsha384-ecp384");
  ASSERT_TRUE(all_strongswan({f.client.string()}));
  const auto out = run_ike_pair({f.client.string()}, {f.server.string()}, Options{});
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 1u);
  const auto& finding = out.findings[0];
  EXPECT_EQ(finding.id, "ike.no-proposal-chosen");
  EXPECT_EQ(finding.change_side, "either");
  ASSERT_EQ(finding.fixes.size(), 2u);
  EXPECT_EQ(finding.fixes[0].side, "server");
  EXPECT_NE(finding.fixes[0].snippet.find("+ proposals = aes256gcm16-prfsha384-ecp384, aes128-sha256-prfsha256-modp3072"),
            std::string::npos)
      << finding.fixes[0].snippet;
  EXPECT_EQ(finding.fixes[1].side, "client");
  EXPECT_NE(finding.fixes[1].snippet.find("+ proposals = aes128-sha256-modp3072, aes256gcm16-prfsha384-ecp384"),
            std::string::npos)
      << finding.fixes[1].snippet;
  ASSERT_EQ(finding.evidence.size(), 2u);
  EXPECT_EQ(finding.evidence[0].side, "client");
  EXPECT_EQ(finding.evidence[0].line, 4u);
  EXPECT_EQ(finding.evidence[1].side, "server");
}

TEST(StrongswanIkePair, OtherFirstGroupCostsAnInvalidKeRound) {
  const auto f = pair_files("invalid-ke", "aes256-sha256-x25519-modp2048", "aes256-sha256-modp2048");
  const auto out = run_ike_pair({f.client.string()}, {f.server.string()}, Options{});
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].id, "ike.invalid-ke-payload");
  EXPECT_EQ(out.findings[0].title, "t → t: INVALID_KE_PAYLOAD round (CURVE25519 sent, MODP_2048 wanted)");
  ASSERT_EQ(out.sections.size(), 2u);
  const auto& field = out.sections[1].fields.at(0);
  EXPECT_EQ(field.children.at(0).value,
            "establishes with proposal 1: ENCR_AES_CBC/256 PRF_HMAC_SHA2_256 AUTH_HMAC_SHA2_256_128 MODP_2048");
}

TEST(StrongswanIkePair, MatchingFirstGroupEstablishesWithoutFindings) {
  const auto f = pair_files("match", "aes256-sha256-modp2048", "default");
  const auto out = run_ike_pair({f.client.string()}, {f.server.string()}, Options{});
  ASSERT_FALSE(out.error);
  EXPECT_TRUE(out.findings.empty());
}

TEST(StrongswanIkePair, PairAuditDispatchesToTheIkeBranch) {
  const auto f = pair_files("dispatch", "aes128-sha256-modp3072", "aes256gcm16-prfsha384-ecp384");
  const auto out = sd::audit::run_pair({f.client.string()}, {f.server.string()}, Options{});
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].id, "ike.no-proposal-chosen");
}

}  // namespace
}  // namespace sd::audit::strongswan
